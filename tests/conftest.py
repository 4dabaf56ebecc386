"""Fixtures shared by every suite: real services started for the tests."""
import os
import subprocess
import sys
import time

import pytest
import requests
from hypothesis import settings

from tests.keyservice.conftest import free_port
from tests.services import unavailable

# On CI every property test replays the same examples, so a landing never depends on a draw;
# developers' runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's server in its own process: S3 over real HTTP, its memory not counted as ours."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(endpoint + "/moto-api/", timeout=1)
            break
        except requests.ConnectionError:
            if server.poll() is not None:
                unavailable("moto's S3 server", f"exited with {server.returncode}")
            time.sleep(0.1)
    else:
        server.kill()
        unavailable("moto's S3 server", "no answer in 30 s")
    yield endpoint
    server.terminate()
    server.wait(timeout=10)
