"""In-app notices: a short message to one account, shown on every page until it is dismissed.

A notice holds no text: its kind, the Relais and the person it is about, and a date; the words are
written when it is shown, in the reader's language (`texts.py`). A notice "to a Relais" is one row
per member of it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id

KINDS = ("affiliation_idle_warning", "affiliation_ended_idle", "account_inactive_warning")


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_account_id_dismissed_at", "account_id", "dismissed_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    structure_id: Mapped[str | None] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), nullable=True)
    # The beneficiary a Relais's member is told about; None in a beneficiary's own notices.
    beneficiary_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True)
    # When what the notice announces happens (or happened).
    on_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    dismissed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
