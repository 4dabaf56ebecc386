"""Giving, listing and dismissing in-app notices (`models.py`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Account
from ..structures.models import Membership
from .models import KINDS, Notice

SHOWN = 20  # on a page at once; the oldest wait until newer ones are dismissed


class NoticeNotFound(LookupError):
    """No such notice for this account, or already dismissed."""

    code = "not_found"


@dataclass(frozen=True)
class About:
    """What a notice is about: a kind, a day, and the Relais and person it concerns."""

    kind: str
    on_day: date
    structure_id: str | None = None
    beneficiary_id: str | None = None


def give(db: Session, account_ids: list[str], about: About, now: datetime) -> list[Notice]:
    """One notice per account; the caller commits."""
    if about.kind not in KINDS:
        raise ValueError("unknown notice kind")
    rows = [Notice(account_id=account_id, kind=about.kind, structure_id=about.structure_id,
                   beneficiary_id=about.beneficiary_id, on_day=about.on_day, created_at=now)
            for account_id in account_ids]
    db.add_all(rows)
    return rows


def members_of(db: Session, structure_id: str) -> list[str]:
    """Who a notice "to the Relais" goes to: every member (professionals and managers) still active."""
    return list(db.scalars(select(Membership.account_id).join(Account, Account.id == Membership.account_id)
                           .where(Membership.structure_id == structure_id, Account.status == "active")
                           .order_by(Membership.account_id)))


def waiting(db: Session, account_id: str, limit: int = SHOWN) -> list[Notice]:
    """The account's notices not dismissed yet, newest first."""
    return list(db.scalars(select(Notice).where(Notice.account_id == account_id, Notice.dismissed_at.is_(None))
                           .order_by(Notice.created_at.desc(), Notice.id).limit(limit)))


def dismiss(db: Session, account_id: str, notice_id: str, now: datetime) -> Notice:
    """The account has read it: it is no longer shown. Raises NoticeNotFound; the caller commits."""
    notice = db.get(Notice, notice_id)
    if notice is None or notice.account_id != account_id or notice.dismissed_at is not None:
        raise NoticeNotFound()
    notice.dismissed_at = now
    return notice
