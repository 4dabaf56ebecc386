"""What the provider reports after a message left: delivered, bounced, or the person answered STOP.

Brevo posts one JSON object per event to the webhook (`views.py`): `messageId`, `to`,
`msg_status` ("sent", "delivered", "soft_bounce", "hard_bounce"...), and for an answer the text
of the `reply`. A STOP answer, or an unsubscription event, records an opt-out for the number.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from .models import SmsMessage
from .optouts import record_opt_out

STOP_WORDS = {"STOP", "STOPSMS", "ARRET", "UNSUBSCRIBE"}
UNSUBSCRIBED = {"unsubscribe", "unsubscribed", "unsubscription", "smsblacklist", "blacklisted"}
REPLIED = {"replied", "reply", "replies"}
BOUNCED = {"softbounce": "soft bounce", "hardbounce": "hard bounce", "rejected": "rejected by the provider",
           "blocked": "blocked by the provider", "error": "provider error"}
DIGITS = re.compile(r"\+?[1-9][0-9]{6,14}")


@dataclass(frozen=True)
class Report:
    message_found: bool
    opted_out: bool


class MalformedReport(ValueError):
    """The webhook's body is not a Brevo SMS event."""


def apply_report(session: Session, event: dict, now: datetime) -> Report:
    """Record what one provider event says; the caller commits. Unknown events change nothing."""
    if not isinstance(event, dict):
        raise MalformedReport("not an object")
    status = _normalised(event.get("msg_status") or event.get("event"))
    if not status:
        raise MalformedReport("no msg_status")
    message = _message(session, event.get("messageId"))
    opted_out = False
    if status in UNSUBSCRIBED or (status in REPLIED and _is_stop(event.get("reply"))):
        number = _e164(event.get("to") or event.get("phoneNumber"))
        if number is None and message is not None:
            number = message.phone_e164
        if number is not None:
            record_opt_out(session, number, source="provider", now=now)
            opted_out = True
    if message is not None:
        if status == "delivered" and message.status == "sent":
            message.status, message.delivered_at, message.updated_at = "delivered", now, now
            record_event(session, "sms.delivered", subject_id=message.account_id, structure_id=message.structure_id,
                         details={"message_id": message.id, "purpose": message.purpose})
        elif status in BOUNCED and message.status in ("sent", "delivered"):
            message.status, message.last_error, message.updated_at = "failed", BOUNCED[status], now
            record_event(session, "sms.failed", subject_id=message.account_id, structure_id=message.structure_id,
                         details={"message_id": message.id, "purpose": message.purpose, "reason": status})
    return Report(message_found=message is not None, opted_out=opted_out)


def _message(session: Session, provider_message_id) -> SmsMessage | None:
    if provider_message_id is None or isinstance(provider_message_id, bool):
        return None
    return session.scalar(select(SmsMessage).where(SmsMessage.provider_message_id == str(provider_message_id)[:64]))


def _normalised(value) -> str:
    return re.sub(r"[^a-z]", "", value.lower()) if isinstance(value, str) else ""


def _is_stop(reply) -> bool:
    if not isinstance(reply, str):
        return False
    plain = unicodedata.normalize("NFKD", reply).encode("ascii", "ignore").decode().upper()
    return re.sub(r"[^A-Z]", "", plain) in STOP_WORDS


def _e164(number) -> str | None:
    if not isinstance(number, str) or not DIGITS.fullmatch(number.strip()):
        return None
    return "+" + number.strip().removeprefix("+")
