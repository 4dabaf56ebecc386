"""Browser journeys: the embedded default served by `python -m webapp serve` (with a clock the test
moves, `serve.py`), driven by Playwright in Debian's Chromium (no browser download). With CI=true a
missing Chromium fails the run."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.keyservice.conftest import free_port
from tests.services import unavailable

from .seed import ADMIN, BENEFICIARY, OTHER_BENEFICIARY
from .serve import PhoneInbox, ServerClock

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def instance(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-instance")


@pytest.fixture(scope="session")
def accounts(instance) -> None:
    subprocess.run([sys.executable, "-m", "tests.e2e.seed"], cwd=REPOSITORY, env={**os.environ, "INSTANCE_DIR": str(instance)},
                   check=True)


@pytest.fixture(scope="session")
def beneficiary(accounts) -> str:
    return BENEFICIARY


@pytest.fixture(scope="session")
def other_beneficiary(accounts) -> str:
    return OTHER_BENEFICIARY


@pytest.fixture(scope="session")
def admin(accounts) -> str:
    return ADMIN


@pytest.fixture(scope="session")
def server_clock(instance) -> ServerClock:
    return ServerClock(instance / "clock-offset")


@pytest.fixture(scope="session")
def phone_inbox(instance) -> PhoneInbox:
    return PhoneInbox(instance / "phone-inbox.jsonl")


@pytest.fixture(scope="session")
def server(instance, accounts, server_clock, phone_inbox) -> str:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tests.e2e.serve", str(server_clock.path), str(phone_inbox.path),
                                "--port", str(port)],
                               # Every browser of the journeys is 127.0.0.1: the login limit per address is
                               # tested in tests/webapp, not here.
                               cwd=REPOSITORY, env={**os.environ, "INSTANCE_DIR": str(instance),
                                                    "LOGIN_RATE_LIMIT": "100 per minute"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the web app did not start")
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        unavailable("Debian's Chromium (/usr/bin/chromium)", "not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
