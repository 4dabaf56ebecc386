"""R16c: an affiliation without activity from its Relais for 2 years ends by itself.

The countdown starts at the last consultation or contribution of a member of the Relais on the
beneficiary's shared part (`SharedAccess._trace`), or at the grant. On the day 2 years minus 30 days
after it, both sides are told (`idle_notice_at` keeps that it was done, so a second run tells nobody
twice); on the day 2 years after it, the affiliation ends through `affiliations.end`, by "rule".
Activity in between starts a new countdown. A notice sent late (the job did not run) still gives its
30 days: the end then comes 30 days after the notice.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts.models import Account
from ..audit.services import record_event
from ..notices import services as notices
from ..notices.texts import idle_affiliation_sms
from ..structures import affiliations
from ..structures.models import Affiliation
from ..structures.services import Actor
from . import notice_sms
from .calendar import day_text, paris_day, years_after

log = logging.getLogger(__name__)
YEARS = 2
NOTICE = timedelta(days=30)
# Nothing younger can be due: 2 years are at least 730 days, and a day of margin for the time zone.
YOUNGEST_DUE = timedelta(days=730) - NOTICE - timedelta(days=1)
RULE_ACTOR = Actor(affiliations.RULE, 0, None)  # ending needs no key (`affiliations._revoke`)
WARN, END = "warn", "end"


@dataclass(frozen=True)
class Step:
    action: str
    on_day: date  # the day the affiliation ends (or ended)


def warn_and_end(db: Session, keys: KeyServiceClient, now: datetime) -> dict[str, int]:
    """Tell or end every affiliation that is due today; how many of each. Each one is committed on its own."""
    today, done = paris_day(now), {WARN: 0, END: 0}
    for row in _candidates(db, now):
        step = step_for(row, today)
        if step is None:
            continue
        try:
            if step.action == WARN:
                _warn(db, row, step.on_day, now)
            else:
                _end(db, keys, row, now)
            db.commit()
            done[step.action] += 1
        except Exception:
            db.rollback()
            log.exception("the 2-year rule failed on one affiliation; the next run tries again")
    return done


def last_activity(row: Affiliation) -> datetime:
    return row.last_professional_activity_at or row.confirmed_at or row.started_at


def step_for(row: Affiliation, today: date) -> Step | None:
    """What today brings to this active (or confirmed) affiliation: a notice, its end, or nothing."""
    ends = years_after(paris_day(last_activity(row)), YEARS)
    warn_from = ends - NOTICE
    warned = paris_day(row.idle_notice_at) if row.idle_notice_at else None
    if warned is None or warned < warn_from:  # nobody was told in this countdown
        return Step(WARN, max(ends, today + NOTICE)) if today >= warn_from else None
    ends = max(ends, warned + NOTICE)
    return Step(END, today) if today >= ends else None


def _candidates(db: Session, now: datetime) -> list[Affiliation]:
    last = func.coalesce(Affiliation.last_professional_activity_at, Affiliation.confirmed_at, Affiliation.started_at)
    # A confirmed one waits for the person's next login to open the shared part (or, after a Relais
    # renewed its keys, to open it again): the Relais's 2 years run all the same.
    return list(db.scalars(select(Affiliation).where(Affiliation.status.in_((affiliations.ACTIVE, affiliations.CONFIRMED)),
                                                     last <= now - YOUNGEST_DUE)))


def _warn(db: Session, row: Affiliation, ends: date, now: datetime) -> None:
    row.idle_notice_at = now
    beneficiary = db.get(Account, row.beneficiary_id)
    notices.give(db, [row.beneficiary_id], notices.About("affiliation_idle_warning", ends, row.structure_id), now)
    notices.give(db, notices.members_of(db, row.structure_id),
                 notices.About("affiliation_idle_warning", ends, row.structure_id, row.beneficiary_id), now)
    texted = notice_sms.send(db, beneficiary, idle_affiliation_sms(day_text(ends)), _sms_key(row, ends), now)
    record_event(db, "affiliation.idle_warned", actor_id=affiliations.RULE, subject_id=row.beneficiary_id,
                 structure_id=row.structure_id, details={"ends_on": ends.isoformat(), "sms": texted})


def _end(db: Session, keys: KeyServiceClient, row: Affiliation, now: datetime) -> None:
    affiliations.end(db, keys, row, RULE_ACTOR, now)
    today = paris_day(now)
    notices.give(db, [row.beneficiary_id], notices.About("affiliation_ended_idle", today, row.structure_id), now)
    notices.give(db, notices.members_of(db, row.structure_id),
                 notices.About("affiliation_ended_idle", today, row.structure_id, row.beneficiary_id), now)


def _sms_key(row: Affiliation, ends: date) -> str:
    # Two ids do not fit the ledger's 64 characters: a digest of them and the day does.
    digest = hashlib.sha256(f"{row.beneficiary_id}:{row.structure_id}:{ends.isoformat()}".encode()).hexdigest()
    return f"r16c:{digest[:48]}"
