"""Scheduling, changing and deleting the SMS reminders of one appointment.

The appointment comes decrypted from the caller's session (an `ItemView`): the beneficiary's own
vault, or a professional's view of the shared part. `Reminders` takes the author (who schedules)
apart from the owner (whose appointment it is and whose account the SMS counts against). A
professional acts for one Relais (`structure_id`): their reminders count against its daily quota,
and they see and change only that Relais's reminders — never the beneficiary's own, nor another
Relais's. The beneficiary sees and changes them all.
The SMS itself is a row of the ledger (`sms/delivery.py`), sent by the delivery jobs at `send_at`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from ..db import new_id
from ..sms import delivery
from ..sms.errors import SmsAlreadySent
from ..sms.models import SmsMessage
from . import texts, timing
from .errors import AlreadySent, NotAnAppointment, ReminderNotFound
from .models import PRESETS, STAFF_PRESETS, Reminder

# The ledger's statuses as the person reads them.
SHOWN_STATUS = {"scheduled": "scheduled", "sending": "sent", "sent": "sent", "delivered": "sent", "failed": "failed",
                "cancelled": "cancelled", "refused": "refused"}


@dataclass(frozen=True)
class ReminderView:
    id: str
    item_id: str
    preset: str
    send_at: datetime
    night_ok: bool
    phone_e164: str
    text: str | None  # None once the SMS left or was cancelled: the ledger keeps no text after that
    status: str  # scheduled | sent | failed | cancelled | refused
    chosen_at: datetime | None  # for "chosen": the moment the person asked for, before the decent-hours rule
    author_id: str
    structure_id: str | None  # the Relais whose professional scheduled it; None for the beneficiary's own


@dataclass(frozen=True)
class ReminderRequest:
    preset: str
    phone_e164: str
    text: str
    night_ok: bool = False
    chosen_at: datetime | None = None  # UTC, for "chosen"


class Reminders:
    def __init__(self, session: Session, *, author_id: str, now: datetime, structure_id: str | None = None) -> None:
        self._session = session
        self._author_id = author_id
        self._now = now
        self._structure_id = structure_id

    def list(self, appointment) -> list[ReminderView]:
        _check_appointment(appointment)
        query = select(Reminder).where(Reminder.item_id == appointment.id)
        if self._structure_id is not None:
            query = query.join(SmsMessage, SmsMessage.id == Reminder.sms_message_id).where(
                Reminder.author_id != Reminder.owner_id, SmsMessage.structure_id == self._structure_id)
        rows = self._session.scalars(query.order_by(Reminder.send_at)).all()
        return [self._view(row, appointment) for row in rows]

    def get(self, appointment, reminder_id: str) -> ReminderView:
        return self._view(self._row(appointment, reminder_id), appointment)

    def schedule(self, appointment, owner_id: str, request: ReminderRequest) -> ReminderView:
        """Raises a ReminderError, or the ledger's SmsOptedOut / SmsQuotaExceeded; the caller commits."""
        _check_appointment(appointment)
        text, wanted, send_at = self._plan(appointment, request)
        row = Reminder(id=new_id(), item_id=appointment.id, owner_id=owner_id, author_id=self._author_id,
                       preset=request.preset, lead_minutes=timing.lead_minutes(appointment.metadata, wanted), night_ok=request.night_ok,
                       phone_e164=request.phone_e164, send_at=send_at, created_at=self._now, updated_at=self._now)
        self._session.add(row)
        self._session.flush()
        row.sms_message_id = self._new_message(row, text, self._structure_id).id
        record_event(self._session, "reminder.scheduled", actor_id=self._author_id, subject_id=owner_id,
                     details={"reminder_id": row.id, "item_id": appointment.id, "preset": request.preset})
        return self._view(row, appointment)

    def change(self, appointment, reminder_id: str, request: ReminderRequest) -> ReminderView:
        row = self._row(appointment, reminder_id)
        message = self._scheduled_message(row)
        text, wanted, send_at = self._plan(appointment, request)
        if request.phone_e164 != row.phone_e164:
            # The ledger moves a message but never redirects it: a new number is a new message.
            self._cancel(message)
            row.phone_e164 = request.phone_e164
            row.send_at = send_at
            row.sms_message_id = self._new_message(row, text, message.structure_id, fresh=True).id
        else:
            try:
                delivery.reschedule(self._session, message, send_after=send_at, body=text, now=self._now)
            except SmsAlreadySent:
                raise AlreadySent() from None
        row.preset, row.night_ok, row.send_at, row.updated_at = request.preset, request.night_ok, send_at, self._now
        row.lead_minutes = timing.lead_minutes(appointment.metadata, wanted)
        record_event(self._session, "reminder.changed", actor_id=self._author_id, subject_id=row.owner_id,
                     details={"reminder_id": row.id, "item_id": appointment.id, "preset": request.preset})
        return self._view(row, appointment)

    def delete(self, appointment, reminder_id: str) -> None:
        """A scheduled SMS is cancelled; one already sent stays in the ledger's history."""
        row = self._row(appointment, reminder_id)
        message = self._session.get(SmsMessage, row.sms_message_id) if row.sms_message_id else None
        if message is not None and message.status == "scheduled":
            self._cancel(message)
        record_event(self._session, "reminder.deleted", actor_id=self._author_id, subject_id=row.owner_id,
                     details={"reminder_id": row.id, "item_id": appointment.id})
        self._session.delete(row)

    def default_text(self, appointment) -> str:
        _check_appointment(appointment)
        return texts.default_text(appointment.metadata)

    def _plan(self, appointment, request: ReminderRequest) -> tuple[str, datetime, datetime]:
        allowed = PRESETS if self._structure_id is None else STAFF_PRESETS
        if request.preset not in allowed:
            raise ValueError(f"preset must be one of {', '.join(allowed)}")
        text = texts.clean(request.text)
        if request.preset == "now":
            return text, self._now, timing.send_time_now(appointment.metadata, night_ok=request.night_ok, now=self._now)
        wanted = timing.wanted_moment(appointment.metadata, request.preset, request.chosen_at, None)
        return text, wanted, timing.send_time(appointment.metadata, wanted, night_ok=request.night_ok, now=self._now)

    def _new_message(self, row: Reminder, text: str, structure_id: str | None, fresh: bool = False) -> SmsMessage:
        key = f"reminder:{new_id()}" if fresh else f"reminder:{row.id}"
        return delivery.schedule(self._session, phone_e164=row.phone_e164, body=text, purpose="reminder",
                                 idempotency_key=key, send_after=row.send_at, now=self._now, account_id=row.owner_id,
                                 structure_id=structure_id)

    def _scheduled_message(self, row: Reminder) -> SmsMessage:
        message = self._session.get(SmsMessage, row.sms_message_id) if row.sms_message_id else None
        if row.cancelled_at is not None or message is None or message.status != "scheduled":
            raise AlreadySent()
        return message

    def _cancel(self, message: SmsMessage) -> None:
        try:
            delivery.cancel(self._session, message, now=self._now)
        except SmsAlreadySent:
            raise AlreadySent() from None

    def _row(self, appointment, reminder_id: str) -> Reminder:
        _check_appointment(appointment)
        row = self._session.get(Reminder, reminder_id)
        if row is None or row.item_id != appointment.id:
            raise ReminderNotFound()
        if self._structure_id is not None and self._structure_of(row) != self._structure_id:
            raise ReminderNotFound()
        return row

    def _structure_of(self, row: Reminder) -> str | None:
        if row.author_id == row.owner_id or row.sms_message_id is None:
            return None
        message = self._session.get(SmsMessage, row.sms_message_id)
        return message.structure_id if message is not None else None

    def _view(self, row: Reminder, appointment) -> ReminderView:
        message = self._session.get(SmsMessage, row.sms_message_id) if row.sms_message_id else None
        status = "cancelled" if row.cancelled_at is not None or message is None else SHOWN_STATUS[message.status]
        chosen_at = None
        if row.preset == "chosen" and row.lead_minutes is not None:
            chosen_at = timing.wanted_moment(appointment.metadata, "chosen", None, row.lead_minutes)
        return ReminderView(row.id, row.item_id, row.preset, row.send_at, row.night_ok, row.phone_e164,
                            message.body if message is not None else None, status, chosen_at, row.author_id,
                            message.structure_id if message is not None and row.author_id != row.owner_id else None)


def _check_appointment(appointment) -> None:
    if appointment.kind != "appointment" or appointment.trashed_at is not None:
        raise NotAnAppointment()

