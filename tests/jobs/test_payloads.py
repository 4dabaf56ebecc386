"""What a job may carry: ids, ints and short codes; never bytes, keys, passwords or plaintext."""
import base64
import os
from datetime import datetime

import pytest

from webapp.tasks import Call, UnsafePayload, checked_call, enqueue, enqueue_at


def test_ids_and_short_codes_pass():
    call = checked_call("jobs.audit.record", ("account.password_changed", "0f" * 16), {})
    assert call == Call("jobs.audit.record", ("account.password_changed", "0f" * 16), {})
    assert checked_call("jobs.audit.record", (), {"action": "x.y", "subject_id": None}).kwargs == {"action": "x.y", "subject_id": None}


@pytest.mark.parametrize("name", ["password", "new_password", "secret", "structure_key", "token", "answer", "plaintext"])
def test_a_keyword_named_like_a_secret_is_refused(name):
    with pytest.raises(UnsafePayload, match=name):
        checked_call("jobs.audit.record", ("x.y",), {name: "abc"})


def test_a_positional_argument_is_checked_by_its_parameter_name(probe_tasks):
    probe_tasks.reset = lambda account_id, recovery_answer: None
    with pytest.raises(UnsafePayload, match="recovery_answer"):
        checked_call("jobs.probe.reset", ("0f" * 16, "abc"), {})


@pytest.mark.parametrize("value", [
    b"0123", bytearray(b"0123"), memoryview(b"0123"),
    "une phrase de passe solide pour les tests",
    base64.b64encode(os.urandom(32)).decode(),
    "x" * 61,
    "contenu\nsur deux lignes",
    {"id": "abc"}, ["abc"], 1.5,
])
def test_bytes_text_and_structures_are_refused(value):
    with pytest.raises(ValueError):
        checked_call("jobs.audit.record", ("x.y", value), {})


def test_only_tasks_of_the_jobs_package_can_be_named():
    with pytest.raises(ValueError, match="jobs package"):
        checked_call("os.system", ("true",), {})


def test_a_call_that_does_not_fit_the_task_fails_at_enqueue_time():
    with pytest.raises(TypeError):
        checked_call("jobs.audit.record", ("x.y", "a", "b"), {})


@pytest.mark.parametrize("backend", ["embedded"])
def test_enqueue_refuses_a_secret_and_runs_nothing(app):
    from .conftest import recorded

    with app.app_context():
        with pytest.raises(ValueError):
            enqueue("jobs.audit.record", "x.refused", b"\x00" * 32)
        with pytest.raises(ValueError):
            enqueue_at(datetime(2030, 1, 1), "jobs.audit.record", "x.refused")  # naive: whose midnight?
    assert recorded(app, "x.refused") == []
