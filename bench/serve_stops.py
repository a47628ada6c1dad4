#!/usr/bin/env python3
"""Benchmark the stops document served three ways on this machine, and print the figures.

1. Kotoji's production server (`manage.py serve`: Granian WSGI, documents from memory),
   on a temporary instance folder whose SQLite database the command creates and seeds itself;
2. nginx serving the same bytes as a static file (gzip_static with a precompressed .gz, etag on):
   the practical limit of this box;
3. the naive way (bench/naive_app.py: Flask under the same Granian settings, reading the database,
   json.dumps and gzip on every request).

Each is loaded with wrk on 127.0.0.1 for plain, gzip and 304 (If-None-Match on the gzip ETag),
one server at a time, while the RSS of the server's whole process tree is sampled from /proc.
wrk and the servers share this machine's cores: the figures say so next to them.
Usage: .venv/bin/python bench/serve_stops.py [--duration 8s] [--connections 64] [--threads 2] [--rounds 1]
"""

import argparse
import contextlib
import gzip
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from probes import WRK_REPORT, BenchError, TreeSampler, get, machine_busy_seconds, response_size, run_wrk
from servers import NGINX, Server, bench_environment, free_port, nginx_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GOAL_RATIO = 0.3
GOAL_MEMORY_MB = 120


@dataclass
class Result:
    server: str
    scenario: str
    rps: float
    p50_ms: float
    p99_ms: float
    bytes_per_response: float
    errors: int
    server_cpu: float
    wrk_cpu: float
    rss_mb: float
    pss_mb: float
    extra: dict = field(default_factory=dict)


def main() -> int:
    """Run the three servers through the three scenarios and print the table."""
    args = parse_args()
    for tool in ("wrk", NGINX):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed (Debian packages wrk and nginx)")
    routes = Path(os.environ.get("KOTOJI_ROUTES_DIR") or PROJECT_ROOT / "routes")
    if not any(routes.glob("*/walk.json")):
        raise BenchError(f"{routes} holds no walk bundle (folders with a walk.json): nothing to serve")
    print_machine(args)
    with tempfile.TemporaryDirectory(prefix="kotoji-bench-") as tmp, contextlib.ExitStack() as servers:
        tmp = Path(tmp)
        lua = tmp / "report.lua"
        lua.write_text(WRK_REPORT)
        env = bench_environment(tmp)
        path = f"/api/walks/{args.walk}/stops"
        kotoji = servers.enter_context(
            Server(
                "kotoji",
                [PYTHON, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(free_port()), *worker_args(args)],
                env,
                tmp,
            )
        )
        kotoji.wait_ready(path, timeout=120)  # the command creates and seeds the database first
        reference = fetch_reference(kotoji.port, path)
        nginx = servers.enter_context(nginx_server(tmp, reference))
        naive = servers.enter_context(
            Server("naive", [PYTHON, "bench/naive_app.py", "--port", str(free_port()), *worker_args(args)], env, tmp)
        )
        for server in (nginx, naive):
            server.wait_ready(path, timeout=60)
        runs = []
        for server in (kotoji, nginx, naive):
            run_wrk(f"http://127.0.0.1:{server.port}{path}", {"Accept-Encoding": "gzip"}, args, lua, "2s")
        # Servers take turns scenario by scenario, so a change in the machine's other load hits all three.
        for _ in range(args.rounds):
            for scenario in SCENARIOS:
                for server in (kotoji, nginx, naive):
                    runs.append(measure(server, scenario, reference, args, lua))
    print_table(summarize(runs), reference, args)
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="8s", help="wrk -d per scenario (default 8s)")
    parser.add_argument("--connections", type=int, default=64, help="wrk -c (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument(
        "--workers",
        type=int,
        help="Granian workers for Kotoji and the naive app (default: what `manage.py serve` chooses)",
    )
    parser.add_argument("--walk", default="gent-kanazawa", help="the walk whose stops are served")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat every measurement; the table shows the median run (default 1)"
    )
    return parser.parse_args()


def worker_args(args) -> list[str]:
    return ["--workers", str(args.workers)] if args.workers else []


def fetch_reference(port: int, path: str) -> dict:
    """Return Kotoji's stops bytes (plain and gzip): what nginx will serve and the others must match."""
    plain = get(port, path)
    zipped = get(port, path, {"Accept-Encoding": "gzip"})
    if zipped.headers.get("content-encoding") != "gzip" or gzip.decompress(zipped.body) != plain.body:
        raise BenchError("Kotoji's gzip representation does not decompress to its plain one")
    return {"path": path, "plain": plain.body, "gzip": zipped.body, "data": json.loads(plain.body)}


SCENARIOS = ("plain", "gzip", "304")


def scenario_headers(server: Server, scenario: str, reference: dict) -> dict:
    """Return the request headers of a scenario, checking the server answers it correctly."""
    path = reference["path"]
    if scenario == "plain":
        reply = get(server.port, path)
        ok = reply.status == 200 and "content-encoding" not in reply.headers and same_document(reply.body, reference)
        headers = {}
    elif scenario == "gzip":
        headers = {"Accept-Encoding": "gzip"}
        reply = get(server.port, path, headers)
        ok = (
            reply.status == 200
            and reply.headers.get("content-encoding") == "gzip"
            and same_document(gzip.decompress(reply.body), reference)
        )
    else:
        etag = get(server.port, path, {"Accept-Encoding": "gzip"}).headers.get("etag", "")
        headers = {"Accept-Encoding": "gzip", "If-None-Match": etag}
        reply = get(server.port, path, headers)
        ok = bool(etag) and reply.status == 304 and not reply.body
    if not ok:
        raise BenchError(f"{server.name} answers the {scenario} request wrongly: {reply.status} {reply.headers}")
    return headers


def same_document(body: bytes, reference: dict) -> bool:
    return body == reference["plain"] or json.loads(body) == reference["data"]


def measure(server: Server, scenario: str, reference: dict, args, lua: Path) -> Result:
    """Run wrk once on one server and scenario while sampling the server's processes and the machine."""
    headers = scenario_headers(server, scenario, reference)
    expected_bytes = response_size(server.port, reference["path"], headers)
    sampler = TreeSampler(server.process.pid)
    busy_before = machine_busy_seconds()
    sampler.start()
    report, wrk_cpu = run_wrk(f"http://127.0.0.1:{server.port}{reference['path']}", headers, args, lua, args.duration)
    sampler.stop()
    seconds = report["duration_us"] / 1e6
    other = machine_busy_seconds() - busy_before - sampler.cpu_seconds - wrk_cpu
    per_response = report["bytes"] / max(report["requests"], 1)
    return Result(
        server=server.name,
        scenario=scenario,
        rps=report["requests"] / seconds,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        bytes_per_response=per_response,
        errors=sum(report[k] for k in ("connect", "read", "write", "status", "timeout")),
        server_cpu=sampler.cpu_seconds / seconds,
        wrk_cpu=wrk_cpu / seconds,
        rss_mb=sampler.peak_rss_kb / 1024,
        pss_mb=sampler.peak_pss_kb / 1024,
        extra={
            "processes": sampler.processes,
            "other_cpu": max(other, 0) / seconds,
            # Every response must be the one checked above: same size, headers included.
            "same_size": abs(per_response - expected_bytes) <= 0.02 * expected_bytes + 4,
        },
    )


def summarize(runs: list[Result]) -> list[Result]:
    """Return one result per server and scenario: the median run by req/s, with the peak memory of all."""
    summary = []
    for server in ("kotoji", "nginx", "naive"):
        for scenario in SCENARIOS:
            group = sorted((r for r in runs if r.server == server and r.scenario == scenario), key=lambda r: r.rps)
            median = group[(len(group) - 1) // 2]
            median.rss_mb = max(r.rss_mb for r in group)
            median.pss_mb = max(r.pss_mb for r in group)
            median.errors = sum(r.errors for r in group)
            median.extra["same_size"] = all(r.extra["same_size"] for r in group)
            median.extra["rps_range"] = (group[0].rps, group[-1].rps)
            summary.append(median)
    return summary


def print_machine(args) -> None:
    from importlib.metadata import version

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    nginx = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    print(f"Command: {shlex.join([Path(sys.executable).name, *sys.argv])}  (in {PROJECT_ROOT})")
    print(f"Machine: {os.cpu_count()} CPU(s), {model}; load average {os.getloadavg()[0]:.2f} before the run")
    print(
        f"Python {platform.python_version()}, Granian {version('granian')}, Flask {version('flask')}, "
        f"{nginx.removeprefix('nginx version: ')}, wrk {wrk_version()}"
    )
    print(
        f"Load: wrk -t{args.threads} -c{args.connections} -d{args.duration} --latency on 127.0.0.1, one server "
        f"at a time; wrk and the server share the same {os.cpu_count()} CPU(s)."
    )
    seconds = parse_seconds(args.duration) * 9 * args.rounds + 20
    print(f"Running (about {seconds // 60:.0f} min {seconds % 60:.0f} s)...", flush=True)


def wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (out.stdout + out.stderr).split()[1] if (out.stdout + out.stderr).split() else "?"


def parse_seconds(duration: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(duration[:-1]) * units[duration[-1]] if duration[-1] in units else float(duration)


def print_table(results: list[Result], reference: dict, args) -> None:
    nginx = {r.scenario: r.rps for r in results if r.server == "nginx"}
    print(
        f"\nDocument: {reference['path']} ({len(reference['plain'])} bytes, "
        f"{len(reference['gzip'])} gzipped); {args.rounds} round(s), median shown\n"
    )
    header = (
        f"{'server':<7} {'case':<5} {'req/s':>8} {'×nginx':>6} {'p50 ms':>7} {'p99 ms':>7} {'B/resp':>6} "
        f"{'check':>5} {'µs/req':>6} {'srv CPU':>7} {'wrk CPU':>7} {'other':>5} {'RSS MB':>6} {'PSS MB':>6} "
        f"{'procs':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = r.rps / nginx[r.scenario] if nginx.get(r.scenario) else float("nan")
        check = "ok" if r.extra["same_size"] and not r.errors else "BAD"
        print(
            f"{r.server:<7} {r.scenario:<5} {r.rps:>8.0f} {ratio:>6.2f} {r.p50_ms:>7.2f} {r.p99_ms:>7.2f} "
            f"{r.bytes_per_response:>6.0f} {check:>5} {r.server_cpu / r.rps * 1e6:>6.1f} "
            f"{r.server_cpu:>7.0%} {r.wrk_cpu:>7.0%} "
            f"{r.extra['other_cpu']:>5.0%} {r.rss_mb:>6.1f} {r.pss_mb:>6.1f} {r.extra['processes']:>5}"
        )
    if args.rounds > 1:
        print("\nreq/s range over the rounds:")
        for server in ("kotoji", "nginx", "naive"):
            print(
                f"  {server:<7}"
                + "; ".join(
                    f"{r.scenario} {r.extra['rps_range'][0]:.0f}–{r.extra['rps_range'][1]:.0f}"
                    for r in results
                    if r.server == server
                )
            )
    print(f"""
B/resp: bytes per response, headers included; check: no wrk error and every response the size of the
one verified before the run (right status, body equal to the published document).
µs/req: the server's CPU time per request, which other load disturbs far less than req/s.
CPU columns: share of one core during the run (the machine has {os.cpu_count()}, so {os.cpu_count()}00% is all
of it): the server's process tree, wrk, and everything else on the machine ("other": other load skews
every figure; rerun when it is high). wrk and the servers compete for the same cores, so nginx's figures
are partly wrk's limit.
RSS MB: peak sum of the RSS of the server's whole process tree under load (shared pages counted in
each process); PSS MB: the same with shared pages divided among the processes.""")
    kotoji = {r.scenario: r for r in results if r.server == "kotoji"}
    print("\nGoals (issue 2):")
    for scenario in ("gzip", "304"):
        ratio = kotoji[scenario].rps / nginx[scenario]
        print(f"  {scenario:<5} ≥ {GOAL_RATIO} × nginx: {ratio:.2f}  {'met' if ratio >= GOAL_RATIO else 'NOT met'}")
    cost = {r.scenario: r.server_cpu / r.rps for r in results if r.server == "nginx"}
    print(
        "  (CPU per request, Kotoji ÷ nginx, the same gap seen without the other load: "
        + ", ".join(f"{s} {kotoji[s].server_cpu / kotoji[s].rps / cost[s]:.1f}×" for s in SCENARIOS)
        + ")"
    )
    peak = max(r.rss_mb for r in kotoji.values())
    print(
        f"  memory < {GOAL_MEMORY_MB} MB for the pool: {peak:.1f} MB  {'met' if peak < GOAL_MEMORY_MB else 'NOT met'}"
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
