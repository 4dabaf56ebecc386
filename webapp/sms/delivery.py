"""Sending SMS exactly once, on time: the ledger's life cycle.

    scheduled --claim--> sending --provider accepts--> sent --report--> delivered
                            |  \\--retryable error--> sending again after a backoff (a new claim)
                            \\--refused, or attempts exhausted--> failed
    scheduled --cancel--> cancelled          sending --the number opted out--> refused

The database is the source of truth: `schedule` writes a row, and the dispatcher
(`jobs.sms.dispatch_due_sms`, every minute) hands every due row's id to a delivery job. The job
claims the row atomically (a compare-and-set on its status, with a lease), so two jobs for one
message send it once. A job killed mid-send leaves the row "sending" until its lease expires;
the next claim then asks the provider whether it already holds the message's idempotency key
before sending anything, and records it sent if so. Every retry does the same.

The lease (10 minutes) is far longer than the provider's HTTP timeout, so when it expires the
killed job's request has ended one way or the other.

Time is always passed in (`now`, UTC-aware); nothing here reads the clock.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from ..audit.services import record_event
from ..config import SmsSettings
from ..db import new_id
from . import quotas
from .errors import SmsAlreadySent, SmsNotSent, SmsOptedOut, SmsProviderError
from .gateway import Accepted, OutgoingSms, SmsGateway
from .models import PURPOSES, SmsMessage
from .optouts import opted_out

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6  # backoffs of 30 s, 2 min, 8 min, 32 min, 2 h 8 min: about 3 hours in all
FIRST_BACKOFF = timedelta(seconds=30)
INLINE_ATTEMPTS = 3  # a one-time code: the person is waiting for it
ERROR_CHARS = 200
KEY_SHAPE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
E164_SHAPE = re.compile(r"\+[1-9][0-9]{6,14}")


@dataclass(frozen=True)
class Outcome:
    """What one delivery job did: "sent", "already_sent", "retry", "failed", "refused" or "not_due"."""

    status: str
    message_id: str


def schedule(session: Session, *, phone_e164: str, body: str, purpose: str, idempotency_key: str,
             send_after: datetime, now: datetime, account_id: str | None = None,
             structure_id: str | None = None) -> SmsMessage:
    """Store a message to be sent at `send_after` or soon after; the caller commits.

    The same idempotency key twice gives the same message (a form sent twice sends one SMS).
    Raises `SmsOptedOut`, `SmsQuotaExceeded`.
    """
    _check_shapes(phone_e164, purpose, idempotency_key)
    if not body or purpose == "code":
        raise ValueError("a scheduled SMS has a text, and a one-time code goes through send_now")
    existing = session.scalar(select(SmsMessage).where(SmsMessage.idempotency_key == idempotency_key))
    if existing is not None:
        return existing
    _check_allowed(session, phone_e164, account_id, structure_id, send_after)
    message = SmsMessage(
        idempotency_key=idempotency_key, purpose=purpose, phone_e164=phone_e164, body=body, account_id=account_id,
        structure_id=structure_id, status="scheduled", send_after=send_after, next_attempt_at=send_after,
        attempts=0, created_at=now, updated_at=now,
    )
    session.add(message)
    session.flush()
    _audit(session, "sms.scheduled", message)
    return message


def reschedule(session: Session, message: SmsMessage, *, send_after: datetime, body: str | None = None,
               now: datetime) -> None:
    """Move a scheduled message (and change its text); raises `SmsAlreadySent` once it left
    "scheduled", `SmsQuotaExceeded` if its new day is full. The caller commits."""
    if message.status != "scheduled":
        raise SmsAlreadySent(message.id)
    quotas.check(session, _limits(), phone_e164=message.phone_e164, account_id=message.account_id,
                 structure_id=message.structure_id, send_after=send_after, ignore_id=message.id)
    values = {"send_after": send_after, "next_attempt_at": send_after, "updated_at": now}
    if body is not None:
        if not body:
            raise ValueError("an SMS needs a text")
        values["body"] = body
    _change_scheduled(session, message, values)
    _audit(session, "sms.rescheduled", message)


def cancel(session: Session, message: SmsMessage, *, now: datetime) -> None:
    """Cancel a scheduled message; raises `SmsAlreadySent` once it left "scheduled". The caller commits."""
    if message.status == "cancelled":
        return
    if message.status != "scheduled":
        raise SmsAlreadySent(message.id)
    _change_scheduled(session, message, {"status": "cancelled", "body": None, "updated_at": now})
    _audit(session, "sms.cancelled", message)


def send_now(session: Session, gateway: SmsGateway, *, phone_e164: str, body: str, purpose: str,
             idempotency_key: str, now: datetime, account_id: str | None = None,
             structure_id: str | None = None) -> SmsMessage:
    """Send at once (a one-time code): the ledger row is written without the text, committed
    before the provider is called, and the session is committed again with the outcome.

    A retryable provider error is retried a couple of times inline (after asking the provider
    whether it took the message after all); then `SmsNotSent`. Raises `SmsOptedOut`,
    `SmsQuotaExceeded` before anything is written.
    """
    _check_shapes(phone_e164, purpose, idempotency_key)
    if not body:
        raise ValueError("an SMS needs a text")
    if session.scalar(select(SmsMessage.id).where(SmsMessage.idempotency_key == idempotency_key)) is not None:
        raise ValueError("this idempotency key was already used")
    _check_allowed(session, phone_e164, account_id, structure_id, now)
    message = SmsMessage(
        idempotency_key=idempotency_key, purpose=purpose, phone_e164=phone_e164, body=None, account_id=account_id,
        structure_id=structure_id, status="sending", send_after=now, next_attempt_at=now, attempts=0,
        claim_id=new_id(), lease_expires_at=now + LEASE, created_at=now, updated_at=now,
    )
    session.add(message)
    session.commit()  # a crash from here on leaves a trace the dispatcher resolves
    outgoing = OutgoingSms(idempotency_key, phone_e164, body, purpose)
    for attempt in range(INLINE_ATTEMPTS):
        message.attempts += 1
        try:
            held = gateway.find_accepted(idempotency_key, phone_e164, message.created_at, now) if attempt else None
            accepted = held or gateway.send(outgoing)
        except SmsProviderError as error:
            message.last_error = _short(error)
            if error.retryable and attempt + 1 < INLINE_ATTEMPTS:
                continue
            _finish(session, message, "failed", now, last_error=message.last_error)
            session.commit()
            raise SmsNotSent(message.id) from None
        _finish(session, message, "sent", now, accepted=accepted, provider=gateway.name)
        session.commit()
        return message
    raise AssertionError("unreachable: the last attempt returns or raises")


def due_message_ids(session: Session, now: datetime, limit: int = 500) -> list[str]:
    """Messages a delivery job should take now: scheduled and due, or "sending" with an expired
    lease (a job died, or a retry's backoff is over). Oldest first."""
    query = select(SmsMessage.id).where(_claimable(now)).order_by(SmsMessage.next_attempt_at).limit(limit)
    return list(session.scalars(query))


def deliver(session: Session, gateway: SmsGateway, message_id: str, now: datetime) -> Outcome:
    """One delivery attempt, as a job makes it; commits each step. Safe to run twice at once."""
    message = _claim(session, message_id, now)
    if message is None:
        return Outcome("not_due", message_id)
    if message.attempts > 1:
        # An earlier attempt may have reached the provider (killed worker, timeout): ask first.
        try:
            held = gateway.find_accepted(message.idempotency_key, message.phone_e164, message.created_at, now)
        except SmsProviderError as error:
            return _after_error(session, message, error, now)
        if held is not None:
            _finish(session, message, "sent", now, accepted=held, provider=gateway.name)
            session.commit()
            return Outcome("already_sent", message.id)
    if message.body is None:
        # A one-time code whose first try ended unknown, and which the provider does not hold:
        # its text was never stored, so it cannot leave; the person asks for a new code.
        _finish(session, message, "failed", now, last_error="code not confirmed by the provider")
        session.commit()
        return Outcome("failed", message.id)
    if opted_out(session, message.phone_e164):
        _finish(session, message, "refused", now, last_error="the number opted out")
        session.commit()
        return Outcome("refused", message.id)
    try:
        accepted = gateway.send(OutgoingSms(message.idempotency_key, message.phone_e164, message.body, message.purpose))
    except SmsProviderError as error:
        return _after_error(session, message, error, now)
    _finish(session, message, "sent", now, accepted=accepted, provider=gateway.name)
    session.commit()
    return Outcome("sent", message.id)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, then four times longer each time."""
    return FIRST_BACKOFF * 4 ** (attempts - 1)


def _claim(session: Session, message_id: str, now: datetime) -> SmsMessage | None:
    claim_id = new_id()
    claimed = session.execute(
        update(SmsMessage)
        .where(SmsMessage.id == message_id, _claimable(now))
        .values(status="sending", claim_id=claim_id, lease_expires_at=now + LEASE, attempts=SmsMessage.attempts + 1,
                updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if claimed != 1:
        return None
    return session.get(SmsMessage, message_id, populate_existing=True)


def _claimable(now: datetime):
    return or_(
        and_(SmsMessage.status == "scheduled", SmsMessage.next_attempt_at <= now),
        and_(SmsMessage.status == "sending", SmsMessage.lease_expires_at <= now),
    )


def _after_error(session: Session, message: SmsMessage, error: SmsProviderError, now: datetime) -> Outcome:
    last_error = _short(error)
    if error.retryable and message.attempts < MAX_ATTEMPTS:
        retry_at = now + backoff(message.attempts)
        # Still "sending": it may have reached the provider, so it can no longer be cancelled;
        # the expired "lease" is when the dispatcher hands it to a job again.
        if _owned_update(session, message, {"claim_id": None, "lease_expires_at": retry_at, "next_attempt_at": retry_at,
                                            "last_error": last_error, "updated_at": now}):
            session.commit()
        return Outcome("retry", message.id)
    _finish(session, message, "failed", now, last_error=last_error)
    session.commit()
    return Outcome("failed", message.id)


def _finish(session: Session, message: SmsMessage, status: str, now: datetime, *, accepted: Accepted | None = None,
            provider: str | None = None, last_error: str | None = None) -> None:
    values: dict = {"status": status, "claim_id": None, "lease_expires_at": None, "body": None, "updated_at": now}
    if accepted is not None:
        values.update(provider=provider, provider_message_id=accepted.provider_message_id, sent_at=now, last_error=None)
        if accepted.delivered:
            values.update(status="delivered", delivered_at=now)
    if last_error is not None:
        values["last_error"] = last_error
    # Only the job holding the claim records the outcome: one that lost its lease stays silent
    # (the job that took over asks the provider and records what it finds).
    if _owned_update(session, message, values):
        _audit(session, {"sent": "sms.sent", "delivered": "sms.sent"}.get(values["status"], f"sms.{status}"), message)


def _owned_update(session: Session, message: SmsMessage, values: dict) -> bool:
    session.flush()
    changed = session.execute(
        update(SmsMessage)
        .where(SmsMessage.id == message.id, SmsMessage.status == "sending", SmsMessage.claim_id == message.claim_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(message)
    return changed == 1


def _change_scheduled(session: Session, message: SmsMessage, values: dict) -> None:
    # A compare-and-set, so that a delivery job claiming the message at this moment wins cleanly.
    changed = session.execute(
        update(SmsMessage)
        .where(SmsMessage.id == message.id, SmsMessage.status == "scheduled")
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(message)
    if changed != 1:
        raise SmsAlreadySent(message.id)


def _check_shapes(phone_e164: str, purpose: str, idempotency_key: str) -> None:
    if not E164_SHAPE.fullmatch(phone_e164):
        raise ValueError("the number must be in E.164 form (webapp.sms.phones normalises it)")
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
    if not KEY_SHAPE.fullmatch(idempotency_key):
        raise ValueError("an idempotency key is 1 to 64 letters, digits and ._:-")


def _check_allowed(session: Session, phone_e164: str, account_id: str | None, structure_id: str | None,
                   send_after: datetime) -> None:
    if opted_out(session, phone_e164):
        raise SmsOptedOut(phone_e164)
    quotas.check(session, _limits(), phone_e164=phone_e164, account_id=account_id, structure_id=structure_id,
                 send_after=send_after)


def _limits() -> SmsSettings:
    from flask import current_app

    return current_app.config["SETTINGS"].sms


def _short(error: SmsProviderError) -> str:
    return str(error)[:ERROR_CHARS]


def _audit(session: Session, action: str, message: SmsMessage) -> None:
    # Ids and purpose only: never the text, the code or the number.
    record_event(session, action, subject_id=message.account_id, structure_id=message.structure_id,
                 details={"message_id": message.id, "purpose": message.purpose})
