"""The administrators' view of the SMS ledger: what left, what waits, what failed, and — with the
embedded default's outbox — the text each message carried (a one-time code stays masked).

With a real provider the text is not shown: it left the service, and the ledger no longer holds it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import OutboxMessage, SmsMessage

LISTED = 200


@dataclass(frozen=True)
class ListedSms:
    id: str
    purpose: str
    phone_e164: str
    status: str
    send_after: datetime
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None
    provider: str | None
    text: str | None  # the outbox's copy; None when masked (a code) or not kept (a real provider)
    masked: bool


def list_messages(session: Session, *, failed_only: bool = False, limit: int = LISTED) -> list[ListedSms]:
    """The latest messages, newest first, joined with what the outbox holds of them."""
    query = (select(SmsMessage, OutboxMessage.body)
             .outerjoin(OutboxMessage, OutboxMessage.idempotency_key == SmsMessage.idempotency_key)
             .order_by(SmsMessage.created_at.desc(), SmsMessage.id).limit(limit))
    if failed_only:
        query = query.where(SmsMessage.status == "failed")
    return [
        ListedSms(id=message.id, purpose=message.purpose, phone_e164=message.phone_e164, status=message.status,
                  send_after=message.send_after, attempts=message.attempts, next_attempt_at=message.next_attempt_at,
                  sent_at=message.sent_at, delivered_at=message.delivered_at, last_error=message.last_error,
                  provider=message.provider, text=outbox_text, masked=message.purpose == "code")
        for message, outbox_text in session.execute(query)
    ]
