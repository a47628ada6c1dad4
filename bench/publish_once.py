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
import subprocess
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


def reload_bench_arguments(description: str, project: Path):
    """Parse the reload benches' options (`backends` becomes a list); print the command and the load."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stops", default=10000, type=int)
    parser.add_argument("--postgresql", help="server URL without a database name; omit for SQLite only")
    parser.add_argument("--backends", default=None, help="sqlite,postgresql (default: sqlite, and postgresql if given)")
    parser.add_argument("--project", type=Path, default=project)
    args = parser.parse_args()
    args.backends = (args.backends or ("sqlite,postgresql" if args.postgresql else "sqlite")).split(",")
    if not args.child:
        print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
        print(f"project: {args.project}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return args


def child_figures(script: str, walk: str, env: dict, args, backend: str, names: tuple[str, ...]) -> dict[str, float]:
    """In a throwaway database, seed the routes of `env`, publish `walk` once more, then run `script --child`
    in that database and return the figures it printed last, by `names`: the reload benches measure what
    follows a publication."""
    from servers import throwaway_database

    project = args.project
    with throwaway_database(env, args.postgresql if backend == "postgresql" else None, "kotoji_reload"):
        manage = [sys.executable, str(project / "manage.py")]
        for command in ("upgrade", "seed"):
            subprocess.run([*manage, command], cwd=project, env=env, check=True, capture_output=True)
        once = [sys.executable, __file__, walk]
        subprocess.run(once, cwd=project, env=env, check=True, capture_output=True)
        child = [sys.executable, script, "--child"]
        output = subprocess.run(child, cwd=project, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
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
