"""Account deletion (R15): crypto-shredding, every row and blob gone, a tombstone, on both backends."""
import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobs.cleanup import finish_deletions
from jobs.schedule import PERIODIC
from webapp.accounts import deletion
from webapp.accounts.models import Account, KeyBundle, Person
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.reminders.models import Reminder
from webapp.sms.models import SmsMessage
from webapp.structures.models import Affiliation
from webapp.vault.models import AffiliationSetVersion, BlobDeletion, EpochWrap, Item, SharedEpoch, SharedItemKey

from .relais import affiliate, make_structure
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
             record(client, auth, "contact", {"name": "Dr Lune"}, shared=True)]
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
    return counts


def blobs_of(app, item_ids) -> list[str]:
    store = app.extensions["blobs"]
    return [name for item_id in item_ids for name in store.names(f"items/{item_id}/")]


def delete(app, account_id: str, reason="self"):
    account = db().get(Account, account_id)
    deletion.delete_beneficiary(db(), app.extensions["keys"], app.extensions["blobs"], account,
                                actor_id=account_id if reason == "self" else None, reason=reason)


def test_the_service_leaves_a_tombstone_and_nothing_else(app, filled):
    beneficiary, _, _, _, items = filled
    with app.app_context():
        assert any(rows_of(beneficiary.id).values()) and blobs_of(app, items)
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


def test_only_a_beneficiary_is_deleted_here(app, make_account):
    staff = make_account(role="professional")
    with app.app_context():
        with pytest.raises(deletion.NotABeneficiary):
            delete(app, staff.id)
        assert db().get(Account, staff.id).status == "active"
