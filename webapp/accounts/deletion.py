"""Deleting a beneficiary's account (R15): crypto-shredding first, then every row, then the blobs.

The order makes a crash leave the account either intact or deleted, never half:

1. the account is marked `deleting` and that is committed: from then on nobody logs in as it, its
   sessions end at their next request and no Relais opens its shared part (all of them require an
   active account), so it is deleted as far as anyone can see;
2. the key service shreds the account's OPRF keys: no copy of a key bundle, old backups included,
   ever opens again, so the private part is unreadable everywhere at once;
3. in one transaction, every row of the account's vault and everything the service held about the
   person goes; the blob prefixes of its items are queued in `blob_deletions`; the account row
   stays as a tombstone (status `deleted`, identifier `supprime-<id>`, no personal data) so that
   foreign keys hold and what the account signed for others still verifies;
4. after the commit, the queued blobs are deleted from the store and their queue rows go.

A crash after step 1 or 2 leaves a `deleting` account: `finish_interrupted_deletions` (a periodic
job) or a second call completes it; the key service's deletion is idempotent. A crash in step 4
leaves queue rows that `purge_queued_blobs` finishes. A second call on a deleted account does nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..audit.services import record_event
from ..contact.models import ContactMessage
from ..moderation.models import FormalNotice
from ..notices.models import Notice
from ..reminders.models import Reminder
from ..sms.code_models import OneTimeCode
from ..sms.models import OutboxMessage, SmsMessage
from ..structures.models import Affiliation, Structure
from ..vault.models import AffiliationSetVersion, BlobDeletion, EpochWrap, Item, SharedEpoch, SharedItemKey
from .models import Account, KeyBundle, Person

REASONS = ("self", "platform", "inactivity")
GROUNDS = ("request", "death", "court")  # why the platform deleted an account
DELETING, DELETED = "deleting", "deleted"


@dataclass(frozen=True)
class Losses:
    """What deleting the account takes away, for the confirmation page and the API."""

    documents: int
    notes: int
    contacts: int
    appointments: int
    structures: list[str]  # the names of the Relais that lose access
    phone: str | None
    reminders: int

    def as_dict(self) -> dict:
        return {"documents": self.documents, "notes": self.notes, "contacts": self.contacts,
                "appointments": self.appointments, "structures": self.structures, "phone": self.phone,
                "reminders": self.reminders}


class NotABeneficiary(ValueError):
    """Only a beneficiary's account is deleted here; staff accounts leave through their structure."""

    code = "not_a_beneficiary"


def delete_beneficiary(db: Session, keys: KeyServiceClient, store, account: Account, *, actor_id: str | None,
                       reason: str, ground: str | None = None) -> None:
    """Delete `account` and all its data (module docstring); commits. Idempotent. `ground`: why the
    platform deleted it (one of GROUNDS), recorded with the reason."""
    if reason not in REASONS or ground not in (None, *GROUNDS):
        raise ValueError("unknown deletion reason")
    if account.role != "beneficiary":
        raise NotABeneficiary()
    if account.status == DELETED:
        return
    if account.status != DELETING:
        account.status = DELETING
        db.commit()
    keys.delete_account(account.id)
    prefixes = _delete_rows(db, account)
    account.status, account.identifier = DELETED, tombstone_identifier(account.id)
    account.last_activity_at = account.last_professional_activity_at = account.inactivity_notice_at = None
    details = {"reason": reason} if ground is None else {"reason": reason, "ground": ground}
    record_event(db, "account.deleted", actor_id=actor_id, subject_id=account.id, details=details)
    db.commit()
    purge_queued_blobs(db, store, prefixes)


def what_goes(db: Session, account: Account, now: datetime) -> Losses:
    """Counted over every item, the trash's included: deletion takes them all."""
    kinds = dict(db.execute(select(Item.kind, func.count()).where(Item.owner_id == account.id).group_by(Item.kind)).all())
    structures = db.scalars(select(Structure.name).join(Affiliation, Affiliation.structure_id == Structure.id).where(
        Affiliation.beneficiary_id == account.id, Affiliation.status == "active").order_by(Structure.name)).all()
    reminders = db.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.owner_id == account.id, Reminder.cancelled_at.is_(None), Reminder.send_at > now))
    person = db.get(Person, account.id)
    return Losses(kinds.get("document", 0), kinds.get("note", 0), kinds.get("contact", 0), kinds.get("appointment", 0),
                  list(structures), person.phone if person else None, reminders)


def tombstone_identifier(account_id: str) -> str:
    return f"supprime-{account_id}"


def finish_interrupted_deletions(db: Session, keys: KeyServiceClient, store) -> int:
    """Complete the deletions a crash interrupted (still `deleting`); how many."""
    pending = db.scalars(select(Account).where(Account.status == DELETING, Account.role == "beneficiary")).all()
    for account in pending:
        # The reason was recorded by no event yet: the interrupted call's is lost, "platform" says who finished it.
        delete_beneficiary(db, keys, store, account, actor_id=None, reason="platform")
    _sweep_late_items(db)
    purge_queued_blobs(db, store)
    return len(pending)


def _sweep_late_items(db: Session) -> None:
    """A request already past its session check when the deletion started may still have saved an
    item after the rows went. Its key is sealed to keys nobody can open any more (the key service
    shredded them); the row and its blobs go like the rest."""
    late = db.scalars(select(Account).where(
        Account.status == DELETED, Account.role == "beneficiary",
        select(Item.id).where(Item.owner_id == Account.id).exists())).all()
    for account in late:
        _delete_rows(db, account)
        db.commit()


def purge_queued_blobs(db: Session, store, prefixes: list[str] | None = None) -> int:
    """Delete the queued blobs (those of `prefixes`, or every queued one) from the store, then their
    queue rows; how many prefixes were emptied. Deleting a blob that is already gone is harmless."""
    query = select(BlobDeletion.prefix)
    if prefixes is not None:
        if not prefixes:
            return 0
        query = query.where(BlobDeletion.prefix.in_(prefixes))
    queued = db.scalars(query).all()
    for prefix in queued:
        for name in list(store.names(prefix)):
            store.delete(name)
        db.execute(delete(BlobDeletion).where(BlobDeletion.prefix == prefix))
        db.commit()
    return len(queued)


def _delete_rows(db: Session, account: Account) -> list[str]:
    """Every row about the account but the account row itself; returns the queued blob prefixes."""
    owner = account.id
    item_ids = db.scalars(select(Item.id).where(Item.owner_id == owner)).all()
    prefixes = [f"items/{item_id}/" for item_id in item_ids]
    db.add_all(BlobDeletion(prefix=prefix) for prefix in prefixes)
    phones = _phones_of(db, account)
    db.execute(delete(Reminder).where(Reminder.owner_id == owner))
    db.execute(delete(SharedItemKey).where(SharedItemKey.item_id.in_(select(Item.id).where(Item.owner_id == owner))))
    db.execute(delete(Item).where(Item.owner_id == owner))
    db.execute(delete(EpochWrap).where(EpochWrap.owner_id == owner))
    db.execute(delete(SharedEpoch).where(SharedEpoch.owner_id == owner))
    db.execute(delete(AffiliationSetVersion).where(AffiliationSetVersion.owner_id == owner))
    db.execute(delete(Affiliation).where(Affiliation.beneficiary_id == owner))
    _delete_personal_rows(db, account, phones)
    return prefixes


def delete_personal_rows(db: Session, account: Account) -> None:
    """What any account, staff too, leaves about the person: codes, SMS, notices, formal notices,
    contact messages, key bundles and the directory entry (`structures/services.py`'s
    `erase_account` for a professional or a manager)."""
    _delete_personal_rows(db, account, _phones_of(db, account))


def _delete_personal_rows(db: Session, account: Account, phones: list[str]) -> None:
    owner = account.id
    db.execute(delete(OneTimeCode).where(OneTimeCode.account_id == owner))
    db.execute(delete(SmsMessage).where(SmsMessage.account_id == owner))
    if phones:
        # The embedded default's outbox stands for the provider's log: the person's messages go with them.
        db.execute(delete(OutboxMessage).where(OutboxMessage.phone_e164.in_(phones)))
    db.execute(delete(FormalNotice).where(FormalNotice.account_id == owner))
    # Notices to the person, and those telling a Relais's members about them.
    db.execute(delete(Notice).where(or_(Notice.account_id == owner, Notice.beneficiary_id == owner)))
    db.execute(delete(ContactMessage).where(ContactMessage.account_id == owner))
    db.execute(delete(KeyBundle).where(KeyBundle.account_id == owner))
    db.execute(delete(Person).where(Person.account_id == owner))
    db.expire(account)


def _phones_of(db: Session, account: Account) -> list[str]:
    person = db.get(Person, account.id)
    found = set(db.scalars(select(SmsMessage.phone_e164).where(SmsMessage.account_id == account.id)))
    found.update(db.scalars(select(Reminder.phone_e164).where(Reminder.owner_id == account.id)))
    if person is not None and person.phone:
        found.add(person.phone)
    return sorted(found)

