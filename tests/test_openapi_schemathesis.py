"""Schemathesis (all checks) against the live server: no 5xx, and every response matches the description."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.interop, pytest.mark.slow]  # schemathesis in a process of its own
CONFIG = Path(__file__).parent / "schemathesis.toml"
# Bounded so that one run takes seconds; a fixed seed makes a failure reproducible (`st run --seed`).
MAX_EXAMPLES = 10
SEED = 20261123


def test_schemathesis_finds_no_failure_in_any_operation(live_server, client, tmp_path):
    operations = sum(len(item) for item in client.get("/api/openapi.json").json["paths"].values())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--request-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env={**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", "COLUMNS": "120"},
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    tested = int(re.search(r"Tested: (\d+)", report).group(1))
    assert tested == operations - 1, report[-3000:]  # it counts /ogc and /ogc/ as one operation
    assert "No issues found" in report, report[-3000:]
