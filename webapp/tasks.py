"""Background jobs, as the web app asks for them: by name, with ids for arguments.

The web app never imports `jobs/` (imports flow vaultcore <- keyservice <- webapp <- jobs), so it
names a task by its dotted path, e.g. `enqueue("jobs.cleanup.purge_expired_sessions")`.

Payloads carry ids, never keys or plaintext: with Redis they sit in Redis until a worker takes
them, and rq keeps them after the run. `enqueue` refuses bytes, free text, long strings and any
argument whose name looks like a secret (password, secret, key, token, answer, plaintext).

Two backends, chosen from the settings:

- with `REDIS_URL`, rq's queue "default", run by `python -m jobs worker` processes;
- without (the embedded default), this process: a job enqueued during a request runs when the
  request ends, one enqueued elsewhere runs at once; `enqueue_at` keeps it in memory until
  `jobs.runner.run_due` finds it due.

Enqueue after committing what the job reads: it runs in its own database session.
"""
from __future__ import annotations

import importlib
import inspect
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator

from flask import Flask, current_app, g, has_request_context

log = logging.getLogger(__name__)

QUEUE_NAME = "default"
TASK_PACKAGE = "jobs."
SECRET_WORDS = ("password", "secret", "key", "token", "answer", "plaintext")
# Ids are 32 hex characters and audit actions at most 60: anything longer, or with spaces or
# base64 padding, is more likely a key, a passphrase or some content than an id.
ID_SHAPED = re.compile(r"[A-Za-z0-9._:@-]{0,60}")
PENDING = "tasks_pending"


class UnsafePayload(ValueError):
    """A job argument that could be, or carry, a secret."""


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def enqueue(name: str, *args: Any, **kwargs: Any) -> str | None:
    """Run the task `name` in the background; the rq job id with Redis, None in-process.

    Arguments are ids, ints and short codes only: never keys, passwords or plaintext.
    """
    return current_app.extensions["tasks"].enqueue(checked_call(name, args, kwargs))


def enqueue_at(when: datetime, name: str, *args: Any, **kwargs: Any) -> str | None:
    """Run the task `name` at `when` (timezone-aware) or soon after; same arguments as `enqueue`."""
    if when.tzinfo is None:
        raise ValueError("enqueue_at needs a timezone-aware datetime")
    return current_app.extensions["tasks"].enqueue_at(when, checked_call(name, args, kwargs))


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.redis_url:
        app.extensions["tasks"] = RqTasks(settings.redis_url)
    else:
        tasks = InProcessTasks(app)
        app.extensions["tasks"] = tasks
        app.teardown_request(tasks.run_pending)


def checked_call(name: str, args: tuple, kwargs: dict[str, Any]) -> Call:
    """The call, if it names a task and its arguments look like ids; raises UnsafePayload if not."""
    task = task_function(name)
    for key in kwargs:  # before binding, so that a secret's name is what the caller hears about
        _check_name(key)
    for parameter, value in _bound_arguments(task, args, kwargs):
        _check_name(parameter)
        _check_value(parameter, value)
    return Call(name, tuple(args), dict(kwargs))


def task_function(name: str) -> Callable:
    # Only the jobs package: a task name must not become a way to call any importable function.
    if not name.startswith(TASK_PACKAGE):
        raise ValueError(f"tasks live in the {TASK_PACKAGE.rstrip('.')} package, not {name!r}")
    module_name, _, function_name = name.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)


def _bound_arguments(task: Callable, args: tuple, kwargs: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(parameter name, value) pairs, so that positional arguments are checked by name too."""
    signature = inspect.signature(task)
    for parameter, value in signature.bind(*args, **kwargs).arguments.items():
        kind = signature.parameters[parameter].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            yield from ((parameter, item) for item in value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            yield from value.items()
        else:
            yield parameter, value


def _check_name(parameter: str) -> None:
    if any(word in parameter.lower() for word in SECRET_WORDS):
        raise UnsafePayload(f"job argument {parameter!r} is named like a secret: pass an id instead")


def _check_value(parameter: str, value: Any) -> None:
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise UnsafePayload(f"job argument {parameter!r} is bytes: pass an id instead")
    if isinstance(value, str):
        if not ID_SHAPED.fullmatch(value):
            raise UnsafePayload(f"job argument {parameter!r} does not look like an id")
    elif value is not None and not isinstance(value, int):
        raise UnsafePayload(f"job argument {parameter!r} is a {type(value).__name__}: pass ids, ints or short strings")


class RqTasks:
    """Jobs in Redis for the worker processes; `enqueue_at` relies on their scheduler."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))

    def enqueue(self, call: Call) -> str:
        # Explicit args/kwargs: a task's own keyword (say `description`) must not be read as an rq option.
        return self.queue.enqueue(call.name, args=call.args, kwargs=call.kwargs).id

    def enqueue_at(self, when: datetime, call: Call) -> str:
        return self.queue.enqueue_at(when, call.name, args=call.args, kwargs=call.kwargs).id


class InProcessTasks:
    """The embedded default's jobs: run in this process, scheduled ones kept in memory until due."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._scheduled: list[tuple[datetime, Call]] = []
        self._lock = threading.Lock()  # requests (several threads) add, the periodic runner takes

    def enqueue(self, call: Call) -> None:
        if has_request_context():
            g.setdefault(PENDING, []).append(call)
        else:
            self.run(call)

    def enqueue_at(self, when: datetime, call: Call) -> None:
        with self._lock:
            self._scheduled.append((when, call))

    def pop_due(self, now: datetime) -> list[Call]:
        """The scheduled calls due at `now`, which are no longer kept."""
        with self._lock:
            due = [call for when, call in self._scheduled if when <= now]
            self._scheduled = [(when, call) for when, call in self._scheduled if when > now]
        return due

    def run_pending(self, _exception: BaseException | None = None) -> None:
        # Even after a failed request: a job in Redis would run whatever became of the request.
        for call in g.pop(PENDING, ()):
            self.run(call)

    def run(self, call: Call) -> None:
        """Run the call now and wait for it; a failure is logged, as a worker would, not raised."""
        # Its own thread, hence its own scoped database session: the job neither sees nor commits
        # nor discards the caller's uncommitted work, as in a worker process.
        runner = threading.Thread(target=self._run_in_app_context, args=(call,), name=f"task {call.name}")
        runner.start()
        runner.join()

    def _run_in_app_context(self, call: Call) -> None:
        try:
            with self._app.app_context():
                task_function(call.name)(*call.args, **call.kwargs)
        except Exception:
            log.exception("task %s failed", call.name)
