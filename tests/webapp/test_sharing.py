"""Granting and revoking a structure's access to a beneficiary's shared part (`SharedPart.grant`,
`SharedPart.revoke`), and reading it through a structure generation."""
import pytest
from sqlalchemy import select

from vaultcore import sharedpart
from vaultcore.errors import CryptoError
from vaultcore.statement import open_statement
from webapp.database import db
from webapp.structures.models import Affiliation
from webapp.structures.services import current_generation_keys
from webapp.vault.keyring import Keyring
from webapp.vault.models import EpochWrap, SharedEpoch, SharedItemKey
from webapp.vault.services import Vault
from webapp.vault.sharing import EPOCH_PURPOSE, SharedPart

from .relais import affiliate, end_affiliation, fresh, make_structure, owner_shared_part, unlock


def vault_of(app, made) -> Vault:
    owner = unlock(app, made.identifier)
    return Vault(db(), app.extensions["keys"], owner.id, owner.version, owner.identity)


def structure_reader(app, structure, staff, owner_id) -> SharedPart:
    keys = app.extensions["keys"]
    member = unlock(app, staff.identifier)
    generation = current_generation_keys(db(), keys, fresh(structure), member)
    return SharedPart.for_structure(db(), keys, Keyring(db(), keys), owner_id, generation, member.id, member.identity)


def item_key(part: SharedPart, item_id: str) -> bytes:
    sealed = db().get(SharedItemKey, item_id)
    return sharedpart.open_item_key(part.epoch(sealed.epoch), item_id, sealed.blob)


def wraps_of(owner_id: str) -> set[tuple[int, str]]:
    return {(row.epoch, row.recipient_id) for row in db().scalars(select(EpochWrap).where(EpochWrap.owner_id == owner_id))}


def epoch_is_fresh(app, owner_id: str, number: int, generations: dict[str, int]) -> bool:
    row = db().get(SharedEpoch, (owner_id, number))
    return sharedpart.is_fresh(open_statement(row.record, Keyring(db(), app.extensions["keys"]).platform_keys,
                                              EPOCH_PURPOSE), generations)


def test_grant_without_any_epoch_makes_the_first_for_the_structure(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Nord")
        beneficiary = make_account()
        affiliate(app, beneficiary, structure)
        assert wraps_of(beneficiary.id) == {(1, beneficiary.id), (1, structure.id)}
        note = vault_of(app, beneficiary).create_record_item("note", {"title": "partagée"}, shared=True)
        db().commit()
        assert db().get(SharedItemKey, note.id).epoch == 1  # the first epoch was made for the structure: fresh
        reader = structure_reader(app, structure, manager, beneficiary.id)
        assert item_key(reader, note.id) == item_key(owner_shared_part(app, beneficiary), note.id)


def test_grant_wraps_the_latest_epoch_once_and_older_epochs_follow_the_chain(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Est")
        beneficiary = make_account()
        vault = vault_of(app, beneficiary)
        before = vault.create_record_item("note", {"title": "avant"}, shared=True)
        private = vault.create_record_item("note", {"title": "privée"})
        db().commit()
        affiliation = Affiliation(beneficiary_id=beneficiary.id, structure_id=structure.id, status="active")
        db().add(affiliation)
        db().flush()
        part = owner_shared_part(app, beneficiary)
        assert part.grant(structure.id) == 1
        assert part.grant(structure.id) == 0  # already wrapped to the current generation
        db().commit()
        assert wraps_of(beneficiary.id) == {(1, beneficiary.id), (1, structure.id)}
        reader = structure_reader(app, structure, manager, beneficiary.id)
        assert item_key(reader, before.id)
        assert db().get(SharedItemKey, private.id) is None
        # Epoch 1's record does not name the structure: the next share makes epoch 2 for it.
        assert not epoch_is_fresh(app, beneficiary.id, 1, {structure.id: structure.current_generation})
        after = vault_of(app, beneficiary).create_record_item("note", {"title": "après"}, shared=True)
        db().commit()
        assert db().get(SharedItemKey, after.id).epoch == 2
        assert epoch_is_fresh(app, beneficiary.id, 2, {structure.id: structure.current_generation})
        reader = structure_reader(app, structure, manager, beneficiary.id)
        assert item_key(reader, after.id) and item_key(reader, before.id)


def test_revoke_deletes_the_wraps_and_what_is_shared_next_never_reaches_the_structure(app, make_account):
    with app.app_context():
        kept, kept_manager = make_structure(app, "Relais Sud")
        ended, ended_manager = make_structure(app, "Relais Ouest")
        beneficiary = make_account()
        affiliate(app, beneficiary, kept)
        affiliate(app, beneficiary, ended)
        shared_before = vault_of(app, beneficiary).create_record_item("note", {"title": "avant"}, shared=True)
        db().commit()
        old_reader = structure_reader(app, ended, ended_manager, beneficiary.id)
        held = old_reader.epoch(db().get(SharedItemKey, shared_before.id).epoch)  # what the structure held
        old_wraps = {(row.epoch, row.recipient_id): row.blob for row in db().scalars(select(EpochWrap))}

        end_affiliation(app, beneficiary, ended)
        assert all(recipient != ended.id for _, recipient in wraps_of(beneficiary.id))
        generations = {kept.id: kept.current_generation}
        latest = db().scalar(select(SharedEpoch.number).where(SharedEpoch.owner_id == beneficiary.id)
                             .order_by(SharedEpoch.number.desc()).limit(1))
        assert not epoch_is_fresh(app, beneficiary.id, latest, generations)

        shared_after = vault_of(app, beneficiary).create_record_item("note", {"title": "après"}, shared=True)
        db().commit()
        sealed = db().get(SharedItemKey, shared_after.id)
        assert sealed.epoch == latest + 1 and epoch_is_fresh(app, beneficiary.id, sealed.epoch, generations)
        assert item_key(structure_reader(app, kept, kept_manager, beneficiary.id), shared_after.id)
        # The ended structure: no wrap of the new epoch, and neither its old epoch key nor its old wraps open it.
        with pytest.raises(LookupError):
            structure_reader(app, ended, ended_manager, beneficiary.id).epoch(sealed.epoch)
        with pytest.raises(CryptoError):
            sharedpart.open_item_key(sharedpart.Epoch(beneficiary.id, sealed.epoch, held.key), shared_after.id,
                                     sealed.blob)
        assert (sealed.epoch, ended.id) not in old_wraps
