"""The vault domain from the owner's session: items round-trip, sharing seals under the epoch key,
a private item is never wrapped to anything but its owner, tampering fails."""
import os

import pytest
from sqlalchemy import select

from vaultcore import item as items
from vaultcore import sharedpart
from vaultcore.errors import CryptoError
from webapp.accounts import services as accounts
from webapp.database import db
from webapp.vault.errors import ItemNotFound
from webapp.vault.models import EpochWrap, Item, SharedEpoch, SharedItemKey
from webapp.vault.services import Vault

from .conftest import PASSWORD


@pytest.fixture
def vault(app, make_account):
    made = make_account()
    with app.app_context():
        unlocked = accounts.authenticate(db(), app.extensions["keys"], made.identifier, PASSWORD)
        yield Vault(db(), app.extensions["keys"], unlocked.account.id, 1, unlocked.identity)


def test_note_round_trip_and_edit(app, vault):
    note = vault.create_record_item("note", {"title": "Rendez-vous CAF", "text": "Apporter l'avis d'imposition"})
    db().commit()
    assert vault.get(note.id).metadata["text"] == "Apporter l'avis d'imposition"
    vault.update_metadata(note.id, {"title": "Rendez-vous CAF", "text": "Fait"})
    db().commit()
    assert vault.get(note.id).metadata["text"] == "Fait"
    assert [view.id for view in vault.list_items("note")] == [note.id]


def test_document_streams_through_encryption(app, vault):
    store = app.extensions["blobs"]
    content = os.urandom(200_000)
    chunks = (content[i:i + 10_000] for i in range(0, len(content), 10_000))
    document = vault.create_document({"title": "Carte d'identité", "file_name": "cni.jpg"}, store, chunks)
    db().commit()
    assert document.size == len(content)
    assert content[:1000] not in b"".join(store.open(f"items/{document.id}/1"))
    assert b"".join(vault.open_content(document.id, store)) == content


def test_private_item_is_wrapped_to_its_owner_only(app, vault):
    private = vault.create_record_item("contact", {"name": "Assistante sociale"})
    db().commit()
    assert db().get(SharedItemKey, private.id) is None
    assert db().scalars(select(EpochWrap)).all() == []


def test_sharing_seals_the_key_under_the_epoch_and_unsharing_removes_it(app, vault):
    note = vault.create_record_item("note", {"title": "partagée"}, shared=True)
    db().commit()
    sealed = db().get(SharedItemKey, note.id)
    epoch = vault.shared_part.epoch(sealed.epoch)
    key = sharedpart.open_item_key(epoch, note.id, sealed.blob)
    row = db().get(Item, note.id)
    assert items.decrypt_metadata(key, items.ItemRef(note.id, row.owner_id, row.revision), row.meta) == {"title": "partagée"}
    vault.set_shared(note.id, False)
    db().commit()
    assert db().get(SharedItemKey, note.id) is None and vault.get(note.id).shared is False
    vault.set_shared(note.id, True)
    db().commit()
    assert db().scalars(select(SharedEpoch)).all()[0].number == 1  # still fresh: no new epoch


def test_swapped_metadata_between_items_fails(app, vault):
    first = vault.create_record_item("note", {"title": "un"})
    second = vault.create_record_item("note", {"title": "deux"})
    db().commit()
    a, b = db().get(Item, first.id), db().get(Item, second.id)
    a.meta, b.meta = b.meta, a.meta
    db().commit()
    with pytest.raises(CryptoError):
        vault.get(first.id)


def test_swapped_owner_wraps_between_items_fail(app, vault):
    first = vault.create_record_item("note", {"title": "un"})
    second = vault.create_record_item("note", {"title": "deux"})
    db().commit()
    a, b = db().get(Item, first.id), db().get(Item, second.id)
    a.owner_wrap, b.owner_wrap = b.owner_wrap, a.owner_wrap
    db().commit()
    with pytest.raises(CryptoError):
        vault.get(first.id)


def test_trash_and_restore(app, vault):
    note = vault.create_record_item("note", {"title": "à jeter"})
    vault.trash(note.id)
    db().commit()
    assert vault.list_items() == [] and [v.id for v in vault.list_items(trashed=True)] == [note.id]
    with pytest.raises(ItemNotFound):
        vault.get(note.id)
    vault.restore(note.id)
    assert vault.get(note.id).metadata == {"title": "à jeter"}


def test_another_owner_gets_not_found(app, vault, make_account):
    note = vault.create_record_item("note", {"title": "à moi"})
    db().commit()
    other = make_account()
    unlocked = accounts.authenticate(db(), app.extensions["keys"], other.identifier, PASSWORD)
    stranger = Vault(db(), app.extensions["keys"], unlocked.account.id, 1, unlocked.identity)
    with pytest.raises(ItemNotFound):
        stranger.get(note.id)


def test_interrupted_upload_leaves_no_item_and_no_blob(app, vault):
    store = app.extensions["blobs"]

    def interrupted():
        yield os.urandom(100_000)
        raise ConnectionResetError("the phone lost its network")

    with pytest.raises(ConnectionResetError):
        vault.create_document({"title": "coupé"}, store, interrupted(), shared=True)
    db().rollback()
    assert db().scalars(select(Item)).all() == [] and db().scalars(select(SharedItemKey)).all() == []
    assert list(store.names("items/")) == []


def test_trash_is_purged_after_30_days_and_not_before(app, vault):
    from datetime import timedelta

    from webapp.db import utcnow
    from webapp.vault.retention import purge_trash

    store = app.extensions["blobs"]
    document = vault.create_document({"title": "vieux"}, store, [b"%PDF-1.7 contenu"])
    vault.trash(document.id)
    db().commit()
    trashed_at = db().get(Item, document.id).trashed_at
    assert purge_trash(db(), store, trashed_at + timedelta(days=30) - timedelta(seconds=1)) == 0
    assert store.exists(f"items/{document.id}/1")
    assert purge_trash(db(), store, trashed_at + timedelta(days=30, seconds=1)) == 1
    assert db().get(Item, document.id) is None and not store.exists(f"items/{document.id}/1")
