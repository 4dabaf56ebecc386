"""The brief's malicious professional, on the web app's real database (both backends).

A realistic scene: three Relais, a professional in two of them, a colleague who leaves (rotation),
beneficiaries affiliated to one, two or none of the professional's Relais, one affiliation ended,
private and shared items, an item the professional added. The attacker then holds every binary
column of every table and the keys their own password unlocks, and tries every key on every blob
until nothing new opens (`tests/vaultcore/test_malicious_professional.attack`), on a copy of the
database taken before the colleague left, and on one taken at the end."""
import pytest
from sqlalchemy import LargeBinary, func, select

from tests.vaultcore.test_malicious_professional import Store, attack
from vaultcore import affiliationset
from vaultcore.encoding import Reader, read_header
from vaultcore.errors import CryptoError
from vaultcore.statement import sign_statement
from webapp.database import db
from webapp.db import Base
from webapp.structures.models import Affiliation
from webapp.structures.shared_access import SharedAccess
from webapp.vault.models import AffiliationSetVersion, EpochWrap, Item, SharedEpoch

from .relais import add_member, affiliate, end_affiliation, fresh, make_structure, remove_member, unlock
from .test_sharing import vault_of


def stolen_store(store: Store | None = None) -> Store:
    """Every binary value of the database, sorted into wraps and records by their own header, added
    to what an earlier copy held."""
    store = store or Store()
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, LargeBinary)]
        for row in db().execute(select(*columns)) if columns else []:
            for blob in row:
                for kind, bucket in ((b"W", store.wraps), (b"R", store.records)):
                    try:
                        read_header(Reader(blob or b""), kind)
                    except (CryptoError, ValueError):
                        continue
                    bucket.append(blob)
    store.metadata.update({row.id: row.meta for row in db().scalars(select(Item))})
    return store


def test_a_professional_opens_exactly_the_shared_parts_of_their_affiliated_beneficiaries(app, make_account):
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        south, south_manager = make_structure(app, "Relais Sud")
        east, _ = make_structure(app, "Relais Est")
        pro, leaver = make_account("professional"), make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, north, north_manager, leaver)
        add_member(app, south, south_manager, pro)
        ana, bruno, chloe, david, emma = (make_account() for _ in range(5))
        affiliate(app, ana, north, contributions=True)
        affiliate(app, bruno, south)
        affiliate(app, bruno, east)
        affiliate(app, chloe, east)
        affiliate(app, emma, north)
        expected_pro, expected_leaver, made = set(), set(), {}

        def put(who, name, shared):
            view = vault_of(app, who).create_record_item("note", {"title": f"canari-{name}"}, shared=shared)
            db().commit()
            made[name] = view.id
            return view.id

        for who, name in ((ana, "ana"), (bruno, "bruno"), (chloe, "chloe"), (david, "david"), (emma, "emma")):
            put(who, f"{name}-private", False)
            put(who, f"{name}-shared", True)
        access = SharedAccess(db(), app.extensions["keys"], fresh(north), unlock(app, pro.identifier), ana.id)
        made["ana-added-by-pro"] = access.add_record_item("note", {"title": "canari-ajout"}).id
        db().commit()
        expected_leaver |= {made["ana-shared"], made["ana-added-by-pro"], made["emma-shared"]}

        copied_before_leaving = stolen_store()  # both kept a full copy of the database from before
        remove_member(app, north, north_manager, leaver.id)  # generation 2 of Relais Nord
        put(ana, "ana-after-rotation", True)
        end_affiliation(app, emma, north)
        put(emma, "emma-after-end", True)
        expected_pro |= {made["ana-shared"], made["ana-added-by-pro"], made["ana-after-rotation"], made["bruno-shared"],
                         made["emma-shared"]}

        store = stolen_store(copied_before_leaving)
        pro_keys, leaver_keys = unlock(app, pro.identifier), unlock(app, leaver.identifier)
        names = {item_id: name for name, item_id in made.items()}
        assert {names[i] for i in attack(store, [pro_keys.identity.box])} == {names[i] for i in expected_pro}
        names = {item_id: name for name, item_id in made.items()}
        assert {names[i] for i in attack(store, [leaver_keys.identity.box])} == {names[i] for i in expected_leaver}
        # The beneficiary themself opens all of their own, and nothing else.
        own = {made["chloe-private"], made["chloe-shared"]}
        assert attack(store, [unlock(app, chloe.identifier).identity.box]) == own



# A database writer who manages a Relais of their own (docs/crypto.md, *Affiliation set*): rows
# alone, or rows with a forged or replayed affiliation-set record, never receive an epoch.

def wrapped_to(owner_id: str, structure_id: str) -> set[int]:
    return set(db().scalars(select(EpochWrap.epoch).where(EpochWrap.owner_id == owner_id,
                                                          EpochWrap.recipient_id == structure_id)))


def insert_active_row(beneficiary_id: str, structure_id: str) -> None:
    row = db().get(Affiliation, (beneficiary_id, structure_id)) or Affiliation(
        beneficiary_id=beneficiary_id, structure_id=structure_id)
    row.status, row.consents_to_contributions, row.ended_at = "active", True, None
    db().add(row)
    db().commit()


def latest_epoch(owner_id: str) -> int:
    return db().scalar(select(func.max(SharedEpoch.number)).where(SharedEpoch.owner_id == owner_id))


def shared_access(app, structure, member, beneficiary) -> SharedAccess:
    return SharedAccess(db(), app.extensions["keys"], fresh(structure), unlock(app, member.identifier), beneficiary.id)


def test_an_inserted_active_row_receives_no_epoch_from_either_side(app, make_account):
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        evil, evil_manager = make_structure(app, "Relais Pirate")
        pro, first, second = (make_account("professional") for _ in range(3))
        for member in (pro, first, second):
            add_member(app, north, north_manager, member)
        ana = make_account()
        affiliate(app, ana, north, contributions=True)
        vault_of(app, ana).create_record_item("note", {"title": "canari-avant"}, shared=True)
        db().commit()

        insert_active_row(ana.id, evil.id)
        remove_member(app, north, north_manager, first.id)  # Ana's epoch is stale: her next share makes one
        shared = vault_of(app, ana).create_record_item("note", {"title": "canari-apres"}, shared=True)
        db().commit()
        remove_member(app, north, north_manager, second.id)  # stale again: the professional's session makes one
        added = shared_access(app, north, pro, ana).add_record_item("note", {"title": "canari-ajout"})
        db().commit()

        assert latest_epoch(ana.id) == 3 and wrapped_to(ana.id, evil.id) == set()
        # The share still works for the Relais the person chose, from both sides.
        assert {3} <= wrapped_to(ana.id, north.id)
        assert shared_access(app, north, pro, ana).get(shared.id).metadata["title"] == "canari-apres"
        assert vault_of(app, ana).get(added.id).metadata["title"] == "canari-ajout"
        assert attack(stolen_store(), [unlock(app, evil_manager.identifier).identity.box]) == set()


def test_an_inserted_row_with_a_forged_or_replayed_set_fails_closed(app, make_account):
    """A set record the key service did not sign at the current version stops the share: nothing
    is wrapped to anyone, since the legitimate structures can no longer be told apart."""
    with app.app_context():
        north, _ = make_structure(app, "Relais Nord")
        evil, evil_manager = make_structure(app, "Relais Pirate")
        ana = make_account()
        affiliate(app, ana, north)
        affiliate(app, ana, evil)
        end_affiliation(app, ana, evil)  # version 3 names Relais Nord alone
        current = latest_set(ana.id)
        genuine = (current.record, current.consent)
        insert_active_row(ana.id, evil.id)

        # A version beyond the high-water mark is ignored: the share works, Relais Pirate gets nothing.
        attacker = unlock(app, evil_manager.identifier).identity
        body = affiliationset.set_body([north.id, evil.id])
        db().add(AffiliationSetVersion(
            owner_id=ana.id, version=current.version + 1, consent=None,
            record=sign_statement(attacker.signing_key, attacker.verify_key,
                                  affiliationset.set_context(ana.id, current.version + 1), body)))
        db().commit()
        vault_of(app, ana).create_record_item("note", {"title": "canari"}, shared=True)
        db().commit()
        assert wrapped_to(ana.id, evil.id) == set() and latest_epoch(ana.id) in wrapped_to(ana.id, north.id)
        db().delete(db().get(AffiliationSetVersion, (ana.id, current.version + 1)))
        db().commit()

        older = db().get(AffiliationSetVersion, (ana.id, current.version - 1))  # named Relais Pirate too
        forged = sign_statement(attacker.signing_key, attacker.verify_key,
                                affiliationset.set_context(ana.id, current.version), body)
        for record, consent in ((older.record, older.consent), (forged, None), (forged, genuine[1])):
            current = latest_set(ana.id)
            current.record, current.consent = record, consent
            db().commit()
            with pytest.raises(CryptoError):
                vault_of(app, ana).create_record_item("note", {"title": "canari"}, shared=True)
            db().rollback()
            assert wrapped_to(ana.id, evil.id) == set()
        current = latest_set(ana.id)
        current.record, current.consent = genuine
        db().commit()
        vault_of(app, ana).create_record_item("note", {"title": "canari"}, shared=True)
        db().commit()
        assert wrapped_to(ana.id, evil.id) == set() and latest_epoch(ana.id) in wrapped_to(ana.id, north.id)


def test_a_rotation_carries_forward_no_wrap_the_set_does_not_name(app, make_account):
    with app.app_context():
        evil, evil_manager = make_structure(app, "Relais Pirate")
        leaver, ana = make_account("professional"), make_account()
        add_member(app, evil, evil_manager, leaver)
        affiliate(app, ana, evil)
        wraps = [(row.epoch, row.recipient_version, row.blob, row.signer_id)
                 for row in db().scalars(select(EpochWrap).where(EpochWrap.recipient_id == evil.id))]
        end_affiliation(app, ana, evil)
        insert_active_row(ana.id, evil.id)
        for epoch, version, blob, signer in wraps:  # the deleted wraps, replayed
            db().add(EpochWrap(owner_id=ana.id, epoch=epoch, recipient_id=evil.id, recipient_version=version,
                               blob=blob, signer_id=signer))
        db().commit()
        remove_member(app, evil, evil_manager, leaver.id)
        assert not db().scalars(select(EpochWrap).where(EpochWrap.recipient_id == evil.id)).all()


def latest_set(owner_id: str) -> AffiliationSetVersion:
    return db().scalar(select(AffiliationSetVersion).where(AffiliationSetVersion.owner_id == owner_id)
                       .order_by(AffiliationSetVersion.version.desc()).limit(1))
