#!/usr/bin/env python3
"""What a worker's reload of the published documents costs in memory, with a 10,000-stop walk published.

For each backend, in a temporary folder: bundles from bench/synthetic_walk.py (the big walk and a
10-stop one), `manage.py upgrade` and `seed`, the big walk published (bench/publish_once.py). Then a
process of its own (this script with --child, the project to measure as its working directory) builds
the app and reloads twice:
- cold: its first `PublishedDocuments.refresh()`, every document read;
- after: another walk (small-walk, 10 stops) published by a separate process, then `refresh()` again.
Each reload's growth is the peak RSS (VmHWM, reset by clear_refs before it) minus the RSS before it;
"kept" is the RSS after it minus the RSS before (what stays). Wall seconds are noisy under load.
PostgreSQL runs in a throwaway database (kotoji_reload_<hex>) dropped at the end.
Usage: .venv/bin/python bench/reload_memory.py [--stops 10000] [--postgresql postgresql://postgres@127.0.0.1:5432]
       [--backends sqlite,postgresql] [--project DIR] (another checkout, e.g. an export of main, for "before")
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_once import child_figures, memory_mb, reload_bench_arguments  # noqa: E402
from servers import bench_environment  # noqa: E402
from synthetic_walk import write_bundle  # noqa: E402

BIG_WALK, OTHER_WALK = "gent-kanazawa", "small-walk"
BENCH = Path(__file__).resolve().parent
FIGURES = ("cold_s", "cold_growth_mb", "cold_kept_mb", "after_s", "after_growth_mb", "after_kept_mb", "spilled_mb")


def measured_refresh(documents) -> tuple[float, float, float]:
    """Refresh; return its wall seconds, its peak RSS growth and what it kept, in MB."""
    rss = memory_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak starts again from the RSS now
    started = time.perf_counter()
    documents.refresh()
    return time.perf_counter() - started, memory_mb("VmHWM") - rss, memory_mb("VmRSS") - rss


def child() -> None:
    sys.path.insert(0, os.getcwd())
    from server import create_app

    app = create_app()
    documents = app.extensions["published_documents"]
    cold = measured_refresh(documents)
    subprocess.run(
        [sys.executable, str(BENCH / "publish_once.py"), OTHER_WALK], check=True, capture_output=True
    )  # in a process of its own: publishing's memory is not the reload's
    after = measured_refresh(documents)
    held = documents._documents.values()  # the plain bytes of the documents in the spill file
    spilled = sum(int(dict(d.plain_headers)["Content-Length"]) for d in held if d._spill is not None)
    print(*cold, *after, spilled / 2**20)


def measure(backend: str, args) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"kotoji-reload-{args.stops}-") as folder:
        tmp = Path(folder)
        write_bundle(10, tmp / "routes", slug=OTHER_WALK)
        env = {**bench_environment(tmp), "KOTOJI_ROUTES_DIR": str(write_bundle(args.stops, tmp / "routes"))}
        return child_figures(__file__, BIG_WALK, env, args, backend, FIGURES)


def main() -> None:
    args = reload_bench_arguments(__doc__.splitlines()[0], BENCH.parent)
    if args.child:
        child()
        return
    print(
        f"\n{'backend':<11}{'stops':>7}{'spilled':>9}{'cold s':>8}{'growth':>8}{'kept':>6}"
        f"{'after s':>9}{'growth':>8}{'kept':>6}{'load':>7}   (MB)"
    )
    for backend in args.backends:
        m = measure(backend, args)
        print(
            f"{backend:<11}{args.stops:>7}{m['spilled_mb']:>9.0f}{m['cold_s']:>8.2f}{m['cold_growth_mb']:>8.0f}"
            f"{m['cold_kept_mb']:>6.0f}{m['after_s']:>9.2f}{m['after_growth_mb']:>8.0f}{m['after_kept_mb']:>6.0f}"
            f"{os.getloadavg()[0]:>7.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
