"""Fixtures: the key service as a real process (SQLite or PostgreSQL), or in-process with a clock
the test moves; `backend` runs a contract test against all three."""
from __future__ import annotations

import io
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import psycopg
import pytest
import requests
from psycopg import sql

from keyservice import storage
from keyservice.client import HttpKeyServiceClient, KeyServiceClient, LocalKeyServiceClient
from keyservice.config import LoginLimits, sqlite_url
from keyservice.service import KeyService

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
LOGIN_PER_ACCOUNT = 3
MAX_GUESSES = 5
STARTUP_SECONDS = 20


@dataclass
class FakeClock:
    now: float = field(default_factory=time.time)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ServiceProcess:
    """`python -m keyservice serve` on a free port, stderr kept in a file for the log checks."""

    def __init__(self, storage_env: dict[str, str], folder: Path) -> None:
        self.token = secrets.token_urlsafe(24)
        self.admin_token = secrets.token_urlsafe(24)
        self.storage_env = storage_env
        self.stderr_path = folder / f"keyservice-{secrets.token_hex(4)}.stderr"
        self.popen: subprocess.Popen | None = None
        self.base_url = ""

    @property
    def env(self) -> dict[str, str]:
        return {
            **outside_environment(),
            "KEYSERVICE_TOKEN": self.token,
            "KEYSERVICE_ADMIN_TOKEN": self.admin_token,
            "KEYSERVICE_MAX_GUESSES": str(MAX_GUESSES),
            "KEYSERVICE_LOGIN_PER_ACCOUNT": str(LOGIN_PER_ACCOUNT),
            "KEYSERVICE_LOGIN_WINDOW": "300",
            **self.storage_env,  # a suite may set its own limits
        }

    def start(self) -> "ServiceProcess":
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        with open(self.stderr_path, "ab") as stderr:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "keyservice", "serve", "--port", str(port)],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: the gunicorn worker dies with it
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                pytest.fail(f"the key service exited with {self.popen.returncode}:\n{self.log_text()}")
            try:
                if requests.get(self.base_url + "/v1/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.kill()
        pytest.fail(f"the key service did not answer within {STARTUP_SECONDS} s:\n{self.log_text()}")

    def client(self) -> HttpKeyServiceClient:
        return HttpKeyServiceClient(self.base_url, self.token, admin_token=self.admin_token)

    def kill(self) -> None:
        """SIGKILL to master and worker at once: no shutdown code runs."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_text(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli(self.env, *args)


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "keyservice", *args], env=env, capture_output=True, text=True, timeout=60
    )


def outside_environment() -> dict[str, str]:
    """The test run's environment without any key-service setting of the developer's."""
    return {name: value for name, value in os.environ.items() if not name.startswith("KEYSERVICE_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# PostgreSQL


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[psycopg.Connection]:
    try:
        connection = psycopg.connect(POSTGRES_ADMIN, autocommit=True)
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL is unreachable on 127.0.0.1:5432 as user postgres ({type(error).__name__})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires it for the PostgreSQL key-service tests")
        pytest.skip(f"{reason}; start it to run the PostgreSQL variant")
    with connection:
        yield connection


@pytest.fixture(scope="session")
def make_postgres_database(postgres_admin) -> Iterator[Callable[[], str]]:
    """Each call: a fresh, uniquely named database, dropped at the end of the session."""
    created: list[str] = []

    def make() -> str:
        name = f"keyservice_test_{secrets.token_hex(6)}"
        postgres_admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    yield make
    for name in created:
        postgres_admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Running processes


@pytest.fixture(scope="session")
def sqlite_process(tmp_path_factory) -> Iterator[ServiceProcess]:
    folder = tmp_path_factory.mktemp("keyservice-sqlite")
    process = ServiceProcess({"KEYSERVICE_DATA_DIR": str(folder / "data")}, folder).start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def postgres_process(tmp_path_factory, make_postgres_database) -> Iterator[ServiceProcess]:
    folder = tmp_path_factory.mktemp("keyservice-postgres")
    process = ServiceProcess({"KEYSERVICE_DATABASE_URL": make_postgres_database()}, folder).start()
    yield process
    process.stop()


@pytest.fixture
def start_process(tmp_path) -> Iterator[Callable[[dict[str, str]], ServiceProcess]]:
    """A process of the test's own, for tests that kill it."""
    started: list[ServiceProcess] = []

    def start(storage_env: dict[str, str]) -> ServiceProcess:
        process = ServiceProcess(storage_env, tmp_path)
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()


# The contract's three backends


@dataclass
class Backend:
    client: KeyServiceClient
    cli_env: dict[str, str]  # `python -m keyservice` on the same storage
    log_text: Callable[[], str]
    sqlite_path: Path | None = None  # for the crypto-shredding check
    clock: FakeClock | None = None  # only in-process
    process: ServiceProcess | None = None

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli(self.cli_env, *args)


@pytest.fixture
def local_backend(tmp_path) -> Iterator[Backend]:
    data_dir = tmp_path / "data"
    clock = FakeClock()
    service = KeyService(
        storage.open_engine(sqlite_url(data_dir)),
        max_guesses=MAX_GUESSES,
        login_limits=LoginLimits(per_account=LOGIN_PER_ACCOUNT, window_seconds=300),
        clock=clock,
    )
    with captured_log() as log:
        yield Backend(
            LocalKeyServiceClient(service),
            {**outside_environment(), "KEYSERVICE_DATA_DIR": str(data_dir)},
            log.getvalue,
            sqlite_path=data_dir / "keyservice.db",
            clock=clock,
        )
    service.close()


def http_backend(process: ServiceProcess, sqlite_path: Path | None = None) -> Backend:
    return Backend(process.client(), process.env, process.log_text, sqlite_path=sqlite_path, process=process)


@pytest.fixture(
    params=["local", "http-sqlite", pytest.param("http-postgres", marks=pytest.mark.postgres)]
)
def backend(request) -> Backend:
    if request.param == "local":
        return request.getfixturevalue("local_backend")
    if request.param == "http-sqlite":
        process = request.getfixturevalue("sqlite_process")
        return http_backend(process, Path(process.storage_env["KEYSERVICE_DATA_DIR"]) / "keyservice.db")
    return http_backend(request.getfixturevalue("postgres_process"))


@contextmanager
def captured_log() -> Iterator[io.StringIO]:
    """The "keyservice" logger's INFO lines, for the in-process backend."""
    stream, logger = io.StringIO(), logging.getLogger("keyservice")
    handler, level = logging.StreamHandler(stream), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
