"""The SMS ledger (what must be sent, and what became of it), the outbox of the embedded default,
and the numbers that opted out.

The database is the source of truth for what must be sent: Redis only carries jobs that name a
ledger row, so losing Redis loses nothing (`jobs/sms.py` re-reads the ledger every minute).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow

PURPOSES = ("reminder", "notice", "code")
# scheduled -> sending -> sent -> delivered; or failed (provider refused, attempts exhausted),
# cancelled (before sending), refused (the number opted out before the message left).
STATUSES = ("scheduled", "sending", "sent", "delivered", "failed", "cancelled", "refused")
FINISHED = ("sent", "delivered", "failed", "cancelled", "refused")


class SmsMessage(Base):
    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # Sent to the provider with the message (Brevo's `tag`): after a crash, the provider is asked
    # whether it already holds this key before the message is sent again.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    # The text the user accepted, kept only until the message leaves; never a code (None).
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True, index=True)
    structure_id: Mapped[str | None] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    send_after: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While "sending": the job that claimed it, and until when no other job may take it over.
    claim_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    provider: Mapped[str | None] = mapped_column(String(16), nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SmsOptOut(Base):
    """A number that asked for no more SMS: from the provider (STOP reply) or an administrator."""

    __tablename__ = "sms_opt_outs"

    phone_e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # provider | admin
    recorded_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OutboxMessage(Base):
    """What the embedded default's outbox "sent", as a provider would keep it (`outbox.py`)."""

    __tablename__ = "sms_outbox"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    phone_e164: Mapped[str] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text, nullable=True)  # None for codes: shown masked
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
