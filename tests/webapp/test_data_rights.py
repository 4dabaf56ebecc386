"""Data rights (R20, R21, L.103): "Mes données", rectification and the export's zip, on both backends."""
import io
import json
import logging
import os
import re
import zipfile
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from vaultcore.errors import CryptoError
from webapp.accounts.models import Account
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.vault.models import Item

from .conftest import csrf_token, log_in
from .test_api import login

PDF = b"%PDF-1.4\n" + os.urandom(150_000)


@pytest.fixture
def beneficiary(make_account):
    return make_account()


@pytest.fixture
def auth(client, beneficiary):
    return login(client, beneficiary)


def upload(client, auth, content: bytes, name: str) -> str:
    created = client.post("/api/v1/documents", headers=auth, content_type="multipart/form-data",
                          data={"files": [(io.BytesIO(content), name)]})
    assert created.status_code == 201, created.json
    return created.json["items"][0]["id"]


def record(client, auth, kind: str, metadata: dict, shared=False) -> str:
    created = client.post("/api/v1/items", json={"kind": kind, "shared": shared, "metadata": metadata}, headers=auth)
    assert created.status_code == 201, created.json
    return created.json["id"]


def export_zip(client, auth) -> zipfile.ZipFile:
    response = client.get("/api/v1/me/export", headers=auth)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Accel-Buffering"] == "no"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return archive


def unfolded(data: bytes) -> dict[str, str]:
    """A small reader of vCard and iCalendar lines: unfolds, then NAME(;params) → unescaped value."""
    text = data.decode()
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    fields = {}
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            fields.setdefault(name, value)
    return fields


def test_the_exports_zip_contains_every_item_with_the_right_bytes(client, auth):
    folder = client.post("/api/v1/folders", json={"title": "Logement / CAF", "shared": False, "parent_id": None},
                         headers=auth).json["id"]
    inner = client.post("/api/v1/folders", json={"title": "Quittances", "shared": False, "parent_id": folder},
                        headers=auth).json["id"]
    in_folder = upload(client, auth, PDF, "bail.pdf")
    client.post(f"/api/v1/items/{in_folder}/move", json={"folder_id": inner}, headers=auth)
    other_pdf = b"%PDF-1.4\n" + os.urandom(20_000)
    top = upload(client, auth, other_pdf, "bail.pdf")
    same_name = upload(client, auth, PDF[:50_000], "Bail.pdf")
    note = record(client, auth, "note", {"title": "Code du digicode", "text": "4521B\nsecond étage"})
    contact = record(client, auth, "contact", {"name": "Mme Dupont, assistante", "phone": "01 23 45 67 89",
                                               "email": "dupont@example.org", "address": "3 rue de la Paix;\nParis",
                                               "comment": "Le mardi " + "très " * 30}, shared=True)
    timed = record(client, auth, "appointment", {"title": "Préfecture", "date": "2026-12-03", "time": "09:30",
                                                 "place": "Cité, guichet 4", "notes": "passeport"})
    all_day = record(client, auth, "appointment", {"title": "CAF", "date": "2027-01-15"})
    trashed = record(client, auth, "note", {"title": "jetée"})
    client.delete(f"/api/v1/items/{trashed}", headers=auth)

    archive = export_zip(client, auth)
    names = set(archive.namelist())
    assert archive.read("documents/Logement _ CAF/Quittances/bail.pdf") == PDF
    assert archive.read("documents/bail.pdf") == other_pdf
    assert archive.read("documents/Bail (2).pdf") == PDF[:50_000]  # names differing only by case would merge
    assert archive.read("notes/Code du digicode.txt").decode() == "Code du digicode\n\n4521B\nsecond étage\n"
    card = unfolded(archive.read("contacts/Mme Dupont, assistante.vcf"))
    assert card["BEGIN"] == "VCARD" and card["VERSION"] == "4.0" and card["FN"] == "Mme Dupont, assistante"
    assert card["TEL"] == "01 23 45 67 89" and card["EMAIL"] == "dupont@example.org"
    assert card["ADR"] == ";;3 rue de la Paix;\nParis;;;;" and card["NOTE"] == ("Le mardi " + "très " * 30).strip()
    event = unfolded(archive.read("appointments/2026-12-03 Préfecture.ics"))
    assert event["DTSTART;TZID=Europe/Paris"] == "20261203T093000" and event["TZID"] == "Europe/Paris"
    assert event["SUMMARY"] == "Préfecture" and event["LOCATION"] == "Cité, guichet 4" and event["DESCRIPTION"] == "passeport"
    assert event["UID"] == f"{timed}@cloud-solidaire"
    day = unfolded(archive.read("appointments/2027-01-15 CAF.ics"))
    assert day["DTSTART;VALUE=DATE"] == "20270115" and "TZID" not in day
    assert all(len(line) <= 75 for entry in names if entry.endswith((".vcf", ".ics"))
               for line in archive.read(entry).split(b"\r\n"))

    metadata = json.loads(archive.read("metadata.json"))
    exported = {item["id"]: item for item in metadata["items"]}
    assert set(exported) == {in_folder, top, same_name, note, contact, timed, all_day}  # the trash is not exported
    assert exported[in_folder]["folder_path"] == "Logement _ CAF/Quittances"
    assert exported[contact]["shared"] is True and exported[note]["metadata"]["text"] == "4521B\nsecond étage"
    assert {f["id"] for f in metadata["folders"]} == {folder, inner}
    assert metadata["profile"]["first_name"] == "Camille" and metadata["journal"]["intact"] is True

    index = archive.read("index.html").decode()
    links = re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', index)
    assert links and not [link for link in links if "//" in link or link.lower().startswith(("http", "data:", "javascript:"))]
    assert {unquote(link) for link in links} == names - {"index.html"}
    assert "<script" not in index.lower() and 'lang="fr"' in index


def test_each_export_is_audited_and_the_page_links_it(client, auth, app, beneficiary):
    record(client, auth, "note", {"title": "une note"})
    export_zip(client, auth)
    data = client.get("/api/v1/me/data", headers=auth).json
    assert [e["details"] for e in data["journal"]["events"] if e["action"] == "data.exported"] == [{"items": 1}]
    assert data["journal"]["intact"] is True and data["account"]["identifier"] == beneficiary.identifier
    assert data["terms"]["version"] == 1 and data["terms"]["accepted_at"]


def test_a_large_document_is_streamed_in_chunks_never_built_whole(client, auth):
    big = b"%PDF-1.4\n" + os.urandom(3_000_000)
    upload(client, auth, big, "scan.pdf")
    response = client.get("/api/v1/me/export", headers=auth, buffered=False)
    sizes, parts = [], []
    for chunk in response.response:
        sizes.append(len(chunk))
        parts.append(chunk)
    assert len(sizes) > 40 and max(sizes) < 200_000  # chunks of the decryption (64 KiB), not the file
    assert zipfile.ZipFile(io.BytesIO(b"".join(parts))).read("documents/scan.pdf") == big


def test_a_document_that_fails_to_decrypt_breaks_the_download(client, auth, app, caplog):
    good = upload(client, auth, PDF, "bon.pdf")
    bad = upload(client, auth, PDF, "abime.pdf")
    with app.app_context():
        row = db().get(Item, bad)
        app.extensions["blobs"].put(row.blob_name, [b"not the sealed stream of this document" * 100])
    response = client.get("/api/v1/me/export", headers=auth, buffered=False)
    received = bytearray()
    with caplog.at_level(logging.ERROR), pytest.raises(CryptoError):
        for chunk in response.response:
            received += chunk
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(received)))  # no central directory: no tool takes it for complete
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert bad in logged and "abime" not in logged and good not in logged


def test_staff_see_their_directory_part_but_have_nothing_to_export(client, make_account):
    staff = make_account(role="professional")
    auth = login(client, staff)
    assert client.get("/api/v1/me/export", headers=auth).status_code == 403
    assert client.get("/api/v1/me/data", headers=auth).json["structures"] == []
    log_in(client, staff)
    page = client.get("/mes-donnees/")
    assert page.status_code == 200 and staff.identifier in page.text and "/mes-donnees/export" not in page.text
    assert client.get("/mes-donnees/export").status_code == 403


def test_the_page_shows_what_is_held(client, beneficiary):
    log_in(client, beneficiary)
    page = client.get("/mes-donnees/")
    assert page.status_code == 200
    for text in (beneficiary.identifier, "Camille", "Martin", "Votre journal est intact", "Version 1, acceptée le",
                 "La corbeille n'est pas dans l'export", "/mes-donnees/export", "Connexion"):
        assert text in page.text, text
    download = client.get("/mes-donnees/export")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(download.data)).namelist() == ["metadata.json", "index.html"]


def test_rectification_keeps_the_identifier_and_follows_the_duplicate_key(client, app, beneficiary):
    log_in(client, beneficiary)
    token = csrf_token(client, "/mes-donnees/modifier")
    refused = client.post("/mes-donnees/modifier", data={"csrf_token": token, "first_name": "Camille", "last_name": "",
                                                          "birth_date": "1990-05-12", "email": "pas-un-mail"})
    assert refused.status_code == 400 and "Écrivez votre nom." in refused.text
    assert "Cette adresse e-mail ne semble pas juste." in refused.text and 'value="pas-un-mail"' in refused.text
    done = client.post("/mes-donnees/modifier", data={"csrf_token": token, "first_name": "Élise", "last_name": "Le Bihan",
                                                       "birth_date": "1990-05-12", "email": "elise@example.org"})
    assert done.status_code == 302
    with app.app_context():
        account = db().get(Account, beneficiary.id)
        assert account.identifier == beneficiary.identifier
        person = account.person
        assert (person.first_name, person.last_name, str(person.birth_date), person.email) == (
            "Élise", "Le Bihan", "1990-05-12", "elise@example.org")
        assert person.name_key == "elise le bihan"
        event = db().scalars(select(AuditEvent).where(AuditEvent.action == "profile.rectified")).one()
        assert event.subject_id == beneficiary.id
        assert event.details == {"fields": ["first_name", "last_name", "birth_date", "email"]}
        assert "Élise" not in json.dumps(event.details)
    assert "Élise" in client.get("/mes-donnees/").text


def test_rectification_through_the_api_names_a_possible_duplicate(client, app, auth, make_account, beneficiary):
    other = make_account()
    other_auth = login(client, other)
    same = {"first_name": "Élise", "last_name": "LE-BIHAN", "birth_date": "1990-05-12", "email": None}
    assert client.patch("/api/v1/me/profile", json=same, headers=other_auth).status_code == 200
    answer = client.patch("/api/v1/me/profile", headers=auth,
                          json={"first_name": "Elise", "last_name": "Le Bihan", "birth_date": "1990-05-12", "email": ""})
    assert answer.status_code == 200
    assert answer.json == {"changed": ["first_name", "last_name", "birth_date"], "profile": {
        "first_name": "Elise", "last_name": "Le Bihan", "birth_date": "1990-05-12", "email": None, "phone": None,
        "secret_question": None}}
    with app.app_context():
        events = db().scalars(select(AuditEvent).where(AuditEvent.action == "profile.rectified",
                                                       AuditEvent.subject_id == beneficiary.id)).all()
        assert [e.details["same_names_and_birth_date_as"] for e in events] == [[other.id]]
    unchanged = client.patch("/api/v1/me/profile", headers=auth,
                             json={"first_name": "Elise", "last_name": "Le Bihan", "birth_date": "1990-05-12", "email": None})
    assert unchanged.json["changed"] == []
    bad = client.patch("/api/v1/me/profile", headers={**auth, "Accept-Language": "en"},
                       json={"first_name": "Elise", "last_name": "Le Bihan", "birth_date": None, "email": "x@"})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_field"
    assert client.patch("/api/v1/me/profile", headers=auth, json={"first_name": "Elise"}).status_code == 400


def test_the_page_shows_the_newest_events_and_says_the_export_has_them_all(client, app, beneficiary):
    from webapp.audit.services import record_event
    from webapp.data_rights.views import SHOWN_EVENTS

    with app.app_context():
        for _ in range(SHOWN_EVENTS):
            record_event(db(), "login.succeeded", actor_id=beneficiary.id, subject_id=beneficiary.id)
        db().commit()
    log_in(client, beneficiary)
    page = client.get("/mes-donnees/").text
    assert f"Voici les {SHOWN_EVENTS} dernières. Elles sont toutes dans l" in page
    assert page.count('<span class="item-when">') == SHOWN_EVENTS


def test_a_wrong_birth_date_is_refused_in_the_users_language(client, beneficiary):
    log_in(client, beneficiary)
    token = csrf_token(client, "/mes-donnees/modifier")
    refused = client.post("/mes-donnees/modifier", data={"csrf_token": token, "first_name": "Camille", "last_name": "Martin",
                                                          "birth_date": "31/02/1990", "email": ""})
    assert refused.status_code == 400 and 'value="31/02/1990"' in refused.text
    assert "N&#39;est pas une date valide." in refused.text or "N'est pas une date valide." in refused.text
