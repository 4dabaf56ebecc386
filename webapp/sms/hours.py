"""Decent hours: an SMS reminder is not sent at night unless the person chose so.

The day runs from 08:00 to 20:00, Europe/Paris local time, both included. A send time outside it
moves to the nearer of the evening before (20:00) and the next morning (08:00), among those that
are still to come and before the appointment. Local times are built with zoneinfo, so the 23- and
25-hour days of the daylight-saving changes count their real length.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)


class NoDecentTime(ValueError):
    """No moment between now and the appointment falls in the day."""

    code = "no_decent_time"


def is_decent(moment: datetime) -> bool:
    return DAY_STARTS <= moment.astimezone(PARIS).time() <= DAY_ENDS


def decent_send_time(wanted: datetime, *, not_before: datetime, before: datetime) -> datetime:
    """`wanted` (UTC) if it is in the day; else the nearest of 20:00 the evening before and 08:00
    the next morning that lies in [not_before, before). On a tie the evening wins: a reminder
    early is better than late. Raises NoDecentTime when neither does."""
    if is_decent(wanted):
        return wanted
    day = wanted.astimezone(PARIS).date()
    if wanted.astimezone(PARIS).time() > DAY_ENDS:
        evening, morning = _local(day, DAY_ENDS), _local(day + timedelta(days=1), DAY_STARTS)
    else:
        evening, morning = _local(day - timedelta(days=1), DAY_ENDS), _local(day, DAY_STARTS)
    for candidate in sorted((evening, morning), key=lambda moment: (abs(moment - wanted), moment)):
        if not_before <= candidate < before:
            return candidate
    raise NoDecentTime()


def _local(day, at: time) -> datetime:
    return datetime.combine(day, at, PARIS).astimezone(timezone.utc)
