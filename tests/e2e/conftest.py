"""Browser journeys: the embedded default served by `python -m webapp serve`, driven by Playwright in
Debian's Chromium (no browser download). With CI=true a missing Chromium fails the run."""
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

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
PASSWORD = "le soleil se lève sur la colline"


@pytest.fixture(scope="session")
def instance(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-instance")


@pytest.fixture(scope="session")
def beneficiary(instance) -> str:
    """An account made as a professional will make it (issue 6), before the server starts."""
    script = (
        "from webapp import create_app\n"
        "from webapp.migrations import upgrade\n"
        "from webapp.cli import ensure_terms\n"
        "from webapp.database import db\n"
        "from webapp.accounts import services\n"
        "from webapp.accounts.models import Person\n"
        "app = create_app()\n"
        "upgrade(app.config['SETTINGS'].database_url)\n"
        "with app.app_context():\n"
        "    ensure_terms()\n"
        f"    services.create_account(db(), app.extensions['keys'], identifier='amina.diallo.12/05/1990', role='beneficiary', password={PASSWORD!r}, person=Person(first_name='Amina', last_name='Diallo'))\n"
        "    db().commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], env={**os.environ, "INSTANCE_DIR": str(instance)}, check=True)
    return "amina.diallo.12/05/1990"


@pytest.fixture(scope="session")
def server(instance, beneficiary) -> str:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port)],
                               env={**os.environ, "INSTANCE_DIR": str(instance)},
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
