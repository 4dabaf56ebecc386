"""Recording audit events. Callers pass identifiers and short, non-secret details only.

Every event is appended to its chain of the tamper-evident journal (`journal.py`) in the caller's
transaction, stamped with the app's clock.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from .. import clock
from . import journal
from .models import AuditEvent


def record_event(
    db: Session,
    action: str,
    *,
    actor_id: str | None = None,
    subject_id: str | None = None,
    structure_id: str | None = None,
    details: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(at=clock.now(), action=action, actor_id=actor_id, subject_id=subject_id,
                       structure_id=structure_id, details=details or {})
    journal.append(db, event)
    db.add(event)
    return event
