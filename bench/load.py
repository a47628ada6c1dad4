#!/usr/bin/env python3
"""Load Kotoji with tourists (wrk) while editors save and publish; print latency, errors and memory.

    .venv/bin/python bench/load.py [--duration 60s] [--connections 200] [--editors 3] [--workers N]
                                   [--postgresql postgresql://postgres@127.0.0.1:5432]

Everything runs on 127.0.0.1 in a temporary folder (and, with --postgresql, a throwaway database),
all removed at the end. See bench/README.md for what the mix is and how to read the figures.
"""

import argparse
import collections
import contextlib
import html
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from load_editors import WALK, Editors, MemoryLog, percentile  # noqa: E402
from probes import WRK_REPORT, BenchError, get, machine_busy_seconds, run_wrk  # noqa: E402
from servers import PROJECT_ROOT, Server, bench_environment, free_port  # noqa: E402

from tests.resilience.instances import STAFF_PASSWORD, StaffClient  # noqa: E402

EDITOR = "load-editor@kotoji.test"
# Share of tourist requests per kind (the rest of a phone's visit is served from its cache).
MIX = {"walk data": 0.50, "offline manifest": 0.10, "tiles": 0.30, "media": 0.10}
# With --big-walk N: a synthetic walk of N stops whose OGC answers take a tenth of the walk data's share.
BIG_WALK = "groot"
BIG_MIX = {"walk data": 0.40, "offline manifest": 0.10, "tiles": 0.30, "media": 0.10, "big walk (OGC)": 0.10}
BIG_WALK_URLS = [
    f"/api/walks/{BIG_WALK}/path",
    f"/ogc/collections/{BIG_WALK}/items?limit=10",
    f"/ogc/collections/{BIG_WALK}/items/stop-00005",
    f"/ogc/collections/{BIG_WALK}/items?bbox=3.70,51.03,3.73,51.06&limit=10",
]
WALK_DATA = ["/api/walks", f"/api/walks/{WALK}", f"/api/walks/{WALK}/stops", f"/api/walks/{WALK}/path"]
OFFLINE = f"/api/walks/{WALK}/offline"
SLOTS = 2000  # size of the weighted request table each wrk thread draws from

LUA = """
local requests = {%s}
local prepared = {}
function setup(thread)
  thread:set("seed", math.random(1, 1000000000))
end
function init(args)
  math.randomseed(seed or os.time())
  for i, r in ipairs(requests) do prepared[i] = wrk.format("GET", r[1], r[2]) end
end
function request()
  return prepared[math.random(#prepared)]
end
-- Answers by status and by nginx's X-Cache-Status, per thread; done() sums them (wrk's summary has no statuses).
statuses, cache = {}, {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local hit = headers["X-Cache-Status"] or "-"
  cache[hit] = (cache[hit] or 0) + 1
end
"""
# Printed by done() before wrk's own report line: the per-thread counts summed, as JSON.
STATUS_REPORT = """
local threads = {}
local original_setup = setup
setup = function(thread)
  table.insert(threads, thread)
  original_setup(thread)
end
local original_done = done
done = function(summary, latency, requests)
  local total = {statuses = {}, cache = {}}
  for _, thread in ipairs(threads) do
    for name, counts in pairs(total) do
      for key, n in pairs(thread:get(name)) do counts[tostring(key)] = (counts[tostring(key)] or 0) + n end
    end
  end
  local parts = {}
  for name, counts in pairs(total) do
    local items = {}
    for key, n in pairs(counts) do table.insert(items, string.format('"%s":%d', key, n)) end
    table.insert(parts, string.format('"%s":{%s}', name, table.concat(items, ",")))
  end
  io.write("KOTOJI_STATUSES {" .. table.concat(parts, ",") .. "}\\n")
  original_done(summary, latency, requests)
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="60s", help="wrk duration, e.g. 60s, 5m [60s]")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--workers", type=int, help="Granian workers (manage.py serve's default if not given)")
    parser.add_argument("--editors", type=int, default=3, help="editor threads, one stop each [3]")
    parser.add_argument("--editor-pause", type=float, default=0.25, help="seconds between one editor's saves")
    parser.add_argument("--sample-seconds", type=float, default=10, help="memory sampling interval [10]")
    parser.add_argument(
        "--only",
        choices=sorted(MIX),
        action="append",
        help="load only this kind of tourist request (repeatable), to see what each costs",
    )
    parser.add_argument(
        "--big-walk",
        type=int,
        metavar="STOPS",
        help=f"also publish a synthetic walk '{BIG_WALK}' of STOPS stops and load its OGC items",
    )
    parser.add_argument(
        "--through-cache",
        action="store_true",
        help="two instances behind nginx proxy_cache (docs/operations.md); wrk loads the cache",
    )
    parser.add_argument(
        "--postgresql",
        metavar="SERVER_URL",
        help="run on a throwaway database on this PostgreSQL server instead of SQLite",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kotoji-load-"))
    database = None
    try:
        env = bench_environment(work)
        # Plain http on 127.0.0.1: the session cookie must flow without TLS. Production's publication check.
        env.update(KOTOJI_INSECURE_COOKIES="1", KOTOJI_PUBLICATION_CHECK_SECONDS="1")
        if args.through_cache:
            from tests.resilience.instances import CachingNginx

            # The cache passes the site's Host on (docs/operations.md); without the site as the public URL the
            # instances refuse that Host (400) wherever they build links, so every OGC answer failed, uncached.
            env["KOTOJI_PUBLIC_URL"] = f"http://{CachingNginx.SITE}"
        if args.postgresql:
            database = f"kotoji_load_{uuid.uuid4().hex[:10]}"
            _postgres(args.postgresql, f"CREATE DATABASE {database}")
            env["DATABASE_URL"] = args.postgresql.rstrip("/") + "/" + database
        run(args, work, env)
    except BenchError as exc:
        sys.exit(f"bench/load.py: {exc}")
    finally:
        if database:
            _postgres(args.postgresql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def _postgres(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800
    )  # seeding 10,000 stops on a busy box
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def prepare_database(env: dict, work: Path, big_walk: int | None = None) -> str:
    """Migrate, seed, create the editor and install the synthetic basemap; return what was installed."""
    from tests.basemap_planet import make_planet

    manage(env, "upgrade")
    if big_walk:
        from synthetic_walk import write_bundle

        routes = work / "routes"
        shutil.copytree(PROJECT_ROOT / "routes", routes)
        write_bundle(big_walk, routes, slug=BIG_WALK)
        manage(env, "seed", str(routes))
    else:
        manage(env, "seed")
    manage(env, "create-user", "--email", EDITOR, "--role", "editor", "--password", STAFF_PASSWORD)
    land = make_planet(work / "planet.pmtiles", minzoom=12, maxzoom=15)
    installed = manage(env, "basemap", "install", str(work / "planet.pmtiles"))
    return f"synthetic planet, {len(land)} land tiles z12-15 (tests/basemap_planet.py): {installed}"


def add_photo(base_url: str) -> tuple[str, list[str]]:
    """Upload a real JPEG through the editor API, put it on the first stop, publish; return its URL and the stops."""
    from PIL import Image, ImageDraw

    staff = StaffClient(base_url)
    if staff.login(EDITOR) != 303:
        raise BenchError("the editor could not sign in")
    status, _, walk = staff.get_json(f"/editor/api/walks/{WALK}")
    if status != 200:
        raise BenchError(f"GET /editor/api/walks/{WALK}: {status}")
    stops = [s["slug"] for s in walk["stops"] if s["status"] == "published"]
    picture = Image.new("RGB", (1280, 853), (90, 120, 160))
    draw, rng = ImageDraw.Draw(picture), random.Random(7)
    for _ in range(400):  # shapes and noise so the JPEG weighs what a photo does, not a flat colour
        x, y = rng.randrange(1280), rng.randrange(853)
        draw.ellipse(
            (x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 160)),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    status, _, uploaded = staff.upload("/editor/api/media", "belfort-load.jpg", buffer.getvalue())
    if status != 201:
        raise BenchError(f"upload: {status} {uploaded}")
    url = f"/editor/api/walks/{WALK}/stops/{stops[0]}"
    status, headers, data = staff.get_json(url)
    images = data["stop"].get("images") or []
    images.append(
        {
            "media": uploaded["media"],
            "alt": {
                "nl": "Een foto voor de belastingtest",
                "en": "A photograph for the load run",
                "ja": "負荷試験用の写真",
            },
            "credit": "Kotoji bench",
        }
    )
    status, _, reply = staff.put_json(url, {"images": images}, headers["ETag"])
    if status != 200:
        raise BenchError(f"adding the photo to {stops[0]}: {status} {reply}")
    status, _, page = staff.post_form(f"/editor/walks/{WALK}/publish")
    if status != 303:
        problems = re.findall(r"<li[^>]*>([^<]+)</li>", page.decode(errors="replace"))
        raise BenchError(f"publish: {status} {[html.unescape(p) for p in problems[:8]]}")
    return uploaded["url"], stops


def tourist_requests(
    port: int, media_url: str, only: list | None, big_walk: bool = False
) -> tuple[list[tuple[str, dict]], dict, dict]:
    """Return the weighted table of (path, headers) wrk draws from, after checking each answers right;
    with a description of each kind of request and the kind of each path."""
    deadline = time.monotonic() + 10  # the publication reaches the worker within the check interval
    while True:
        manifest = json.loads(get(port, OFFLINE).body)
        urls = [entry["url"] for entry in manifest["urls"]]
        if media_url in urls or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if media_url not in urls:
        raise BenchError(f"{media_url} never appeared in {OFFLINE}")
    time.sleep(2)  # with several workers, let every one pass its 1 s publication check before the ETags are read
    tiles = [u for u in urls if u.startswith("/tiles/")]
    media = [u for u in urls if u.startswith("/media/")]
    kinds = {"walk data": WALK_DATA, "offline manifest": [OFFLINE], "tiles": tiles, "media": media}
    mix = MIX
    if big_walk:
        kinds["big walk (OGC)"], mix = BIG_WALK_URLS, BIG_MIX
    table, counts, kind_of = [], {}, {}
    for kind, paths in kinds.items():
        if only and kind not in only:
            continue
        kind_of.update((path, kind) for path in paths)
        variants = [variant for path in paths for variant in _variants(port, path)]
        counts[kind] = f"{len(paths)} URLs, {len(variants)} variants"
        share = round(SLOTS * mix[kind])
        table += [variants[n % len(variants)] for n in range(share)]
    return table, counts, kind_of


def _variants(port: int, path: str) -> list[tuple[str, dict]]:
    """Plain, gzip and a revalidation with the gzip reply's ETag; fail unless each answers 200/304."""
    plain = get(port, path)
    gzipped = get(port, path, {"Accept-Encoding": "gzip"})
    if plain.status != 200 or gzipped.status != 200 or "etag" not in gzipped.headers:
        raise BenchError(f"{path}: {plain.status}/{gzipped.status}, ETag {gzipped.headers.get('etag')}")
    revalidate = {"Accept-Encoding": "gzip", "If-None-Match": gzipped.headers["etag"]}
    if get(port, path, revalidate).status != 304:
        raise BenchError(f"{path}: no 304 for its own ETag")
    return [(path, {}), (path, {"Accept-Encoding": "gzip"}), (path, revalidate)]


def write_lua(path: Path, table: list[tuple[str, dict]]) -> None:
    def lua_string(text: str) -> str:
        return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal

    def lua_row(url_path: str, headers: dict) -> str:
        pairs = ",".join(f"[{lua_string(k)}]={lua_string(v)}" for k, v in headers.items())
        return f"{{{lua_string(url_path)},{{{pairs}}}}}"

    rows = ",".join(lua_row(p, h) for p, h in table)
    path.write_text(LUA % rows + WRK_REPORT + STATUS_REPORT)


def run(args, work: Path, env: dict):
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} at start"
    )
    print(f"server: manage.py serve, {args.workers or 'default'} worker(s)")
    print(f"database: {'PostgreSQL (throwaway database)' if args.postgresql else 'SQLite (temporary file)'}")
    started = time.monotonic()
    print("basemap: " + prepare_database(env, work, args.big_walk))
    if args.big_walk:
        print(
            f"big walk: '{BIG_WALK}', {args.big_walk} synthetic stops (bench/synthetic_walk.py); "
            f"seeded and published in {time.monotonic() - started:.0f} s with the rest"
        )
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    serve = [sys.executable, "manage.py", "serve", "--port", str(port)]
    serve += ["--workers", str(args.workers)] if args.workers else []
    with Server("kotoji", serve, env, work) as server, contextlib.ExitStack() as cache_stack:
        server.wait_ready("/api/walks", 300)
        media_url, stops = add_photo(base_url)
        table, counts, kind_of = tourist_requests(port, media_url, args.only, bool(args.big_walk))
        mix = BIG_MIX if args.big_walk else MIX
        print(f"photo: {media_url} on stop {stops[0]}, in the offline manifest")
        print(
            "tourist mix: "
            + "; ".join(f"{kind} {mix[kind]:.0%} ({counts[kind]})" for kind in counts)
            + "; each as plain, gzip and If-None-Match (304)"
        )
        lua = work / "mix.lua"
        write_lua(lua, table)
        target, wrk_headers, answers_log = base_url, {}, None
        if args.through_cache:  # a second instance on the same database, nginx proxy_cache in front of both
            from tests.resilience.instances import CachingNginx

            second_port = free_port()
            (work / "instance-2").mkdir(exist_ok=True)
            second = cache_stack.enter_context(
                Server(
                    "kotoji-2",
                    [*serve[:3], "--port", str(second_port), *serve[5:]],
                    {**env, "KOTOJI_INSTANCE_PATH": str(work / "instance-2")},
                    work,
                )
            )
            second.wait_ready("/api/walks", 300)
            cache = CachingNginx(work / "nginx", [base_url, f"http://127.0.0.1:{second_port}"])
            cache_stack.callback(cache.stop)
            answers_log = log_answers(cache, work / "nginx")
            target, wrk_headers = cache.url, {"Host": CachingNginx.SITE}
            print("through: nginx proxy_cache (docs/operations.md) in front of two instances")
        run_wrk(
            target + "/", wrk_headers, argparse.Namespace(threads=args.threads, connections=args.connections), lua, "3s"
        )  # warm-up: first tile reads, caches
        memory = MemoryLog(server.process.pid, args.sample_seconds)

        sign_ins: list[int] = []  # appended from the editors' threads: list.append is atomic

        def signed_in_editor():
            staff = StaffClient(base_url)
            for _attempt in range(4):
                status = staff.login(EDITOR)
                sign_ins.append(status)
                if status != 503:
                    break
                # Every password check slot busy (argon2 under load): the app says try again in 5 s (Retry-After).
                time.sleep(5)
            if status != 303:
                raise BenchError(f"sign-in refused with {status}")
            return staff

        editors = Editors(signed_in_editor, stops[1:] or stops, args.editors, args.editor_pause, max_saves=100_000)
        log_offset = answers_log.stat().st_size if answers_log else 0  # the warm-up's answers are before
        busy_before, started = machine_busy_seconds(), time.monotonic()
        memory.start()
        editors.start()
        try:
            report, wrk_cpu = run_wrk(target + "/", wrk_headers, args, lua, args.duration)
        finally:
            editors.stop()
            memory.stop()
        elapsed = time.monotonic() - started
        busy = machine_busy_seconds() - busy_before
        check = verify_saves(base_url, editors.figures.last_saved)
        if answers_log:
            report["by kind"], report["failed"] = answers_by_kind(answers_log, log_offset, kind_of)
            report["nginx errors"] = nginx_errors(work / "nginx" / "error.log")
        print_figures(args, report, editors.figures, sign_ins, memory, elapsed, busy, wrk_cpu, check)
        print(
            f"server log tail:\n{server.log_tail()}"
            if server.process.poll() is not None
            else "server: still up at the end"
        )


def log_answers(cache, folder: Path) -> Path:
    """Make the running cache log each answer's status and URL (wrk sees statuses, not which URL had which)."""
    log, conf = folder / "answers.log", folder / "nginx.conf"
    line = f"log_format kotoji_answers '$status $upstream_cache_status $request_uri'; access_log {log} kotoji_answers;"
    conf.write_text(conf.read_text().replace("access_log off;", line, 1))  # unbuffered: complete when wrk ends
    os.kill(int((folder / "nginx.pid").read_text()), signal.SIGHUP)  # nginx rereads its configuration
    deadline = time.monotonic() + 30
    while not (log.exists() and log.stat().st_size):  # the new workers answer
        if time.monotonic() > deadline:
            raise BenchError(f"nginx did not reload with an access log: {(folder / 'error.log').read_text()[-2000:]}")
        cache.get("/api/walks")
        time.sleep(0.1)
    return log


def answers_by_kind(log: Path, offset: int, kind_of: dict) -> tuple[dict, dict]:
    """Count the logged answers from `offset` on by kind of URL and status ({kind: {status: n}}), and the
    failed ones (not 2xx/3xx) by status and URL ({"status URL": n})."""
    counts: dict = {}
    failed: dict = {}
    with log.open("rb") as lines:
        lines.seek(offset)
        for line in lines:
            status, _, url = line.decode(errors="replace").rstrip("\n").split(" ", 2)
            kind = counts.setdefault(kind_of.get(url, "other"), {})
            kind[status] = kind.get(status, 0) + 1
            if not status.startswith(("2", "3")):
                failed[f"{status} {url}"] = failed.get(f"{status} {url}", 0) + 1
    return counts, failed


def nginx_errors(log: Path) -> dict:
    """Count nginx's error log lines by message, without the per-request details."""
    counts: dict = {}
    for line in log.read_text(errors="replace").splitlines():
        message = re.sub(r"^\S+ \S+ \[(\w+)\] \d+#\d+: (\*\d+ )?", r"\1: ", line).split(", client:")[0]
        message = re.sub(r"\d+", "N", message)
        counts[message] = counts.get(message, 0) + 1
    return counts


def verify_saves(base_url: str, last_saved: dict) -> str:
    """Check every editor's last acknowledged save is what the database holds now."""
    staff = StaffClient(base_url)
    staff.login(EDITOR)
    missing = [
        stop
        for stop, text in last_saved.items()
        if staff.get_json(f"/editor/api/walks/{WALK}/stops/{stop}")[2]["stop"]["summary"].get("en") != text
    ]
    return f"{len(last_saved) - len(missing)}/{len(last_saved)} stops hold their last acknowledged save" + (
        f" (MISSING: {', '.join(missing)})" if missing else ""
    )


def print_figures(args, report, editors, sign_ins, memory, elapsed, busy, wrk_cpu, check):
    seconds = report["duration_us"] / 1e6
    socket_errors = report["connect"] + report["read"] + report["write"] + report["timeout"]
    print(f"\ntourists (wrk -t{args.threads} -c{args.connections} -d{args.duration}):")
    print(
        f"  {report['requests']} requests in {seconds:.1f} s = {report['requests'] / seconds:,.0f} req/s, "
        f"{report['bytes'] / seconds / 1e6:.1f} MB/s"
    )
    print(
        f"  latency p50 {report['p50_us'] / 1000:.2f} ms, p99 {report['p99_us'] / 1000:.2f} ms, "
        f"max {report['max_us'] / 1000:.1f} ms"
    )
    print(
        f"  errors: {report['status']} non-2xx/3xx, {socket_errors} socket errors (connect {report['connect']}, "
        f"read {report['read']}, write {report['write']}, timeout {report['timeout']})"
    )
    print("  answers by status: " + _counts(report.get("statuses", {})))
    if args.through_cache:
        print("  answers by X-Cache-Status: " + _counts(report.get("cache", {})))
        print("  answers by kind of URL and status (nginx's access log):")
        for kind, counts in sorted(report["by kind"].items()):
            print(f"    {kind}: {_counts(counts)}")
        for answer, n in sorted(report["failed"].items(), key=lambda item: -item[1])[:8]:
            print(f"    failed: {n:,} × {answer}")
        print("  nginx error log: " + (_counts(report["nginx errors"]) if report["nginx errors"] else "empty"))
    print(f"\neditors ({args.editors} threads, {args.editor_pause:g} s between one editor's saves):")
    print(
        f"  {editors.saves} acknowledged saves ({editors.saves / elapsed:.1f}/s), {editors.stale} × 412, "
        f"{len(editors.errors)} errors; save p50 {percentile(editors.save_ms, 50):.1f} ms, "
        f"p99 {percentile(editors.save_ms, 99):.1f} ms"
    )
    print(
        f"  {editors.publishes} publications, p50 {percentile(editors.publish_ms, 50):.1f} ms, "
        f"p99 {percentile(editors.publish_ms, 99):.1f} ms, max {max(editors.publish_ms, default=float('nan')):.1f} ms"
    )
    busy_note = "503: every password check slot busy, tried again after 5 s"
    print(f"  sign-ins by status ({busy_note}): {_counts(collections.Counter(sign_ins))}")
    for error in editors.errors[:5]:
        print(f"  error: {error}")
    print(f"  after the run: {check}")
    print(f"\nmemory: RSS per process of the server tree, MB, every {args.sample_seconds:g} s")
    print(memory.table())
    load = os.getloadavg()
    print(
        f"\nCPU over the run: whole machine {100 * busy / elapsed:.0f} % of one core "
        f"(wrk {100 * wrk_cpu / elapsed:.0f} %); load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def _counts(counts: dict) -> str:
    return ", ".join(f"{key} × {n:,}" for key, n in sorted(counts.items(), key=lambda item: -item[1])) or "none"


if __name__ == "__main__":
    main()
