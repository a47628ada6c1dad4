"""The people working during the load run: editors saving stops and publishing, and a memory log."""

import statistics
import threading
import time
from dataclasses import dataclass, field

from probes import process_tree, read_kb

WALK = "gent-kanazawa"
PUBLISH_EVERY = 20  # acknowledged saves (all editors together) between two publications


@dataclass
class EditorFigures:
    saves: int = 0
    stale: int = 0  # 412: someone else saved first (expected only when editors share a stop)
    errors: list = field(default_factory=list)
    save_ms: list = field(default_factory=list)
    publishes: int = 0
    publish_ms: list = field(default_factory=list)
    last_saved: dict = field(default_factory=dict)  # stop -> the summary of its last acknowledged save


class Editors:
    """`count` editors, each in a thread, saving `stops` in turn with If-Match until `stop()`."""

    def __init__(self, client_factory, stops: list[str], count: int, pause: float, max_saves: int):
        self.client_factory, self.stops, self.pause, self.max_saves = client_factory, stops, pause, max_saves
        self.figures = EditorFigures()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._work, args=(n,), daemon=True) for n in range(count)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _record_error(self, what: str):
        with self.lock:
            self.figures.errors.append(what)

    def _work(self, number: int):
        try:
            client = self.client_factory()
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            self._record_error(f"editor {number} could not sign in: {exc!r}")
            return
        stop = self.stops[number % len(self.stops)]
        url = f"/editor/api/walks/{WALK}/stops/{stop}"
        n = 0
        while not self.done.is_set() and n < self.max_saves:
            n += 1
            try:
                self._save_once(client, url, stop, f"Load run: editor {number}, save {n}.")
            except Exception as exc:  # noqa: BLE001 - a refused connection or timeout is an error to count
                self._record_error(f"{stop}: {exc!r}")
            self.done.wait(self.pause)

    def _save_once(self, client, url: str, stop: str, text: str):
        status, headers, data = client.get_json(url)
        if status != 200:
            return self._record_error(f"GET {url}: {status}")
        summary = {**data["stop"]["summary"], "en": text}
        started = time.perf_counter()
        status, _, reply = client.put_json(url, {"summary": summary}, headers["ETag"])
        elapsed = (time.perf_counter() - started) * 1000
        if status == 412:
            with self.lock:
                self.figures.stale += 1
            return
        if status != 200:
            return self._record_error(f"PUT {url}: {status} {str(reply)[:200]}")
        with self.lock:
            self.figures.saves += 1
            self.figures.save_ms.append(elapsed)
            self.figures.last_saved[stop] = text
            publish_now = self.figures.saves % PUBLISH_EVERY == 0
        if publish_now:
            started = time.perf_counter()
            status, _, _ = client.post_form(f"/editor/walks/{WALK}/publish")
            elapsed = (time.perf_counter() - started) * 1000
            if status != 303:
                return self._record_error(f"publish: {status}")
            with self.lock:
                self.figures.publishes += 1
                self.figures.publish_ms.append(elapsed)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class MemoryLog(threading.Thread):
    """Record the RSS of every process of a tree every `interval` seconds, until `stop()`."""

    def __init__(self, root: int, interval: float):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.rows: list[tuple[float, dict]] = []  # (seconds since start, {pid: RSS kB})
        self.names: dict[int, str] = {}
        self._done = threading.Event()
        self._began = time.monotonic()

    def run(self):
        while True:
            self.sample()
            if self._done.wait(self.interval):
                return

    def sample(self):
        rss = {}
        for pid in process_tree(self.root):
            kb = read_kb(f"/proc/{pid}/status", "VmRSS:")
            if kb:
                rss[pid] = kb
                self.names.setdefault(pid, "server main process" if pid == self.root else _describe(pid))
        self.rows.append((time.monotonic() - self._began, rss))

    def stop(self):
        self._done.set()
        self.join()
        self.sample()  # the state at the very end of the run

    def table(self) -> str:
        pids = sorted({pid for _, rss in self.rows for pid in rss})
        head = "    t s" + "".join(f"{pid:>10}" for pid in pids) + "     total"
        lines = [head]
        for seconds, rss in self.rows:
            cells = "".join(f"{rss[pid] / 1024:>10.1f}" if pid in rss else f"{'-':>10}" for pid in pids)
            lines.append(f"{seconds:>7.0f}{cells}{sum(rss.values()) / 1024:>10.1f}")
        legend = "\n".join(f"  {pid}: {self.names.get(pid, '?')}" for pid in pids)
        return "\n".join(lines) + "\nprocesses (RSS in MB above):\n" + legend


def _describe(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            words = file.read().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(w.decode(errors="replace") for w in words if w)
    return ("worker: " if "granian" in text else "") + text[:100]
