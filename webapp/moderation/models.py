"""Reports and formal notices.

A report's `details` is plaintext its author chose to give (the form says so). An attached item is
never stored in clear: its kind and metadata are encrypted under a fresh key wrapped to the platform
review key (`vaultcore/review.py`, purpose "report-key"), which only administrators unwrap.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow

KINDS = ("item", "account", "structure")
REASONS = ("illicit", "abusive", "fraud", "other")
# open → dismissed | item_removed | suspended | notice_sent (a formal notice runs its course)
STATUSES = ("open", "dismissed", "item_removed", "suspended", "notice_sent")
# pending → answered | suspended (deadline passed unanswered) | withdrawn (an administrator reactivated or closed it)
NOTICE_STATUSES = ("pending", "answered", "suspended", "withdrawn")


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_status_created_at", "status", "created_at"),
                      Index("ix_reports_item_owner_id", "item_owner_id"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))
    # Ids without foreign keys: a report outlives the account, item or Relais it is about.
    reporter_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    account_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    structure_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    item_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    item_owner_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    item_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    attachment_key_wrap: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    review_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sealer_verify_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class FormalNotice(Base):
    """A *mise en demeure* (R12): unanswered by `deadline`, the account is suspended by a periodic job."""

    __tablename__ = "formal_notices"
    __table_args__ = (Index("ix_formal_notices_status_deadline", "status", "deadline"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    sent_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
