#!/usr/bin/env python3
"""Sign-in memory: the worker's peak RSS with N sign-ins at once, bounded and (nearly) unbounded.

argon2id takes 64 MiB per password check. For each setting of KOTOJI_SIGN_IN_CONCURRENCY, a fresh
`manage.py serve` (one worker, KOTOJI_APP_THREADS threads) gets N simultaneous correct sign-ins, each
from its own client (login page for the CSRF token, then the form). Printed per setting: the answers
(303 signed in, 503 told to retry), the wall time, and the worker's peak RSS (VmHWM, exact, not sampled).
Usage: .venv/bin/python bench/sign_in_memory.py [--clients 16] [--slots 2,16] [--threads 16]
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from probes import BenchError, process_tree, read_kb
from servers import Server, bench_environment, free_port

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "bench@kotoji.test", "a bench password, long enough"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(port: int) -> int:
    """Sign in as a new browser would; return the status of the form's answer."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"http://127.0.0.1:{port}/editor/login", timeout=120).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token}).encode()
    try:
        return opener.open(f"http://127.0.0.1:{port}/editor/login", data=form, timeout=120).status
    except urllib.error.HTTPError as answer:
        return answer.code


def measure(slots: int, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="kotoji-sign-in-") as tmp:
        tmp = Path(tmp)
        env = {
            **bench_environment(tmp),
            "KOTOJI_SIGN_IN_CONCURRENCY": str(slots),
            "KOTOJI_APP_THREADS": str(args.threads),
            "KOTOJI_INSECURE_COOKIES": "1",
            "KOTOJI_NEW_USER_PASSWORD": PASSWORD,
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "upgrade"], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [*manage, "create-user", "--email", EMAIL, "--role", "editor"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        with Server("kotoji", [*manage, "serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp) as server:
            server.wait_ready("/editor/login", timeout=120)
            if sign_in(port) != 303:  # one first sign-in: the worker's memory before the burst
                raise BenchError("the first sign-in failed")
            workers = process_tree(server.process.pid)[1:]
            before = sum(read_kb(f"/proc/{pid}/status", "VmHWM:") for pid in workers) / 1024
            statuses, started = [], time.perf_counter()
            threads = [threading.Thread(target=lambda: statuses.append(sign_in(port))) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            peak = sum(read_kb(f"/proc/{pid}/status", "VmHWM:") for pid in workers) / 1024
    return {"statuses": Counter(statuses), "seconds": seconds, "before_mb": before, "peak_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--slots", default="2,16", type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--threads", type=int, default=16, help="the worker's app threads (KOTOJI_APP_THREADS)")
    args = parser.parse_args()
    print(f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(f"\n{args.clients} sign-ins at once, one worker with {args.threads} app threads")
    print(f"{'slots':>6} {'answers':<24} {'wall s':>8} {'peak before MB':>15} {'peak after MB':>14} {'growth MB':>10}")
    for slots in args.slots:
        row = measure(slots, args)
        answers = ", ".join(f"{count}×{status}" for status, count in sorted(row["statuses"].items()))
        print(
            f"{slots:>6} {answers:<24} {row['seconds']:>8.1f} {row['before_mb']:>15.0f} {row['peak_mb']:>14.0f}"
            f" {row['peak_mb'] - row['before_mb']:>10.0f}",
            flush=True,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
