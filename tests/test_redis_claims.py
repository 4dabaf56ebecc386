"""Concurrent test runs on one machine each flush a Redis database of their own (tests/services.py)."""
import os
import subprocess
import sys
from pathlib import Path

from tests.services import TEST_REDIS_DB, redis_client

CLAIM = "import tests.services as s, sys, time; print(s.TEST_REDIS_DB, flush=True); sys.stdin.read()"


def test_concurrent_runs_claim_different_databases():
    redis_client()  # skips, or fails under CI=true, without Redis
    env = {key: value for key, value in os.environ.items() if key != "TEST_REDIS_DB"}
    root = Path(__file__).resolve().parents[1]
    runs = [subprocess.Popen([sys.executable, "-c", CLAIM], cwd=root, env={**env, "PYTHONPATH": str(root)},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        claimed = [int(run.stdout.readline()) for run in runs]
    finally:
        for run in runs:
            run.communicate("")
    assert len({TEST_REDIS_DB, *claimed}) == 3
