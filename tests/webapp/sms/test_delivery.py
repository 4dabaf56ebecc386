"""The SMS ledger's life cycle, through the outbox and through Brevo (the fake server, over HTTP),
on both backends. Time is the test's: every call gets its `now`."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from webapp.audit.models import AuditEvent
from webapp.config import SmsSettings
from webapp.database import db
from webapp.sms import delivery
from webapp.sms.errors import SmsAlreadySent, SmsNotSent, SmsOptedOut, SmsQuotaExceeded
from webapp.sms.models import OutboxMessage, SmsMessage
from webapp.sms.optouts import record_opt_out

from .conftest import WEBHOOK_SECRET, at, brevo_settings

PHONE, OTHER_PHONE = "+33612345678", "+33698765432"
LIMITS = {"daily_limit_per_number": 3, "daily_limit_per_account": 4, "daily_limit_per_structure": 100}


@pytest.fixture(params=["outbox", "brevo"])
def provider(request):
    return request.param


@pytest.fixture
def settings(settings, provider, request):
    if provider == "outbox":
        return dataclasses.replace(settings, sms=SmsSettings(webhook_secret=WEBHOOK_SECRET, **LIMITS))
    return brevo_settings(settings, request.getfixturevalue("fake_brevo"), **LIMITS)


@pytest.fixture
def sent(app, provider, request):
    """What left for real: the outbox's rows, or what the fake Brevo accepted."""
    def bodies() -> list[str | None]:
        if provider == "brevo":
            return [sms["content"] for sms in request.getfixturevalue("fake_brevo").received]
        with app.app_context():
            return list(db().scalars(select(OutboxMessage.body)))

    return bodies


def schedule(app, now, *, key="reminder:1", phone=PHONE, send_after=None, account_id=None, body="Rappel : rendez-vous demain à 14h30."):
    with app.app_context():
        message = delivery.schedule(db(), phone_e164=phone, body=body, purpose="reminder", idempotency_key=key,
                                    send_after=send_after or now, now=now, account_id=account_id)
        db().commit()
        return message.id


def run_due(app, now) -> list[str]:
    """What the dispatcher and its jobs do, in this process: one delivery attempt per due message."""
    with app.app_context():
        gateway = app.extensions["sms_gateway"]
        return [delivery.deliver(db(), gateway, message_id, now).status for message_id in delivery.due_message_ids(db(), now)]


def ledger(app, message_id) -> SmsMessage:
    with app.app_context():
        return db().get(SmsMessage, message_id)


def audit_actions(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(event.action, event.details) for event in db().scalars(select(AuditEvent).where(AuditEvent.action.like("sms.%")))]


def test_a_scheduled_message_leaves_once_when_due_and_its_text_leaves_the_ledger(app, clock, sent):
    now = at(clock)
    message_id = schedule(app, now, send_after=now + timedelta(hours=1))
    assert run_due(app, now + timedelta(minutes=59)) == []
    assert run_due(app, now + timedelta(hours=1)) == ["sent"]
    assert run_due(app, now + timedelta(hours=2)) == []
    with app.app_context():
        assert delivery.deliver(db(), app.extensions["sms_gateway"], message_id, now + timedelta(hours=2)).status == "not_due"
    assert sent() == ["Rappel : rendez-vous demain à 14h30."]
    row = ledger(app, message_id)
    assert (row.status, row.body, row.attempts) == ("sent", None, 1)
    assert row.provider_message_id
    actions = audit_actions(app)
    assert [action for action, _ in actions] == ["sms.scheduled", "sms.sent"]
    assert all(details == {"message_id": message_id, "purpose": "reminder"} for _, details in actions)


def test_reschedule_moves_the_message_and_cancel_stops_it(app, clock, sent):
    now = at(clock)
    moved = schedule(app, now, key="r:moved", send_after=now + timedelta(hours=1))
    cancelled = schedule(app, now, key="r:cancelled", send_after=now + timedelta(hours=1))
    with app.app_context():
        delivery.reschedule(db(), db().get(SmsMessage, moved), send_after=now + timedelta(hours=3), body="Nouveau texte", now=now)
        delivery.cancel(db(), db().get(SmsMessage, cancelled), now=now)
        db().commit()
    assert run_due(app, now + timedelta(hours=2)) == []
    assert run_due(app, now + timedelta(hours=3)) == ["sent"]
    assert sent() == ["Nouveau texte"]
    assert (ledger(app, cancelled).status, ledger(app, cancelled).body) == ("cancelled", None)
    with app.app_context():
        for change in (lambda m: delivery.cancel(db(), m, now=now),
                       lambda m: delivery.reschedule(db(), m, send_after=now + timedelta(days=1), now=now)):
            with pytest.raises(SmsAlreadySent):
                change(db().get(SmsMessage, moved))


def test_the_same_idempotency_key_twice_is_one_message(app, clock, sent):
    now = at(clock)
    assert schedule(app, now, key="r:twice") == schedule(app, now, key="r:twice")
    assert run_due(app, now) == ["sent"]
    assert len(sent()) == 1


def test_daily_quotas_refuse_the_next_message_per_number_and_per_account(app, clock, make_account):
    now = at(clock).replace(hour=10)  # 11h or 12h in Paris: the same Paris day for the whole test
    for n in range(3):
        schedule(app, now, key=f"n:{n}")
    with pytest.raises(SmsQuotaExceeded) as refused:
        schedule(app, now, key="n:3")
    assert refused.value.scope == "number"
    with app.app_context():  # a cancelled message never leaves: it frees its place
        delivery.cancel(db(), db().scalar(select(SmsMessage).where(SmsMessage.idempotency_key == "n:0")), now=now)
        db().commit()
    schedule(app, now, key="n:3")
    schedule(app, now, key="n:tomorrow", send_after=now + timedelta(days=1))  # another day, another count
    account = make_account().id
    for n in range(4):
        schedule(app, now, key=f"a:{n}", phone=f"+3361000000{n}", account_id=account)
    with pytest.raises(SmsQuotaExceeded) as refused:
        schedule(app, now, key="a:4", phone="+33610000009", account_id=account)
    assert refused.value.scope == "account"
    with app.app_context():  # moving a message into a full day is refused too
        later = db().scalar(select(SmsMessage).where(SmsMessage.idempotency_key == "n:tomorrow"))
        with pytest.raises(SmsQuotaExceeded):
            delivery.reschedule(db(), later, send_after=now, now=now)


def test_an_opted_out_number_gets_nothing(app, clock, sent):
    now = at(clock)
    waiting = schedule(app, now, key="r:before-stop", send_after=now + timedelta(hours=1))
    with app.app_context():
        record_opt_out(db(), PHONE, source="provider", now=now)
        db().commit()
        with pytest.raises(SmsOptedOut):
            delivery.schedule(db(), phone_e164=PHONE, body="x", purpose="notice", idempotency_key="r:after-stop",
                              send_after=now, now=now)
        with pytest.raises(SmsOptedOut):
            delivery.send_now(db(), app.extensions["sms_gateway"], phone_e164=PHONE, body="Code 123456", purpose="code",
                              idempotency_key="c:after-stop", now=now)
    assert run_due(app, now + timedelta(hours=1)) == ["refused"]
    assert ledger(app, waiting).status == "refused"
    assert sent() == []


def test_a_code_is_sent_at_once_and_never_rests_in_the_database(app, clock, provider, sent):
    now = at(clock)
    with app.app_context():
        message = delivery.send_now(db(), app.extensions["sms_gateway"], phone_e164=PHONE, body="Votre code : 482913",
                                    purpose="code", idempotency_key="code:1", now=now)
        assert message.status == "sent"
        dump = [str(row) for table in ("sms_messages", "sms_outbox", "audit_events")
                for row in db().execute(text(f"SELECT * FROM {table}"))]
    assert dump and not any("482913" in row for row in dump)
    assert sent() == (["Votre code : 482913"] if provider == "brevo" else [None])


@pytest.mark.parametrize("provider", ["brevo"])
def test_provider_errors_are_retried_with_backoff_and_one_message_leaves(app, clock, fake_brevo):
    now = at(clock)
    message_id = schedule(app, now)
    fake_brevo.fail_next(2, status=503)
    assert run_due(app, now) == ["retry"]
    row = ledger(app, message_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("sending", 1, now + timedelta(seconds=30))
    assert row.last_error == "Brevo answered 503 internal_error"
    assert run_due(app, now + timedelta(seconds=29)) == []
    with app.app_context(), pytest.raises(SmsAlreadySent):  # it may have left: no cancelling now
        delivery.cancel(db(), db().get(SmsMessage, message_id), now=now)
    assert run_due(app, now + timedelta(seconds=30)) == ["retry"]
    assert ledger(app, message_id).next_attempt_at == now + timedelta(seconds=30) + timedelta(minutes=2)
    assert run_due(app, now + timedelta(minutes=3)) == ["sent"]
    assert len(fake_brevo.received) == 1
    assert ("GET", "/v3/transactionalSMS/statistics/events") in fake_brevo.requests  # asked before re-sending
    assert fake_brevo.received[0]["tag"] == "reminder:1"
    assert fake_brevo.received[0]["recipient"] == "33612345678"


@pytest.mark.parametrize("provider", ["brevo"])
def test_a_provider_that_keeps_failing_is_reported(app, clock, fake_brevo):
    now = at(clock)
    message_id = schedule(app, now)
    fake_brevo.fail_next(delivery.MAX_ATTEMPTS, status=500)
    outcomes = [status for attempt in range(delivery.MAX_ATTEMPTS) for status in run_due(app, now + timedelta(days=attempt))]
    assert outcomes == ["retry"] * (delivery.MAX_ATTEMPTS - 1) + ["failed"]
    row = ledger(app, message_id)
    assert (row.status, row.body, row.last_error) == ("failed", None, "Brevo answered 500 internal_error")
    assert ("sms.failed", {"message_id": message_id, "purpose": "reminder"}) in audit_actions(app)
    assert fake_brevo.received == []


@pytest.mark.parametrize("provider", ["brevo"])
def test_a_refusal_is_not_retried(app, clock, fake_brevo):
    now = at(clock)
    message_id = schedule(app, now)
    fake_brevo.fail_next(1, status=400)
    assert run_due(app, now) == ["failed"]
    assert run_due(app, now + timedelta(days=1)) == []
    assert ledger(app, message_id).attempts == 1


@pytest.mark.parametrize("provider", ["brevo"])
def test_a_code_is_retried_inline_then_reported(app, clock, fake_brevo):
    now = at(clock)
    with app.app_context():
        gateway = app.extensions["sms_gateway"]
        fake_brevo.fail_next(2, status=502)
        message = delivery.send_now(db(), gateway, phone_e164=PHONE, body="Code 111111", purpose="code",
                                    idempotency_key="code:retried", now=now)
        assert (message.status, message.attempts) == ("sent", 3)
        fake_brevo.fail_next(3, status=502)
        with pytest.raises(SmsNotSent):
            delivery.send_now(db(), gateway, phone_e164=OTHER_PHONE, body="Code 222222", purpose="code",
                              idempotency_key="code:lost", now=now)
        assert db().scalar(select(SmsMessage.status).where(SmsMessage.idempotency_key == "code:lost")) == "failed"
    assert [sms["content"] for sms in fake_brevo.received] == ["Code 111111"]


@pytest.mark.parametrize("provider", ["brevo"])
def test_a_message_brevo_took_before_the_sender_died_is_not_sent_again(app, clock, fake_brevo):
    """In-process version of the worker test: the row is left "sending", Brevo holds its key."""
    now = at(clock)
    message_id = schedule(app, now)
    with app.app_context():
        claimed = delivery._claim(db(), message_id, now)  # a job claims it...
        app.extensions["sms_gateway"].send(delivery.OutgoingSms(claimed.idempotency_key, PHONE, claimed.body, "reminder"))
    # ...and dies before recording anything. Before the lease ends, nobody touches it:
    assert run_due(app, now + delivery.LEASE - timedelta(seconds=1)) == []
    assert run_due(app, now + delivery.LEASE) == ["already_sent"]
    assert len(fake_brevo.received) == 1
    assert ledger(app, message_id).status == "sent"
