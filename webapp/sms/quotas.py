"""Daily limits, so that a mistake (a loop) or an abuser cannot run up the SMS bill.

A day is a calendar day in Europe/Paris, the day the message is due to leave: scheduling ten
reminders for ten different days spends one per day. Every message counts but those cancelled or
refused, which never leave. The limits are in the settings (`SmsSettings.daily_limit_per_*`).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..config import SmsSettings
from .errors import SmsQuotaExceeded
from .models import SmsMessage

PARIS = ZoneInfo("Europe/Paris")
NOT_COUNTED = ("cancelled", "refused")


def check(session: Session, limits: SmsSettings, *, phone_e164: str, account_id: str | None,
          structure_id: str | None, send_after: datetime, ignore_id: str | None = None) -> None:
    """Raise `SmsQuotaExceeded` if one more message due at `send_after` goes over a daily limit.

    `ignore_id`: a message being moved, which must not count against itself.
    """
    day_start, day_end = paris_day(send_after)
    scopes = [("number", SmsMessage.phone_e164, phone_e164, limits.daily_limit_per_number),
              ("account", SmsMessage.account_id, account_id, limits.daily_limit_per_account),
              ("structure", SmsMessage.structure_id, structure_id, limits.daily_limit_per_structure)]
    for scope, column, value, limit in scopes:
        if value is None:
            continue
        query = select(func.count()).select_from(SmsMessage).where(
            column == value, SmsMessage.status.not_in(NOT_COUNTED),
            SmsMessage.send_after >= day_start, SmsMessage.send_after < day_end)
        if ignore_id is not None:
            query = query.where(SmsMessage.id != ignore_id)
        if session.scalar(query) >= limit:
            raise SmsQuotaExceeded(scope, limit)


def paris_day(moment: datetime) -> tuple[datetime, datetime]:
    """The start and end of `moment`'s calendar day in Europe/Paris (23 or 25 hours at DST changes)."""
    day = moment.astimezone(PARIS).date()
    start = datetime.combine(day, time(), PARIS)
    end = datetime.combine(day + timedelta(days=1), time(), PARIS)
    return start, end
