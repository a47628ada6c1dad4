"""Measuring tools of the benchmark: wrk runs, exact response sizes, CPU and memory from /proc."""

import http.client
import json
import os
import resource
import shlex
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# wrk prints this one line at the end of a run; the numbers come from wrk itself, not from parsing prose.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'KOTOJI_WRK {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


class BenchError(Exception):
    """Something prevents a fair run; the message says what."""


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes


def get(port: int, path: str, headers: dict | None = None) -> Reply:
    """Send one GET and return the whole reply."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def response_size(port: int, path: str, headers: dict) -> int:
    """Return the bytes of one response (status line, headers, body) to the request wrk will send."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    request += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if not head.startswith(b"HTTP/1.1 304"):
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        return len(head) + 4 + len(body)


def machine_busy_seconds() -> float:
    """Return the CPU seconds all processes of the machine have used since boot (from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def run_wrk(url: str, headers: dict, args, lua: Path, duration: str) -> tuple[dict, float]:
    """Run wrk and return its report and the CPU seconds it used."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(lua),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run([*command, url], capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("KOTOJI_WRK ")]
    if completed.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({shlex.join(command)}):\n{completed.stdout}{completed.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    report = json.loads(lines[-1].removeprefix("KOTOJI_WRK "))
    for line in completed.stdout.splitlines():  # a script's own counts (bench/load.py: answers by status)
        if line.startswith("KOTOJI_STATUSES "):
            report.update(json.loads(line.removeprefix("KOTOJI_STATUSES ")))
    return report, cpu


class TreeSampler(threading.Thread):
    """Sample the summed RSS/PSS and the CPU time of a process and all its descendants."""

    def __init__(self, root: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.processes = 0
        self._stop_event = threading.Event()
        self._cpu_start = tree_cpu_ticks(process_tree(root))
        self.cpu_seconds = 0.0

    def run(self):
        while not self._stop_event.is_set():
            pids = process_tree(self.root)
            self.processes = max(self.processes, len(pids))
            self.peak_rss_kb = max(self.peak_rss_kb, sum(read_kb(f"/proc/{p}/status", "VmRSS:") for p in pids))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(read_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            self._stop_event.wait(self.interval)

    def stop(self):
        self.cpu_seconds = (tree_cpu_ticks(process_tree(self.root)) - self._cpu_start) / CLOCK_TICKS
        self._stop_event.set()
        self.join()


def process_tree(root: int) -> list[int]:
    """Return `root` and every process descending from it, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def tree_cpu_ticks(pids: list[int]) -> int:
    """Return the user and system clock ticks the processes have used."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def read_kb(path: str, key: str) -> int:
    """Return the kB value of `key` in a /proc file such as status (0 once the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
