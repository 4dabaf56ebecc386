"""Account deletion (R15): crypto-shredding, every row and blob gone, a tombstone, on both backends."""
import io
import os
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, create_engine, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from jobs.cleanup import finish_deletions
from jobs.schedule import PERIODIC
from vaultcore import item as items
from vaultcore.encoding import Reader, read_header
from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair
from vaultcore.wrap import unwrap_key
from webapp.accounts import deletion
from webapp.accounts import services as accounts
from webapp.accounts.errors import InvalidCredentials
from webapp.accounts.models import Account, KeyBundle, Person
from webapp.audit.models import AuditEvent
from webapp.contact.models import ContactMessage
from webapp.database import db
from webapp.db import Base
from webapp.notices.models import Notice
from webapp.reminders.models import Reminder
from webapp.sms.models import SmsMessage
from webapp.structures.models import Affiliation, GenerationWrap, Membership, Structure
from webapp.structures.services import Structures, verified_roster
from webapp.vault.models import AffiliationSetVersion, BlobDeletion, EpochWrap, Item, SharedEpoch, SharedItemKey

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, make_structure
from .test_api import login

PDF = b"%PDF-1.4\n" + os.urandom(40_000)
VAULT_TABLES = (Item, SharedItemKey, SharedEpoch, EpochWrap, AffiliationSetVersion)


def upload(client, auth, content: bytes, name: str, shared: bool = False) -> str:
    created = client.post("/api/v1/documents", headers=auth, content_type="multipart/form-data",
                          data={"files": [(io.BytesIO(content), name)], "shared": "true" if shared else "false"})
    assert created.status_code == 201, created.json
    return created.json["items"][0]["id"]


def record(client, auth, kind: str, metadata: dict, shared=False) -> str:
    created = client.post("/api/v1/items", json={"kind": kind, "shared": shared, "metadata": metadata}, headers=auth)
    assert created.status_code == 201, created.json
    return created.json["id"]


@pytest.fixture
def filled(app, client, make_account):
    """A beneficiary with private and shared items, affiliated to a Relais whose manager reads the shared part."""
    beneficiary = make_account()
    auth = login(client, beneficiary)
    with app.app_context():
        structure, manager = make_structure(app, "Relais du Pont")
        affiliate(app, beneficiary, structure)
        structure_id = structure.id
    items = [upload(client, auth, PDF, "passeport.pdf"), upload(client, auth, PDF, "carte.pdf", shared=True),
             record(client, auth, "note", {"title": "Note", "text": "secret"}),
             record(client, auth, "contact", {"name": "Dr Lune"}, shared=True),
             record(client, auth, "appointment", {"title": "CAF", "date": "2099-03-12", "time": "14:30"})]
    reminder = client.post(f"/api/v1/items/{items[-1]}/reminders", headers=auth, json={
        "preset": "day_before", "chosen_at": None, "night_ok": False, "phone": "06 12 34 56 78", "text": "Rappel : CAF"})
    assert reminder.status_code == 201, reminder.json
    return beneficiary, auth, structure_id, manager, items


def rows_of(account_id: str) -> dict[str, int]:
    counts = {model.__tablename__: db().scalar(select(func.count()).select_from(model).where(
        model.item_id.in_(select(Item.id).where(Item.owner_id == account_id)) if model is SharedItemKey
        else model.owner_id == account_id)) for model in VAULT_TABLES}
    counts["affiliations"] = db().scalar(select(func.count()).select_from(Affiliation)
                                         .where(Affiliation.beneficiary_id == account_id))
    for model in (KeyBundle, Person, SmsMessage):
        counts[model.__tablename__] = db().scalar(select(func.count()).select_from(model)
                                                  .where(model.account_id == account_id))
    counts["reminders"] = db().scalar(select(func.count()).select_from(Reminder).where(Reminder.owner_id == account_id))
    counts["notices"] = db().scalar(select(func.count()).select_from(Notice).where(
        or_(Notice.account_id == account_id, Notice.beneficiary_id == account_id)))
    return counts


def blobs_of(app, item_ids) -> list[str]:
    store = app.extensions["blobs"]
    return [name for item_id in item_ids for name in store.names(f"items/{item_id}/")]


def delete(app, account_id: str, reason="self"):
    account = db().get(Account, account_id)
    deletion.delete_beneficiary(db(), app.extensions["keys"], app.extensions["blobs"], account,
                                actor_id=account_id if reason == "self" else None, reason=reason)


def test_the_service_leaves_a_tombstone_and_nothing_else(app, filled):
    beneficiary, _, structure_id, manager, items = filled
    with app.app_context():
        for to in (beneficiary.id, manager.id):
            db().add(Notice(account_id=to, kind="affiliation_idle_warning", structure_id=structure_id,
                            beneficiary_id=None if to == beneficiary.id else beneficiary.id,
                            on_day=date(2099, 1, 1), created_at=datetime.now(timezone.utc)))
        db().commit()
        before = rows_of(beneficiary.id)
        assert before["reminders"] == before["sms_messages"] == 1 and before["items"] == 5 and blobs_of(app, items)
        assert before["notices"] == 2
        delete(app, beneficiary.id)
        assert not any(rows_of(beneficiary.id).values())
        assert blobs_of(app, items) == [] and db().scalar(select(func.count()).select_from(BlobDeletion)) == 0
        tombstone = db().get(Account, beneficiary.id)
        assert tombstone.status == "deleted" and tombstone.identifier == f"supprime-{beneficiary.id}"
        assert tombstone.last_activity_at is None and "Camille" not in repr(vars(tombstone))
        event = db().scalars(select(AuditEvent).where(AuditEvent.action == "account.deleted",
                                                      AuditEvent.subject_id == beneficiary.id)).one()
        assert event.details == {"reason": "self"} and event.actor_id == beneficiary.id


def test_a_second_call_does_nothing(app, filled):
    beneficiary = filled[0]
    with app.app_context():
        delete(app, beneficiary.id)
        delete(app, beneficiary.id, reason="platform")
        assert db().scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "account.deleted", AuditEvent.subject_id == beneficiary.id)) == 1


def test_a_crash_after_the_key_service_leaves_a_deleted_account_the_cleanup_finishes(app, client, filled, monkeypatch):
    beneficiary, auth, structure_id, manager, items = filled

    def crash(db, account):
        raise RuntimeError("the process died here")

    with app.app_context():
        monkeypatch.setattr(deletion, "_delete_rows", crash)
        with pytest.raises(RuntimeError):
            delete(app, beneficiary.id)
        db().rollback()
        assert db().get(Account, beneficiary.id).status == "deleting"
    # Treated as deleted at once: the session ends, the login fails, the Relais sees nothing.
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert client.post("/api/v1/auth/login", json={"identifier": beneficiary.identifier,
                                                   "password": beneficiary.password}).status_code == 401
    staff = login(client, manager)
    assert client.get(f"/api/v1/structures/{structure_id}/shared/{beneficiary.id}/items",
                      headers=staff).status_code == 404
    monkeypatch.undo()
    assert ("jobs.cleanup.finish_deletions", timedelta(minutes=10)) in PERIODIC
    with app.app_context():
        assert finish_deletions() == 1
        assert db().get(Account, beneficiary.id).status == "deleted"
        assert not any(rows_of(beneficiary.id).values()) and blobs_of(app, items) == []


def test_blobs_left_by_a_crash_after_the_commit_are_purged_by_the_cleanup(app, filled, monkeypatch):
    beneficiary, _, _, _, items = filled
    with app.app_context():
        monkeypatch.setattr(deletion, "purge_queued_blobs", lambda *args, **kwargs: 0)
        delete(app, beneficiary.id)
        assert blobs_of(app, items)
        monkeypatch.undo()
        assert finish_deletions() == 0
        assert blobs_of(app, items) == [] and db().scalar(select(func.count()).select_from(BlobDeletion)) == 0


def test_an_item_saved_by_a_request_in_flight_is_swept_by_the_cleanup(app, filled):
    beneficiary, _, _, _, items = filled
    with app.app_context():
        row = db().get(Item, items[0])
        late = {column.key: getattr(row, column.key) for column in Item.__table__.columns}
        delete(app, beneficiary.id)
        late["id"] = "f" * 32
        db().add(Item(**late))
        db().commit()
        app.extensions["blobs"].put(f"items/{late['id']}/1", [b"sealed to shredded keys"])
        assert finish_deletions() == 0
        assert db().get(Item, late["id"]) is None and blobs_of(app, [late["id"]]) == []


def test_only_a_beneficiary_is_deleted_here(app, make_account):
    staff = make_account(role="professional")
    with app.app_context():
        with pytest.raises(deletion.NotABeneficiary):
            delete(app, staff.id)
        assert db().get(Account, staff.id).status == "active"


# The copy taken before: the whole database and blob store, then the real unlock path against it

def copy_of_everything(app) -> tuple[Engine, dict[str, bytes]]:
    """Every row of every table into a fresh SQLite database, every blob into memory."""
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    Base.metadata.create_all(engine)
    live = db().get_bind()
    with live.connect() as source, engine.begin() as target:
        for table in Base.metadata.sorted_tables:
            rows = [dict(row._mapping) for row in source.execute(table.select())]
            if rows:
                target.execute(table.insert(), rows)
    store = app.extensions["blobs"]
    return engine, {name: b"".join(store.open(name)) for name in store.names("")}


def unlock_copy(app, engine, identifier: str, password: str):
    with Session(engine) as copy:
        return accounts.authenticate(copy, app.extensions["keys"], identifier, password).identity


def open_any_wrap(blob: bytes, box: BoxKeyPair) -> bytes | None:
    """A wrap opened by a recipient key whatever its context says, trusting the signer it names."""
    try:
        context = read_header(Reader(blob), b"W")
        return unwrap_key(blob, box, context, blob[-96:-64])
    except CryptoError:
        return None


def every_key_obtainable(engine, boxes: list[BoxKeyPair]) -> list[bytes]:
    """Every payload of every wrap row of the copy, opened with every box key known or found, to a fixpoint."""
    with Session(engine) as copy:
        wraps = [row.blob for row in copy.scalars(select(EpochWrap))]
        wraps += [row.blob for row in copy.scalars(select(GenerationWrap))]
        wraps += [row.owner_wrap for row in copy.scalars(select(Item))]
    found, boxes = set(), list(boxes)
    while True:
        new = {payload for blob in wraps for box in boxes if (payload := open_any_wrap(blob, box)) is not None} - found
        if not new:
            return sorted(found)
        found |= new
        boxes += [BoxKeyPair.from_secret(payload) for payload in new if len(payload) == 32]


def private_items_opened(engine, candidate_keys: list[bytes], owner_id: str) -> list[str]:
    opened = []
    with Session(engine) as copy:
        for row in copy.scalars(select(Item).where(Item.owner_id == owner_id, Item.shared.is_(False))):
            for key in candidate_keys:
                try:
                    items.decrypt_metadata(key, items.ItemRef(row.id, row.owner_id, row.revision), row.meta)
                except CryptoError:
                    continue
                opened.append(row.id)
    return opened


def test_a_copy_taken_before_plus_the_right_password_decrypts_nothing_private(app, client, filled):
    beneficiary, auth, _, manager, items_made = filled
    with app.app_context():
        engine, blobs = copy_of_everything(app)
        # The copy works before: the right password opens the private items (so the checks below can fail).
        identity = unlock_copy(app, engine, beneficiary.identifier, beneficiary.password)
        assert len(private_items_opened(engine, every_key_obtainable(engine, [identity.box]), beneficiary.id)) == 3
    assert client.post("/api/v1/me/delete", json={"password": beneficiary.password, "confirm": True},
                       headers=auth).status_code == 200
    with app.app_context():
        with pytest.raises(InvalidCredentials):
            unlock_copy(app, engine, beneficiary.identifier, beneficiary.password)
        staff = unlock_copy(app, engine, manager.identifier, manager.password)
        obtainable = every_key_obtainable(engine, [staff.box])
        assert obtainable  # the Relais's generation and the shared epochs it was given
        assert private_items_opened(engine, obtainable, beneficiary.id) == []
        assert blobs and all(not app.extensions["blobs"].exists(name) for name in blobs if name.split("/")[1] in items_made)


# The beneficiary's own pages and API

PAGE = "/mes-donnees/supprimer-mon-compte"


def test_the_page_lists_what_goes_and_offers_the_export_first(app, client, filled):
    beneficiary = filled[0]
    log_in(client, beneficiary)
    for path in ("/mes-donnees/", "/compte/"):
        assert 'href="/mes-donnees/supprimer-mon-compte"' in client.get(path).text
    page = client.get(PAGE).text
    assert page.index("/mes-donnees/export") < page.index('name="password"')
    for shown in ("2 documents", "1 note", "1 contact", "1 rendez-vous", "1 rappel par SMS prévu",
                  "Relais du Pont ne verra plus"):
        assert shown in page


def test_an_empty_vault_is_said_in_words_not_in_zeros(client, make_account):
    log_in(client, make_account())
    page = client.get(PAGE).text
    assert "Votre coffre, qui est vide" in page and "0 document" not in page and "0 note" not in page


def test_without_the_password_or_the_box_nothing_is_deleted_and_the_form_keeps_the_box(app, client, filled):
    beneficiary, auth, structure_id, manager, _ = filled
    log_in(client, beneficiary)
    wrong = client.post(PAGE, data={"password": "pas le bon mot de passe", "confirm": "y",
                                    "csrf_token": csrf_token(client, PAGE)})
    assert wrong.status_code == 400 and "Ce n&#39;est pas votre mot de passe." in wrong.text
    assert re.search(r'<input[^>]*checked[^>]*id="confirm"|<input[^>]*id="confirm"[^>]*checked', wrong.text)
    unticked = client.post(PAGE, data={"password": beneficiary.password, "csrf_token": csrf_token(client, PAGE)})
    assert unticked.status_code == 400 and "Cochez la case" in unticked.text
    assert client.post("/api/v1/me/delete", json={"password": "pas le bon", "confirm": True},
                       headers=auth).status_code == 403
    assert client.post("/api/v1/me/delete", json={"password": beneficiary.password, "confirm": False},
                       headers=auth).status_code == 422
    with app.app_context():
        assert db().get(Account, beneficiary.id).status == "active" and rows_of(beneficiary.id)["items"] == 5
    assert client.get(f"/api/v1/me/deletion", headers=auth).json == {
        "documents": 2, "notes": 1, "contacts": 1, "appointments": 1, "structures": ["Relais du Pont"],
        "phone": None, "reminders": 1}


def test_deleting_from_the_page_ends_the_session_and_the_relais_access_at_once(app, client, filled):
    beneficiary, auth, structure_id, manager, _ = filled
    staff = login(client, manager)
    shared = f"/api/v1/structures/{structure_id}/shared/{beneficiary.id}/items"
    assert len(client.get(shared, headers=staff).json["items"]) == 2
    log_in(client, beneficiary)
    done = client.post(PAGE, data={"password": beneficiary.password, "confirm": "y",
                                   "csrf_token": csrf_token(client, PAGE)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/mes-donnees/compte-supprime")
    landing = client.get("/mes-donnees/compte-supprime")
    assert "Votre compte a été supprimé" in landing.text and 'href="/"' in landing.text
    assert client.get("/mes-donnees/", follow_redirects=False).status_code == 302  # logged out
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert client.get(shared, headers=staff).status_code == 404
    assert client.post("/api/v1/auth/login", json={"identifier": beneficiary.identifier,
                                                   "password": beneficiary.password}).status_code == 401


def test_staff_cannot_use_the_beneficiary_deletion(app, client, make_account):
    professional = make_account(role="professional")
    log_in(client, professional)
    assert client.get(PAGE).status_code == 403
    auth = login(client, professional)
    assert client.post("/api/v1/me/delete", json={"password": professional.password, "confirm": True},
                       headers=auth).status_code == 403


# A professional's deletion, validated by their manager (R15, `structures/services.py`)

def test_the_manager_validating_a_professionals_request_rotates_and_erases(app, client, filled, make_account):
    beneficiary, _, structure_id, manager, _ = filled
    professional = make_account(role="professional")
    with app.app_context():
        add_member(app, db().get(Structure, structure_id), manager, professional)
        generation = db().get(Structure, structure_id).current_generation
    home = f"/relais/{structure_id}"
    asked = client.post("/api/v1/contact", headers=login(client, professional),
                        json={"category": "question", "message": "Comment supprimer mon compte ?", "reach_at": ""})
    assert asked.status_code == 201
    log_in(client, professional)
    client.post(f"{home}/demande-de-suppression", data={"csrf_token": csrf_token(client, home)})
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, home)})
    log_in(client, manager)
    page = client.get(home).text
    assert "Cette personne demande la suppression de son compte." in page
    delete = f"{home}/membres/{professional.id}/supprimer"
    assert client.post(delete, data={"csrf_token": csrf_token(client, delete)}).status_code == 302
    with app.app_context():
        structure = db().get(Structure, structure_id)
        assert structure.current_generation == generation + 1
        assert db().get(Membership, (structure_id, professional.id)) is None
        assert professional.id not in verified_roster(db(), app.extensions["keys"], structure)
        assert_erased(app, professional.id)
        assert db().scalar(select(func.count()).select_from(ContactMessage)
                           .where(ContactMessage.account_id == professional.id)) == 0
    assert client.post("/api/v1/auth/login", json={"identifier": professional.identifier,
                                                   "password": professional.password}).status_code == 401
    staff = login(client, manager)  # the Relais still reads the shared part, through generation g+1
    assert len(client.get(f"/api/v1/structures/{structure_id}/shared/{beneficiary.id}/items",
                          headers=staff).json["items"]) == 2


def assert_erased(app, account_id: str) -> None:
    tombstone = db().get(Account, account_id)
    assert tombstone.status == "deleted" and tombstone.identifier == f"supprime-{account_id}"
    assert db().get(Person, account_id) is None
    assert db().scalar(select(func.count()).select_from(KeyBundle).where(KeyBundle.account_id == account_id)) == 0
    assert not app.extensions["keys"].status(account_id, "password").enrolled


# A manager's deletion, through a platform administrator

def test_a_managers_deletion_waits_for_another_manager_then_the_next_login_renews_the_keys(app, client, filled,
                                                                                          make_account):
    beneficiary, _, structure_id, manager, _ = filled
    colleague, admin = make_account(role="professional"), make_account(role="admin")
    with app.app_context():
        add_member(app, db().get(Structure, structure_id), manager, colleague)
        generation = db().get(Structure, structure_id).current_generation
    mine = login(client, manager)
    assert client.post("/api/v1/me/deletion-request", headers=mine).json == {"pending": True, "refusal_reason": None}
    platform = login(client, admin)
    listed = client.get("/api/v1/admin/deletion-requests", headers=platform).json["requests"]
    assert [(r["account_id"], r["can_validate"], r["sole_manager_of"]) for r in listed] == [
        (manager.id, False, [structure_id])]
    validate = f"/api/v1/admin/deletion-requests/{manager.id}/validate"
    refused = client.post(validate, headers=platform)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "last_manager"
    log_in(client, admin)
    page = client.get(f"/admin/suppressions/gestionnaires/{manager.id}/valider").text
    assert "seul gestionnaire de Relais du Pont" in page and "Oui, supprimer le compte" not in page
    # A co-manager cannot refuse it: the platform decides.
    assert client.delete(f"/api/v1/structures/{structure_id}/deletion-requests/{manager.id}",
                         headers=mine).status_code == 404
    assert client.post(f"/api/v1/structures/{structure_id}/managers", json={"account_id": colleague.id},
                       headers=mine).json == {"status": "manager"}
    assert client.post(validate, headers=platform).json == {"status": "deleted"}
    with app.app_context():
        structure = db().get(Structure, structure_id)
        assert db().get(Membership, (structure_id, manager.id)) is None
        assert Structures(db(), app.extensions["keys"], None).departure_waits(structure)
        assert_erased(app, manager.id)
    assert client.get("/api/v1/me", headers=mine).status_code == 401
    staff = login(client, colleague)  # the remaining member's login renews the generation
    with app.app_context():
        structure = db().get(Structure, structure_id)
        assert structure.current_generation == generation + 1
        assert not Structures(db(), app.extensions["keys"], None).departure_waits(structure)
        assert not db().scalars(select(GenerationWrap).where(GenerationWrap.account_id == manager.id)).all()
    assert len(client.get(f"/api/v1/structures/{structure_id}/shared/{beneficiary.id}/items",
                          headers=staff).json["items"]) == 2


def test_a_refused_request_tells_the_manager_why(app, client, make_account):
    admin = make_account(role="admin")
    with app.app_context():
        _, manager = make_structure(app, "Relais de la Gare")
    log_in(client, manager)
    page = "/compte/suppression/"
    assert f'href="{page}"' in client.get("/compte/").text and f'href="{page}"' in client.get("/mes-donnees/").text
    assert client.post(page, data={"csrf_token": csrf_token(client, page)}).status_code == 302
    assert "Votre demande est envoyée" in client.get(page).text
    platform = login(client, admin)
    refuse = f"/api/v1/admin/deletion-requests/{manager.id}/refuse"
    assert client.post(refuse, json={"reason": "   "}, headers=platform).status_code == 422
    assert client.post(refuse, json={"reason": "Nommez d'abord un autre gestionnaire."},
                       headers=platform).json == {"status": "refused"}
    assert "Nommez d&#39;abord un autre gestionnaire." in client.get(page).text
    mine = login(client, manager)
    assert client.get("/api/v1/me/deletion-request", headers=mine).json == {
        "pending": False, "refusal_reason": "Nommez d'abord un autre gestionnaire."}
    assert client.post(refuse, json={"reason": "encore"}, headers=platform).status_code == 404  # nothing waits


def test_strangers_get_403_or_404(app, client, filled, make_account):
    beneficiary, auth, structure_id, manager, _ = filled
    professional = make_account(role="professional")
    log_in(client, professional)
    for path in ("/admin/suppressions/", f"/admin/suppressions/personnes/{beneficiary.id}",
                 "/compte/suppression/"):
        assert client.get(path).status_code == 403
    pro = login(client, professional)
    for path in ("/api/v1/admin/deletion-requests", f"/api/v1/admin/deletion-requests/{manager.id}/validate",
                 "/api/v1/admin/beneficiary-deletions", "/api/v1/me/deletion-request"):
        method = client.get if path.endswith("requests") else client.post
        assert method(path, headers=pro, json={}).status_code == 403
    assert client.post(f"/api/v1/structures/{structure_id}/managers", json={"account_id": professional.id},
                       headers=pro).status_code == 404
    admin = login(client, make_account(role="admin"))
    assert client.post(f"/api/v1/admin/deletion-requests/{manager.id}/validate", headers=admin).status_code == 404
    with app.app_context():
        assert db().get(Account, beneficiary.id).status == db().get(Account, manager.id).status == "active"


# A beneficiary's deletion asked of the platform

def test_an_administrator_deletes_a_beneficiary_after_a_confirmation_with_a_ground(app, client, filled, make_account):
    beneficiary, auth, _, _, items_made = filled
    admin = make_account(role="admin")
    log_in(client, admin)
    found = client.get("/admin/suppressions/personnes", query_string={"identifiant": beneficiary.identifier.upper()})
    page = found.headers["Location"]
    assert page.endswith(f"/admin/suppressions/personnes/{beneficiary.id}")
    shown = client.get(page).text
    assert "2 documents" in shown and "Relais du Pont ne verra plus" in shown
    unticked = client.post(page, data={"ground": "request", "csrf_token": csrf_token(client, page)})
    assert unticked.status_code == 400 and re.search(r'<input[^>]*checked[^>]*value="request"', unticked.text)
    with app.app_context():
        assert db().get(Account, beneficiary.id).status == "active"
    done = client.post(page, data={"ground": "request", "confirm": "y", "csrf_token": csrf_token(client, page)})
    assert done.status_code == 302
    with app.app_context():
        event = db().scalars(select(AuditEvent).where(AuditEvent.action == "account.deleted",
                                                      AuditEvent.subject_id == beneficiary.id)).one()
        assert (event.actor_id, event.details) == (admin.id, {"reason": "platform", "ground": "request"})
        assert not any(rows_of(beneficiary.id).values()) and blobs_of(app, items_made) == []
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert client.get(page).status_code == 404


def test_the_same_through_the_api(app, client, make_account):
    beneficiary, admin = make_account(), make_account(role="admin")
    platform = login(client, admin)
    deletions = "/api/v1/admin/beneficiary-deletions"
    assert client.post(deletions, json={"identifier": beneficiary.identifier, "ground": "whim"},
                       headers=platform).status_code == 422
    assert client.post(deletions, json={"identifier": "personne", "ground": "death"},
                       headers=platform).status_code == 404
    assert client.post(deletions, json={"identifier": beneficiary.identifier, "ground": "death"},
                       headers=platform).json == {"status": "deleted", "account_id": beneficiary.id}
    with app.app_context():
        assert db().get(Account, beneficiary.id).status == "deleted"
