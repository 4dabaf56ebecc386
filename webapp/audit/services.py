"""Recording audit events. Callers pass identifiers and short, non-secret details only."""
from __future__ import annotations

from sqlalchemy.orm import Session

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
    event = AuditEvent(action=action, actor_id=actor_id, subject_id=subject_id, structure_id=structure_id,
                       details=details or {})
    db.add(event)
    return event
