#!/usr/bin/env python3
"""Publishing a walk of 10, 1,000 and 10,000 stops: time and peak memory, on SQLite and PostgreSQL.

For each size and backend, in a temporary folder: a bundle from bench/synthetic_walk.py, `manage.py
upgrade` and `seed`, then the walk published once more in a process of its own, timed around
`publish_walk` plus the commit, wall and CPU seconds (CPU: this process only, which other load disturbs
far less; the database server's own work is not in it). Peak memory is that process's peak RSS
(VmHWM) with, beside it, its RSS once the app was built (so the growth is what publishing took).
PostgreSQL runs in a throwaway database (kotoji_publish_<hex>) that is dropped at the end.
Usage: .venv/bin/python bench/publish_scale.py [--sizes 10,1000,10000] [--postgresql postgresql://postgres@127.0.0.1:5432]
       [--project DIR] (another checkout, e.g. an export of main, for before/after figures)
"""

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import bench_environment  # noqa: E402
from synthetic_walk import write_bundle  # noqa: E402

WALK = "gent-kanazawa"
# VmHWM, not getrusage's ru_maxrss: Linux carries the parent's peak RSS over fork and exec into the latter.
PUBLISH = """
import re, sys, time
from pathlib import Path
from server import create_app
from server.domain.publishing.publish import publish_walk
def high_water_mb():
    return int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
app = create_app()
built = high_water_mb()
with app.extensions["db"].session() as session:
    started, cpu = time.perf_counter(), time.process_time()
    publish_walk(session, sys.argv[1], None)
    session.commit()
    peak = high_water_mb()
    print(time.perf_counter() - started, time.process_time() - cpu, built, peak)
"""


def measure(size: int, backend: str, args) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory(prefix=f"kotoji-publish-{size}-") as folder:
        tmp = Path(folder)
        env = {**bench_environment(tmp), "KOTOJI_ROUTES_DIR": str(write_bundle(size, tmp / "routes"))}
        database = None
        if backend == "postgresql":
            database = f"kotoji_publish_{uuid.uuid4().hex[:12]}"
            admin = args.postgresql.rstrip("/") + "/postgres"
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
            env["DATABASE_URL"] = f"{args.postgresql.rstrip('/')}/{database}"
        try:
            manage = [sys.executable, str(args.project / "manage.py")]
            for command in ("upgrade", "seed"):
                subprocess.run([*manage, command], cwd=args.project, env=env, check=True, capture_output=True)
            output = subprocess.run(
                [sys.executable, "-c", PUBLISH, WALK],
                cwd=args.project,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            seconds, cpu, built, peak = (float(x) for x in output.split()[-4:])
        finally:
            if database:
                subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    return seconds, cpu, built, peak


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
    header = f"{'backend':<11}{'stops':>7}{'wall s':>8}{'CPU s':>7}{'RSS built MB':>14}{'peak MB':>9}{'growth MB':>11}"
    print(f"\n{header}{'load':>7}")
    for backend in backends:
        for size in args.sizes:
            seconds, cpu, built, peak = measure(size, backend, args)
            print(
                f"{backend:<11}{size:>7}{seconds:>8.2f}{cpu:>7.2f}{built:>14.0f}{peak:>9.0f}{peak - built:>11.0f}"
                f"{os.getloadavg()[0]:>7.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
