"""One-time codes by SMS, for confirming a phone number, an affiliation (#6) or a password reset (#7).

A code is 6 digits from `secrets`, valid 10 minutes, good for at most 5 tries (the 6th is refused
even when right), and bound to an account, a purpose, a context (for example the structure an
affiliation joins) and the number it went to. It exists only in memory for the call that sends
it: `delivery.send_now` writes the ledger row without a text, and this module keeps only an
HMAC-SHA256 of the code under a key derived from SECRET_KEY. A plain hash would not do: a million
codes are hashed in a blink, while the HMAC key is not in the database. Sends are throttled: one a
minute and three an hour per account and purpose. Every send, success and refusal is an audit
event, without the code.

    codes = OneTimeCodes.for_app(db())
    codes.send(account_id=..., purpose="phone", phone_e164="+33612345678", now=now)
    ...
    codes.verify(account_id=..., purpose="phone", code=typed, now=now)   # raises a CodeError

The caller commits after `verify`, whether it succeeded or raised: a spent try must stay spent.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..audit.services import record_event
from ..db import new_id
from . import delivery
from .code_models import PURPOSES, OneTimeCode
from .errors import SmsError
from .gateway import SmsGateway

DIGITS = 6
VALID_FOR = timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
SENDS_PER_HOUR = 3
KEPT_FOR = timedelta(days=1)  # older rows of an account go when it asks for a new code
KEY_INFO = b"cloud-solidaire/one-time-codes/v1"


class CodeError(Exception):
    code = "code_error"


class CodeThrottled(CodeError):
    """Asked again too soon; `retry_after`: seconds until a new code may be sent."""

    code = "code_throttled"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class NoPendingCode(CodeError):
    """No code was sent, or it was used or replaced by a newer one."""

    code = "no_pending_code"


class CodeExpired(CodeError):
    code = "code_expired"


class CodeExhausted(CodeError):
    """Five tries were spent: the code is dead, whatever is typed now."""

    code = "code_exhausted"


class WrongCode(CodeError):
    code = "wrong_code"

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"{tries_left} tries left")
        self.tries_left = tries_left


@dataclass(frozen=True)
class PendingCode:
    """A code waiting to be typed: where it went, until when, how many tries remain."""

    id: str
    phone_e164: str
    expires_at: datetime
    tries_left: int


class OneTimeCodes:
    def __init__(self, session: Session, gateway: SmsGateway, secret_key: str | bytes) -> None:
        self._session = session
        self._gateway = gateway
        secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
        self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(secret)

    @classmethod
    def for_app(cls, session: Session) -> "OneTimeCodes":
        return cls(session, current_app.extensions["sms_gateway"], current_app.config["SECRET_KEY"])

    def send(self, *, account_id: str, purpose: str, phone_e164: str, now: datetime, context: str = "",
             actor_id: str | None = None) -> PendingCode:
        """Send a new code (the previous one of this purpose dies). Raises CodeThrottled, or the
        SMS errors of `delivery.send_now` (SmsOptedOut, SmsQuotaExceeded, SmsNotSent); commits."""
        if purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
        self._throttle(account_id, purpose, now)
        self._session.execute(delete(OneTimeCode).where(OneTimeCode.account_id == account_id,
                                                        OneTimeCode.sent_at < now - KEPT_FOR))
        self._session.execute(update(OneTimeCode).where(
            OneTimeCode.account_id == account_id, OneTimeCode.purpose == purpose, OneTimeCode.closed_at.is_(None),
        ).values(closed_at=now).execution_options(synchronize_session=False))
        code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
        row = OneTimeCode(id=new_id(), account_id=account_id, purpose=purpose, context=context, phone_e164=phone_e164,
                          tries=0, sent_at=now, expires_at=now + VALID_FOR)
        row.digest = self._digest(row, code)
        self._session.add(row)
        details = {"purpose": purpose, "code_id": row.id}
        try:
            message = delivery.send_now(self._session, self._gateway, phone_e164=phone_e164, body=code_text(purpose, code),
                                        purpose="code", idempotency_key=f"code:{row.id}", now=now, account_id=account_id)
        except SmsError as error:
            # The row stays, closed: it counts against the throttle, so a failing number is not hammered.
            row.closed_at = now
            self._session.add(row)
            record_event(self._session, "code.not_sent", actor_id=actor_id or account_id, subject_id=account_id,
                         details={**details, "reason": type(error).__name__})
            self._session.commit()
            raise
        row.sms_message_id = message.id
        record_event(self._session, "code.sent", actor_id=actor_id or account_id, subject_id=account_id,
                     details={**details, "sms_message_id": message.id})
        self._session.commit()
        return _pending(row)

    def pending(self, *, account_id: str, purpose: str, now: datetime, context: str = "") -> PendingCode | None:
        """The code still waiting to be typed, if any."""
        row = self._latest(account_id, purpose, context)
        if row is None or row.closed_at is not None or row.tries >= MAX_TRIES or now >= row.expires_at:
            return None
        return _pending(row)

    def verify(self, *, account_id: str, purpose: str, code: str, now: datetime, context: str = "",
               actor_id: str | None = None) -> PendingCode:
        """Spend one try on `code`; returns the confirmed code (its number, now used) or raises
        NoPendingCode, CodeExpired, CodeExhausted or WrongCode. The caller commits either way."""
        row = self._latest(account_id, purpose, context)
        if row is None:
            raise NoPendingCode()
        events = {"actor_id": actor_id or account_id, "subject_id": account_id}
        if row.tries >= MAX_TRIES:
            record_event(self._session, "code.refused", **events, details={"code_id": row.id, "purpose": purpose,
                                                                           "reason": "exhausted"})
            raise CodeExhausted()
        if row.closed_at is not None:
            raise NoPendingCode()
        if now >= row.expires_at:
            record_event(self._session, "code.refused", **events, details={"code_id": row.id, "purpose": purpose,
                                                                           "reason": "expired"})
            raise CodeExpired()
        # One statement, so two tries at the same moment cannot both take the last one.
        spent = self._session.execute(
            update(OneTimeCode).where(OneTimeCode.id == row.id, OneTimeCode.tries < MAX_TRIES,
                                      OneTimeCode.closed_at.is_(None))
            .values(tries=OneTimeCode.tries + 1).execution_options(synchronize_session=False)
        ).rowcount
        self._session.refresh(row)
        if spent != 1:
            raise CodeExhausted()
        if hmac.compare_digest(row.digest, self._digest(row, _digits(code))):
            row.closed_at = now
            record_event(self._session, "code.confirmed", **events, details={"code_id": row.id, "purpose": purpose})
            return _pending(row)
        tries_left = MAX_TRIES - row.tries
        if tries_left == 0:
            row.closed_at = now
        record_event(self._session, "code.refused", **events, details={"code_id": row.id, "purpose": purpose,
                                                                       "reason": "wrong", "tries": row.tries})
        raise WrongCode(tries_left)

    def _latest(self, account_id: str, purpose: str, context: str) -> OneTimeCode | None:
        query = (select(OneTimeCode)
                 .where(OneTimeCode.account_id == account_id, OneTimeCode.purpose == purpose,
                        OneTimeCode.context == context)
                 .order_by(OneTimeCode.sent_at.desc()).limit(1))
        return self._session.scalar(query)

    def _throttle(self, account_id: str, purpose: str, now: datetime) -> None:
        recent = self._session.scalars(
            select(OneTimeCode.sent_at)
            .where(OneTimeCode.account_id == account_id, OneTimeCode.purpose == purpose,
                   OneTimeCode.sent_at > now - timedelta(hours=1))
            .order_by(OneTimeCode.sent_at)).all()
        if recent and now - recent[-1] < RESEND_AFTER:
            raise CodeThrottled(_seconds(recent[-1] + RESEND_AFTER - now))
        if len(recent) >= SENDS_PER_HOUR:
            raise CodeThrottled(_seconds(recent[-SENDS_PER_HOUR] + timedelta(hours=1) - now))

    def _digest(self, row: OneTimeCode, code: str) -> bytes:
        # Bound to the row and everything the code is for: a digest copied to another row never matches.
        bound = "\x1f".join((row.id, row.account_id, row.purpose, row.context, row.phone_e164, code))
        return hmac.new(self._key, bound.encode(), hashlib.sha256).digest()


def code_text(purpose: str, code: str) -> str:
    """The SMS, in the person's language."""
    if purpose == "affiliation":
        return _("Cloud Solidaire : code %(code)s pour rejoindre une structure. Donnez-le seulement si vous êtes "
                 "d'accord. Valable 10 minutes.", code=code)
    if purpose == "reset":
        return _("Cloud Solidaire : code %(code)s pour changer votre mot de passe. Ne le donnez à personne. "
                 "Valable 10 minutes.", code=code)
    return _("Cloud Solidaire : code %(code)s pour confirmer votre numéro. Valable 10 minutes.", code=code)


def _digits(typed: str) -> str:
    """What a person types, spaces and dashes left out ("123 456")."""
    return "".join(ch for ch in (typed or "") if ch not in " -.\u00a0")[:DIGITS * 2]


def _pending(row: OneTimeCode) -> PendingCode:
    return PendingCode(row.id, row.phone_e164, row.expires_at, MAX_TRIES - row.tries)


def _seconds(delta: timedelta) -> int:
    return max(1, int(-(-delta.total_seconds() // 1)))
