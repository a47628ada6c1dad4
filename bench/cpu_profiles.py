"""CPU profiles of a page's main thread and of one of its workers (CDP Profiler), told as the hottest functions.

Playwright's CDP sessions reach pages only, so the worker is reached through the page's session
(Target.setAutoAttach without flattening, messages wrapped in Target.sendMessageToTarget). Functions of
a minified file are named through its source map when one lies beside it in node_modules.
"""

import json
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VLQ = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


class Profiles:
    """Profile the page behind `cdp` and its worker whose URL ends with `worker_suffix`, from start() to stop()."""

    def __init__(self, page, cdp, worker_suffix: str, ignore: tuple[str, ...] = ()):
        self.page, self.cdp, self.suffix, self.ignore = page, cdp, worker_suffix, ignore
        self.worker, self.answers, self.sent = None, {}, 0
        cdp.on("Target.attachedToTarget", self._attached)
        cdp.on("Target.receivedMessageFromTarget", self._answered)
        cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})

    def _attached(self, event):
        if event["targetInfo"]["url"].endswith(self.suffix):
            self.worker = event["sessionId"]

    def _answered(self, event):
        message = json.loads(event["message"])
        if "id" in message:
            self.answers[message["id"]] = message

    def _ask_worker(self, method: str) -> dict:
        self.sent += 1
        asked = self.sent
        message = json.dumps({"id": asked, "method": method})
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": self.worker, "message": message})
        while asked not in self.answers:
            self.page.wait_for_timeout(50)
        return self.answers.pop(asked).get("result", {})

    def start(self) -> None:
        for send in (self.cdp.send, self._ask_worker) if self.worker else (self.cdp.send,):
            send("Profiler.enable")
            send("Profiler.start")

    def stop(self) -> dict:
        """Return {"main thread": summary, "worker": summary} (the worker's only if there is one)."""
        summaries = {"main thread": hottest(self.cdp.send("Profiler.stop")["profile"], ignore=self.ignore)}
        if self.worker:
            summaries["worker"] = hottest(self._ask_worker("Profiler.stop")["profile"], ignore=self.ignore)
        return summaries


def hottest(profile: dict, count: int = 8, ignore: tuple[str, ...] = ()) -> str:
    """The functions that ran longest themselves (self time), and the time the thread was busy."""
    frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    spent: Counter[str] = Counter()
    for node, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        spent[function_name(frames[node])] += delta / 1000
    for name in ("(idle)", *ignore):
        spent.pop(name, None)
    busy = sum(spent.values())
    top = ", ".join(f"{name} {ms:.0f}" for name, ms in spent.most_common(count))
    return f"busy {busy:.0f} ms; self ms: {top}"


def function_name(frame: dict) -> str:
    url, line, column = frame["url"], frame["lineNumber"], frame["columnNumber"]
    if not url:
        return frame["functionName"] or "(anonymous)"
    file = url.split("?")[0].rsplit("/", 1)[-1]
    original = original_position(url, line, column)
    if original:
        return f"{original} ({file})"
    return f"{frame['functionName'] or '(anonymous)'} {file}:{line + 1}"


_maps: dict[str, list | None] = {}


def original_position(url: str, line: int, column: int) -> str | None:
    """Name a position in a /vendor/ file through its source map: 'name src/file.ts:line'."""
    if "/vendor/" not in url:
        return None
    path = url.split("/vendor/", 1)[1].split("?")[0]
    if path not in _maps:
        source_map = PROJECT_ROOT / "node_modules" / (path + ".map")
        _maps[path] = decode(json.loads(source_map.read_text())) if source_map.is_file() else None
    lines = _maps[path]
    if not lines or line >= len(lines):
        return None
    best = None
    for segment in lines[line]:
        if segment[0] > column:
            break
        best = segment
    if not best or len(best) < 4:
        return None
    name = f"{best[5]} " if len(best) > 5 else ""
    return f"{name}{best[1].replace('../src/', '')}:{best[2] + 1}"


def decode(source_map: dict) -> list:
    """Decode a source map's mappings: per generated line, [column, source, line, column, name index, name]."""
    fields = [0, 0, 0, 0, 0]  # column (reset per line), source, source line, source column, name
    lines = []
    for encoded_line in source_map["mappings"].split(";"):
        fields[0] = 0
        segments = []
        for encoded in filter(None, encoded_line.split(",")):
            values, value, shift = [], 0, 0
            for char in encoded:
                digit = VLQ[char]
                value += (digit & 31) << shift
                shift += 5
                if not digit & 32:
                    values.append(-(value >> 1) if value & 1 else value >> 1)
                    value, shift = 0, 0
            for n, delta in enumerate(values):
                fields[n] += delta
            segment: list = [fields[0]]
            if len(values) >= 4:
                segment += [source_map["sources"][fields[1]], fields[2], fields[3]]
            if len(values) == 5:
                segment += [fields[4], source_map["names"][fields[4]]]
            segments.append(segment)
        lines.append(segments)
    return lines
