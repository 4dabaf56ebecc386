"""The web app's fixtures (`app`, `settings`, `backend` = embedded | services), plus helpers to
look for the audit events the probe task `jobs.audit.record` writes."""
from __future__ import annotations

import secrets
import sys
import types

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.webapp.conftest import app, backend, clock, keyservice_process, settings  # noqa: F401
from webapp.audit.models import AuditEvent


def recorded(app, action: str) -> list[str | None]:
    """The subject ids of the committed audit events named `action`.

    Its own session, not the thread's `db()`: a test may hold that one open, mid-request.
    """
    with Session(app.extensions["db_engine"]) as session:
        return list(session.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == action)))


@pytest.fixture
def subject() -> str:
    return secrets.token_hex(16)


@pytest.fixture
def probe_tasks(monkeypatch):
    """A throwaway module `jobs.probe` whose functions the test sets as attributes."""
    module = types.ModuleType("jobs.probe")
    monkeypatch.setitem(sys.modules, "jobs.probe", module)
    return module
