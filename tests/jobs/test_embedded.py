"""The embedded default: jobs run in the web process, scheduled and periodic ones by `run_due`."""
import logging
import secrets
import time
from datetime import datetime, timedelta, timezone

import pytest

from jobs.runner import run_due, start_background
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.sessions import LocalSessionStore
from webapp.tasks import enqueue, enqueue_at

from .conftest import recorded

pytestmark = pytest.mark.parametrize("backend", ["embedded"])
NOON = datetime(2030, 5, 17, 12, 0, tzinfo=timezone.utc)
PURGE = "jobs.cleanup.purge_expired_sessions"


def test_a_job_enqueued_during_a_request_runs_when_the_request_ends(app, subject):
    with app.test_request_context("/"):
        enqueue("jobs.audit.record", "x.y", subject)
        assert recorded(app, "x.y") == []
    assert recorded(app, "x.y") == [subject]


def test_a_job_enqueued_by_a_view_runs_after_it(app, subject):
    app.add_url_rule("/probe", "probe", lambda: enqueue("jobs.audit.record", "x.view", subject) or "ok")
    assert app.test_client().get("/probe").status_code == 200
    assert recorded(app, "x.view") == [subject]


def test_outside_a_request_a_job_runs_at_once_in_its_own_session(app, subject):
    with app.app_context():
        db().add(AuditEvent(action="x.uncommitted"))
        enqueue("jobs.audit.record", "x.y", subject)
        assert recorded(app, "x.y") == [subject]
        db().rollback()
    assert recorded(app, "x.uncommitted") == []  # the job committed its own session, not the caller's


def test_a_failing_job_is_logged_not_raised(app, probe_tasks, caplog):
    def fail(account_id):
        raise RuntimeError("boom")

    probe_tasks.fail = fail
    with app.app_context(), caplog.at_level(logging.ERROR, "webapp.tasks"):
        enqueue("jobs.probe.fail", "0f" * 16)
    assert "task jobs.probe.fail failed" in caplog.text
    assert "0f" * 16 not in caplog.text


def test_a_scheduled_job_runs_once_due_and_not_a_second_before(app, subject):
    with app.app_context():
        enqueue_at(NOON, "jobs.audit.record", "x.later", subject)
    assert "jobs.audit.record" not in run_due(app, NOON - timedelta(seconds=1))
    assert recorded(app, "x.later") == []
    assert "jobs.audit.record" in run_due(app, NOON)
    assert recorded(app, "x.later") == [subject]
    assert "jobs.audit.record" not in run_due(app, NOON + timedelta(hours=1))
    assert recorded(app, "x.later") == [subject]


def test_a_periodic_task_runs_again_once_its_interval_has_elapsed(app):
    assert PURGE in run_due(app, NOON)
    assert PURGE not in run_due(app, NOON + timedelta(minutes=9, seconds=59))
    assert PURGE in run_due(app, NOON + timedelta(minutes=10))


def test_the_purge_removes_expired_session_files_only(app, settings):
    store = LocalSessionStore(settings.session_dir)
    expired, live = secrets.token_hex(16), secrets.token_hex(16)
    store.put(expired, b"sealed", ttl_seconds=-1)
    store.put(live, b"sealed", ttl_seconds=600)
    run_due(app, NOON)
    assert sorted(path.name for path in settings.session_dir.iterdir()) == sorted([live, f"{live}.ttl"])


def test_the_background_thread_runs_what_is_due(app, subject):
    with app.app_context():
        enqueue_at(datetime.now(timezone.utc), "jobs.audit.record", "x.background", subject)
    stop = start_background(app, interval_seconds=0.05)
    try:
        deadline = time.monotonic() + 5
        while not recorded(app, "x.background") and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert recorded(app, "x.background") == [subject]
