"""Production: rq worker processes, and the one scheduler that enqueues the periodic tasks.

Workers share nothing but Redis and the services in the settings, so any number of them can run;
the scheduler keeps its timing in memory, so exactly one runs.
"""
from __future__ import annotations

from flask import Flask
from redis import Redis
from rq import Worker
from rq.cron import CronScheduler

from webapp.tasks import QUEUE_NAME, task_function

from . import WrongMode
from .schedule import PERIODIC


class AppWorker(Worker):
    """rq's forking worker, whose work horse runs each job in a fresh app context."""

    def __init__(self, app: Flask, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, job, queue, execution) -> bool:
        engine = self.app.extensions["db_engine"]
        engine.dispose(close=False)  # pooled connections copied by fork() belong to the parent
        try:
            with self.app.app_context():
                return super().perform_job(job, queue, execution)
        finally:
            engine.dispose()  # the horse ends with os._exit(): close its connections first


def work(app: Flask, burst: bool = False) -> bool:
    """Run jobs from the queue, and move `enqueue_at` jobs to it when due (rq's `--with-scheduler`,
    which takes a lock: one worker at a time does it). True if any job ran."""
    # Job descriptions spell out the arguments: ids of people, which the logs need not carry.
    worker = AppWorker(app, [QUEUE_NAME], connection=redis_connection(app), log_job_description=False)
    return worker.work(burst=burst, with_scheduler=True)


def periodic_scheduler(connection: Redis) -> CronScheduler:
    """rq's cron scheduler with every task of `PERIODIC` registered; `.start()` runs it."""
    scheduler = CronScheduler(connection=connection)
    for name, every in PERIODIC:
        scheduler.register(task_function(name), QUEUE_NAME, interval=int(every.total_seconds()))
    return scheduler


def redis_connection(app: Flask) -> Redis:
    redis_url = app.config["SETTINGS"].redis_url
    if not redis_url:
        raise WrongMode("REDIS_URL is not set: the embedded default runs its jobs in the web process")
    return Redis.from_url(redis_url)
