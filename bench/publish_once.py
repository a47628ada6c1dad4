#!/usr/bin/env python3
"""Publish one walk once more, in this process, and print what it cost: the child of the scale benches.

Run with the project to measure as the working directory (it is put first on sys.path). Prints one
line: wall and CPU seconds of `publish_walk` plus the commit, then this process's RSS (VmRSS) and peak
RSS (VmHWM) once the app is built, and its peak RSS at the end, in MB. The peak is reset once the app
is built (clear_refs), so growth = peak at the end - RSS once built is what publishing took, not the
app's own import peak. VmHWM, not getrusage's ru_maxrss: Linux carries the parent's peak RSS over
fork and exec into the latter, so a child of a big parent would report the parent's peak.
Usage: (cd PROJECT && python /path/to/bench/publish_once.py WALK)
"""

import os
import re
import sys
import time
from pathlib import Path


def memory_mb(key: str) -> float:
    """Return this process's VmRSS or VmHWM from /proc, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{key}:\s+(\d+)", status).group(1)) / 1024


def parse(output: str) -> dict[str, float]:
    """Return the figures of the line `main` printed (the last line of `output`)."""
    names = ("wall_s", "cpu_s", "rss_built_mb", "peak_built_mb", "peak_mb")
    return dict(zip(names, (float(x) for x in output.split()[-len(names) :]), strict=True))


def main() -> None:
    sys.path.insert(0, os.getcwd())
    from server import create_app
    from server.domain.publishing.publish import publish_walk

    app = create_app()
    rss_built, peak_built = memory_mb("VmRSS"), memory_mb("VmHWM")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak starts again from the RSS now
    with app.extensions["db"].session() as session:
        started, cpu = time.perf_counter(), time.process_time()
        publish_walk(session, sys.argv[1], None)
        session.commit()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(wall, cpu, rss_built, peak_built, memory_mb("VmHWM"))


if __name__ == "__main__":
    main()
