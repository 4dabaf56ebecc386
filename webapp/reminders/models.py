"""SMS reminders of appointments. The appointment itself stays encrypted in the vault; a reminder
keeps when it goes and to which number, and its text — the only plaintext that leaves the vault,
as the person accepted it — rests in the SMS ledger row (`sms/models.py`) until the message leaves."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow

PRESETS = ("day_before", "two_hours", "chosen")
# A professional may also send one at once (R4): "now" still waits for the day unless the night is allowed.
STAFF_PRESETS = ("now", *PRESETS)


class Reminder(Base):
    __tablename__ = "reminders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    # Who scheduled it: the beneficiary, or a professional of an affiliated Relais (then the ledger row
    # names that Relais in `structure_id`, whose daily quota it counts against).
    author_id: Mapped[str] = mapped_column(String(32))
    preset: Mapped[str] = mapped_column(String(16))
    # How long before the appointment the person wanted it (before the decent-hours rule): what a
    # "chosen" reminder keeps when its appointment moves; the presets recompute theirs.
    lead_minutes: Mapped[int] = mapped_column(Integer)
    night_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_e164: Mapped[str] = mapped_column(String(20))
    send_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sms_message_id: Mapped[str | None] = mapped_column(ForeignKey("sms_messages.id", ondelete="SET NULL"), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
