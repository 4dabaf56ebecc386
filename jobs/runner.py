"""The embedded default's timekeeping: periodic tasks and due scheduled jobs, run in the web process.

`webapp serve` starts `start_background(app)`; tests call `run_due(app, now)` with the time they
choose. With Redis, the rq scheduler and workers do this instead (`jobs/production.py`).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from flask import Flask

from webapp.tasks import Call, InProcessTasks

from . import WrongMode
from .schedule import PERIODIC

log = logging.getLogger(__name__)
LAST_RUNS = "jobs_periodic_last_runs"


def run_due(app: Flask, now: datetime) -> list[str]:
    """Run every periodic task whose interval has elapsed at `now` (or that has not run in this
    process yet) and every scheduled job due at `now`, one after the other; their names."""
    tasks = in_process_tasks(app)
    calls = [Call(name) for name in _periodic_due(app, now)] + tasks.pop_due(now)
    for call in calls:
        tasks.run(call)
    return [call.name for call in calls]


def start_background(app: Flask, interval_seconds: float = 60) -> threading.Event:
    """Call `run_due` now and every `interval_seconds` from a daemon thread; set the event to stop."""
    in_process_tasks(app)
    stop = threading.Event()
    threading.Thread(target=_run_until, args=(app, stop, interval_seconds), name="periodic tasks", daemon=True).start()
    return stop


def in_process_tasks(app: Flask) -> InProcessTasks:
    tasks = app.extensions["tasks"]
    if not isinstance(tasks, InProcessTasks):
        raise WrongMode("with REDIS_URL, `python -m jobs scheduler` and `python -m jobs worker` run jobs on time")
    return tasks


def _periodic_due(app: Flask, now: datetime) -> list[str]:
    last_runs: dict[str, datetime] = app.extensions.setdefault(LAST_RUNS, {})
    due = [name for name, every in PERIODIC if name not in last_runs or now - last_runs[name] >= every]
    last_runs.update(dict.fromkeys(due, now))
    return due


def _run_until(app: Flask, stop: threading.Event, interval_seconds: float) -> None:
    while True:
        try:
            run_due(app, datetime.now(timezone.utc))
        except Exception:
            log.exception("periodic tasks failed")  # and the thread goes on: the next round may succeed
        if stop.wait(interval_seconds):
            return
