"""Audit events: who did what to which account, when. Never a secret or any item content.

Each event since migration 0009 belongs to one chain of the tamper-evident journal (`journal.py`):
`seq` numbers it in its chain and `link` hashes it to the one before (`vaultcore/journal.py`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject_at", "subject_id", "at"), UniqueConstraint("chain_id", "seq"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subject_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    structure_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    chain_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # NULL: recorded before the journal
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    link: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class JournalHead(Base):
    """The tip of one chain, locked by each append, and the newest head the key service signed."""

    __tablename__ = "journal_heads"

    chain_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    link: Mapped[bytes] = mapped_column(LargeBinary)
    signed_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    signed_head: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
