"""Vault benchmark: documents up and down through the real server, its memory, the 1,000-item list.

Run with `make bench-vault`. Environment:
    BENCH_REPEATS  repeats per transfer measurement; medians are reported (default 3)
    BENCH_SMALL    "1" checks the script quickly: 1 MB and 20 MB files, 200 items, 1 repeat

The server is the embedded default as `make run` starts it (`python -m webapp serve`: gunicorn, one
gthread worker), on a fresh instance directory, with UPLOAD_LIMIT_MB=250 so the big file is
accepted. Two beneficiaries are seeded in the database before it starts, by this script in a child
process (`--seed`): one with an empty vault for the transfers, one with the listed notes, so neither
measurement depends on the other. Sizes are decimal (1 MB = 10^6 bytes), as UPLOAD_LIMIT_MB is;
memory is in MiB. A benchmark, not a test: it prints verdicts on the targets and exits 0.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from typing import Callable, Iterator

import requests

from machine import cpu_model  # bench/ is the script's folder, first on sys.path

MB = 1000 * 1000
MIB = 1024 * 1024
IO_BYTES = MIB
PDF_HEAD = b"%PDF-1.7\n"
UPLOAD_LIMIT_MB = 250
PASSWORD = "le soleil se lève sur la colline"
TRANSFER_ACCOUNT = "amina.diallo.12/05/1990"
LIST_ACCOUNT = "moussa.keita.03/11/1985"
LIST_WARM_UPS = 2
LIST_REQUESTS = 11
RSS_SAMPLE_SECONDS = 0.02
SERVER_START_SECONDS = 60
SERVER_STOP_SECONDS = 20
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')

TARGET_RSS_GROWTH_MIB = 64.0
TARGET_LIST_HTML_MS = 200.0

FULL = {"small_mb": 5, "big_mb": 200, "items": 1000}
QUICK = {"small_mb": 1, "big_mb": 20, "items": 200}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- seeding the instance (child process) --------------------------------------------------------


def seed(item_count: int) -> None:
    """Child process, INSTANCE_DIR set: schema, terms, both beneficiaries, the listed notes.

    The app is imported here only: the measuring process talks to the server over HTTP, as any
    client does, and never opens the instance itself.
    """
    from webapp import create_app
    from webapp.cli import ensure_terms
    from webapp.database import db
    from webapp.migrations import upgrade
    from webapp.vault.schemas import check_metadata
    from webapp.vault.services import Vault

    app = create_app()
    upgrade(app.config["SETTINGS"].database_url)
    with app.app_context():
        ensure_terms()
        create_beneficiary(app, TRANSFER_ACCOUNT, "Amina", "Diallo")
        lister = create_beneficiary(app, LIST_ACCOUNT, "Moussa", "Keita")
        db().commit()
        vault = Vault(db(), app.extensions["keys"], lister.account.id, lister.account.identity_version, lister.identity)
        for index in range(item_count):
            metadata, _problems = check_metadata("note", {"title": note_title(index)})
            vault.create_record_item("note", metadata)
            if index % 100 == 99:
                db().commit()
        db().commit()


def create_beneficiary(app, identifier: str, first_name: str, last_name: str):
    """The account unlocked (`services.Unlocked`), its terms accepted: else every page redirects to them."""
    from webapp.accounts import services
    from webapp.accounts.models import Person
    from webapp.database import db

    unlocked = services.create_account(db(), app.extensions["keys"], identifier=identifier, role="beneficiary",
                                       password=PASSWORD, person=Person(first_name=first_name, last_name=last_name))
    services.accept_terms(db(), unlocked.account, services.current_terms(db()).version)
    return unlocked


def note_title(index: int) -> str:
    return f"Note {index:04d}"


def seed_instance(instance: str, item_count: int) -> None:
    subprocess.run([sys.executable, os.path.abspath(__file__), "--seed", str(item_count)],
                   env={**os.environ, "INSTANCE_DIR": instance}, check=True)


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(instance: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "webapp", "serve", "--port", str(port)],
        env={**os.environ, "INSTANCE_DIR": instance, "UPLOAD_LIMIT_MB": str(UPLOAD_LIMIT_MB)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def wait_until_healthy(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz in time")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_pid(master_pid: int) -> int:
    """The gunicorn worker: the master's only child (the embedded default runs one)."""
    children = []
    for task in os.listdir(f"/proc/{master_pid}/task"):
        with open(f"/proc/{master_pid}/task/{task}/children") as listed:
            children += [int(pid) for pid in listed.read().split()]
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker under {master_pid}, found {children}")
    return children[0]


# --- memory of the server ------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmRSS for process {pid}")


class RssSampler:
    """The highest RSS of each process, read every 20 ms by a thread while the block runs."""

    def __init__(self, pids: dict[str, int]) -> None:
        self._pids = pids
        self.peak_mib = {name: rss_mib(pid) for name, pid in pids.items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(RSS_SAMPLE_SECONDS):
            for name, pid in self._pids.items():
                self.peak_mib[name] = max(self.peak_mib[name], rss_mib(pid))

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_exception) -> None:
        self._stop.set()
        self._thread.join()


# --- transfers -----------------------------------------------------------------------------------


def write_pdf(path: str, size: int) -> str:
    """A file PDF by its first bytes (what the server checks), random after; its SHA-256 in hex."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        out.write(PDF_HEAD)
        digest.update(PDF_HEAD)
        for start in range(len(PDF_HEAD), size, IO_BYTES):
            block = os.urandom(min(IO_BYTES, size - start))
            out.write(block)
            digest.update(block)
    return digest.hexdigest()


class MultipartFile:
    """A multipart/form-data body with one file in `files`, read from disk as it is sent.

    requests would build a `files=` body whole in memory. This one is iterated instead, and it has
    a length, so requests sends a Content-Length as browsers do rather than chunked encoding.
    """

    def __init__(self, path: str, file_name: str) -> None:
        boundary = secrets.token_hex(16)
        self.content_type = f"multipart/form-data; boundary={boundary}"
        self._path = path
        self._head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="shared"\r\n\r\nfalse\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()

    def __len__(self) -> int:
        return len(self._head) + os.path.getsize(self._path) + len(self._tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self._head
        with open(self._path, "rb") as source:
            while block := source.read(IO_BYTES):
                yield block
        yield self._tail


def api_login(base: str, identifier: str) -> dict[str, str]:
    """Headers of an API session."""
    credentials = {"identifier": identifier, "password": PASSWORD}
    response = requests.post(base + "/api/v1/auth/login", json=credentials, timeout=60)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def upload(base: str, auth: dict[str, str], path: str) -> tuple[float, str]:
    """(seconds, the new document's id)."""
    body = MultipartFile(path, os.path.basename(path))
    start = time.perf_counter()
    response = requests.post(base + "/api/v1/documents", data=body, headers={**auth, "Content-Type": body.content_type},
                             timeout=600)
    seconds = time.perf_counter() - start
    if response.status_code != 201:
        raise RuntimeError(f"upload refused: {response.status_code} {response.text[:300]}")
    return seconds, response.json()["items"][0]["id"]


def download(base: str, auth: dict[str, str], item_id: str) -> tuple[float, str]:
    """(seconds, SHA-256 in hex) of the document's content, read as it streams and dropped."""
    digest = hashlib.sha256()
    start = time.perf_counter()
    with requests.get(f"{base}/api/v1/items/{item_id}/content", headers=auth, stream=True, timeout=600) as response:
        response.raise_for_status()
        for block in response.iter_content(chunk_size=IO_BYTES):
            digest.update(block)
    return time.perf_counter() - start, digest.hexdigest()


def round_trip(base: str, auth: dict[str, str], path: str, sha256: str) -> tuple[float, float]:
    """(upload seconds, download seconds); the document must come back as it went."""
    up_seconds, item_id = upload(base, auth, path)
    down_seconds, downloaded = download(base, auth, item_id)
    if downloaded != sha256:
        raise RuntimeError(f"{os.path.basename(path)} came back changed")
    return up_seconds, down_seconds


def measure_transfers(base: str, auth: dict[str, str], path: str, sha256: str, repeats: int) -> tuple[float, float]:
    """Median (upload MB/s, download MB/s)."""
    size_mb = os.path.getsize(path) / MB
    ups, downs = zip(*(round_trip(base, auth, path, sha256) for _ in range(repeats)))
    return size_mb / statistics.median(ups), size_mb / statistics.median(downs)


# --- the lists -----------------------------------------------------------------------------------


def form_login(base: str, identifier: str) -> requests.Session:
    """A browser-like session: the login page's CSRF token, then the form, then the cookie."""
    browser = requests.Session()
    page = browser.get(base + "/connexion", timeout=60)
    page.raise_for_status()
    token = CSRF_INPUT.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = browser.post(base + "/connexion", data={"csrf_token": token.group(1), "identifier": identifier,
                                                       "password": PASSWORD}, timeout=60)
    response.raise_for_status()
    return browser


def check_html_list(response: requests.Response, item_count: int) -> None:
    # A redirect (terms, login) would be timed as a fast page: the list must really be there.
    first_and_last = (note_title(0), note_title(item_count - 1))
    if response.status_code != 200 or not all(title in response.text for title in first_and_last):
        raise RuntimeError(f"/coffre/ is not the list of {item_count} notes: {response.status_code}")


def check_api_list(response: requests.Response, item_count: int) -> None:
    response.raise_for_status()
    if len(response.json()["items"]) != item_count:
        raise RuntimeError(f"/api/v1/items does not list {item_count} items")


def timed_ms(fetch: Callable[[], requests.Response], check: Callable[[requests.Response], None]) -> float:
    start = time.perf_counter()
    response = fetch()
    milliseconds = (time.perf_counter() - start) * 1000
    check(response)
    return milliseconds


def measure_lists(base: str, item_count: int) -> tuple[float, float]:
    """Median ms of (HTML list, API list); the two alternate so drift on the machine hits both."""
    browser = form_login(base, LIST_ACCOUNT)
    auth = api_login(base, LIST_ACCOUNT)
    html_ms, api_ms = [], []
    for _ in range(LIST_WARM_UPS + LIST_REQUESTS):
        html_ms.append(timed_ms(lambda: browser.get(base + "/coffre/", allow_redirects=False, timeout=60),
                                lambda response: check_html_list(response, item_count)))
        api_ms.append(timed_ms(lambda: requests.get(base + "/api/v1/items", headers=auth, timeout=60),
                               lambda response: check_api_list(response, item_count)))
    return statistics.median(html_ms[LIST_WARM_UPS:]), statistics.median(api_ms[LIST_WARM_UPS:])


# --- report --------------------------------------------------------------------------------------


def print_machine(sizes: dict[str, int], repeats: int) -> None:
    print(f"cpu_count={os.cpu_count()}")
    print(f"cpu_usable={len(os.sched_getaffinity(0))}")
    print(f"cpu_model={cpu_model()}")
    print(f"python={platform.python_version()}")
    print(f"gunicorn={version('gunicorn')}")
    print(f"requests={version('requests')}")
    print(f"files_MB={sizes['small_mb']},{sizes['big_mb']}")
    print(f"items={sizes['items']}")
    print(f"repeats={repeats}")
    print(f"list_requests={LIST_REQUESTS} after {LIST_WARM_UPS} warm-ups")
    print("server=python -m webapp serve (gunicorn, 1 gthread worker, 8 threads), SQLite, local blobs, "
          "key service in-process")
    print("client=requests on 127.0.0.1; uploads: multipart with Content-Length, read from disk in 1 MiB blocks; "
          "downloads: iter_content 1 MiB, hashed and dropped")
    print("items_setup=notes seeded in the database before the server starts "
          "(Vault.create_record_item, commits of 100)")
    sys.stdout.flush()


def print_targets(verdicts: list[tuple[str, float, bool]]) -> None:
    print("targets:")
    for target, measured, met in verdicts:
        print(f"  {target}: {'met' if met else 'missed'} ({measured:g})")


def main() -> None:
    sizes = QUICK if os.environ.get("BENCH_SMALL") == "1" else FULL
    repeats = 1 if sizes is QUICK else env_int("BENCH_REPEATS", 3)
    small_mb, big_mb, item_count = sizes["small_mb"], sizes["big_mb"], sizes["items"]
    print_machine(sizes, repeats)

    workdir = tempfile.mkdtemp(prefix="bench-vault-")
    server = None
    try:
        instance = os.path.join(workdir, "instance")
        small, big = os.path.join(workdir, "small.pdf"), os.path.join(workdir, "big.pdf")
        small_sha256, big_sha256 = write_pdf(small, small_mb * MB), write_pdf(big, big_mb * MB)
        seed_instance(instance, item_count)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(instance, port)
        wait_until_healthy(server, base)
        processes = {"worker": worker_pid(server.pid), "master": server.pid}

        auth = api_login(base, TRANSFER_ACCOUNT)
        round_trip(base, auth, small, small_sha256)  # untimed: first-request costs, and the RSS baseline's warm-up
        small_up, small_down = measure_transfers(base, auth, small, small_sha256, repeats)
        baseline_mib = {name: rss_mib(pid) for name, pid in processes.items()}
        with RssSampler(processes) as sampler:
            big_up, big_down = measure_transfers(base, auth, big, big_sha256, repeats)
        growth_mib = {name: sampler.peak_mib[name] - baseline_mib[name] for name in processes}

        html_ms, api_ms = measure_lists(base, item_count)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(workdir)

    print(f"upload_{small_mb}MB_MBps={small_up:.1f}")
    print(f"download_{small_mb}MB_MBps={small_down:.1f}")
    print(f"upload_{big_mb}MB_MBps={big_up:.1f}")
    print(f"download_{big_mb}MB_MBps={big_down:.1f}")
    print(f"web_rss_baseline_MiB={baseline_mib['worker']:.1f}")
    print(f"web_peak_rss_growth_MiB={growth_mib['worker']:.1f}")
    print(f"web_master_rss_baseline_MiB={baseline_mib['master']:.1f}")
    print(f"web_master_peak_rss_growth_MiB={growth_mib['master']:.1f}")
    print(f"list_{item_count}_html_ms={html_ms:.1f}")
    print(f"list_{item_count}_api_ms={api_ms:.1f}")
    print_targets(
        [
            (f"web_peak_rss_growth_MiB < {TARGET_RSS_GROWTH_MIB:g}", round(growth_mib["worker"], 1),
             growth_mib["worker"] < TARGET_RSS_GROWTH_MIB),
            (f"list_{item_count}_html_ms < {TARGET_LIST_HTML_MS:g}", round(html_ms, 1), html_ms < TARGET_LIST_HTML_MS),
        ]
    )


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--seed", metavar="ITEMS", type=int, help="internal: seed INSTANCE_DIR with ITEMS notes")
    item_count = arguments.parse_args().seed
    if item_count is not None:
        seed(item_count)
    else:
        main()
