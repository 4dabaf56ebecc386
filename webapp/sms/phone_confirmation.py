"""An account's own mobile number: typed, confirmed by a one-time code, then kept in the directory
(`Person.phone`, E.164). The same steps serve the "Mon téléphone" page and the API."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..accounts.models import Account
from ..audit.services import record_event
from ..reminders import follow
from . import phones
from .codes import OneTimeCodes, PendingCode

PURPOSE = "phone"


def start(codes: OneTimeCodes, account: Account, typed: str, now: datetime) -> PendingCode:
    """Send a code to the typed number. Raises InvalidPhone, CodeThrottled or an SmsError."""
    return codes.send(account_id=account.id, purpose=PURPOSE, phone_e164=phones.normalise(typed), now=now)


def resend(codes: OneTimeCodes, account: Account, now: datetime) -> PendingCode | None:
    """A new code to the number waiting for confirmation; None when none is waiting."""
    waiting = codes.pending(account_id=account.id, purpose=PURPOSE, now=now)
    if waiting is None:
        return None
    return codes.send(account_id=account.id, purpose=PURPOSE, phone_e164=waiting.phone_e164, now=now)


def pending(codes: OneTimeCodes, account: Account, now: datetime) -> PendingCode | None:
    return codes.pending(account_id=account.id, purpose=PURPOSE, now=now)


def confirm(session: Session, codes: OneTimeCodes, account: Account, typed_code: str, now: datetime) -> str:
    """The number the code went to becomes the account's; raises a CodeError. The caller commits
    either way (a wrong try stays spent)."""
    confirmed = codes.verify(account_id=account.id, purpose=PURPOSE, code=typed_code, now=now)
    _change(session, account, confirmed.phone_e164, now)
    record_event(session, "phone.confirmed", actor_id=account.id, subject_id=account.id)
    return confirmed.phone_e164


def remove(session: Session, account: Account, now: datetime) -> None:
    if account.person.phone is not None:
        _change(session, account, None, now)
        record_event(session, "phone.removed", actor_id=account.id, subject_id=account.id)


def _change(session: Session, account: Account, phone_e164: str | None, now: datetime) -> None:
    old, account.person.phone = account.person.phone, phone_e164
    follow.phone_changed(session, account.id, old, phone_e164, now=now, actor_id=account.id)
