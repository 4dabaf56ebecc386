"""Structures become Relais (R1, R2) and their managers (R3, R15), through the pages, on both backends:
application → approval → the manager's forced password change → a professional created, then
removed → generation 2, which the removed member's keys do not open."""
import io
import re
import secrets

import pytest

from vaultcore import structure as generations
from vaultcore.errors import CryptoError
from vaultcore.wrap import unwrap_key
from webapp.accounts import services as accounts
from webapp.accounts.models import Account
from webapp.database import db
from webapp.structures.models import GenerationWrap, Membership, Structure, StructureApplication, StructureGeneration
from webapp.structures.services import Actor, current_generation_keys, verified_roster
from webapp.vault.keyring import Keyring

from .conftest import PASSWORD, Made, csrf_token, log_in
from .test_api import login
from .test_secrets import database_dump
from .test_stolen_state import blob_dump

SIRET = "73282932000074"
NEW_PASSWORD = "une autre phrase de passe bien solide"


def pdf(canary: str) -> bytes:
    return b"%PDF-1.4\n" + canary.encode() * 200 + b"\n%%EOF\n"


def application_form(client, name: str, documents: list[tuple[bytes, str]], **changes) -> dict:
    data = {"csrf_token": csrf_token(client, "/relais/candidature"), "name": name, "kind": "association",
            "address": "1 rue de la Paix, 75002 Paris", "siret": "732 829 320 00074", "referent_first_name": "Élise",
            "referent_last_name": "Le Bihan", "referent_position": "Directrice", "referent_email": "elise@example.org",
            "referent_phone": "01 23 45 67 89",
            "documents": [(io.BytesIO(content), file_name) for content, file_name in documents]}
    data.update(changes)
    return data


def shown_account(page: str) -> tuple[str, str]:
    codes = re.findall(r"<code>([^<]+)</code>", page)
    return codes[0], codes[1]


def logged_in(app, identifier: str, password: str):
    client = app.test_client()
    token = csrf_token(client)
    client.post("/connexion", data={"identifier": identifier, "password": password, "csrf_token": token})
    return client


def first_login(app, identifier: str, password: str):
    """Terms, then the forced change of the generated password (R2, R10)."""
    client = logged_in(app, identifier, password)
    assert client.get("/relais/").headers["Location"].endswith("/conditions")
    page = client.get("/conditions").text
    version = re.search(r'name="version"[^>]*value="([^"]+)"', page).group(1)
    client.post("/conditions", data={"csrf_token": csrf_token(client, "/conditions"), "version": version, "accept": "y"})
    assert client.get("/relais/").headers["Location"].endswith("/mot-de-passe")
    changed = client.post("/mot-de-passe", data={"csrf_token": csrf_token(client, "/mot-de-passe"),
                                                 "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    return client


def approved_structure(app, make_account, name="Relais du Canal", canary="canari-justificatif"):
    admin_made = make_account("admin")
    admin = app.test_client()
    log_in(admin, admin_made)  # the first administrator's session makes the review key
    applicant = app.test_client()
    answer = applicant.post("/relais/candidature", data=application_form(applicant, name, [(pdf(canary), f"{canary}.pdf")]),
                            content_type="multipart/form-data")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/relais/candidature/envoyee")
    assert "Votre demande est envoyée" in applicant.get(answer.headers["Location"]).text
    with app.app_context():
        application = db().query(StructureApplication).filter_by(name=name).one()
    page = admin.post(f"/admin/relais/candidatures/{application.id}/approuver",
                      data={"csrf_token": csrf_token(admin, "/admin/relais/")})
    assert page.status_code == 200
    identifier, password = shown_account(page.text)
    with app.app_context():
        structure = db().query(Structure).filter_by(name=name).one()
    return admin, application, structure, identifier, password


def test_application_to_rotation(app, make_account, settings):
    canary = f"canari-{secrets.token_hex(5)}"
    admin, application, structure, manager_id, manager_password = approved_structure(app, make_account, canary=canary)

    # The documents: sealed in the database and blob store, readable in an administrator's session.
    stolen = database_dump(app) + blob_dump(app)
    assert canary.encode() not in stolen
    page = admin.get(f"/admin/relais/candidatures/{application.id}")
    assert f"{canary}.pdf" in page.text
    link = re.search(r'href="(/admin/relais/candidatures/[^"]+/documents/[^"]+)"', page.text).group(1)
    assert admin.get(link).data == pdf(canary)

    # The manager must change the generated password first.
    manager = first_login(app, manager_id, manager_password)
    show = manager.get(manager.get("/relais/").headers["Location"])
    assert "Relais du Canal" in show.text and manager_id in show.text

    made = manager.post(f"/relais/{structure.id}/professionnels/nouveau",
                        data={"csrf_token": csrf_token(manager, f"/relais/{structure.id}"), "first_name": "Sam",
                              "last_name": "Durand", "email": ""})
    pro_id, pro_password = shown_account(made.text)
    assert pro_id == "sam.durand"
    assert logged_in(app, pro_id, pro_password).get("/relais/").status_code == 302  # terms and password first

    keys = app.extensions["keys"]
    with app.app_context():
        pro = accounts.authenticate(db(), keys, pro_id, pro_password)
        held = current_generation_keys(db(), keys, db().get(Structure, structure.id), Actor(pro.account.id, 1, pro.identity))
        db().commit()
    assert held.number == 1

    removed = manager.post(f"/relais/{structure.id}/membres/{pro.account.id}/retirer",
                           data={"csrf_token": csrf_token(manager, f"/relais/{structure.id}")})
    assert removed.status_code == 302

    with app.app_context():
        current = db().get(Structure, structure.id)
        assert current.current_generation == 2 and db().get(StructureGeneration, (structure.id, 2)) is not None
        assert db().get(GenerationWrap, (structure.id, 2, pro.account.id)) is None
        assert db().query(GenerationWrap).filter_by(structure_id=structure.id, generation=1).count() == 0
        assert db().get(Membership, (structure.id, pro.account.id)) is None
        me = accounts.authenticate(db(), keys, manager_id, NEW_PASSWORD)
        generation = current_generation_keys(db(), keys, current, Actor(me.account.id, 1, me.identity))
        assert generation.number == 2 and generation.keys.public != held.keys.public
        assert verified_roster(db(), keys, current) == [me.account.id]
        wrap = db().get(GenerationWrap, (structure.id, 2, me.account.id))
        context = {"purpose": "structure-key", "subject": f"{structure.id}/2", "recipient": me.account.id,
                   "recipient-version": 1, "signer": me.account.id}
        for old_keys in (held.keys, pro.identity.box):  # what the removed member held opens nothing new
            with pytest.raises(CryptoError):
                unwrap_key(wrap.blob, old_keys, context, me.identity.verify_key)
        db().commit()


def test_a_removed_member_is_told_they_belong_to_no_relais(app, make_account):
    """"Mon Relais" after a removal: the page that says so, not a 404 on the Relais last chosen."""
    _admin, _application, structure, manager_id, manager_password = approved_structure(app, make_account,
                                                                                       name="Relais du Quai")
    manager = first_login(app, manager_id, manager_password)
    made = manager.post(f"/relais/{structure.id}/professionnels/nouveau",
                        data={"csrf_token": csrf_token(manager, f"/relais/{structure.id}"), "first_name": "Inès",
                              "last_name": "Garnier", "email": ""})
    pro_id, pro_password = shown_account(made.text)
    pro = first_login(app, pro_id, pro_password)
    assert pro.get(pro.get("/relais/").headers["Location"]).status_code == 200  # the Relais is now the chosen one
    with app.app_context():
        pro_account_id = db().query(Account).filter_by(identifier=pro_id).one().id
    removed = manager.post(f"/relais/{structure.id}/membres/{pro_account_id}/retirer",
                           data={"csrf_token": csrf_token(manager, f"/relais/{structure.id}")})
    assert removed.status_code == 302

    none = pro.get("/relais/")
    assert none.status_code == 200 and "aucun Relais actif" in none.text
    assert pro.get(f"/relais/{structure.id}").status_code == 404


def test_a_forged_generation_wrap_stops_the_login(app, make_account):
    _, _, structure, manager_id, manager_password = approved_structure(app, make_account)
    keys = app.extensions["keys"]
    with app.app_context():
        manager = db().query(Account).filter_by(identifier=manager_id).one()
        stranger = accounts.create_account(db(), keys, identifier="intrus.x", role="professional", password=PASSWORD)
        forged = generations.Generation.new(structure.id, 1)
        certified = Keyring(db(), keys).current_identity(manager.id)
        member = generations.Member(manager.id, certified.version, certified.box_public)
        row = db().get(GenerationWrap, (structure.id, 1, manager.id))
        row.blob, row.signer_id = generations.wrap_generation(forged, member, stranger.account.id, stranger.identity), stranger.account.id
        db().commit()
    answer = logged_in(app, manager_id, manager_password).get("/relais/")
    assert answer.status_code == 302 and "/connexion" in answer.headers["Location"]


def test_applications_refuse_bad_input_and_keep_what_was_typed(app, make_account):
    log_in(app.test_client(), make_account("admin"))
    applicant = app.test_client()
    answer = applicant.post("/relais/candidature", data=application_form(
        applicant, "Foyer Saint-Jean", [(b"not a pdf", "statuts.pdf")], siret="73282932000075"), content_type="multipart/form-data")
    assert answer.status_code == 400
    assert "SIRET n&#39;est pas valide" in answer.text or "SIRET n'est pas valide" in answer.text
    assert "n&#39;est pas accepté" in answer.text or "n'est pas accepté" in answer.text
    assert 'value="Foyer Saint-Jean"' in answer.text
    with app.app_context():
        assert db().query(StructureApplication).count() == 0


def test_only_administrators_reach_the_console(app, make_account):
    admin, application, structure, manager_id, manager_password = approved_structure(app, make_account)
    for role in ("beneficiary", "professional"):
        client = app.test_client()
        log_in(client, make_account(role))
        assert client.get("/admin/relais/").status_code == 403
        assert client.get(f"/admin/relais/candidatures/{application.id}").status_code == 403
    assert app.test_client().get("/admin/relais/").status_code == 302  # anonymous: to the login page
    assert admin.get(f"/admin/relais/candidatures/{'0' * 32}").status_code == 404


def test_a_manager_of_one_structure_gets_404_on_another(app, make_account):
    _, _, first, first_id, first_password = approved_structure(app, make_account, name="Relais A")
    _, _, second, _, _ = approved_structure(app, make_account, name="Relais B")
    manager = first_login(app, first_id, first_password)
    assert manager.get(f"/relais/{first.id}").status_code == 200
    assert manager.get(f"/relais/{second.id}").status_code == 404
    token = csrf_token(manager, f"/relais/{first.id}")
    assert manager.post(f"/relais/{second.id}/professionnels/nouveau",
                        data={"csrf_token": token, "first_name": "A", "last_name": "B"}).status_code == 404


def test_suspended_structures_cannot_be_acted_for(app, make_account):
    admin, _, structure, manager_id, manager_password = approved_structure(app, make_account)
    manager = first_login(app, manager_id, manager_password)
    assert admin.post(f"/admin/relais/{structure.id}/suspendre",
                      data={"csrf_token": csrf_token(admin, "/admin/relais/")}).status_code == 302
    assert manager.get(f"/relais/{structure.id}").status_code == 404
    admin.post(f"/admin/relais/{structure.id}/reactiver", data={"csrf_token": csrf_token(admin, "/admin/relais/")})
    assert manager.get(f"/relais/{structure.id}").status_code == 200


def api_login(client, identifier: str, password: str) -> dict:
    return login(client, Made(identifier, password))


def test_the_same_through_the_api(app, make_account):
    client = app.test_client()
    admin = login(client, make_account("admin"))
    fields = {key: value for key, value in application_form(client, "Relais API", []).items() if key not in ("csrf_token", "documents")}
    refused = client.post("/api/v1/structure-applications", data=dict(fields, documents=[(io.BytesIO(b"text"), "a.pdf")]),
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_file"
    answer = client.post("/api/v1/structure-applications", data=dict(fields, documents=[(io.BytesIO(pdf("api")), "statuts.pdf")]),
                         content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    application_id = answer.json["id"]
    outsider = login(client, make_account("beneficiary"))
    assert client.get("/api/v1/admin/structure-applications", headers=outsider).status_code == 403
    assert client.post(f"/api/v1/admin/structure-applications/{application_id}/approve", headers=outsider).status_code == 403

    detail = client.get(f"/api/v1/admin/structure-applications/{application_id}", headers=admin).json
    assert [d["file_name"] for d in detail["documents"]] == ["statuts.pdf"]
    document = client.get(f"/api/v1/admin/structure-applications/{application_id}/documents/{detail['documents'][0]['id']}", headers=admin)
    assert document.data == pdf("api")
    approved = client.post(f"/api/v1/admin/structure-applications/{application_id}/approve", headers=admin)
    assert approved.status_code == 201
    structure_id, manager = approved.json["structure"]["id"], approved.json["manager"]
    assert client.post(f"/api/v1/admin/structure-applications/{application_id}/approve", headers=admin).status_code == 409

    auth = api_login(client, manager["identifier"], manager["password"])
    assert client.get("/api/v1/me", headers=auth).json["must_change_password"] is True
    client.post("/api/v1/me/password", json={"current_password": "", "new_password": NEW_PASSWORD}, headers=auth)
    made = client.post(f"/api/v1/structures/{structure_id}/professionals",
                       json={"first_name": "Ana", "last_name": "Lopes", "email": ""}, headers=auth)
    assert made.status_code == 201 and made.json["password"]
    other = make_account("professional")
    added = client.post(f"/api/v1/structures/{structure_id}/members", json={"identifier": other.identifier}, headers=auth)
    assert added.status_code == 201
    members = client.get(f"/api/v1/structures/{structure_id}", headers=auth).json["members"]
    assert {m["identifier"] for m in members} == {manager["identifier"], "ana.lopes", other.identifier}

    pro = api_login(client, "ana.lopes", made.json["password"])
    assert client.post(f"/api/v1/structures/{structure_id}/deletion-request", headers=pro).status_code == 201
    assert client.get(f"/api/v1/structures/{structure_id}", headers=pro).status_code == 404  # not a manager here
    members = client.get(f"/api/v1/structures/{structure_id}", headers=auth).json["members"]
    assert [m["deletion_requested"] for m in members if m["identifier"] == "ana.lopes"] == [True]
    deleted = client.delete(f"/api/v1/structures/{structure_id}/professionals/{made.json['id']}", headers=auth)
    assert deleted.status_code == 200
    assert client.post("/api/v1/auth/login", json={"identifier": "ana.lopes", "password": made.json["password"]}).status_code == 401
    assert client.get(f"/api/v1/structures/{structure_id}", headers=auth).json["generation"] == 2
    last = client.delete(f"/api/v1/structures/{structure_id}/members/{manager['id']}", headers=auth)
    assert last.status_code == 409 and last.json["error"]["code"] == "last_manager"
    removed = client.delete(f"/api/v1/structures/{structure_id}/members/{added.json['id']}", headers=auth)
    assert removed.json == {"status": "removed", "generation": 3}

    suspended = client.post(f"/api/v1/admin/structures/{structure_id}/status", json={"status": "suspended"}, headers=admin)
    assert suspended.json["status"] == "suspended"
    assert client.get(f"/api/v1/structures/{structure_id}", headers=auth).status_code == 404
    assert client.get("/api/v1/structures", headers=auth).json == {"structures": []}
