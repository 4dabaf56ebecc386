"""The shared part seen by professionals (R4, R8), contributions, and traceability, on both backends:
pages and API, consent to contributions, a professional of another structure answered 404 on every
route taking a beneficiary or an item, and "Qui a consulté mes documents"."""
import io
import re
import secrets

import pytest

from webapp.database import db
from webapp.structures.models import Affiliation
from webapp.vault.models import Item, SharedItemKey

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, make_structure
from .test_api import login
from .test_sharing import vault_of


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n" + text.encode() * 50 + b"\n%%EOF\n"


class Api:
    """A test client that sends the bearer token of one account."""

    def __init__(self, app, made):
        self._client = app.test_client()
        self._headers = login(self._client, made)

    def open(self, path, method="GET", **kwargs):
        return self._client.open(path, method=method, headers=self._headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)


@pytest.fixture
def scene(app, make_account):
    """Relais Nord (a professional; Ana agreed to contributions) and Relais Sud (a stranger to Ana); Ana
    shares a note and a PDF and keeps a note private."""
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        south, south_manager = make_structure(app, "Relais Sud")
        pro, stranger = make_account("professional"), make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, south, south_manager, stranger)
        ana = make_account()
        affiliate(app, ana, north, contributions=True)
        vault = vault_of(app, ana)
        shared = vault.create_record_item("note", {"title": "Note partagée", "text": "canari-partage"}, shared=True)
        private = vault.create_record_item("note", {"title": "Note privée", "text": "canari-prive"})
        document = vault.create_document({"title": "Attestation", "file_name": "attestation.pdf", "mime": "application/pdf"},
                                         app.extensions["blobs"], [pdf("canari-document")], shared=True)
        db().commit()
    return {"north": north.id, "south": south.id, "pro": pro, "stranger": stranger, "ana": ana,
            "shared": shared.id, "private": private.id, "document": document.id}


def test_a_professional_reads_adds_edits_and_makes_private_and_the_beneficiary_sees_who(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    base = f"/relais/{scene['north']}/partages"
    listing = pro.get(base)
    assert listing.status_code == 200 and scene["ana"].identifier in listing.text
    page = pro.get(f"{base}/{scene['ana'].id}")
    assert "Note partagée" in page.text and "Attestation" in page.text and "Note privée" not in page.text
    assert pro.get(f"{base}/{scene['ana'].id}/element/{scene['private']}").status_code == 404
    assert "canari-partage" in pro.get(f"{base}/{scene['ana'].id}/element/{scene['shared']}").text
    download = pro.get(f"{base}/{scene['ana'].id}/element/{scene['document']}/telecharger")
    assert download.data == pdf("canari-document") and "attachment" in download.headers["Content-Disposition"]

    # An addition: owned by Ana, sealed by the professional, shared under the current epoch.
    token = csrf_token(pro, f"{base}/{scene['ana'].id}/nouveau/note")
    refused = pro.post(f"{base}/{scene['ana'].id}/nouveau/note", data={"csrf_token": token, "title": "", "text": "gardé"})
    assert refused.status_code == 400 and "gardé" in refused.text
    added = pro.post(f"{base}/{scene['ana'].id}/nouveau/note",
                     data={"csrf_token": token, "title": "Rendez-vous CAF", "text": "Apporter le RIB"})
    assert added.status_code == 302
    item_id = added.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        row = db().get(Item, item_id)
        assert row.owner_id == scene["ana"].id and row.author_id == scene["pro"].id and row.shared
        assert row.added_by_structure_id == scene["north"] and db().get(SharedItemKey, item_id) is not None
        assert vault_of(app, scene["ana"]).get(item_id).metadata["text"] == "Apporter le RIB"
    edited = pro.post(f"{base}/{scene['ana'].id}/element/{item_id}/modifier",
                      data={"csrf_token": token, "title": "Rendez-vous CAF", "text": "Apporter le RIB et l'avis"})
    assert edited.status_code == 302

    # The beneficiary sees who added it, and every consultation.
    ana = app.test_client()
    log_in(ana, scene["ana"])
    shown = ana.get(f"/coffre/element/{item_id}").text
    assert "Relais Nord" in shown and "Camille Martin" in shown
    traces = ana.get("/qui-a-consulte/").text
    for words in ("a téléchargé", "a ajouté", "a modifié", "a regardé", "Relais Nord", "Attestation"):
        assert words in traces

    # Making private removes the professional's own access; deleting is not offered at all.
    assert "corbeille" not in pro.get(f"{base}/{scene['ana'].id}/element/{scene['shared']}").text
    made_private = pro.post(f"{base}/{scene['ana'].id}/element/{scene['shared']}/prive", data={"csrf_token": token})
    assert made_private.status_code == 302
    assert pro.get(f"{base}/{scene['ana'].id}/element/{scene['shared']}").status_code == 404
    with app.app_context():
        assert db().get(Item, scene["shared"]).trashed_at is None and not db().get(Item, scene["shared"]).shared
        assert db().get(Affiliation, (scene["ana"].id, scene["north"])).last_professional_activity_at is not None
        assert vault_of(app, scene["ana"]).get(scene["shared"]).metadata["text"] == "canari-partage"


def test_without_consent_a_professional_only_reads(app, scene):
    with app.app_context():
        db().get(Affiliation, (scene["ana"].id, scene["north"])).consents_to_contributions = False
        db().commit()
    pro = app.test_client()
    log_in(pro, scene["pro"])
    base = f"/relais/{scene['north']}/partages/{scene['ana'].id}"
    assert "Ajouter un document" not in pro.get(base).text
    token = csrf_token(pro, base + f"/element/{scene['shared']}")
    answer = pro.post(base + "/nouveau/note", data={"csrf_token": token, "title": "x"})
    assert answer.status_code == 302 and "accepté" in pro.get(answer.headers["Location"]).text
    api = Api(app, scene["pro"])
    refused = api.post(f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items",
                       json={"kind": "note", "metadata": {"title": "x"}})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "contributions_refused"
    assert api.patch(f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['shared']}",
                     json={"metadata": {"title": "y"}}).status_code == 403


def test_the_same_through_the_api(app, scene):
    api = Api(app, scene["pro"])
    base = f"/api/v1/structures/{scene['north']}/shared"
    assert [b["id"] for b in api.get(base).json["beneficiaries"]] == [scene["ana"].id]
    items = api.get(f"{base}/{scene['ana'].id}/items").json["items"]
    assert {item["id"] for item in items} == {scene["shared"], scene["document"]}
    assert api.get(f"{base}/{scene['ana'].id}/items/{scene['document']}/content").data == pdf("canari-document")
    added = api.post(f"{base}/{scene['ana'].id}/items", json={"kind": "contact", "metadata": {"name": "Maître Diallo"}})
    assert added.status_code == 201 and added.json["added_by_structure_id"] == scene["north"]
    uploaded = api.post(f"{base}/{scene['ana'].id}/documents", content_type="multipart/form-data",
                        data={"files": [(io.BytesIO(pdf("canari-ajout")), "courrier.pdf")], "title": "Courrier"})
    assert uploaded.status_code == 201
    document_id = uploaded.json["items"][0]["id"]
    beneficiary = Api(app, scene["ana"])
    assert beneficiary.get(f"/api/v1/items/{document_id}/content").data == pdf("canari-ajout")
    assert api.post(f"{base}/{scene['ana'].id}/items/{document_id}/private").status_code == 200
    assert api.get(f"{base}/{scene['ana'].id}/items/{document_id}").status_code == 404
    actions = [trace["action"] for trace in beneficiary.get("/api/v1/me/traces").json["traces"]]
    assert {"shared.listed", "shared.downloaded", "shared.added", "shared.made_private"} <= set(actions)


def path_for(rule, values: dict) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda match: values[match.group(1)], rule.rule)


def test_a_professional_of_another_structure_gets_404_on_every_beneficiary_and_item_route(app, scene):
    """Every rule of the app taking a beneficiary or an item id, every method, pages and API. Routes
    reserved to beneficiaries answer a staff account 403 whatever the id (no oracle). The affiliation
    workflow's own routes are left out: they exist to reach people not yet affiliated (R4, R7)."""
    pages, bearer = app.test_client(), Api(app, scene["stranger"])
    log_in(pages, scene["stranger"])
    token = csrf_token(pages, f"/relais/{scene['south']}")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not {"beneficiary_id", "item_id"} & set(rule.arguments):
            continue
        if "/rattachements/" in rule.rule or "/affiliations/" in rule.rule:
            continue
        for structure in (scene["south"], scene["north"]):  # the stranger's own Relais, and Ana's
            real = {"structure_id": structure, "beneficiary_id": scene["ana"].id, "item_id": scene["shared"],
                    "kind": "note", "reminder_id": secrets.token_hex(16), "folder_id": scene["shared"]}
            made_up = {**real, "beneficiary_id": secrets.token_hex(16), "item_id": secrets.token_hex(16),
                       "folder_id": secrets.token_hex(16)}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                answers = []
                for values in (real, made_up):
                    path = path_for(rule, values)
                    if path.startswith("/api/"):
                        answer = bearer.open(path, method=method, json={"kind": "note", "metadata": {"title": "x"}})
                    else:
                        answer = pages.open(path, method=method, data={"csrf_token": token, "title": "x"})
                    answers.append(answer.status_code)
                assert answers[0] == answers[1], (rule.rule, method, answers)
                assert answers[0] == 404 or (answers[0] == 403 and not rule.endpoint.startswith(
                    ("shared_part.", "api.list_shared", "api.get_shared", "api.add_shared", "api.update_shared",
                     "api.shared_item", "api.make_shared"))), (rule.rule, method, answers)
                checked += 1
    assert checked > 40
    with app.app_context():
        assert db().get(Item, scene["shared"]).shared  # nothing was changed on the way
