"""The reset with a professional, without answer or code (R14, crypto.md 6): the account, its
identifier, its Relais and its shared part stay; the private part is lost for good.

A member of a structure the person is actively affiliated to runs it, the person present and
typing their new password and a new secret question and answer. Before anything changes, the
member's session opens, from the structure's keys, the latest shared-part epoch and the key of every
shared item: a Relais that holds no key of the shared part yet, or an item that does not open, stops
the reset there. Then `rotate_identity` gives the person a new identity and, in the transaction that
installs it:

- the latest epoch is wrapped to the new identity (`SharedPart.regrant_owner`), signed by the member;
- every shared item's key is wrapped to the new identity, signed by the member, so the person's own
  vault opens it; its seal, by whoever wrote it, still verifies through the identity history;
- every private item and private folder is deleted, its blobs queued (`BlobDeletion`) and deleted
  after the commit; shared items of a deleted private folder fall to the root (the folder foreign
  key's ON DELETE SET NULL);
- the new secret answer is enrolled; the audit event `account.reset_by_professional` (actor,
  structure, counts) is recorded and an SMS notice is scheduled to the confirmed phone, if any.

Nobody can read the private items afterwards: they were wrapped only to the old identity, whose
keys every factor sealed under OPRF keys the rotation shredded; their rows and blobs go as well.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import sharedpart
from vaultcore.errors import CryptoError

from ..accounts.deletion import purge_queued_blobs
from ..accounts.identity import rotate_identity
from ..accounts.models import Account
from ..accounts.secret_answer import enroll_answer
from ..accounts.services import Unlocked
from ..audit.services import record_event
from ..db import new_id
from ..reminders import follow as reminders
from ..sms import delivery
from ..sms.errors import SmsError
from ..vault.errors import ItemNotFound
from ..vault.keyring import Keyring
from ..vault.models import BlobDeletion, Item, SharedItemKey
from ..vault.sharing import SharedPart
from .errors import StructureError
from .models import Affiliation, Structure
from .services import Actor, current_generation_keys
from .shared_access import RESET

log = logging.getLogger(__name__)
KINDS = ("document", "note", "contact", "appointment", "folder")


class ResetUnavailable(StructureError):
    """This Relais holds no key of the person's shared part yet (an affiliation confirmed by SMS code
    waits for the person's next login): it cannot give the shared part back."""

    code = "reset_unavailable"


@dataclass(frozen=True)
class PrivatePart:
    """What a reset deletes, counted from the rows (nothing is decrypted): items with no key sealed
    under the shared part, the trash included."""

    document: int = 0
    note: int = 0
    contact: int = 0
    appointment: int = 0
    folder: int = 0

    @property
    def items(self) -> int:
        return self.document + self.note + self.contact + self.appointment

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class ResetDone:
    lost: PrivatePart
    shared_kept: int


def affiliated_beneficiary(db: Session, structure: Structure, beneficiary_id: str) -> Account:
    """The active beneficiary actively affiliated to `structure`; ItemNotFound (a 404) otherwise."""
    affiliation = db.get(Affiliation, (beneficiary_id, structure.id))
    account = db.get(Account, beneficiary_id)
    if (affiliation is None or affiliation.status != "active" or account is None or not account.is_active
            or account.role != "beneficiary"):
        raise ItemNotFound()
    return account


def private_part(db: Session, beneficiary_id: str) -> PrivatePart:
    rows = db.execute(select(Item.kind, func.count()).where(*_private(beneficiary_id)).group_by(Item.kind))
    return PrivatePart(**{kind: count for kind, count in rows if kind in KINDS})


def reset_with_professional(db: Session, keys: KeyServiceClient, store, structure: Structure, member: Actor,
                            account: Account, *, new_password: str, question: str, answer: str,
                            now: datetime) -> ResetDone:
    """Run the reset (see the module); WeakPassword, ResetUnavailable or CryptoError before anything
    changed. Commits."""
    affiliated_beneficiary(db, structure, account.id)
    generation = current_generation_keys(db, keys, structure, member)
    item_keys = _shared_item_keys(db, keys, account.id, generation, member)
    lost = private_part(db, account.id)
    queued: list[str] = []

    def in_the_rotation(unlocked: Unlocked) -> None:
        keyring = Keyring(db, keys)  # a new one: it must see the new identity
        SharedPart.for_structure(db, keys, keyring, account.id, generation, member.id, member.identity).regrant_owner()
        _rewrap_to_owner(db, keyring, account.id, item_keys, member)
        queued.extend(_delete_private(db, account.id, now, member.id))
        enroll_answer(db, keys, unlocked, question, answer, actor_id=member.id)
        record_event(db, RESET, actor_id=member.id, subject_id=account.id, structure_id=structure.id,
                     details={**{f"lost_{kind}": count for kind, count in lost.as_dict().items()},
                              "shared_kept": len(item_keys)})
        _notify(db, account, now)
        # The Relais acted on this account: activity for the 2-year rule (R16c), as a consultation is.
        db.get(Affiliation, (account.id, structure.id)).last_professional_activity_at = now

    rotate_identity(db, keys, account, new_password, actor_id=member.id, then=in_the_rotation)
    purge_queued_blobs(db, store, queued)  # after the commit; a crash first leaves them to jobs/cleanup.py
    return ResetDone(lost, len(item_keys))


def _private(owner_id: str) -> tuple:
    shared = select(SharedItemKey.item_id)
    return Item.owner_id == owner_id, Item.id.not_in(shared)


def _shared_item_keys(db: Session, keys: KeyServiceClient, owner_id: str, generation, member: Actor) -> dict[str, bytes]:
    """Every shared item's key, opened through the structure's generation before anything changes."""
    shared_part = SharedPart.for_structure(db, keys, Keyring(db, keys), owner_id, generation, member.id,
                                           member.identity)
    try:
        shared_part.latest()
    except LookupError:
        raise ResetUnavailable() from None
    found = {}
    rows = db.execute(select(Item.id, SharedItemKey.epoch, SharedItemKey.blob)
                      .join(SharedItemKey, SharedItemKey.item_id == Item.id).where(Item.owner_id == owner_id))
    for item_id, epoch, blob in rows:
        try:
            found[item_id] = sharedpart.open_item_key(shared_part.epoch(epoch), item_id, blob)
        except LookupError:
            raise CryptoError() from None  # a sealed key under an epoch that does not exist
    return found


def _rewrap_to_owner(db: Session, keyring: Keyring, owner_id: str, item_keys: dict[str, bytes], member: Actor) -> None:
    owner = keyring.current_identity(owner_id)
    author = items.Author(member.id, member.version, member.identity)
    for item_id, key in item_keys.items():
        row = db.get(Item, item_id)
        row.owner_wrap = items.wrap_item_key_to_owner(key, items.ItemRef(row.id, row.owner_id, row.revision),
                                                      owner.box_public, owner.version, author)
        row.owner_wrap_signer_id = member.id


def _delete_private(db: Session, owner_id: str, now: datetime, actor_id: str) -> list[str]:
    """Delete the private rows in this transaction; returns the blob prefixes queued for after it."""
    rows = db.execute(select(Item.id, Item.kind).where(*_private(owner_id))).all()
    ids = [item_id for item_id, _kind in rows]
    # The reminders' rows go with their appointments; their scheduled SMS must not go out.
    reminders.appointments_trashed(db, [item_id for item_id, kind in rows if kind == "appointment"], now=now,
                                   actor_id=actor_id)
    prefixes = [f"items/{item_id}/" for item_id in ids]
    db.add_all(BlobDeletion(prefix=prefix) for prefix in prefixes)
    db.flush()  # what is pending is written first: expiring below must lose nothing
    db.execute(delete(Item).where(Item.id.in_(ids)).execution_options(synchronize_session=False))
    db.expire_all()  # the database nulled the folder of shared items whose folder went
    return prefixes


def _notify(db: Session, account: Account, now: datetime) -> None:
    """The SMS notice to the confirmed phone, if any; no secret in it. A refused send (STOP, quota)
    is logged, never stops the reset."""
    if account.person is None or not account.person.phone:
        return
    body = _("Votre compte Cloud Solidaire a été remis à zéro avec votre Relais : nouveau mot de passe, "
             "documents privés effacés, partage gardé. Si ce n'est pas vous, parlez-en à votre Relais.")
    try:
        delivery.schedule(db, phone_e164=account.person.phone, body=body, purpose="notice",
                          idempotency_key=f"assisted-reset:{new_id()}", send_after=now, now=now, account_id=account.id)
    except SmsError as error:
        log.info("reset notice not sent: %s", type(error).__name__)
