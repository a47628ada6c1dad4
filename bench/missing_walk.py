#!/usr/bin/env python3
"""Load a public URL that fails (a walk that is not published) through the documented nginx cache.

    .venv/bin/python bench/missing_walk.py [--duration 10s] [--connections 50] [--path /api/walks/no-such-walk]
                                           [--max-age 60] [--postgresql postgresql://postgres@127.0.0.1:5432]

Two instances (`manage.py serve`, one worker each) on one database, nginx with the block of
docs/operations.md ("A shared cache in front") before them; wrk asks for --path for --duration. The
instances' access logs say how many of those requests reached them. Everything runs on 127.0.0.1 in a
temporary folder (and, with --postgresql, a throwaway database), removed at the end.
"""

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from probes import WRK_REPORT, BenchError, get, run_wrk  # noqa: E402
from servers import Server, bench_environment, free_port, throwaway_database  # noqa: E402

from tests.resilience.instances import CachingNginx  # noqa: E402

LUA = """
wrk.path = %s
wrk.headers["Host"] = %s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="10s", help="wrk duration [10s]")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--path", default="/api/walks/no-such-walk", help="the failing URL (no query) [%(default)s]")
    parser.add_argument("--max-age", default="60", help="KOTOJI_PUBLIC_MAX_AGE_SECONDS of the instances [60]")
    parser.add_argument("--postgresql", metavar="SERVER_URL", help="a throwaway database on this server, not SQLite")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kotoji-missing-"))
    try:
        env = bench_environment(work)
        env.update(
            KOTOJI_PUBLIC_URL=f"http://{CachingNginx.SITE}",
            KOTOJI_PUBLICATION_CHECK_SECONDS="1",
            KOTOJI_PUBLIC_MAX_AGE_SECONDS=args.max_age,
        )
        with throwaway_database(env, args.postgresql, "kotoji_missing"):
            run(args, work, env)
    except BenchError as exc:
        sys.exit(f"bench/missing_walk.py: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path, env: dict) -> None:
    ports = [free_port(), free_port()]
    (work / "instance-2").mkdir()
    envs = [env, {**env, "KOTOJI_INSTANCE_PATH": str(work / "instance-2")}]
    servers = [
        Server(f"kotoji-{n}", [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1"], e, work)
        for n, (port, e) in enumerate(zip(ports, envs, strict=True), start=1)
    ]
    with contextlib.ExitStack() as running:
        for server in servers:  # one after the other: the first creates and seeds the database
            running.enter_context(server).wait_ready("/api/walks", 300)
        cache = CachingNginx(work / "nginx", [f"http://127.0.0.1:{port}" for port in ports])
        running.callback(cache.stop)
        lua = work / "missing.lua"
        lua.write_text(LUA % (_lua_string(args.path), _lua_string(CachingNginx.SITE)) + WRK_REPORT)
        report, _ = run_wrk(cache.url, {}, args, lua, args.duration)
        time.sleep(1)  # for the access logs' last lines
        arrived = reached(servers, args.path)
        answer = get(cache.port, args.path, {"Host": CachingNginx.SITE})
    seconds = report["duration_us"] / 1e6
    print(f"{args.path} through the cache: {answer.status}, Cache-Control: {answer.headers.get('cache-control')}")
    print(f"wrk: {args.connections} connections, {args.threads} threads, {seconds:.1f} s")
    print(
        f"requests: {report['requests']} ({report['requests'] / seconds:.0f}/s), non-2xx/3xx {report['status']}, "
        f"timeouts {report['timeout']}"
    )
    p50, p99, longest = (report[key] / 1000 for key in ("p50_us", "p99_us", "max_us"))
    print(f"latency: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {longest:.1f} ms")
    print(f"reached the instances: {arrived} ({arrived / seconds:.1f}/s, max-age {args.max_age} s)")


def reached(servers: list[Server], path: str) -> int:
    """GETs of `path` in the instances' logs (`manage.py serve` writes its access log with the rest)."""
    return sum(server.log_path.read_text(errors="replace").count(f'"GET {path} ') for server in servers)


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main()
