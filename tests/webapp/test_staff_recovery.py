"""Staff recovery (issue 7, item 2), on both backends: a manager gives a member of their Relais a new
password, a platform administrator gives one to a Relais's last manager; nobody loses anything.
Memberships whose keys wait for a re-wrap do not stop the login, and are completed by the next login
of a member who holds the Relais's keys; a wrap that does not verify still stops it."""
import logging
import re
import secrets

import pytest

from vaultcore import structure as generations
from webapp.accounts.models import Account
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.structures.models import Affiliation, GenerationWrap, Membership, Structure
from webapp.structures.services import current_generation_keys
from webapp.vault.keyring import Keyring

from .conftest import Made, csrf_token, log_in
from .relais import add_member, affiliate, make_structure, unlock
from .test_api import login
from .test_secrets import database_dump, redis_dump
from .test_sharing import vault_of

NEW_PASSWORD = "ma nouvelle phrase de passe bien à moi"


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n" + text.encode() * 50 + b"\n%%EOF\n"


def share_document(app, beneficiary: Made, canary: str) -> str:
    vault = vault_of(app, beneficiary)
    item = vault.create_document({"title": "Attestation", "file_name": "attestation.pdf", "mime": "application/pdf"},
                                 app.extensions["blobs"], [pdf(canary)], shared=True)
    db().commit()
    return item.id


def document_url(structure_id: str, beneficiary_id: str, item_id: str) -> str:
    return f"/relais/{structure_id}/partages/{beneficiary_id}/element/{item_id}/telecharger"


def logged_in(app, made: Made):
    client = app.test_client()
    answer = log_in(client, made)
    assert answer.status_code == 302, answer.text
    return client


def confirmed_reset(client, path: str, words: str) -> str:
    """The confirmation page first (nothing changes), then the reset; returns the temporary password."""
    confirm = client.get(path)
    assert confirm.status_code == 200 and words in confirm.text
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200, done.text
    return re.findall(r"<code>([^<]+)</code>", done.text)[1]


def manager_reset(client, structure_id: str, account_id: str) -> str:
    return confirmed_reset(client, f"/relais/{structure_id}/membres/{account_id}/nouveau-mot-de-passe",
                           "ne perd rien")


def admin_reset(client, structure_id: str, account_id: str, words: str) -> str:
    return confirmed_reset(client, f"/admin/relais/{structure_id}/gestionnaires/{account_id}/nouveau-mot-de-passe", words)


def first_login(app, made: Made, temporary: str):
    """The old password no longer opens anything; the temporary one must be replaced at once."""
    assert log_in(app.test_client(), made).status_code == 401
    client = logged_in(app, Made(made.identifier, temporary, made.id))
    assert client.get("/relais/").headers["Location"].endswith("/mot-de-passe")
    changed = client.post("/mot-de-passe", data={"csrf_token": csrf_token(client, "/mot-de-passe"),
                                                 "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    return client


def events(app, action: str, subject_id: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db().query(AuditEvent).filter_by(action=action, subject_id=subject_id))


@pytest.fixture
def scene(app, make_account):
    """Relais Nord and Relais Sud, each with its manager; a professional in both; Ana affiliated to
    Nord and Bea to Sud, each sharing a PDF."""
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        south, south_manager = make_structure(app, "Relais Sud")
        pro = make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, south, south_manager, pro)
        ana, bea = make_account(), make_account()
        affiliate(app, ana, north)
        affiliate(app, bea, south)
        documents = {"ana": share_document(app, ana, "canari-ana"), "bea": share_document(app, bea, "canari-bea")}
    return {"north": north.id, "south": south.id, "north_manager": north_manager, "south_manager": south_manager,
            "pro": pro, "ana": ana, "bea": bea, "documents": documents}


def test_a_manager_resets_a_professional_who_loses_nothing(app, scene, settings, caplog):
    caplog.set_level(logging.DEBUG)
    pro = scene["pro"]
    before = logged_in(app, pro)
    manager = logged_in(app, scene["north_manager"])
    assert f"/membres/{pro.id}/nouveau-mot-de-passe" in manager.get(f"/relais/{scene['north']}").text
    temporary = manager_reset(manager, scene["north"], pro.id)
    assert "/connexion" in before.get("/relais/").headers["Location"]  # the session opened before stops

    # Shown once: nowhere in the database, Redis, the session files or the logs.
    stored = (database_dump(app) + redis_dump(settings)
              + b"".join(p.read_bytes() for p in settings.instance_dir.rglob("*") if p.is_file() and p.suffix != ".db"))
    assert temporary.encode() not in stored and temporary not in caplog.text

    client = first_login(app, pro, temporary)
    url = document_url(scene["north"], scene["ana"].id, scene["documents"]["ana"])
    assert client.get(url).data == pdf("canari-ana")

    [event] = events(app, "staff.password_reset", pro.id)
    manager_id = scene["north_manager"].id
    assert (event.actor_id, event.structure_id, event.details) == (manager_id, scene["north"], {"by": "manager"})
    assert "Mot de passe remplacé" in client.get("/mes-donnees/").text
    with app.app_context():
        assert db().get(Account, pro.id).identity_version == 2
        wrap = db().get(GenerationWrap, (scene["north"], 1, pro.id))
        assert wrap.signer_id == manager_id and generations.claimed_member_version(wrap.blob) == 2


def test_the_other_relais_waits_for_one_of_its_members(app, scene):
    pro = scene["pro"]
    temporary = manager_reset(logged_in(app, scene["north_manager"]), scene["north"], pro.id)
    client = first_login(app, pro, temporary)  # Relais Sud's wrap is for the old identity: the login goes on

    home = client.get("/").text
    assert "Relais Sud" in home and "en attente" in home
    south_document = document_url(scene["south"], scene["bea"].id, scene["documents"]["bea"])
    assert client.get(south_document).status_code == 404
    assert client.get(document_url(scene["north"], scene["ana"].id, scene["documents"]["ana"])).data == pdf("canari-ana")

    logged_in(app, scene["south_manager"])  # holds Relais Sud's keys: completes the waiting wrap
    [event] = events(app, "structure.keys_rewrapped", pro.id)
    assert (event.actor_id, event.structure_id) == (scene["south_manager"].id, scene["south"])
    assert client.get(south_document).data == pdf("canari-bea")
    assert "en attente" not in client.get("/").text

    logged_in(app, scene["south_manager"])  # nothing waits any more: nothing is redone
    assert len(events(app, "structure.keys_rewrapped", pro.id)) == 1


def test_a_wrap_for_the_current_identity_that_does_not_verify_still_stops_the_login(app, scene, make_account):
    pro = scene["pro"]
    temporary = manager_reset(logged_in(app, scene["north_manager"]), scene["north"], pro.id)
    keys = app.extensions["keys"]
    stranger_made = make_account("professional")
    with app.app_context():
        stranger = unlock(app, stranger_made.identifier)
        certified = Keyring(db(), keys).current_identity(pro.id)
        forged = generations.Generation.new(scene["north"], 1)
        row = db().get(GenerationWrap, (scene["north"], 1, pro.id))
        row.blob = generations.wrap_generation(forged, generations.Member(pro.id, certified.version, certified.box_public),
                                               stranger.id, stranger.identity)
        row.signer_id = stranger.id
        db().commit()
    refused = log_in(app.test_client(), Made(pro.identifier, temporary))
    assert refused.status_code == 403 and "vérifiées" in refused.text
    with app.app_context():  # a wrap claiming a newer identity than the certified one is no excuse either
        genuine = current_generation_keys(db(), keys, db().get(Structure, scene["north"]),
                                          unlock(app, scene["north_manager"].identifier))
        row = db().get(GenerationWrap, (scene["north"], 1, pro.id))
        row.blob = generations.wrap_generation(genuine, generations.Member(pro.id, certified.version + 1, certified.box_public),
                                               scene["north_manager"].id, unlock(app, scene["north_manager"].identifier).identity)
        row.signer_id = scene["north_manager"].id
        db().commit()
    assert log_in(app.test_client(), Made(pro.identifier, temporary)).status_code == 403
    assert events(app, "structure.keys_rewrapped", pro.id) == []


def test_an_administrator_resets_the_last_manager_whom_another_member_lets_back_in(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Est")
        pro, ana = make_account("professional"), make_account()
        add_member(app, structure, manager, pro)
        affiliate(app, ana, structure)
        document = share_document(app, ana, "canari-est")
    admin = logged_in(app, make_account("admin"))
    listing = admin.get(f"/admin/relais/{structure.id}/gestionnaires")
    assert listing.status_code == 200 and manager.identifier in listing.text
    temporary = admin_reset(admin, structure.id, manager.id, "reviendra dès")

    client = first_login(app, manager, temporary)
    assert client.get(document_url(structure.id, ana.id, document)).status_code == 404
    assert "en attente" in client.get("/").text
    logged_in(app, pro)  # whose own wrap was made by the manager's former identity, and still verifies
    assert client.get(document_url(structure.id, ana.id, document)).data == pdf("canari-est")
    [event] = events(app, "staff.password_reset", manager.id)
    assert event.details == {"by": "administrator", "keys_renewed": False}
    with app.app_context():
        assert db().get(Structure, structure.id).current_generation == 1


def test_an_administrator_resets_a_manager_alone_in_the_relais_with_new_keys(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Ouest")
        ana = make_account()
        affiliate(app, ana, structure)
        document = share_document(app, ana, "canari-ouest")
    admin = logged_in(app, make_account("admin"))
    temporary = admin_reset(admin, structure.id, manager.id, "de nouvelles clés seront créées")
    with app.app_context():
        assert db().get(Structure, structure.id).current_generation == 2
        assert db().get(Affiliation, (ana.id, structure.id)).status == "confirmed"
    assert events(app, "affiliation.regrant_awaited", ana.id)

    client = first_login(app, manager, temporary)
    url = document_url(structure.id, ana.id, document)
    assert client.get(url).status_code == 404  # until Ana's next login
    logged_in(app, ana)
    assert client.get(url).data == pdf("canari-ouest")
    with app.app_context():
        assert db().get(Affiliation, (ana.id, structure.id)).status == "active"
    # And what Ana shares afterwards reaches the new keys too.
    with app.app_context():
        later = share_document(app, ana, "canari-apres")
    assert client.get(document_url(structure.id, ana.id, later)).data == pdf("canari-apres")


def test_only_a_manager_of_the_relais_or_an_administrator_for_the_last_manager(app, scene, make_account):
    pro, north = scene["pro"], scene["north"]
    manager_id = scene["north_manager"].id
    path = f"/relais/{north}/membres/{manager_id}/nouveau-mot-de-passe"
    professional = logged_in(app, pro)  # a member, not a manager
    assert professional.get(path).status_code == 404
    assert professional.post(path, data={"csrf_token": csrf_token(professional, "/")}).status_code == 404
    outsider_made = make_account("professional")
    with app.app_context():
        add_member(app, db().get(Structure, scene["south"]), scene["south_manager"], outsider_made)
    outsider = logged_in(app, scene["south_manager"])  # a manager, of another Relais
    assert outsider.get(f"/relais/{north}/membres/{pro.id}/nouveau-mot-de-passe").status_code == 404
    manager = logged_in(app, scene["north_manager"])
    assert manager.get(path).status_code == 404  # one's own password is changed from one's account
    assert manager.get(f"/relais/{north}/membres/{outsider_made.id}/nouveau-mot-de-passe").status_code == 404
    assert professional.get(f"/admin/relais/{north}/gestionnaires").status_code == 403

    api = app.test_client()
    headers = login(api, pro)
    answer = api.post(f"/api/v1/structures/{north}/members/{manager_id}/password-reset", headers=headers)
    assert answer.status_code == 404
    assert api.get(f"/api/v1/admin/structures/{north}/managers", headers=headers).status_code == 403
    assert events(app, "staff.password_reset", manager_id) == []

    # With a second manager, that one resets the first: the administrator is refused.
    with app.app_context():
        db().get(Membership, (north, pro.id)).role = "manager"
        db().commit()
    admin = app.test_client()
    admin_headers = login(admin, make_account("admin"))
    listed = admin.get(f"/api/v1/admin/structures/{north}/managers", headers=admin_headers).json["managers"]
    assert {row["id"]: row["last_manager"] for row in listed} == {manager_id: False, pro.id: False}
    refused = admin.post(f"/api/v1/admin/structures/{north}/managers/{manager_id}/password-reset", headers=admin_headers)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_last_manager"
    assert admin.post(f"/api/v1/admin/structures/{north}/managers/{secrets.token_hex(16)}/password-reset",
                      headers=admin_headers).status_code == 404


def test_the_same_through_the_api(app, scene, make_account):
    pro = scene["pro"]
    manager = app.test_client()
    headers = login(manager, scene["north_manager"])
    answer = manager.post(f"/api/v1/structures/{scene['north']}/members/{pro.id}/password-reset", headers=headers)
    assert answer.status_code == 201
    body = answer.json
    assert (body["id"], body["identifier"], body["keys_renewed"]) == (pro.id, pro.identifier, False)

    client = app.test_client()
    token = login(client, Made(pro.identifier, body["password"]))
    assert client.get("/api/v1/me", headers=token).json["must_change_password"] is True
    changed = client.post("/api/v1/me/password", headers=token,
                          json={"current_password": "", "new_password": NEW_PASSWORD})
    assert changed.status_code == 200
    mine = client.get(f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['documents']['ana']}/content",
                      headers=token)
    assert mine.data == pdf("canari-ana")
    listed = {row["id"]: row["keys_waiting"] for row in client.get("/api/v1/structures", headers=token).json["structures"]}
    assert listed == {scene["north"]: False, scene["south"]: True}

    # Relais Sud: its manager is the last one, and the professional's wrap still waits, so nobody else
    # holds its keys: the administrator's reset starts generation 2, for both of them.
    admin = app.test_client()
    admin_headers = login(admin, make_account("admin"))
    south, south_manager = scene["south"], scene["south_manager"]
    listed = admin.get(f"/api/v1/admin/structures/{south}/managers", headers=admin_headers).json["managers"]
    assert listed == [{"id": south_manager.id, "identifier": south_manager.identifier, "status": "active",
                       "last_manager": True, "renews_keys": True}]
    reset = admin.post(f"/api/v1/admin/structures/{south}/managers/{south_manager.id}/password-reset",
                       headers=admin_headers)
    assert reset.status_code == 201 and reset.json["keys_renewed"] is True
    listed = {row["id"]: row["keys_waiting"] for row in client.get("/api/v1/structures", headers=token).json["structures"]}
    assert listed == {scene["north"]: False, south: False}
    url = f"/api/v1/structures/{south}/shared/{scene['bea'].id}/items/{scene['documents']['bea']}/content"
    assert client.get(url, headers=token).status_code == 404
    logged_in(app, scene["bea"])
    assert client.get(url, headers=token).data == pdf("canari-bea")


def test_a_manager_whose_own_access_waits_resets_nobody_until_it_is_back(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Centre")
        pro = make_account("professional")
        add_member(app, structure, manager, pro)
    admin = logged_in(app, make_account("admin"))
    client = first_login(app, manager, admin_reset(admin, structure.id, manager.id, "reviendra dès"))
    path = f"/relais/{structure.id}/membres/{pro.id}/nouveau-mot-de-passe"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert refused.status_code == 302 and "pas encore rétabli" in client.get(refused.headers["Location"]).text
    api = app.test_client()
    headers = login(api, Made(manager.identifier, NEW_PASSWORD))
    answer = api.post(f"/api/v1/structures/{structure.id}/members/{pro.id}/password-reset", headers=headers)
    assert answer.status_code == 409 and answer.json["error"]["code"] == "keys_waiting"
    assert events(app, "staff.password_reset", pro.id) == []
    with app.app_context():
        assert db().get(Account, pro.id).identity_version == 1

    logged_in(app, pro)  # holds the keys: the manager's access is back
    assert manager_reset(client, structure.id, pro.id)
