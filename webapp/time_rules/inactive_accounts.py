"""R16b: a beneficiary's account with 10 years of total inactivity is deleted.

Activity is a login of the beneficiary (`Account.last_activity_at`) or a consultation or contribution
by a member of an affiliated Relais on their shared part (`Account.last_professional_activity_at`);
an account nobody ever used counts from its creation. The person is told 90 and 30 days before, in
the app and by SMS to their confirmed mobile (the service sends no e-mail); `inactivity_notice_at`
keeps the last notice, so a second run tells nothing twice. On the day 10 years after the last
activity the account is deleted (`accounts.deletion`), if the 30-day notice was given at least 30
days before: a notice sent late postpones the deletion, it never shortens the warning.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts import deletion
from ..accounts.models import Account
from ..audit.services import record_event
from ..notices import services as notices
from ..notices.texts import inactive_account_sms
from ..structures.affiliations import RULE
from . import notice_sms
from .calendar import day_text, paris_day, years_after

log = logging.getLogger(__name__)
YEARS = 10
NOTICES = (timedelta(days=90), timedelta(days=30))  # before the day, the first and the last notice
LAST_NOTICE = NOTICES[-1]
# Nothing younger can be due: 10 years are at least 3652 days, and a day of margin for the time zone.
YOUNGEST_DUE = timedelta(days=3652) - NOTICES[0] - timedelta(days=1)
LIVE_STATUSES = ("active", "suspended")  # a deletion under way is finished by its own job
WARN, DELETE = "warn", "delete"


@dataclass(frozen=True)
class Step:
    action: str
    on_day: date  # the day the account is (or was) deleted


def warn_and_delete(db: Session, keys: KeyServiceClient, store, now: datetime) -> dict[str, int]:
    """Tell or delete every account due today; how many of each. Each one is committed on its own."""
    today, done = paris_day(now), {WARN: 0, DELETE: 0}
    for account in _candidates(db, now):
        step = step_for(account, today)
        if step is None:
            continue
        try:
            if step.action == WARN:
                _warn(db, account, step.on_day, now)
                db.commit()
            else:
                deletion.delete_beneficiary(db, keys, store, account, actor_id=None, reason="inactivity")
            done[step.action] += 1
        except Exception:
            db.rollback()
            log.exception("the 10-year rule failed on one account; the next run tries again")
    return done


def last_activity(account: Account) -> datetime:
    return max(moment for moment in (account.created_at, account.last_activity_at,
                                     account.last_professional_activity_at) if moment is not None)


def step_for(account: Account, today: date) -> Step | None:
    """What today brings to this account: a notice, its deletion, or nothing."""
    deleted_on = years_after(paris_day(last_activity(account)), YEARS)
    due = [deleted_on - before for before in NOTICES if today >= deleted_on - before]
    if not due:
        return None
    told = paris_day(account.inactivity_notice_at) if account.inactivity_notice_at else None
    if told is None or told < due[-1]:  # this notice was not given in this countdown
        return Step(WARN, max(deleted_on, today + LAST_NOTICE))
    if len(due) == len(NOTICES) and today >= max(deleted_on, told + LAST_NOTICE):
        return Step(DELETE, today)
    return None


def _candidates(db: Session, now: datetime) -> list[Account]:
    cutoff = now - YOUNGEST_DUE
    return list(db.scalars(select(Account).where(
        Account.role == "beneficiary", Account.status.in_(LIVE_STATUSES), Account.created_at <= cutoff,
        func.coalesce(Account.last_activity_at, Account.created_at) <= cutoff,
        func.coalesce(Account.last_professional_activity_at, Account.created_at) <= cutoff)))


def _warn(db: Session, account: Account, deleted_on: date, now: datetime) -> None:
    account.inactivity_notice_at = now
    notices.give(db, [account.id], notices.About("account_inactive_warning", deleted_on), now)
    key = f"r16b:{account.id}:{paris_day(now):%Y%m%d}"
    texted = notice_sms.send(db, account, inactive_account_sms(day_text(deleted_on)), key, now)
    record_event(db, "account.inactivity_warned", actor_id=RULE, subject_id=account.id,
                 details={"deleted_on": deleted_on.isoformat(), "sms": texted})
