#!/usr/bin/env python3
"""Does the cost stay flat as a walk grows? Synthetic walks of 10, 1,000 and 10,000 stops, measured.

For each size, in a temporary folder: a bundle from bench/synthetic_walk.py, `manage.py upgrade` and
`seed`, then one more publication of the walk timed in its own process (time and peak memory), then
`manage.py serve` (one Granian worker) loaded with wrk for one item, the first page, a fixed bbox page
and a different random bbox on every request. Printed per size: the server's CPU time per request
(from /proc, which other load disturbs far less than req/s), the worker's memory, the first OGC
request after start (the walk's features are prepared then), and the ratio 10,000 ÷ 10. The collections
documents (assembled per request) are loaded with wrk too, their first request after start is timed,
and `ogc_collections_once.py` measures each one's CPU and Python allocations, first and repeated.
Usage: .venv/bin/python bench/ogc_scale.py [--sizes 10,1000,10000] [--duration 5s] [--connections 32]
       [--cases collections,collection] [--project DIR] (another checkout, e.g. an export of main)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ogc_items import VARIED_LUA
from probes import WRK_REPORT, BenchError, TreeSampler, get, process_tree, read_kb, run_wrk
from publish_once import parse
from servers import Server, bench_environment, free_port
from synthetic_walk import write_bundle

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WALK = "gent-kanazawa"
ITEMS = f"/ogc/collections/{WALK}/items"
CASES = {
    "item": f"{ITEMS}/stop-00007",
    "page": f"{ITEMS}?limit=10&offset=5",
    "bbox": f"{ITEMS}?bbox=3.70,51.03,3.73,51.06&limit=10",
    "bbox-varied": ITEMS,
    "collections": "/ogc/collections?f=json",
    "collection": f"/ogc/collections/{WALK}?f=json",
}
FLAT_CASES = ("item", "page", "bbox", "bbox-varied", "collections", "collection")  # goal: within 2 × at any size
PUBLISH_ONCE = Path(__file__).resolve().parent / "publish_once.py"
COLLECTIONS_ONCE = Path(__file__).resolve().parent / "ogc_collections_once.py"


def main() -> int:
    args = parse_args()
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"Machine: {os.cpu_count()} CPU(s) shared by wrk and the server; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} before the run",
        flush=True,
    )
    rows = {size: measure_size(size, args) for size in args.sizes}
    print_table(rows, args)
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000", type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cases", default=",".join(CASES), type=lambda text: text.split(","))
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT)
    args = parser.parse_args()
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {', '.join(sorted(unknown))}; known: {', '.join(CASES)}")
    args.threads = 2
    return args


def run_child(command: list[str], env: dict, cwd: Path) -> tuple[str, float, float]:
    """Run a command; return its output, wall seconds and peak RSS in MB (from wait4: this process's
    peak carried over exec, so an upper bound; publishing reports its own, bench/publish_once.py)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchError(f"{command} failed:\n{output[-2000:]}")
    return output, time.perf_counter() - started, usage.ru_maxrss / 1024


def measure_size(size: int, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"kotoji-scale-{size}-") as tmp:
        tmp = Path(tmp)
        routes = write_bundle(size, tmp / "routes")
        env = {**bench_environment(tmp), "KOTOJI_ROUTES_DIR": str(routes)}
        manage = [sys.executable, "manage.py"]
        run_child([*manage, "upgrade"], env, args.project)
        _, seed_seconds, seed_mb = run_child([*manage, "seed"], env, args.project)
        output, _, _ = run_child([sys.executable, str(PUBLISH_ONCE), WALK], env, args.project)
        publish = parse(output)  # its own VmHWM: wait4's ru_maxrss would carry this process's peak over exec
        row = {
            "seed_s": seed_seconds,
            "seed_mb": seed_mb,
            "publish_s": publish["wall_s"],
            "publish_mb": publish["peak_mb"],
            "publish_growth_mb": publish["peak_mb"] - publish["rss_built_mb"],
        }
        output, _, _ = run_child([sys.executable, str(COLLECTIONS_ONCE), WALK], env, args.project)
        row["collections_once"] = json.loads(output.splitlines()[-1])
        lua = tmp / "report.lua"
        lua.write_text(WRK_REPORT)
        with Server(
            "kotoji", [*manage, "serve", "--host", "127.0.0.1", "--port", str(free_port())], env, tmp, cwd=args.project
        ) as server:
            server.wait_ready("/api/walks", timeout=300)
            row["start_mb"] = worker_rss(server)
            started = time.perf_counter()
            if get(server.port, CASES["item"]).status != 200:
                raise BenchError("the first item did not answer 200")
            row["first_ms"] = (time.perf_counter() - started) * 1000
            row["ready_mb"] = worker_rss(server)
            started = time.perf_counter()  # the first after start reads what it needs of the walk
            if get(server.port, CASES["collections"]).status != 200:
                raise BenchError("the first collections request did not answer 200")
            row["first_collections_ms"] = (time.perf_counter() - started) * 1000
            row["collections_mb"] = worker_rss(server)
            peak = 0.0
            for case in args.cases:
                path = CASES[case]
                for encoding in ("plain", "gzip"):
                    headers = {"Accept-Encoding": "gzip"} if encoding == "gzip" else {}
                    script = lua
                    if case == "bbox-varied":
                        script = tmp / "varied.lua"
                        script.write_text(f'PATH = "{path}"\n' + VARIED_LUA + WRK_REPORT)
                    elif get(server.port, path, headers).status != 200:
                        raise BenchError(f"{path} did not answer 200")
                    sampler = TreeSampler(server.process.pid)
                    sampler.start()
                    report, _ = run_wrk(f"http://127.0.0.1:{server.port}{path}", headers, args, script, args.duration)
                    sampler.stop()
                    errors = sum(report[k] for k in ("connect", "read", "write", "status", "timeout"))
                    row[(case, encoding)] = {
                        "cpu_us": sampler.cpu_seconds / max(report["requests"], 1) * 1e6,
                        "rps": report["requests"] / (report["duration_us"] / 1e6),
                        "errors": errors,
                        "load": os.getloadavg()[0],
                    }
                    peak = max(peak, worker_rss(server))
            row["peak_mb"] = peak
            row["end_mb"] = worker_rss(server)
    print(f"  {size} stops done (load average {os.getloadavg()[0]:.2f})", flush=True)
    return row


def worker_rss(server: Server) -> float:
    """Return the RSS in MB of the Granian worker (the server's processes other than the main one)."""
    pids = process_tree(server.process.pid)[1:]
    return sum(read_kb(f"/proc/{pid}/status", "VmRSS:") for pid in pids) / 1024


def print_table(rows: dict, args) -> None:
    sizes = list(rows)
    print(f"\nload average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"wrk -t2 -c{args.connections} -d{args.duration} per case; CPU µs per request of the server's process tree\n")
    print(f"{'':<28}" + "".join(f"{size:>12,}" for size in sizes) + f"{'last÷first':>12}")

    def line(label, values, ratio=True, fmt="{:>12.1f}"):
        text = f"{label:<28}" + "".join(fmt.format(v) for v in values)
        if ratio and values[0]:
            text += f"{values[-1] / values[0]:>12.2f}"
        print(text)

    for case in args.cases:
        for encoding in ("plain", "gzip"):
            line(f"{case} {encoding} µs/req", [rows[s][(case, encoding)]["cpu_us"] for s in sizes])
            line(f"{case} {encoding} req/s", [rows[s][(case, encoding)]["rps"] for s in sizes], fmt="{:>12.0f}")
    line(
        "errors",
        [sum(v["errors"] for k, v in rows[s].items() if isinstance(k, tuple)) for s in sizes],
        ratio=False,
        fmt="{:>12d}",
    )
    line("first item after start, ms", [rows[s]["first_ms"] for s in sizes])
    line("first collections after, ms", [rows[s]["first_collections_ms"] for s in sizes])
    for key, label in (
        ("start_mb", "worker RSS at start, MB"),
        ("ready_mb", "worker RSS after 1st item"),
        ("collections_mb", "worker RSS after 1st coll."),
        ("peak_mb", "worker RSS peak, MB"),
        ("end_mb", "worker RSS at end, MB"),
        ("seed_s", "seed (check+insert+publish) s"),
        ("seed_mb", "seed peak RSS, MB"),
        ("publish_s", "publish again, s"),
        ("publish_mb", "publish process peak RSS, MB"),
        ("publish_growth_mb", "publish growth over built, MB"),
    ):
        line(label, [rows[s][key] for s in sizes])
    print_collections_once(rows)
    print(
        f"\nGoals (issue 17): at {sizes[-1]:,} stops CPU per request within 2 × of {sizes[0]:,} stops "
        "(item, page, bbox); worker < 160 MB; publishing < 20 s with memory bounded."
    )
    for case in [case for case in args.cases if case in FLAT_CASES]:
        for encoding in ("plain", "gzip"):
            ratio = rows[sizes[-1]][(case, encoding)]["cpu_us"] / rows[sizes[0]][(case, encoding)]["cpu_us"]
            print(f"  {case:<11} {encoding:<5} {ratio:5.2f} ×  {'met' if ratio <= 2 else 'NOT met'}")
    peak = rows[sizes[-1]]["peak_mb"]
    print(f"  worker peak {peak:.0f} MB  {'met' if peak < 160 else 'NOT met'}")
    publish = rows[sizes[-1]]["publish_s"]
    publish_mb = rows[sizes[-1]]["publish_growth_mb"]
    print(f"  publish {publish:.1f} s, growth {publish_mb:.0f} MB  {'met' if publish < 20 else 'NOT met'}")


def print_collections_once(rows: dict) -> None:
    """Print what ogc_collections_once.py measured: CPU and Python allocations per collections request."""
    sizes = list(rows)
    print(f"\n{'in one process (test client)':<61}" + "".join(f"{size:>12,}" for size in sizes) + f"{'last÷first':>12}")
    for url in rows[sizes[0]]["collections_once"]:
        for key, label, scale in (
            ("first_us", "1st request CPU µs", 1),
            ("first_peak", "1st request peak KB", 1 / 1024),
            ("first_kept", "1st request kept KB", 1 / 1024),
            ("repeat_us", "repeated CPU µs", 1),
            ("repeat_peak", "repeated peak KB", 1 / 1024),
        ):
            values = [rows[s]["collections_once"][url][key] * scale for s in sizes]
            ratio = f"{values[-1] / values[0]:>12.2f}" if values[0] else ""
            print(f"{url:<39}{label:<22}" + "".join(f"{v:>12.1f}" for v in values) + ratio)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
