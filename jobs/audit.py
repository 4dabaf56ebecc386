"""Audit events written from a job; also the probe the tests use to see that a job ran."""
from __future__ import annotations

from webapp.audit.services import record_event
from webapp.database import db


def record(action: str, subject_id: str | None = None) -> None:
    record_event(db(), action, subject_id=subject_id)
    db().commit()
