"""Production: jobs go through Redis and run in a real `python -m jobs worker` process."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from rq import Queue
from rq.job import Job, JobStatus

from jobs.production import periodic_scheduler
from jobs.runner import run_due
from jobs.schedule import PERIODIC
from tests.keyservice.conftest import outside_environment
from tests.services import redis_client
from webapp.tasks import QUEUE_NAME, enqueue, enqueue_at

from .conftest import recorded

pytestmark = pytest.mark.parametrize("backend", ["services"])
WORKER_SECONDS = 60


def run_worker(settings) -> subprocess.CompletedProcess:
    """`python -m jobs worker --burst`: runs what the queue holds (and what is due), then quits."""
    env = {
        **outside_environment(),
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "KEYSERVICE_URL": settings.keyservice_url,
        "KEYSERVICE_TOKEN": settings.keyservice_token,
        "INSTANCE_DIR": str(settings.instance_dir),
    }
    worker = subprocess.run([sys.executable, "-m", "jobs", "worker", "--burst"], env=env, capture_output=True,
                            text=True, timeout=WORKER_SECONDS)
    assert worker.returncode == 0, worker.stderr
    return worker


def test_a_worker_process_runs_the_job_and_redis_holds_only_its_ids(app, settings, subject):
    with app.app_context():
        job_id = enqueue("jobs.audit.record", "x.y", subject)
    job = Job.fetch(job_id, connection=redis_client())
    assert (job.func_name, job.args, job.kwargs) == ("jobs.audit.record", ("x.y", subject), {})
    assert recorded(app, "x.y") == []
    worker = run_worker(settings)
    assert recorded(app, "x.y") == [subject]
    assert Job.fetch(job_id, connection=redis_client()).get_status() == JobStatus.FINISHED
    assert subject not in worker.stderr  # job descriptions, which spell out arguments, stay out of the log


def test_scheduled_and_periodic_jobs_reach_the_worker_when_due(app, settings, subject):
    with app.app_context():
        enqueue_at(datetime.now(timezone.utc) - timedelta(seconds=1), "jobs.audit.record", "x.due", subject)
        later = enqueue_at(datetime.now(timezone.utc) + timedelta(hours=1), "jobs.audit.record", "x.later", subject)
    scheduler = periodic_scheduler(redis_client())
    assert [(job.func_name, job.interval) for job in scheduler.get_jobs()] == [
        (name, int(every.total_seconds())) for name, every in PERIODIC
    ]
    scheduler.enqueue_jobs()  # what the scheduler process does on its first round
    periodic_ids = Queue(QUEUE_NAME, connection=redis_client()).job_ids
    run_worker(settings)
    assert recorded(app, "x.due") == [subject]
    assert recorded(app, "x.later") == []
    assert Job.fetch(later, connection=redis_client()).get_status() == JobStatus.SCHEDULED
    statuses = [Job.fetch(job_id, connection=redis_client()).get_status() for job_id in periodic_ids]
    assert statuses == [JobStatus.FINISHED] * len(PERIODIC)


def test_with_redis_the_web_process_keeps_no_schedule(app):
    with pytest.raises(RuntimeError, match="jobs scheduler"):
        run_due(app, datetime.now(timezone.utc))
