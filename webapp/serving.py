"""Serving the embedded default: one gunicorn worker, since sessions, jobs and the key service
live in this process; production runs `gunicorn 'webapp:create_app()'` with several (docs/deploy.md)."""
from __future__ import annotations

import importlib

from flask import Flask

from keyservice.serving import run_gunicorn


def run(app: Flask, host: str, port: int) -> None:
    def start_periodic_tasks(_worker) -> None:
        # In the worker, after gunicorn's fork; loaded by name, as every job is (webapp never imports jobs).
        importlib.import_module("jobs.runner").start_background(app)

    run_gunicorn(app, host, port, workers=1, worker_class="gthread", threads=8, accesslog="-",
                 proc_name="cloud-solidaire", post_worker_init=start_periodic_tasks)
