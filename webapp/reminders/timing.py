"""When a reminder goes, from the appointment's date and time (Europe/Paris) and the chosen preset.

- "day_before": the day before at the appointment's time, or at 18:00 when it has no time;
- "two_hours": two real hours before (refused when the appointment has no time);
- "chosen": the moment the person typed. When the appointment moves, it keeps its distance to it.

The SMS must leave before the appointment: its start, or the end of its day when it has no time.
Unless the person chose to allow the night, the time then moves into the day (`sms/hours.py`).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from ..sms.hours import PARIS, NoDecentTime, decent_send_time
from .errors import MissingChosenMoment, MomentPassed, NeedsAppointmentTime, NoDecentMoment, NotBeforeAppointment

DAY_BEFORE_WITHOUT_TIME = time(18, 0)
TWO_HOURS = timedelta(hours=2)


def appointment_limit(metadata: dict[str, Any]) -> datetime:
    """The moment before which a reminder must leave (UTC)."""
    day = date.fromisoformat(metadata["date"])
    if metadata.get("time"):
        return _utc(day, time.fromisoformat(metadata["time"]))
    return _utc(day + timedelta(days=1), time(0, 0))


def wanted_moment(metadata: dict[str, Any], preset: str, chosen: datetime | None, lead_minutes: int | None) -> datetime:
    """Where the person wants the SMS, before the decent-hours rule: `chosen` (UTC) for a new
    "chosen" reminder, `lead_minutes` for one that follows its moved appointment."""
    day = date.fromisoformat(metadata["date"])
    at = time.fromisoformat(metadata["time"]) if metadata.get("time") else None
    if preset == "day_before":
        return _utc(day - timedelta(days=1), at or DAY_BEFORE_WITHOUT_TIME)
    if preset == "two_hours":
        if at is None:
            raise NeedsAppointmentTime()
        return _utc(day, at) - TWO_HOURS
    if chosen is not None:
        return chosen
    if lead_minutes is None:
        raise MissingChosenMoment()
    return appointment_limit(metadata) - timedelta(minutes=lead_minutes)


def send_time(metadata: dict[str, Any], wanted: datetime, *, night_ok: bool, now: datetime) -> datetime:
    """The moment the SMS leaves; raises MomentPassed, NotBeforeAppointment or NoDecentMoment."""
    limit = appointment_limit(metadata)
    if limit <= now or wanted <= now:
        raise MomentPassed()
    if wanted >= limit:
        raise NotBeforeAppointment()
    if night_ok:
        return wanted
    try:
        return decent_send_time(wanted, not_before=now, before=limit)
    except NoDecentTime:
        raise NoDecentMoment() from None


def send_time_now(metadata: dict[str, Any], *, night_ok: bool, now: datetime) -> datetime:
    """"Now": at once, or at the next decent moment before the appointment; raises MomentPassed or
    NoDecentMoment."""
    limit = appointment_limit(metadata)
    if limit <= now:
        raise MomentPassed()
    if night_ok:
        return now
    try:
        return decent_send_time(now, not_before=now, before=limit)
    except NoDecentTime:
        raise NoDecentMoment() from None


def lead_minutes(metadata: dict[str, Any], wanted: datetime) -> int:
    return int((appointment_limit(metadata) - wanted).total_seconds() // 60)


def local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def from_local(day: date, at: time) -> datetime:
    return _utc(day, at)


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, PARIS).astimezone(timezone.utc)
