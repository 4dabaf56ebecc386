"""Numbers that asked for no more SMS: a STOP reply reported by the provider, or recorded by an
administrator (a person who asked by phone or at the desk). No SMS leaves for them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from .models import SmsOptOut

SOURCES = ("provider", "admin")


def opted_out(session: Session, phone_e164: str) -> bool:
    return session.get(SmsOptOut, phone_e164) is not None


def record_opt_out(session: Session, phone_e164: str, *, source: str, now: datetime, admin_id: str | None = None) -> SmsOptOut:
    """Record that the number opted out (once: a second STOP changes nothing)."""
    if source not in SOURCES:
        raise ValueError(f"unknown opt-out source {source!r}")
    existing = session.get(SmsOptOut, phone_e164)
    if existing is not None:
        return existing
    opt_out = SmsOptOut(phone_e164=phone_e164, source=source, recorded_by=admin_id, recorded_at=now)
    session.add(opt_out)
    record_event(session, "sms.opt_out_recorded", actor_id=admin_id, details={"source": source})
    return opt_out


def remove_opt_out(session: Session, phone_e164: str, *, admin_id: str) -> bool:
    """An administrator lifts an opt-out (the person asked to receive SMS again); False if none."""
    existing = session.get(SmsOptOut, phone_e164)
    if existing is None:
        return False
    session.delete(existing)
    record_event(session, "sms.opt_out_removed", actor_id=admin_id)
    return True


def list_opt_outs(session: Session) -> list[SmsOptOut]:
    return list(session.scalars(select(SmsOptOut).order_by(SmsOptOut.recorded_at.desc())))
