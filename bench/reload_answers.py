#!/usr/bin/env python3
"""Do a worker's requests wait while one of its threads reloads a changed 10,000-stop walk?

For each backend, in a temporary folder: the big synthetic walk seeded and published (as
bench/reload_memory.py does). A process of its own (this script with --child, the project to measure
as its working directory) builds the app (publication checked on every request) and loads the
documents; one stop of the big walk is changed and the walk published once more by another process;
then one thread reloads (`PublishedDocuments.refresh()`, its changed documents streamed in) while
another keeps asking the app, through its WSGI layers, for /api/walks. Printed: the reload's wall
seconds, how many requests the other thread made meanwhile, and how long they waited for their answers
(median, longest).
Usage: .venv/bin/python bench/reload_answers.py [--stops 10000] [--postgresql postgresql://postgres@127.0.0.1:5432]
       [--backends sqlite,postgresql] [--project DIR] (another checkout, e.g. an export of main, for "before")
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_once import child_figures, reload_bench_arguments  # noqa: E402
from servers import bench_environment  # noqa: E402
from synthetic_walk import write_bundle  # noqa: E402

BIG_WALK = "gent-kanazawa"
BENCH = Path(__file__).resolve().parent
FIGURES = ("reload_s", "answered", "p50_ms", "longest_ms")


def child() -> None:
    sys.path.insert(0, os.getcwd())
    from sqlalchemy import text

    from server import create_app

    app = create_app()  # KOTOJI_PUBLICATION_CHECK_SECONDS=0: every request checks, as a due check does
    documents = app.extensions["published_documents"]
    documents.refresh()
    with app.extensions["db"].session() as session:  # one stop changed: the walk's big documents change
        changed = (
            "UPDATE stops SET address = :address"
            " WHERE position = 1 AND walk_id = (SELECT id FROM walks WHERE slug = :slug)"
        )
        session.execute(text(changed), {"address": f"Changed {time.time()}", "slug": BIG_WALK})
        session.commit()
    subprocess.run([sys.executable, str(BENCH / "publish_once.py"), BIG_WALK], check=True, capture_output=True)
    client = app.test_client()
    waits: list[float] = []
    reloaded = threading.Event()

    def reload() -> None:
        documents.refresh()
        reloaded.set()

    started = time.perf_counter()
    reloading = threading.Thread(target=reload)
    reloading.start()
    while not reloaded.is_set():  # each request asked while the reload runs (its answer may come after)
        asked = time.perf_counter()
        assert client.get("/api/walks").status_code == 200
        waits.append(time.perf_counter() - asked)
        time.sleep(0.001)  # give the reload thread the GIL between requests
    reload_s = time.perf_counter() - started
    reloading.join()
    waits.sort()
    median = waits[len(waits) // 2] * 1000 if waits else float("nan")
    print(reload_s, len(waits), median, (waits[-1] * 1000 if waits else float("nan")))


def measure(backend: str, args) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"kotoji-reload-answers-{args.stops}-") as folder:
        tmp = Path(folder)
        env = {
            **bench_environment(tmp),
            "KOTOJI_ROUTES_DIR": str(write_bundle(args.stops, tmp / "routes")),
            "KOTOJI_PUBLICATION_CHECK_SECONDS": "0",
        }
        return child_figures(__file__, BIG_WALK, env, args, backend, FIGURES)


def main() -> None:
    args = reload_bench_arguments(__doc__.splitlines()[0], BENCH.parent)
    if args.child:
        child()
        return
    print(f"\n{'backend':<11}{'stops':>7}{'reload s':>10}{'answered':>10}{'p50 ms':>9}{'longest ms':>12}{'load':>7}")
    for backend in args.backends:
        m = measure(backend, args)
        print(
            f"{backend:<11}{args.stops:>7}{m['reload_s']:>10.2f}{m['answered']:>10.0f}{m['p50_ms']:>9.2f}"
            f"{m['longest_ms']:>12.1f}{os.getloadavg()[0]:>7.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
