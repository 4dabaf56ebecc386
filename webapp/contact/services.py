"""Sending, listing and answering contact messages (R18). The message is what the person chose to
write to the team: plaintext, kept here only (the journal names the message, not its text)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from .models import CATEGORIES, ContactMessage

MAX_MESSAGE = 1000
MAX_REACH_AT = 254
CONTACT_LIMIT = "5 per hour"  # per address, on the page and the API alike


class ContactMessageNotFound(Exception):
    code = "not_found"


def send(db: Session, category: str, message: str, now: datetime, *, account_id: str | None = None,
         reach_at: str = "") -> ContactMessage:
    message, reach_at = message.strip(), reach_at.strip()
    if category not in CATEGORIES or not message or len(message) > MAX_MESSAGE or len(reach_at) > MAX_REACH_AT:
        raise ValueError("category, message or reach_at")
    sent = ContactMessage(account_id=account_id, category=category, message=message, reach_at=reach_at,
                          created_at=now, status="open")
    db.add(sent)
    db.flush()
    record_event(db, "contact.sent", actor_id=account_id, subject_id=account_id,
                 details={"message": sent.id, "category": category})
    return sent


def of_account(db: Session, account_id: str) -> list[ContactMessage]:
    return list(db.scalars(select(ContactMessage).where(ContactMessage.account_id == account_id)
                           .order_by(ContactMessage.created_at.desc())))


def inbox(db: Session, status: str | None = "open") -> list[ContactMessage]:
    query = select(ContactMessage).order_by(ContactMessage.created_at.desc())
    if status is not None:
        query = query.where(ContactMessage.status == status)
    return list(db.scalars(query))


def get(db: Session, message_id: str) -> ContactMessage:
    found = db.get(ContactMessage, message_id)
    if found is None:
        raise ContactMessageNotFound()
    return found


def answer(db: Session, message_id: str, reply: str, close: bool, admin_id: str, now: datetime) -> ContactMessage:
    """Reply (shown to a logged-in sender) and/or close; an empty reply leaves the last one."""
    found = get(db, message_id)
    reply = reply.strip()
    if len(reply) > MAX_MESSAGE:
        raise ValueError("reply")
    if reply:
        found.reply, found.replied_at, found.replied_by = reply, now, admin_id
    found.status = "closed" if close else "open"
    record_event(db, "contact.answered", actor_id=admin_id, subject_id=found.account_id,
                 details={"message": found.id, "replied": bool(reply), "status": found.status})
    return found
