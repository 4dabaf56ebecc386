"""The brief's stolen-state test: after a realistic scenario with canaries planted in file contents,
file names, note text, contact names and appointment titles, none of them appears in the database,
the blob store, Redis, the job payloads or the logs."""
import io
import logging
import secrets

from webapp.accounts import services as accounts
from webapp.database import db
from webapp.vault.services import Vault

from .conftest import PASSWORD, log_in
from .test_api import login
from .test_secrets import database_dump, redis_dump


def blob_dump(app) -> bytes:
    store = app.extensions["blobs"]
    return b"".join(b"".join(store.open(name)) for name in store.names())


def test_no_canary_anywhere(app, client, make_account, settings, caplog):
    caplog.set_level(logging.DEBUG)
    canaries = {name: f"canari-{name}-{secrets.token_hex(5)}" for name in
                ("file", "filename", "note", "contact", "appointment", "password")}
    made = make_account(password=PASSWORD + " " + canaries["password"])
    auth = login(client, made)
    client.post("/api/v1/items", json={"kind": "note", "shared": False, "metadata": {"title": "Note", "text": canaries["note"]}}, headers=auth)
    client.post("/api/v1/items", json={"kind": "contact", "shared": True, "metadata": {"name": canaries["contact"]}}, headers=auth)
    client.post("/api/v1/items", json={"kind": "appointment", "shared": True,
                                       "metadata": {"title": canaries["appointment"], "date": "2027-01-15"}}, headers=auth)
    with app.app_context():
        unlocked = accounts.authenticate(db(), app.extensions["keys"], made.identifier, made.password)
        vault = Vault(db(), app.extensions["keys"], unlocked.account.id, 1, unlocked.identity)
        content = (canaries["file"] + " ") * 30_000
        vault.create_document({"title": "Titre de séjour", "file_name": canaries["filename"] + ".pdf"},
                              app.extensions["blobs"], io.BytesIO(content.encode()), shared=True)
        db().commit()
    browser = app.test_client()
    log_in(browser, made)
    listing = browser.get("/coffre/").text
    assert canaries["contact"] in listing and canaries["appointment"] in listing  # the owner sees them

    stolen = database_dump(app) + blob_dump(app) + redis_dump(settings) + b"".join(
        path.read_bytes() for path in settings.instance_dir.rglob("*") if path.is_file())
    logs = caplog.text.encode()
    for name, canary in canaries.items():
        assert canary.encode() not in stolen, name
        assert canary.encode() not in logs, name
