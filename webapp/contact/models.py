"""Messages of the contact form. Sent logged in, they belong to the account (deleted with it) and
its reply is shown to it; sent logged out, `reach_at` is how the team answers (e-mail or phone)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id

CATEGORIES = ("question", "technical")
STATUSES = ("open", "closed")


class ContactMessage(Base):
    __tablename__ = "contact_messages"
    __table_args__ = (Index("ix_contact_messages_status_created_at", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True,
                                                   index=True)
    category: Mapped[str] = mapped_column(String(16))
    reach_at: Mapped[str] = mapped_column(String(254), default="")
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    replied_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
