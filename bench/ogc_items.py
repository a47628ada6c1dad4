#!/usr/bin/env python3
"""Benchmark OGC API items: Kotoji against nginx serving the same bytes and pygeoapi on the same data.

1. Kotoji (`manage.py serve`, one Granian worker) on a fresh, seeded instance: one item, the first
   page (`limit=10`) and a bbox page, each plain and gzip, and a 304 revalidation;
2. nginx serving Kotoji's very bytes (plain and a precompressed .gz) as static files: the box's limit;
3. pygeoapi 0.21 (gunicorn, one worker, 4 threads, `server.gzip: true`, GeoJSON provider) serving the
   same features (Kotoji's flat OGC properties) from a file; it has no ETags, so no 304 case.
   It is installed once in its own virtualenv under bench/out/ (git-ignored), never in the app's.

Plus `bbox-varied`: a different random bbox on every request (a wrk Lua script), so Kotoji assembles
each answer instead of finding it among its recent answers; pygeoapi gets the same requests.
Servers take turns case by case; the table shows req/s, the ratio to nginx and to pygeoapi, and the
server's CPU time per request read from /proc (other load on the box disturbs that far less).
Usage: .venv/bin/python bench/ogc_items.py [--duration 5s] [--connections 32] [--rounds 1]
"""

import argparse
import contextlib
import gzip
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from probes import WRK_REPORT, BenchError, TreeSampler, get, run_wrk
from servers import NGINX, Server, bench_environment, free_port, nginx_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYGEOAPI_VENV = PROJECT_ROOT / "bench" / "out" / "pygeoapi-venv"
WALK = "gent-kanazawa"
BBOX = "3.70,51.03,3.73,51.06"
# case -> (Kotoji's URL, the static file nginx serves its bytes as, pygeoapi's URL)
CASES = {
    "item": (f"/ogc/collections/{WALK}/items/belfort", "/item.json", f"/collections/{WALK}/items/belfort"),
    "page": (f"/ogc/collections/{WALK}/items?limit=10", "/page.json", f"/collections/{WALK}/items?limit=10"),
    "bbox": (
        f"/ogc/collections/{WALK}/items?bbox={BBOX}&limit=10",
        "/bbox.json",
        f"/collections/{WALK}/items?bbox={BBOX}&limit=10",
    ),
}
VARIED_LUA = """
math.randomseed(17)
request = function()
  local w = 3.69 + math.random() * 0.03
  local s = 51.02 + math.random() * 0.03
  return wrk.format("GET", string.format("%s?bbox=%.5f,%.5f,%.5f,%.5f&limit=10", PATH, w, s, w + 0.02, s + 0.02))
end
"""
PYGEOAPI_CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  gzip: true
  languages: [en-US]
  pretty_print: false
  limits: {{default_items: 10, max_items: 1000}}
  map: {{url: 'http://127.0.0.1/{{z}}/{{x}}/{{y}}.png', attribution: 'OpenStreetMap contributors'}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: {{en: Kotoji}}, description: {{en: Kotoji}}, keywords: {{en: [walks]}},
                    keywords_type: theme, terms_of_service: 'https://example.org', url: 'https://example.org'}}
  license: {{name: CC-BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}}
  provider: {{name: Kotoji, url: 'https://example.org'}}
  contact: {{name: Kotoji, position: bench, address: bench, city: Gent, stateorprovince: OVL, postalcode: '9000',
            country: Belgium, phone: '+32', fax: '+32', email: bench@example.org, url: 'https://example.org',
            hours: always, instructions: none, role: pointOfContact}}
resources:
  {walk}:
    type: collection
    title: {{en: {walk}}}
    description: {{en: {walk}}}
    keywords: {{en: [walk]}}
    extents: {{spatial: {{bbox: [-180, -90, 180, 90], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}}}
    providers:
      - {{type: feature, name: GeoJSON, data: '{data}', id_field: id}}
"""


def main() -> int:
    args = parse_args()
    for tool in ("wrk", NGINX):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} is not installed (Debian packages wrk and nginx)")
    install_pygeoapi()
    print(f"Command: {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"Machine: {os.cpu_count()} CPU(s) shared by wrk and the servers; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} before the run"
    )
    print(
        f"Load: wrk -t2 -c{args.connections} -d{args.duration}, one server at a time, {args.rounds} round(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="kotoji-ogc-bench-") as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        (tmp / "report.lua").write_text(WRK_REPORT)
        (tmp / "varied.lua").write_text(VARIED_LUA + WRK_REPORT)
        kotoji = stack.enter_context(
            Server(
                "kotoji",
                [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(free_port())],
                bench_environment(tmp),
                tmp,
            )
        )
        kotoji.wait_ready(CASES["item"][0], timeout=120)
        reference = {case: fetch(kotoji.port, urls[0]) for case, urls in CASES.items()}
        nginx = stack.enter_context(nginx_with(tmp, reference))
        pygeoapi = stack.enter_context(pygeoapi_server(tmp, kotoji.port))
        nginx.wait_ready(CASES["item"][1], timeout=30)
        pygeoapi.wait_ready(CASES["item"][2], timeout=120)
        check_pygeoapi(pygeoapi.port)
        results = []
        for _ in range(args.rounds):
            for case in CASES:
                for encoding in ("plain", "gzip", "304"):
                    for server, column in ((kotoji, 0), (nginx, 1), (pygeoapi, 2)):
                        if encoding == "304" and server is pygeoapi:
                            continue
                        results.append(measure(server, case, encoding, CASES[case][column], reference, args, tmp))
            for encoding in ("plain", "gzip"):
                for server, path in (
                    (kotoji, f"/ogc/collections/{WALK}/items"),
                    (pygeoapi, f"/collections/{WALK}/items"),
                ):
                    results.append(measure(server, "bbox-varied", encoding, path, reference, args, tmp))
    print_table(results, args)
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="5s", help="wrk -d per case (default 5s)")
    parser.add_argument("--connections", type=int, default=32, help="wrk -c (default 32)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything; the median is shown")
    args = parser.parse_args()
    args.threads = 2
    return args


def install_pygeoapi() -> None:
    """Create bench/out/pygeoapi-venv with pygeoapi 0.21 and gunicorn the first time."""
    if (PYGEOAPI_VENV / "bin" / "gunicorn").exists():
        return
    print("Installing pygeoapi 0.21.0 into bench/out/pygeoapi-venv (once)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)
    subprocess.run([str(PYGEOAPI_VENV / "bin" / "pip"), "install", "-q", "pygeoapi==0.21.0", "gunicorn"], check=True)


def fetch(port: int, path: str) -> dict:
    plain, packed = get(port, path), get(port, path, {"Accept-Encoding": "gzip"})
    if plain.status != 200 or gzip.decompress(packed.body) != plain.body:
        raise BenchError(f"Kotoji answers {path} wrongly: {plain.status}")
    return {
        "plain": plain.body,
        "gzip": packed.body,
        "etag": packed.headers["etag"],
        "ids": ids_of(json.loads(plain.body)),
    }


def ids_of(document: dict) -> list[str]:
    return [f["id"] for f in document["features"]] if "features" in document else [document["id"]]


def nginx_with(tmp: Path, reference: dict) -> Server:
    """nginx serving each case's bytes (and a precompressed .gz) as a static file."""
    first = CASES["item"][1]
    server = nginx_server(tmp, {"path": first, "plain": reference["item"]["plain"], "gzip": reference["item"]["gzip"]})
    www = tmp / "nginx" / "www"
    for case, (_, static, _) in CASES.items():
        (www / static.lstrip("/")).write_bytes(reference[case]["plain"])
        (www / (static.lstrip("/") + ".gz")).write_bytes(reference[case]["gzip"])
    return server


def pygeoapi_server(tmp: Path, kotoji_port: int) -> Server:
    """pygeoapi over a GeoJSON file holding Kotoji's OGC features (flat properties, links dropped)."""
    page = json.loads(get(kotoji_port, f"/ogc/collections/{WALK}/items?limit=1000").body)
    for feature in page["features"]:
        feature.pop("links", None)
    folder = tmp / "pygeoapi"
    folder.mkdir()
    data = folder / "stops.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": page["features"]}, ensure_ascii=False))
    port = free_port()
    config = folder / "config.yml"
    config.write_text(PYGEOAPI_CONFIG.format(port=port, walk=WALK, data=data))
    openapi = folder / "openapi.yml"
    env = {
        "PATH": os.environ["PATH"],
        "PYGEOAPI_CONFIG": str(config),
        "PYGEOAPI_OPENAPI": str(openapi),
        "HOME": str(folder),
    }
    subprocess.run(
        [str(PYGEOAPI_VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
        env=env,
        check=True,
        capture_output=True,
    )
    return Server(
        "pygeoapi",
        [
            str(PYGEOAPI_VENV / "bin" / "gunicorn"),
            "-w",
            "1",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "pygeoapi.flask_app:APP",
        ],
        env,
        tmp,
        port=port,
    )


def check_pygeoapi(port: int) -> None:
    """pygeoapi must return the same features for each case (its own links and counts aside)."""
    for _, _, path in CASES.values():
        reply = get(port, path)
        if reply.status != 200:
            raise BenchError(f"pygeoapi answers {path} with {reply.status}: {reply.body[:300]!r}")


def request_headers(server: Server, case: str, encoding: str, reference: dict) -> dict:
    if encoding == "plain":
        return {}
    if encoding == "gzip":
        return {"Accept-Encoding": "gzip"}
    return {
        "Accept-Encoding": "gzip",
        "If-None-Match": reference[case]["etag"]
        if server.name == "kotoji"
        else get(server.port, CASES[case][1], {"Accept-Encoding": "gzip"}).headers["etag"],
    }


def verify(server: Server, case: str, encoding: str, path: str, headers: dict, reference: dict) -> None:
    """Check one answer before loading the server with it: status, encoding, the same features."""
    reply = get(server.port, path, headers)
    if encoding == "304":
        ok = reply.status == 304
    else:
        body = gzip.decompress(reply.body) if reply.headers.get("content-encoding") == "gzip" else reply.body
        ok = reply.status == 200 and (encoding == "plain") == ("content-encoding" not in reply.headers)
        if ok and case != "bbox-varied":
            ok = ids_of(json.loads(body)) == reference[case]["ids"]
            if server.name != "pygeoapi":
                ok = ok and body == reference[case]["plain"]
    if not ok:
        raise BenchError(f"{server.name} answers {case}/{encoding} ({path}) wrongly: {reply.status} {reply.headers}")


def measure(server: Server, case: str, encoding: str, path: str, reference: dict, args, tmp: Path) -> dict:
    headers = request_headers(server, case, encoding, reference)
    varied = case == "bbox-varied"
    verify(server, case, encoding, f"{path}?bbox=3.7,51.03,3.72,51.05&limit=10" if varied else path, headers, reference)
    lua = tmp / "varied.lua" if varied else tmp / "report.lua"
    if varied:
        lua.write_text(f'PATH = "{path}"\n' + VARIED_LUA + WRK_REPORT)
    sampler = TreeSampler(server.process.pid)
    sampler.start()
    report, _ = run_wrk(f"http://127.0.0.1:{server.port}{path}", headers, args, lua, args.duration)
    sampler.stop()
    seconds = report["duration_us"] / 1e6
    return {
        "server": server.name,
        "case": case,
        "encoding": encoding,
        "rps": report["requests"] / seconds,
        "cpu_us": sampler.cpu_seconds / max(report["requests"], 1) * 1e6,
        "bytes": report["bytes"] / max(report["requests"], 1),
        "p99_ms": report["p99_us"] / 1000,
        "errors": sum(report[k] for k in ("connect", "read", "write", "status", "timeout")),
        "rss_mb": sampler.peak_rss_kb / 1024,
        "load": os.getloadavg()[0],
    }


def median(results: list[dict], server: str, case: str, encoding: str) -> dict | None:
    group = sorted(
        (r for r in results if (r["server"], r["case"], r["encoding"]) == (server, case, encoding)),
        key=lambda r: r["rps"],
    )
    return group[(len(group) - 1) // 2] if group else None


def print_table(results: list[dict], args) -> None:
    print(f"\nload average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    header = (
        f"{'case':<11} {'enc':<5} {'server':<8} {'req/s':>8} {'×nginx':>7} {'×pygeoapi':>9} {'CPU µs/req':>10} "
        f"{'cpu÷nginx':>9} {'B/resp':>7} {'p99 ms':>7} {'err':>4} {'RSS MB':>7} {'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for case in [*CASES, "bbox-varied"]:
        for encoding in ("plain", "gzip", "304"):
            nginx = median(results, "nginx", case if case != "bbox-varied" else "bbox", encoding)
            peer = median(results, "pygeoapi", case, encoding)
            for server in ("kotoji", "nginx", "pygeoapi"):
                r = median(results, server, case, encoding)
                if r is None:
                    continue
                x_nginx = f"{r['rps'] / nginx['rps']:.2f}" if nginx else ""
                x_peer = f"{r['rps'] / peer['rps']:.1f}" if peer else ""
                cpu_ratio = f"{r['cpu_us'] / nginx['cpu_us']:.1f}" if nginx and nginx["cpu_us"] else ""
                print(
                    f"{case:<11} {encoding:<5} {server:<8} {r['rps']:>8.0f} {x_nginx:>7} {x_peer:>9} "
                    f"{r['cpu_us']:>10.1f} {cpu_ratio:>9} {r['bytes']:>7.0f} {r['p99_ms']:>7.2f} {r['errors']:>4} "
                    f"{r['rss_mb']:>7.1f} {r['load']:>5.1f}"
                )
    print("""
×nginx, ×pygeoapi: req/s ratio in the same run (bbox-varied against nginx's fixed bbox file).
CPU µs/req: the server's whole process tree, from /proc; cpu÷nginx: how many times nginx's CPU per request.
Goals (issue 17): item ≥ 0.3 × nginx; page and bbox ≥ 0.2 × nginx; ≥ 20 × pygeoapi for plain, gzip, bbox.""")
    for case, goal in (("item", 0.3), ("page", 0.2), ("bbox", 0.2)):
        for encoding in ("plain", "gzip", "304"):
            k, n = median(results, "kotoji", case, encoding), median(results, "nginx", case, encoding)
            print(
                f"  {case:<5} {encoding:<5} {k['rps'] / n['rps']:.2f} × nginx (goal {goal}): "
                f"{'met' if k['rps'] / n['rps'] >= goal else 'NOT met'}"
            )
    for case in [*CASES, "bbox-varied"]:
        for encoding in ("plain", "gzip"):
            k, p = median(results, "kotoji", case, encoding), median(results, "pygeoapi", case, encoding)
            print(
                f"  {case:<11} {encoding:<5} {k['rps'] / p['rps']:.1f} × pygeoapi (goal 20): "
                f"{'met' if k['rps'] / p['rps'] >= 20 else 'NOT met'}"
            )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
