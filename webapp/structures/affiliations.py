"""Affiliation of a beneficiary to a structure (R4, R7, R9): asked by a professional, confirmed by
the beneficiary, ended by either side.

    pending ──(SMS code typed by the professional)──────────────→ confirmed ──(their next login)──→ active
       │    ──(the beneficiary accepts in their account)─────────────────────────────────────────→ active
       │    ──(the secret answer, typed on the professional's screen)────────────────────────────→ active
       └──(declined) → ended                                   active ──(either side ends it)──→ ended

Becoming active wraps the beneficiary's shared part to the structure (`SharedPart.grant`), which
needs the beneficiary's identity keys: in their session, or opened by the secret answer for this
request only. An SMS code proves agreement but opens no key, so the grant then waits for the
beneficiary's next login (`complete_pending_grants`, called from `login.py`).

Ending removes the structure's wraps (`SharedPart.revoke`), which needs no key. When the
beneficiary ends it, their session makes a new epoch at once; when the structure does, the next
share makes it (the latest epoch is no longer fresh, `docs/crypto.md`). Either way, nothing shared
afterwards opens with that structure's keys. The items stay the beneficiary's.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts.models import Account
from ..accounts.secret_answer import open_with_answer
from ..audit.services import record_event
from ..reminders import follow as reminders
from ..sms.codes import OneTimeCodes, PendingCode
from ..vault.keyring import Keyring
from ..vault.models import SharedEpoch
from ..vault.sharing import SharedPart
from .errors import AlreadyAffiliated, BeneficiaryNotFound, NoConfirmedPhone, NotAffiliated, NotPending
from .models import Affiliation, Structure
from .services import ACTIVE as STRUCTURE_ACTIVE
from .services import Actor

PENDING, CONFIRMED, ACTIVE, ENDED = "pending", "confirmed", "active", "ended"
RULE = "rule"  # who ends an affiliation that a time rule ends (R16c, `jobs/time_rules.py`): no person
BY_SMS, BY_ACCOUNT, BY_ANSWER, AT_CREATION = "sms", "account", "answer", "creation"
CODE_PURPOSE = "affiliation"


# The professional's side

def start(db: Session, structure: Structure, beneficiary_id: str, actor_id: str, now: datetime) -> Affiliation:
    """Ask for the affiliation; the beneficiary confirms it next. Raises AlreadyAffiliated."""
    beneficiary(db, beneficiary_id)
    row = db.get(Affiliation, (beneficiary_id, structure.id))
    if row is not None and row.status in (ACTIVE, CONFIRMED):
        raise AlreadyAffiliated()
    if row is None:
        row = Affiliation(beneficiary_id=beneficiary_id, structure_id=structure.id)
        db.add(row)
    row.status, row.started_at, row.started_by = PENDING, now, actor_id
    row.confirmed_by = row.confirmed_at = row.ended_at = row.ended_by = None
    row.consents_to_contributions = False
    record_event(db, "affiliation.started", actor_id=actor_id, subject_id=beneficiary_id, structure_id=structure.id)
    return row


def send_code(db: Session, codes: OneTimeCodes, structure: Structure, beneficiary_id: str, actor_id: str,
              now: datetime) -> PendingCode:
    """A code to the beneficiary's confirmed mobile number, bound to this structure. Raises
    NotPending, NoConfirmedPhone, or CodeThrottled and the SMS errors of `codes.send` (which commits)."""
    _pending_row(db, structure, beneficiary_id)
    person = beneficiary(db, beneficiary_id).person
    if person is None or not person.phone:
        raise NoConfirmedPhone()
    return codes.send(account_id=beneficiary_id, purpose=CODE_PURPOSE, phone_e164=person.phone, now=now,
                      context=structure.id, actor_id=actor_id)


def pending_code(codes: OneTimeCodes, structure: Structure, beneficiary_id: str, now: datetime) -> PendingCode | None:
    return codes.pending(account_id=beneficiary_id, purpose=CODE_PURPOSE, now=now, context=structure.id)


def confirm_by_code(db: Session, codes: OneTimeCodes, structure: Structure, beneficiary_id: str, code: str,
                    actor_id: str, now: datetime) -> Affiliation:
    """The code the beneficiary received, typed by the professional: confirmed, and granted at the
    beneficiary's next login. Raises NotPending or a CodeError; the caller commits either way."""
    row = _pending_row(db, structure, beneficiary_id)
    codes.verify(account_id=beneficiary_id, purpose=CODE_PURPOSE, code=code, now=now, context=structure.id,
                 actor_id=actor_id)
    row.status, row.confirmed_by, row.confirmed_at = CONFIRMED, BY_SMS, now
    record_event(db, "affiliation.confirmed", actor_id=actor_id, subject_id=beneficiary_id,
                 structure_id=structure.id, details={"by": BY_SMS, "grant": "at_next_login"})
    return row


def confirm_by_answer(db: Session, keys: KeyServiceClient, structure: Structure, beneficiary_id: str,
                      answer: str, actor_id: str, now: datetime) -> Affiliation:
    """The secret answer opens the beneficiary's keys for this request: the grant is made at once,
    then the keys are dropped. Raises NotPending, WrongAnswer or AnswerLocked (one guess is spent
    at the key service either way); the caller commits either way."""
    row = _pending_row(db, structure, beneficiary_id)
    account = beneficiary(db, beneficiary_id)
    identity = open_with_answer(db, keys, account, answer, actor_id)
    _grant(db, keys, row, Actor(account.id, account.identity_version, identity), now)
    row.confirmed_by, row.confirmed_at = BY_ANSWER, now
    record_event(db, "affiliation.confirmed", actor_id=actor_id, subject_id=beneficiary_id,
                 structure_id=structure.id, details={"by": BY_ANSWER, "grant": "done"})
    return row


def affiliate_at_creation(db: Session, keys: KeyServiceClient, structure: Structure, owner: Actor,
                          actor_id: str, now: datetime) -> Affiliation:
    """The person is present and has just chosen their password: their new keys make the grant."""
    row = Affiliation(beneficiary_id=owner.id, structure_id=structure.id, status=PENDING, started_at=now,
                      started_by=actor_id)
    db.add(row)
    db.flush()
    _grant(db, keys, row, owner, now)
    row.confirmed_by, row.confirmed_at = AT_CREATION, now
    record_event(db, "affiliation.confirmed", actor_id=actor_id, subject_id=owner.id, structure_id=structure.id,
                 details={"by": AT_CREATION, "grant": "done"})
    return row


def of_structure(db: Session, structure: Structure, beneficiary_id: str) -> Affiliation | None:
    return db.get(Affiliation, (beneficiary_id, structure.id))


def waiting(db: Session, structure: Structure) -> list[tuple[Account, Affiliation]]:
    """The affiliations the structure asked for that are not active yet."""
    rows = db.execute(select(Account, Affiliation).join(Affiliation, Affiliation.beneficiary_id == Account.id)
                      .where(Affiliation.structure_id == structure.id, Affiliation.status.in_((PENDING, CONFIRMED)))
                      .order_by(Affiliation.started_at.desc()))
    return [(account, affiliation) for account, affiliation in rows]


# The beneficiary's side ("Mes Relais")

def of_beneficiary(db: Session, beneficiary_id: str) -> list[tuple[Structure, Affiliation]]:
    """Every affiliation of the beneficiary, current ones first."""
    rows = db.execute(select(Structure, Affiliation).join(Affiliation, Affiliation.structure_id == Structure.id)
                      .where(Affiliation.beneficiary_id == beneficiary_id)
                      .order_by((Affiliation.status == ENDED), Structure.name))
    return [(structure, affiliation) for structure, affiliation in rows]


def mine(db: Session, beneficiary_id: str, structure_id: str) -> tuple[Structure, Affiliation]:
    row = db.get(Affiliation, (beneficiary_id, structure_id))
    if row is None:
        raise NotAffiliated()
    return db.get(Structure, structure_id), row


def accept(db: Session, keys: KeyServiceClient, owner: Actor, structure_id: str, now: datetime) -> Affiliation:
    """The beneficiary confirms from their own account: their session makes the grant."""
    structure, row = mine(db, owner.id, structure_id)
    if row.status not in (PENDING, CONFIRMED) or structure.status != STRUCTURE_ACTIVE:
        raise NotPending()
    how = BY_ACCOUNT if row.status == PENDING else row.confirmed_by
    _grant(db, keys, row, owner, now)
    row.confirmed_by, row.confirmed_at = how, row.confirmed_at or now
    record_event(db, "affiliation.confirmed", actor_id=owner.id, subject_id=owner.id, structure_id=structure_id,
                 details={"by": how, "grant": "done"})
    return row


def decline(db: Session, beneficiary_id: str, structure_id: str, now: datetime) -> Affiliation:
    _, row = mine(db, beneficiary_id, structure_id)
    if row.status != PENDING:
        raise NotPending()
    row.status, row.ended_at, row.ended_by = ENDED, now, beneficiary_id
    record_event(db, "affiliation.declined", actor_id=beneficiary_id, subject_id=beneficiary_id,
                 structure_id=structure_id)
    return row


def set_consent(db: Session, beneficiary_id: str, structure_id: str, consents: bool) -> Affiliation:
    """R8: whether the structure's professionals may add to the shared part."""
    _, row = mine(db, beneficiary_id, structure_id)
    if row.status != ACTIVE:
        raise NotAffiliated()
    if row.consents_to_contributions != consents:
        row.consents_to_contributions = consents
        record_event(db, "affiliation.consent_given" if consents else "affiliation.consent_withdrawn",
                     actor_id=beneficiary_id, subject_id=beneficiary_id, structure_id=structure_id)
    return row


def complete_pending_grants(db: Session, keys: KeyServiceClient, owner: Actor, now: datetime) -> int:
    """At login: the affiliations confirmed by SMS while the beneficiary was away are granted."""
    rows = list(db.scalars(select(Affiliation).join(Structure, Structure.id == Affiliation.structure_id).where(
        Affiliation.beneficiary_id == owner.id, Affiliation.status == CONFIRMED, Structure.status == STRUCTURE_ACTIVE)))
    for row in rows:
        _grant(db, keys, row, owner, now)
        record_event(db, "affiliation.granted_at_login", actor_id=owner.id, subject_id=owner.id,
                     structure_id=row.structure_id)
    return len(rows)


# Either side

def end(db: Session, keys: KeyServiceClient, row: Affiliation, actor: Actor, now: datetime, *,
        owner: Actor | None = None) -> Affiliation:
    """End it (R9): the structure's wraps go at once. With the owner's keys (`owner`, the
    beneficiary's own session), a new epoch is made at once too; without them, at the next share."""
    if row.status == ENDED:
        raise NotAffiliated()
    was_active = row.status == ACTIVE
    row.status, row.ended_at, row.ended_by = ENDED, now, actor.id
    row.consents_to_contributions = False
    db.flush()
    rotated = False
    if was_active:
        _revoke(db, keys, row)
        reminders.affiliation_ended(db, row.beneficiary_id, row.structure_id, now=now, actor_id=actor.id)
        if owner is not None and _has_epochs(db, row.beneficiary_id):
            owner_shared_part(db, keys, owner).current_epoch()
            rotated = True
    record_event(db, "affiliation.ended", actor_id=actor.id, subject_id=row.beneficiary_id,
                 structure_id=row.structure_id,
                 details={"by": _ended_by(row, actor),
                          "was": "active" if was_active else "waiting", "rotated_now": rotated})
    return row


def beneficiary(db: Session, account_id: str) -> Account:
    account = db.get(Account, account_id)
    if account is None or account.role != "beneficiary" or not account.is_active:
        raise BeneficiaryNotFound()
    return account


def owner_shared_part(db: Session, keys: KeyServiceClient, owner: Actor) -> SharedPart:
    return SharedPart.for_owner(db, keys, Keyring(db, keys), owner.id, owner.version, owner.identity)


def _revoke(db: Session, keys: KeyServiceClient, row: Affiliation) -> None:
    """Deleting the structure's wraps needs no key: whichever side ends the affiliation does it, or a time rule."""
    SharedPart.keyless(db, keys, Keyring(db, keys), row.beneficiary_id).revoke(row.structure_id)


def _ended_by(row: Affiliation, actor: Actor) -> str:
    if actor.id == row.beneficiary_id:
        return "beneficiary"
    return RULE if actor.id == RULE else "structure"


# Inner workings

def _grant(db: Session, keys: KeyServiceClient, row: Affiliation, owner: Actor, now: datetime) -> None:
    owner_shared_part(db, keys, owner).grant(row.structure_id)
    row.status = ACTIVE
    # The 2-year countdown (R16c) starts at the grant: a row ended and started again forgets its past.
    row.last_professional_activity_at = now


def _pending_row(db: Session, structure: Structure, beneficiary_id: str) -> Affiliation:
    row = db.get(Affiliation, (beneficiary_id, structure.id))
    if row is None or row.status != PENDING:
        raise NotPending()
    return row


def _has_epochs(db: Session, owner_id: str) -> bool:
    return db.scalar(select(SharedEpoch.number).where(SharedEpoch.owner_id == owner_id).limit(1)) is not None
