"""Administrators' decisions on reports, and formal notices (R12).

- dismiss: nothing happens to anyone;
- remove the item: it is erased for good (row, then blobs), not put in the owner's trash, where
  the owner could restore abusive or illicit content; the owner is told on their home page;
- suspend an account at once (serious cases) — it cannot log in, its sessions end;
- send a formal notice: the account sees it at its next login and may answer; unanswered
  NOTICE_DAYS later, `suspend_unanswered` (a periodic job) suspends it;
- reactivate an account: pending notices are withdrawn.

Every decision is an audit event about the account concerned.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import review

from ..accounts.models import Account
from ..audit.services import record_event
from ..structures.review_keys import ReviewKeys
from ..vault import blobs
from ..vault.models import Item
from .errors import AlreadyDecided, NotApplicable, NoticeNotFound, NothingAttached, ReportNotFound
from .models import FormalNotice, Report
from .reports import attachment_ref

NOTICE_DAYS = 15
MAX_MESSAGE = 2000
REMOVAL_SHOWN_DAYS = 30  # how long the owner's home page mentions a removed item


@dataclass(frozen=True)
class Attachment:
    kind: str
    metadata: dict


def list_reports(db: Session, status: str | None = "open") -> list[Report]:
    query = select(Report).order_by(Report.created_at.desc())
    if status is not None:
        query = query.where(Report.status == status)
    return list(db.scalars(query))


def get_report(db: Session, report_id: str) -> Report:
    report = db.get(Report, report_id)
    if report is None:
        raise ReportNotFound()
    return report


def open_attachment(db: Session, keys: KeyServiceClient, report: Report, admin_id: str, admin_version: int,
                    identity) -> Attachment:
    """The attached item, decrypted in an administrator's session."""
    if report.attachment is None:
        raise NothingAttached()
    review_keys = ReviewKeys(db, keys).open(report.review_version, admin_id, admin_version, identity)
    key = review.unwrap_report_key(report.attachment_key_wrap, report.id, report.review_version, review_keys,
                                   report.sealer_verify_key)
    content = items.decrypt_metadata(key, attachment_ref(report.id), report.attachment)
    record_event(db, "report.attachment_opened", actor_id=admin_id, subject_id=report.item_owner_id,
                 details={"report": report.id})
    return Attachment(str(content.get("kind", "")), dict(content.get("metadata") or {}))


def dismiss(db: Session, report_id: str, admin_id: str, now: datetime) -> Report:
    report = _open_report(db, report_id)
    _decide(db, report, "dismissed", admin_id, now)
    return report


def remove_item(db: Session, store, report_id: str, admin_id: str, now: datetime) -> Report:
    report = _open_report(db, report_id)
    if report.kind != "item":
        raise NotApplicable()
    row = db.get(Item, report.item_id)
    names = []
    if row is not None:
        names = [name for name in blobs.every_name(row.id, row.content_revision)] if row.blob_name else []
        db.delete(row)
    _decide(db, report, "item_removed", admin_id, now)
    record_event(db, "moderation.item_removed", actor_id=admin_id, subject_id=report.item_owner_id,
                 details={"report": report.id, "kind": report.item_kind or ""})
    db.commit()  # the row goes first: a blob without a row is an orphan, a row without its blob a broken item
    for name in names:
        store.delete(name)
    return report


def suspend(db: Session, account_id: str, admin_id: str, now: datetime, report_id: str | None = None) -> Account:
    report = _open_report(db, report_id) if report_id else None
    account = _account(db, account_id)
    account.status = "suspended"
    if report is not None:
        _decide(db, report, "suspended", admin_id, now)
    record_event(db, "moderation.account_suspended", actor_id=admin_id, subject_id=account.id,
                 details={"report": report_id or ""})
    return account


def reactivate(db: Session, account_id: str, admin_id: str, now: datetime) -> Account:
    account = _account(db, account_id)
    account.status = "active"
    for notice in _pending_notices(db, account.id):
        notice.status, notice.closed_at = "withdrawn", now
    record_event(db, "moderation.account_reactivated", actor_id=admin_id, subject_id=account.id)
    return account


def send_notice(db: Session, account_id: str, message: str, admin_id: str, now: datetime,
                report_id: str | None = None) -> FormalNotice:
    report = _open_report(db, report_id) if report_id else None
    account = _account(db, account_id)
    message = message.strip()
    if not message or len(message) > MAX_MESSAGE:
        raise ValueError("message")
    notice = FormalNotice(account_id=account.id, report_id=report_id, message=message, sent_by=admin_id, sent_at=now,
                          deadline=now + timedelta(days=NOTICE_DAYS), status="pending")
    db.add(notice)
    if report is not None:
        _decide(db, report, "notice_sent", admin_id, now)
    db.flush()
    record_event(db, "moderation.notice_sent", actor_id=admin_id, subject_id=account.id,
                 details={"notice": notice.id, "deadline": notice.deadline.date().isoformat()})
    return notice


def notices_for(db: Session, account_id: str) -> list[FormalNotice]:
    return list(db.scalars(select(FormalNotice).where(FormalNotice.account_id == account_id)
                           .order_by(FormalNotice.sent_at.desc())))


def list_notices(db: Session) -> list[FormalNotice]:
    return list(db.scalars(select(FormalNotice).order_by(FormalNotice.sent_at.desc())))


def unseen_notice(db: Session, account_id: str) -> FormalNotice | None:
    """A pending notice the account has not been shown yet: its next page is the notice."""
    return db.scalar(select(FormalNotice).where(FormalNotice.account_id == account_id, FormalNotice.status == "pending",
                                                FormalNotice.seen_at.is_(None)).limit(1))


def own_notice(db: Session, account_id: str, notice_id: str) -> FormalNotice:
    notice = db.get(FormalNotice, notice_id)
    if notice is None or notice.account_id != account_id:
        raise NoticeNotFound()
    return notice


def mark_seen(notice: FormalNotice, now: datetime) -> None:
    if notice.seen_at is None:
        notice.seen_at = now


def answer_notice(db: Session, account_id: str, notice_id: str, reply: str, now: datetime) -> FormalNotice:
    notice = own_notice(db, account_id, notice_id)
    reply = reply.strip()
    if notice.status != "pending":
        raise AlreadyDecided()
    if not reply or len(reply) > MAX_MESSAGE:
        raise ValueError("reply")
    notice.reply, notice.replied_at, notice.status, notice.closed_at = reply, now, "answered", now
    mark_seen(notice, now)
    record_event(db, "moderation.notice_answered", actor_id=account_id, subject_id=account_id,
                 details={"notice": notice.id})
    return notice


def suspend_unanswered(db: Session, now: datetime) -> int:
    """Suspend every account whose formal notice reached its deadline unanswered; how many."""
    due = db.scalars(select(FormalNotice).where(FormalNotice.status == "pending", FormalNotice.deadline <= now)).all()
    for notice in due:
        account = db.get(Account, notice.account_id)
        notice.status, notice.closed_at = "suspended", now
        if account is not None and account.role != "admin":
            account.status = "suspended"
            record_event(db, "moderation.account_suspended", subject_id=account.id,
                         details={"notice": notice.id, "unanswered": True})
    db.commit()
    return len(due)


def removed_items(db: Session, owner_id: str, now: datetime) -> list[Report]:
    """Items of this owner the administrators removed lately, for their home page."""
    return list(db.scalars(select(Report).where(
        Report.item_owner_id == owner_id, Report.status == "item_removed",
        Report.decided_at >= now - timedelta(days=REMOVAL_SHOWN_DAYS)).order_by(Report.decided_at.desc())))


def _open_report(db: Session, report_id: str) -> Report:
    report = get_report(db, report_id)
    if report.status != "open":
        raise AlreadyDecided()
    return report


def _decide(db: Session, report: Report, status: str, admin_id: str, now: datetime) -> None:
    report.status, report.decided_at, report.decided_by = status, now, admin_id
    record_event(db, "report.decided", actor_id=admin_id, subject_id=report.account_id or report.item_owner_id,
                 details={"report": report.id, "decision": status})


def _account(db: Session, account_id: str | None) -> Account:
    if account_id is None:
        raise NotApplicable()  # a report about a Relais, or an item whose author is unknown
    account = db.get(Account, account_id)
    if account is None:
        raise ReportNotFound()
    if account.role == "admin":
        raise NotApplicable()
    return account


def _pending_notices(db: Session, account_id: str) -> list[FormalNotice]:
    return list(db.scalars(select(FormalNotice).where(FormalNotice.account_id == account_id,
                                                      FormalNotice.status == "pending")))
