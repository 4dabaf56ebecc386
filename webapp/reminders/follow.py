"""Reminders follow their appointment: moved when its date or time changes, cancelled when it goes
to the trash; the professionals' ones are cancelled when it stops being shared. Called by the vault
(`Vault.update_metadata`, `Vault.trash`, `Vault._set_row_shared`) inside the same unit of work; a
restore or a new share brings the appointment back, never its cancelled reminders.

They also follow the person's confirmed number (`sms/phone_confirmation.py`): waiting reminders that
were going to the old number go to the new one; when the number is removed, the professionals'
ones stop, since professionals may only write to a confirmed number."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from ..db import new_id
from ..sms import delivery
from ..sms.errors import SmsAlreadySent, SmsError
from ..sms.models import SmsMessage
from . import texts, timing
from .errors import ReminderError
from .models import Reminder


def appointment_changed(session: Session, item_id: str, before: dict[str, Any], after: dict[str, Any], *,
                        now: datetime, actor_id: str) -> None:
    if (before.get("date"), before.get("time")) == (after.get("date"), after.get("time")):
        return
    for reminder, message in _waiting(session, [item_id]):
        try:
            wanted = timing.wanted_moment(after, reminder.preset, None, reminder.lead_minutes)
            send_at = timing.send_time(after, wanted, night_ok=reminder.night_ok, now=now)
            delivery.reschedule(session, message, send_after=send_at, body=texts.follow_move(message.body, before, after),
                                now=now)
        except SmsAlreadySent:
            continue
        except (ReminderError, SmsError) as reason:
            # Its new moment is past, at night with no day left, or over a quota: it cannot follow.
            _cancel(session, reminder, message, now, actor_id, type(reason).__name__)
            continue
        reminder.send_at, reminder.updated_at = send_at, now
        record_event(session, "reminder.moved", actor_id=actor_id, subject_id=reminder.owner_id,
                     details={"reminder_id": reminder.id, "item_id": item_id})


def appointments_trashed(session: Session, item_ids: Iterable[str], *, now: datetime, actor_id: str) -> None:
    for reminder, message in _waiting(session, list(item_ids)):
        _cancel(session, reminder, message, now, actor_id, "trashed")


def appointment_made_private(session: Session, item_id: str, *, now: datetime, actor_id: str) -> None:
    """Professionals no longer see it, so their reminders on it stop; the beneficiary's own stay."""
    for reminder, message in _waiting(session, [item_id]):
        if reminder.author_id != reminder.owner_id:
            _cancel(session, reminder, message, now, actor_id, "made_private")


def affiliation_ended(session: Session, owner_id: str, structure_id: str, *, now: datetime, actor_id: str) -> None:
    """The Relais no longer sees the appointments, so the reminders its professionals scheduled stop."""
    query = (select(Reminder, SmsMessage).join(SmsMessage, SmsMessage.id == Reminder.sms_message_id)
             .where(Reminder.owner_id == owner_id, Reminder.author_id != owner_id, Reminder.cancelled_at.is_(None),
                    SmsMessage.status == "scheduled", SmsMessage.structure_id == structure_id))
    for reminder, message in session.execute(query).all():
        _cancel(session, reminder, message, now, actor_id, "affiliation_ended")


def phone_changed(session: Session, owner_id: str, old_phone: str | None, new_phone: str | None, *,
                  now: datetime, actor_id: str) -> None:
    if old_phone is None or old_phone == new_phone:
        return
    query = (select(Reminder, SmsMessage).join(SmsMessage, SmsMessage.id == Reminder.sms_message_id)
             .where(Reminder.owner_id == owner_id, Reminder.phone_e164 == old_phone, Reminder.cancelled_at.is_(None),
                    SmsMessage.status == "scheduled"))
    for reminder, message in session.execute(query).all():
        if new_phone is None:
            if reminder.author_id != owner_id:
                _cancel(session, reminder, message, now, actor_id, "phone_removed")
            continue
        _redirect(session, reminder, message, new_phone, now, actor_id)


def _redirect(session: Session, reminder: Reminder, message: SmsMessage, phone: str, now: datetime,
              actor_id: str) -> None:
    """The ledger never redirects a message: the old one is cancelled (which wipes its text) and a
    new one made."""
    body, send_after, structure_id = message.body, message.send_after, message.structure_id
    try:
        delivery.cancel(session, message, now=now)
    except SmsAlreadySent:
        return
    try:
        moved = delivery.schedule(session, phone_e164=phone, body=body, purpose="reminder",
                                  idempotency_key=f"reminder:{new_id()}", send_after=send_after, now=now,
                                  account_id=reminder.owner_id, structure_id=structure_id)
    except SmsError as reason:
        reminder.cancelled_at, reminder.updated_at = now, now
        record_event(session, "reminder.cancelled", actor_id=actor_id, subject_id=reminder.owner_id,
                     details={"reminder_id": reminder.id, "item_id": reminder.item_id, "reason": type(reason).__name__})
        return
    reminder.phone_e164, reminder.sms_message_id, reminder.updated_at = phone, moved.id, now
    record_event(session, "reminder.redirected", actor_id=actor_id, subject_id=reminder.owner_id,
                 details={"reminder_id": reminder.id, "item_id": reminder.item_id})


def _waiting(session: Session, item_ids: list[str]) -> list[tuple[Reminder, SmsMessage]]:
    if not item_ids:
        return []
    query = (select(Reminder, SmsMessage).join(SmsMessage, SmsMessage.id == Reminder.sms_message_id)
             .where(Reminder.item_id.in_(item_ids), Reminder.cancelled_at.is_(None), SmsMessage.status == "scheduled"))
    return [(reminder, message) for reminder, message in session.execute(query)]


def _cancel(session: Session, reminder: Reminder, message: SmsMessage, now: datetime, actor_id: str, reason: str) -> None:
    try:
        delivery.cancel(session, message, now=now)
    except SmsAlreadySent:
        return
    reminder.cancelled_at, reminder.updated_at = now, now
    record_event(session, "reminder.cancelled", actor_id=actor_id, subject_id=reminder.owner_id,
                 details={"reminder_id": reminder.id, "item_id": reminder.item_id, "reason": reason})
