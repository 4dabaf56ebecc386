"""What needs the clock in hand: challenge expiry and rate-limit windows (in-process service)."""
from __future__ import annotations

import pytest

from keyservice import storage
from keyservice.client import LocalKeyServiceClient
from keyservice.config import LoginLimits, sqlite_url
from keyservice.errors import InvalidChallenge, RateLimited
from keyservice.service import CHALLENGE_TTL_SECONDS, KeyService

from .conftest import LOGIN_PER_ACCOUNT, MAX_GUESSES, FakeClock
from .flows import any_blinded, enroll, guess, guess_proof, new_id


def test_an_expired_challenge_is_refused(local_backend):
    client, account = local_backend.client, new_id()
    enrolled = enroll(client, account, "answer", b"paris")
    challenge = guess(client, account, "answer", b"paris").evaluation.challenge
    local_backend.clock.advance(CHALLENGE_TTL_SECONDS + 1)
    with pytest.raises(InvalidChallenge):
        client.prove(account, "answer", challenge, guess_proof(enrolled.keys, account, "answer", challenge))
    assert client.status(account, "answer").guesses_left == MAX_GUESSES - 1


def test_a_challenge_is_good_until_it_expires(local_backend):
    client, account = local_backend.client, new_id()
    enrolled = enroll(client, account, "answer", b"paris")
    challenge = guess(client, account, "answer", b"paris").evaluation.challenge
    local_backend.clock.advance(CHALLENGE_TTL_SECONDS - 1)
    client.prove(account, "answer", challenge, guess_proof(enrolled.keys, account, "answer", challenge))


def test_the_login_window_reopens(local_backend):
    client, account = local_backend.client, new_id()
    enroll(client, account, "password", b"secret", real_keys=False)
    for _ in range(LOGIN_PER_ACCOUNT):
        client.evaluate(account, "password", any_blinded())
    local_backend.clock.advance(299)
    with pytest.raises(RateLimited):
        client.evaluate(account, "password", any_blinded())
    local_backend.clock.advance(1)
    client.evaluate(account, "password", any_blinded())


def test_the_global_login_limit(tmp_path):
    clock = FakeClock()
    limits = LoginLimits(per_account=100, window_seconds=300, global_count=4, global_window_seconds=60)
    service = KeyService(storage.open_engine(sqlite_url(tmp_path)), login_limits=limits, clock=clock)
    accounts = [new_id() for _ in range(5)]
    for account in accounts:
        enroll(LocalKeyServiceClient(service), account, "password", b"secret", real_keys=False)
    for account in accounts[:4]:
        service.evaluate(account, "password", any_blinded())
    with pytest.raises(RateLimited):
        service.evaluate(accounts[4], "password", any_blinded())
    clock.advance(60)
    service.evaluate(accounts[4], "password", any_blinded())
    service.close()
