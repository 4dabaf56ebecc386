"""One-time codes: 6 digits, 10 minutes, 5 tries, throttled resends, only a keyed hash stored."""
import hashlib
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.sms import codes as codes_module
from webapp.sms.code_models import OneTimeCode
from webapp.sms.codes import (
    CodeExhausted,
    CodeExpired,
    CodeThrottled,
    NoPendingCode,
    OneTimeCodes,
    WrongCode,
)
from webapp.sms.errors import SmsOptedOut
from webapp.sms.models import OutboxMessage, SmsMessage
from webapp.sms.optouts import record_opt_out

from .sms_recorder import phone_inbox, utc  # noqa: F401  (fixture)
from .test_secrets import database_dump, redis_dump

PHONE = "+33612345678"


@pytest.fixture
def account(make_account):
    return make_account().id


@pytest.fixture
def codes(app, phone_inbox):  # noqa: F811
    """Codes are sent from a request, in its language; each call takes the request's session."""
    with app.test_request_context():
        yield lambda: OneTimeCodes.for_app(db())


def send(codes, account, clock, purpose="phone", **extra):
    return codes().send(account_id=account, purpose=purpose, phone_e164=PHONE, now=utc(clock), **extra)


def verify(codes, account, clock, code, purpose="phone", **extra):
    try:
        return codes().verify(account_id=account, purpose=purpose, code=code, now=utc(clock), **extra)
    finally:
        db().commit()


def pending(codes, account, clock):
    return codes().pending(account_id=account, purpose="phone", now=utc(clock))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_right_code_confirms_once(codes, account, clock, phone_inbox):  # noqa: F811
    sent = send(codes, account, clock)
    code = phone_inbox.last_code()
    assert len(code) == 6 and phone_inbox.received[-1].phone_e164 == PHONE
    assert sent.tries_left == 5 and sent.expires_at == utc(clock) + timedelta(minutes=10)
    confirmed = verify(codes, account, clock, code[:3] + " " + code[3:])
    assert confirmed.phone_e164 == PHONE
    with pytest.raises(NoPendingCode):
        verify(codes, account, clock, code)
    actions = db().scalars(select(AuditEvent.action).where(AuditEvent.subject_id == account)).all()
    assert {"code.sent", "code.confirmed"} <= set(actions)


def test_a_code_expires_at_exactly_ten_minutes(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    clock.advance(10 * 60 - 0.001)
    verify(codes, account, clock, phone_inbox.last_code())
    clock.advance(60)
    send(codes, account, clock)
    clock.advance(10 * 60)
    with pytest.raises(CodeExpired):
        verify(codes, account, clock, phone_inbox.last_code())


def test_the_sixth_try_is_refused_even_with_the_right_code(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    code = phone_inbox.last_code()
    left = []
    for _ in range(5):
        with pytest.raises(WrongCode) as refused:
            verify(codes, account, clock, wrong(code))
        left.append(refused.value.tries_left)
    assert left == [4, 3, 2, 1, 0]
    with pytest.raises(CodeExhausted):
        verify(codes, account, clock, code)
    assert pending(codes, account, clock) is None
    refusals = db().scalars(select(AuditEvent).where(AuditEvent.action == "code.refused")).all()
    assert [event.details["reason"] for event in refusals] == ["wrong"] * 5 + ["exhausted"]


def test_the_fifth_try_may_still_be_the_right_one(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    code = phone_inbox.last_code()
    for _ in range(4):
        with pytest.raises(WrongCode):
            verify(codes, account, clock, wrong(code))
    assert verify(codes, account, clock, code).phone_e164 == PHONE


def test_resends_are_throttled(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    clock.advance(30)
    with pytest.raises(CodeThrottled) as throttled:
        send(codes, account, clock)
    assert throttled.value.retry_after == 30
    clock.advance(30)
    send(codes, account, clock)
    clock.advance(60)
    send(codes, account, clock)
    clock.advance(60)
    with pytest.raises(CodeThrottled) as throttled:  # a fourth within the hour
        send(codes, account, clock)
    assert throttled.value.retry_after == 3600 - 180
    clock.advance(3600 - 180)
    send(codes, account, clock)
    assert len(phone_inbox.received) == 4


def test_a_new_code_replaces_the_old_one(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    first = phone_inbox.last_code()
    clock.advance(60)
    send(codes, account, clock)
    second = phone_inbox.last_code()
    if first != second:
        with pytest.raises(WrongCode):
            verify(codes, account, clock, first)
    assert verify(codes, account, clock, second)


def test_a_code_is_bound_to_its_purpose_account_and_context(codes, account, clock, phone_inbox, make_account):  # noqa: F811
    send(codes, account, clock, purpose="affiliation", context="a" * 32)
    code = phone_inbox.last_code()
    with pytest.raises(NoPendingCode):
        verify(codes, account, clock, code, purpose="reset")
    with pytest.raises(NoPendingCode):
        verify(codes, make_account().id, clock, code, purpose="affiliation", context="a" * 32)
    with pytest.raises(NoPendingCode):
        verify(codes, account, clock, code, purpose="affiliation", context="b" * 32)
    assert verify(codes, account, clock, code, purpose="affiliation", context="a" * 32)


def test_a_digest_copied_to_another_row_does_not_match(codes, account, clock, phone_inbox):  # noqa: F811
    send(codes, account, clock)
    first_code = phone_inbox.last_code()
    first = db().scalars(select(OneTimeCode)).one()
    clock.advance(60)
    send(codes, account, clock)
    second = db().scalars(select(OneTimeCode).where(OneTimeCode.id != first.id)).one()
    second.digest = first.digest
    db().commit()
    if first_code != phone_inbox.last_code():
        with pytest.raises(WrongCode):
            verify(codes, account, clock, first_code)


def test_only_a_keyed_hash_is_stored_and_the_code_is_nowhere(app, codes, account, clock, phone_inbox, settings,  # noqa: F811
                                                           caplog):
    caplog.set_level(logging.DEBUG)
    send(codes, account, clock)
    code = phone_inbox.last_code()
    row = db().scalars(select(OneTimeCode)).one()
    assert row.digest not in (code.encode(), hashlib.sha256(code.encode()).digest())
    assert len(row.digest) == 32
    assert db().scalars(select(SmsMessage.body)).all() == [None]
    assert db().scalars(select(OutboxMessage.body)).all() == [None]
    stored = database_dump(app) + redis_dump(settings)
    assert code.encode() not in stored
    assert code not in caplog.text


def test_the_hash_key_comes_from_the_secret_key(app, account, clock, phone_inbox):  # noqa: F811
    with app.test_request_context():
        OneTimeCodes(db(), phone_inbox, "clé A").send(account_id=account, purpose="phone", phone_e164=PHONE, now=utc(clock))
        code = phone_inbox.last_code()
        with pytest.raises(WrongCode):
            verify(lambda: OneTimeCodes(db(), phone_inbox, "clé B"), account, clock, code)


def test_a_number_that_opted_out_gets_no_code_and_it_is_recorded(codes, account, clock, phone_inbox):  # noqa: F811
    record_opt_out(db(), PHONE, source="provider", now=utc(clock))
    db().commit()
    with pytest.raises(SmsOptedOut):
        send(codes, account, clock)
    assert phone_inbox.received == []
    assert db().scalars(select(AuditEvent.details).where(AuditEvent.action == "code.not_sent")).one()["reason"] == "SmsOptedOut"
    assert pending(codes, account, clock) is None


def test_unknown_purposes_are_refused(codes, account, clock):
    with pytest.raises(ValueError):
        send(codes, account, clock, purpose="anything")


def test_the_code_uses_the_system_random_source(codes, account, clock, phone_inbox, monkeypatch):  # noqa: F811
    monkeypatch.setattr(codes_module.secrets, "randbelow", lambda n: 42)
    send(codes, account, clock)
    assert phone_inbox.last_code() == "000042"

