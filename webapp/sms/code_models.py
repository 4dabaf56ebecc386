"""One-time codes sent by SMS (`codes.py`): only a keyed hash of each code is kept, never the code."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id

PURPOSES = ("phone", "affiliation", "reset")


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"
    __table_args__ = (Index("ix_one_time_codes_account_id_purpose_sent_at", "account_id", "purpose", "sent_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    # What else the code is bound to, for example the structure an affiliation joins; "" when nothing.
    context: Mapped[str] = mapped_column(String(32), default="")
    phone_e164: Mapped[str] = mapped_column(String(20))
    digest: Mapped[bytes] = mapped_column(LargeBinary)  # HMAC-SHA256 under a key derived from SECRET_KEY
    tries: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Used, replaced by a newer code, or out of tries: a closed code never matches again.
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sms_message_id: Mapped[str | None] = mapped_column(ForeignKey("sms_messages.id", ondelete="SET NULL"), nullable=True)
