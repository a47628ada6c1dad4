#!/usr/bin/env python3
"""Publishing a walk of 10, 1,000 and 10,000 stops: time and peak memory, on SQLite and PostgreSQL.

For each size and backend, in a temporary folder: a bundle from bench/synthetic_walk.py, `manage.py
upgrade` and `seed`, then the walk published once more in a process of its own, timed around
`publish_walk` plus the commit, wall and CPU seconds (CPU: this process only, which other load disturbs
far less; the database server's own work is not in it). Memory (bench/publish_once.py): the process's
RSS once the app was built, its peak RSS (VmHWM) then and at the end; growth = peak at the end - RSS
once built, what publishing took (the peak while building the app can hide a smaller growth).
PostgreSQL runs in a throwaway database (kotoji_publish_<hex>) that is dropped at the end.
Usage: .venv/bin/python bench/publish_scale.py [--sizes 10,1000,10000] [--postgresql postgresql://postgres@127.0.0.1:5432]
       [--project DIR] (another checkout, e.g. an export of main, for before/after figures)
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_once import parse  # noqa: E402
from servers import bench_environment, throwaway_database  # noqa: E402
from synthetic_walk import write_bundle  # noqa: E402

WALK = "gent-kanazawa"
PUBLISH_ONCE = Path(__file__).resolve().parent / "publish_once.py"


def measure(size: int, backend: str, args) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"kotoji-publish-{size}-") as folder:
        tmp = Path(folder)
        env = {**bench_environment(tmp), "KOTOJI_ROUTES_DIR": str(write_bundle(size, tmp / "routes"))}
        with throwaway_database(env, args.postgresql if backend == "postgresql" else None, "kotoji_publish"):
            manage = [sys.executable, str(args.project / "manage.py")]
            for command in ("upgrade", "seed"):
                subprocess.run([*manage, command], cwd=args.project, env=env, check=True, capture_output=True)
            output = subprocess.run(
                [sys.executable, str(PUBLISH_ONCE), WALK],
                cwd=args.project,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
    return parse(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000", type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--postgresql", help="server URL without a database name; omit for SQLite only")
    parser.add_argument(
        "--backends", default=None, help="sqlite,postgresql (default: sqlite, plus postgresql if given)"
    )
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    backends = (args.backends or ("sqlite,postgresql" if args.postgresql else "sqlite")).split(",")
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"project: {args.project}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'backend':<11}{'stops':>7}{'wall s':>8}{'CPU s':>7}{'RSS built':>10}{'peak built':>11}{'peak':>6}"
    print(f"\n{header}{'growth':>8}{'load':>7}   (MB)")
    for backend in backends:
        for size in args.sizes:
            m = measure(size, backend, args)
            print(
                f"{backend:<11}{size:>7}{m['wall_s']:>8.2f}{m['cpu_s']:>7.2f}{m['rss_built_mb']:>10.0f}"
                f"{m['peak_built_mb']:>11.0f}{m['peak_mb']:>6.0f}{m['peak_mb'] - m['rss_built_mb']:>8.0f}"
                f"{os.getloadavg()[0]:>7.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
