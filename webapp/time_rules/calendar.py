"""Days as people count them: calendar days in Europe/Paris, whatever hour the daily job runs at."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..sms import hours

PARIS = ZoneInfo("Europe/Paris")


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def years_after(day: date, years: int) -> date:
    """The same day `years` later; a 29 February becomes 1 March, when that many years have fully passed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def sms_time(now: datetime) -> datetime:
    """When a notice SMS leaves: now if it is daytime in Paris, else at 08:00 (`sms/hours.py`)."""
    return hours.decent_send_time(now, not_before=now, before=now + timedelta(days=1))
