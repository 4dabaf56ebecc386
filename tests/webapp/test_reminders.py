"""Appointment reminders: scheduled at the preset, kept to decent hours, moved with the appointment,
cancelled with it, never resurrected by a restore; past moments refused."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from webapp.accounts import services as accounts
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.reminders.errors import (
    AlreadySent,
    MomentPassed,
    NeedsAppointmentTime,
    NoDecentMoment,
    NotBeforeAppointment,
)
from webapp.reminders.models import Reminder
from webapp.reminders.services import ReminderRequest, Reminders
from webapp.sms import delivery
from webapp.sms.models import SmsMessage
from webapp.vault.services import Vault

from .conftest import PASSWORD

PARIS = ZoneInfo("Europe/Paris")
PHONE = "+33612345678"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc)


@pytest.fixture
def owner(app, make_account, clock):
    clock.now = paris(2026, 3, 10, 9, 0).timestamp()
    made = make_account()
    with app.test_request_context():
        unlocked = accounts.authenticate(db(), app.extensions["keys"], made.identifier, PASSWORD)
        yield unlocked


@pytest.fixture
def vault(app, owner, clock):
    return Vault(db(), app.extensions["keys"], owner.account.id, 1, owner.identity,
                 clock=lambda: datetime.fromtimestamp(clock(), timezone.utc))


def reminders(owner, clock) -> Reminders:
    return Reminders(db(), author_id=owner.account.id, now=datetime.fromtimestamp(clock(), timezone.utc))


def appointment(vault, date="2026-03-12", time="14:30"):
    view = vault.create_record_item("appointment", {"title": "Préfecture, titre de séjour", "date": date, "time": time,
                                                    "place": "Cité", "with_whom": "Mme Diallo"})
    db().commit()
    return view


def schedule(owner, clock, view, preset="day_before", text=None, **extra):
    made = reminders(owner, clock)
    request = ReminderRequest(preset=preset, phone_e164=PHONE, text=text or made.default_text(view), **extra)
    scheduled = made.schedule(view, owner.account.id, request)
    db().commit()
    return scheduled


def message_of(reminder_id) -> SmsMessage:
    db().expire_all()
    return db().get(SmsMessage, db().get(Reminder, reminder_id).sms_message_id)


def test_presets_schedule_sms_with_the_minimal_text(owner, vault, clock):
    view = appointment(vault)
    assert reminders(owner, clock).default_text(view) == "Rappel : rendez-vous le 12/03 à 14h30."
    day_before = schedule(owner, clock, view)
    two_hours = schedule(owner, clock, view, "two_hours", text="Rappel : rendez-vous le 12/03 à 14h30, à la Cité.")
    assert day_before.send_at == paris(2026, 3, 11, 14, 30) and day_before.status == "scheduled"
    assert two_hours.send_at == paris(2026, 3, 12, 12, 30)
    ledger = message_of(two_hours.id)
    assert (ledger.status, ledger.purpose, ledger.phone_e164, ledger.account_id) == ("scheduled", "reminder", PHONE,
                                                                                    owner.account.id)
    assert ledger.body == "Rappel : rendez-vous le 12/03 à 14h30, à la Cité." and ledger.send_after == two_hours.send_at
    assert "Diallo" not in message_of(day_before.id).body and "Cité" not in message_of(day_before.id).body
    assert [r.id for r in reminders(owner, clock).list(view)] == [day_before.id, two_hours.id]
    events = db().scalars(select(AuditEvent).where(AuditEvent.action == "reminder.scheduled")).all()
    assert len(events) == 2 and all("Rappel" not in str(event.details) for event in events)


def test_night_times_move_into_the_day_unless_the_person_allows_the_night(owner, vault, clock):
    view = appointment(vault, time="07:30")
    late = schedule(owner, clock, view)  # the day before at 07:30 → 08:00, the nearer decent time
    assert late.send_at == paris(2026, 3, 11, 8, 0)
    early = schedule(owner, clock, view, "two_hours")  # 05:30 → 20:00 the evening before (8:00 is after the appointment)
    assert early.send_at == paris(2026, 3, 11, 20, 0)
    night = schedule(owner, clock, view, "two_hours", night_ok=True)
    assert night.send_at == paris(2026, 3, 12, 5, 30)


def test_a_chosen_moment_must_be_ahead_and_before_the_appointment(owner, vault, clock):
    view = appointment(vault)
    chosen = schedule(owner, clock, view, "chosen", chosen_at=paris(2026, 3, 12, 9, 15))
    assert chosen.send_at == paris(2026, 3, 12, 9, 15) and chosen.chosen_at == paris(2026, 3, 12, 9, 15)
    with pytest.raises(MomentPassed):
        schedule(owner, clock, view, "chosen", chosen_at=paris(2026, 3, 10, 8, 59))
    with pytest.raises(NotBeforeAppointment):
        schedule(owner, clock, view, "chosen", chosen_at=paris(2026, 3, 12, 14, 30))
    db().rollback()


def test_past_presets_and_impossible_ones_are_refused(owner, vault, clock):
    tomorrow_early = appointment(vault, date="2026-03-11", time="08:00")
    with pytest.raises(MomentPassed):
        schedule(owner, clock, tomorrow_early, night_ok=True)  # the day before at 08:00 is an hour ago
    with pytest.raises(NeedsAppointmentTime):
        schedule(owner, clock, appointment(vault, time=""), "two_hours")
    clock.now = paris(2026, 3, 10, 21, 0).timestamp()
    with pytest.raises(NoDecentMoment):  # 06:00 tomorrow: 20:00 today is past, 08:00 is not before the appointment
        schedule(owner, clock, tomorrow_early, "two_hours")
    db().rollback()


def test_an_appointment_without_time_is_reminded_the_evening_before(owner, vault, clock):
    view = appointment(vault, time="")
    assert reminders(owner, clock).default_text(view) == "Rappel : rendez-vous le 12/03."
    assert schedule(owner, clock, view).send_at == paris(2026, 3, 11, 18, 0)


def test_editing_the_appointment_moves_its_reminders_and_their_text(owner, vault, clock):
    view = appointment(vault)
    day_before = schedule(owner, clock, view)
    chosen = schedule(owner, clock, view, "chosen", chosen_at=paris(2026, 3, 12, 9, 0),
                      text="RDV le 12/03 à 14h30 avec Mme Diallo")
    vault.update_metadata(view.id, {**view.metadata, "date": "2026-03-20", "time": "10:00"})
    db().commit()
    assert message_of(day_before.id).send_after == paris(2026, 3, 19, 10, 0)
    assert message_of(day_before.id).body == "Rappel : rendez-vous le 20/03 à 10h00."
    # "chosen" keeps its distance: 5 h 30 before, so 04:30 → moved into the day: 08:00, still before 10:00.
    assert message_of(chosen.id).send_after == paris(2026, 3, 20, 8, 0)
    assert message_of(chosen.id).body == "RDV le 20/03 à 10h00 avec Mme Diallo"
    assert db().get(Reminder, chosen.id).send_at == paris(2026, 3, 20, 8, 0)
    assert db().scalars(select(AuditEvent.action).where(AuditEvent.action == "reminder.moved")).all() == ["reminder.moved"] * 2


def test_a_title_change_moves_nothing(owner, vault, clock):
    view = appointment(vault)
    scheduled = schedule(owner, clock, view)
    vault.update_metadata(view.id, {**view.metadata, "title": "Préfecture"})
    db().commit()
    assert message_of(scheduled.id).send_after == scheduled.send_at


def test_moving_the_appointment_into_the_past_cancels_its_reminders(owner, vault, clock):
    view = appointment(vault)
    scheduled = schedule(owner, clock, view)
    vault.update_metadata(view.id, {**view.metadata, "date": "2026-03-10", "time": "08:00"})
    db().commit()
    assert message_of(scheduled.id).status == "cancelled"
    assert reminders(owner, clock).list(vault.get(view.id))[0].status == "cancelled"


def test_trashing_cancels_and_restoring_does_not_resurrect(owner, vault, clock):
    folder = vault.create_record_item("folder", {"title": "Préfecture"})
    db().commit()
    inside = vault.create_record_item("appointment", {"title": "RDV", "date": "2026-03-12", "time": "14:30"},
                                      folder_id=folder.id)
    db().commit()
    scheduled = schedule(owner, clock, inside)
    vault.trash(folder.id)
    db().commit()
    assert message_of(scheduled.id).status == "cancelled" and message_of(scheduled.id).body is None
    vault.restore(folder.id)
    db().commit()
    assert message_of(scheduled.id).status == "cancelled"
    listed = reminders(owner, clock).list(vault.get(inside.id))
    assert [(r.status, r.text) for r in listed] == [("cancelled", None)]
    with pytest.raises(AlreadySent):
        reminders(owner, clock).change(vault.get(inside.id), scheduled.id,
                                       ReminderRequest(preset="two_hours", phone_e164=PHONE, text="Rappel"))


def test_change_and_delete(owner, vault, clock):
    view = appointment(vault)
    scheduled = schedule(owner, clock, view)
    changed = reminders(owner, clock).change(view, scheduled.id, ReminderRequest(
        preset="two_hours", phone_e164=PHONE, text="Rappel : demain", night_ok=False))
    db().commit()
    assert changed.send_at == paris(2026, 3, 12, 12, 30) and message_of(scheduled.id).body == "Rappel : demain"
    first_message = message_of(scheduled.id)
    moved = reminders(owner, clock).change(view, scheduled.id, ReminderRequest(
        preset="two_hours", phone_e164="+33755555555", text="Rappel : demain"))
    db().commit()
    assert first_message.id != message_of(scheduled.id).id and moved.phone_e164 == "+33755555555"
    assert db().get(SmsMessage, first_message.id).status == "cancelled"
    reminders(owner, clock).delete(view, scheduled.id)
    db().commit()
    assert db().get(Reminder, scheduled.id) is None
    assert db().scalars(select(SmsMessage.status).where(SmsMessage.purpose == "reminder")).all() == ["cancelled"] * 2


def test_a_sent_reminder_can_no_longer_change(app, owner, vault, clock):
    view = appointment(vault)
    scheduled = schedule(owner, clock, view, "chosen", chosen_at=paris(2026, 3, 10, 10, 0))
    clock.now = paris(2026, 3, 10, 10, 1).timestamp()
    message = message_of(scheduled.id)
    delivery.deliver(db(), app.extensions["sms_gateway"], message.id, datetime.fromtimestamp(clock(), timezone.utc))
    with pytest.raises(AlreadySent):
        reminders(owner, clock).change(view, scheduled.id, ReminderRequest(preset="two_hours", phone_e164=PHONE, text="x"))
    vault.update_metadata(view.id, {**view.metadata, "date": "2026-03-13"})
    db().commit()
    assert message_of(scheduled.id).status in ("sent", "delivered")
    assert reminders(owner, clock).list(vault.get(view.id))[0].status == "sent"
