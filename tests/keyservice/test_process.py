"""The process's state lives in its storage: a SIGKILL gives back no guess."""
from __future__ import annotations

import pytest

from .conftest import MAX_GUESSES
from .flows import any_blinded, enroll, new_id


def _spent_guesses_survive_a_kill(start_process, storage_env: dict[str, str]) -> None:
    process = start_process(storage_env)
    client, account = process.client(), new_id()
    enroll(client, account, "answer", b"paris", real_keys=False)
    for _ in range(3):
        client.evaluate(account, "answer", any_blinded())
    process.kill()
    restarted = start_process(storage_env)
    assert restarted.client().status(account, "answer").guesses_left == MAX_GUESSES - 3
    assert restarted.client().evaluate(account, "answer", any_blinded()).guesses_left == MAX_GUESSES - 4


def test_spent_guesses_survive_a_kill_on_sqlite(start_process, tmp_path):
    _spent_guesses_survive_a_kill(start_process, {"KEYSERVICE_DATA_DIR": str(tmp_path / "data")})


@pytest.mark.postgres
def test_spent_guesses_survive_a_kill_on_postgres(start_process, make_postgres_database):
    _spent_guesses_survive_a_kill(start_process, {"KEYSERVICE_DATABASE_URL": make_postgres_database()})
