"""Exactly once, on time, with real processes: PostgreSQL, this run's Redis database, real
`python -m jobs worker` processes, and the fake Brevo over HTTP.

The test process plays the scheduler: it calls the dispatcher with the time it chooses, which
enqueues delivery jobs in Redis; worker processes run them against the fake Brevo. Nothing sleeps
through a wait: the tests only poll, briefly, for what the other processes do.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rq import Queue

from jobs.sms import dispatch_due_sms
from tests.keyservice.conftest import outside_environment
from tests.services import redis_client
from tests.webapp.sms.conftest import brevo_settings, fake_brevo  # noqa: F401
from webapp.database import db
from webapp.sms import delivery
from webapp.sms.models import SmsMessage
from webapp.tasks import QUEUE_NAME

pytestmark = pytest.mark.parametrize("backend", ["services"])
WORKER_SECONDS = 60
PHONE = "+33612345678"


@pytest.fixture
def settings(settings, fake_brevo):  # noqa: F811
    return brevo_settings(settings, fake_brevo)


def worker_env(settings) -> dict[str, str]:
    return {
        **outside_environment(),
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "KEYSERVICE_URL": settings.keyservice_url,
        "KEYSERVICE_TOKEN": settings.keyservice_token,
        "INSTANCE_DIR": str(settings.instance_dir),
        "SMS_PROVIDER": "brevo",
        "BREVO_API_KEY": settings.sms.brevo_api_key,
        "BREVO_SENDER": settings.sms.brevo_sender,
        "BREVO_API_URL": settings.sms.brevo_api_url,
    }


def run_worker(settings) -> None:
    """`python -m jobs worker --burst`: runs what the queue holds, then quits."""
    worker = subprocess.run([sys.executable, "-m", "jobs", "worker", "--burst"], env=worker_env(settings),
                            capture_output=True, text=True, timeout=WORKER_SECONDS)
    assert worker.returncode == 0, worker.stderr


def start_worker(settings) -> subprocess.Popen:
    """A long-running worker, until the test kills it; its log in the instance folder."""
    log = open(settings.instance_dir / "worker.log", "w")
    return subprocess.Popen([sys.executable, "-m", "jobs", "worker"], env=worker_env(settings),
                            stdout=log, stderr=subprocess.STDOUT)


def kill_hard(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse (the child making the HTTP request, which rq puts in
    a process group of its own)."""
    for pid in [*children(worker.pid), worker.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def schedule(app, now, send_after=None, key="reminder:1") -> str:
    with app.app_context():
        message = delivery.schedule(db(), phone_e164=PHONE, body="Rappel : rendez-vous demain à 9h.", purpose="reminder",
                                    idempotency_key=key, send_after=send_after or now, now=now)
        db().commit()
        return message.id


def dispatch(app, now) -> int:
    with app.app_context():
        return dispatch_due_sms(now)


def status(app, message_id) -> str:
    with app.app_context():
        return db().get(SmsMessage, message_id, populate_existing=True).status


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.05)


def start_of_test() -> datetime:
    # The dispatcher's time is the test's; workers never act before it (jobs.sms.deliver_sms).
    return datetime.now(timezone.utc).replace(microsecond=0)


def test_schedule_reschedule_and_cancel_through_the_worker(app, settings, fake_brevo):
    now = start_of_test()
    kept = schedule(app, now, send_after=now + timedelta(hours=1), key="r:kept")
    moved = schedule(app, now, send_after=now + timedelta(hours=1), key="r:moved")
    dropped = schedule(app, now, send_after=now + timedelta(hours=1), key="r:dropped")
    with app.app_context():
        delivery.reschedule(db(), db().get(SmsMessage, moved), send_after=now + timedelta(hours=2), body="Déplacé", now=now)
        delivery.cancel(db(), db().get(SmsMessage, dropped), now=now)
        db().commit()
    assert dispatch(app, now + timedelta(minutes=59)) == 0
    assert dispatch(app, now + timedelta(hours=1)) == 1
    run_worker(settings)
    assert [sms["tag"] for sms in fake_brevo.received] == ["r:kept"]
    assert dispatch(app, now + timedelta(hours=2)) == 1
    run_worker(settings)
    assert [sms["content"] for sms in fake_brevo.received] == ["Rappel : rendez-vous demain à 9h.", "Déplacé"]
    assert [status(app, message) for message in (kept, moved, dropped)] == ["sent", "sent", "cancelled"]
    assert dispatch(app, now + timedelta(days=1)) == 0


@pytest.mark.parametrize("brevo_took_it", [True, False], ids=["brevo-took-it", "brevo-lost-it"])
def test_a_worker_killed_mid_send_never_sends_twice(app, settings, fake_brevo, brevo_took_it):
    now = start_of_test()
    message_id = schedule(app, now)
    held = fake_brevo.hold_next()
    worker = start_worker(settings)
    try:
        dispatch(app, now)
        assert held.arrived.wait(WORKER_SECONDS), (settings.instance_dir / "worker.log").read_text()
        kill_hard(worker)
    finally:
        if worker.poll() is None:
            kill_hard(worker)
    fake_brevo.release(accept=brevo_took_it)  # Brevo finishes its side, nobody listening any more
    assert status(app, message_id) == "sending"
    assert dispatch(app, now + delivery.LEASE - timedelta(seconds=1)) == 0  # the lease still holds it
    assert dispatch(app, now + delivery.LEASE + timedelta(minutes=1)) == 1
    run_worker(settings)
    with app.app_context():
        row = db().get(SmsMessage, message_id)
        assert (row.status, row.attempts, row.last_error, len(fake_brevo.received)) == ("sent", 2, None, 1)


def test_a_flushed_redis_loses_no_reminder(app, settings, fake_brevo):
    now = start_of_test()
    message_id = schedule(app, now + timedelta(minutes=5), send_after=now + timedelta(minutes=5))
    assert dispatch(app, now + timedelta(minutes=5)) == 1
    redis = redis_client()
    assert Queue(QUEUE_NAME, connection=redis).count == 1
    redis.flushdb()  # this run's Redis database only: the delivery job is gone
    run_worker(settings)
    assert fake_brevo.received == []
    assert dispatch(app, now + timedelta(minutes=6)) == 1  # the ledger still says it is due
    run_worker(settings)
    assert len(fake_brevo.received) == 1
    assert status(app, message_id) == "sent"


def test_provider_errors_then_recovery_send_one_message(app, settings, fake_brevo):
    now = start_of_test()
    message_id = schedule(app, now)
    fake_brevo.fail_next(2, status=500)
    for minutes in (0, 1, 4):  # backoffs of 30 s then 2 min
        assert dispatch(app, now + timedelta(minutes=minutes)) == 1
        run_worker(settings)
    assert len(fake_brevo.received) == 1
    assert status(app, message_id) == "sent"
    assert dispatch(app, now + timedelta(hours=1)) == 0


def test_two_dispatches_before_the_worker_runs_still_send_once(app, settings, fake_brevo):
    now = start_of_test()
    schedule(app, now)
    assert dispatch(app, now) == 1
    assert dispatch(app, now + timedelta(seconds=30)) == 1  # enqueued twice: the second job finds it taken
    run_worker(settings)
    assert len(fake_brevo.received) == 1
