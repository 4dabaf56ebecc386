"""Brevo's webhook: delivery reports and STOP answers, behind its bearer token."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from webapp.audit.models import AuditEvent
from webapp.config import SmsSettings
from webapp.database import db
from webapp.sms import delivery
from webapp.sms.errors import SmsOptedOut
from webapp.sms.models import SmsMessage, SmsOptOut

from .conftest import WEBHOOK_SECRET, at, brevo_settings

PHONE = "+33612345678"
WEBHOOK = "/webhooks/brevo/sms"
AUTH = {"Authorization": f"Bearer {WEBHOOK_SECRET}"}


@pytest.fixture
def settings(settings, fake_brevo):
    return brevo_settings(settings, fake_brevo)


def sent_message(app, clock) -> SmsMessage:
    now = at(clock)
    with app.app_context():
        message = delivery.schedule(db(), phone_e164=PHONE, body="Rappel", purpose="reminder", idempotency_key="r:1",
                                    send_after=now, now=now)
        db().commit()
        assert delivery.deliver(db(), app.extensions["sms_gateway"], message.id, now).status == "sent"
        return db().get(SmsMessage, message.id)


def brevo_event(message: SmsMessage, status: str, **extra) -> dict:
    """Shaped as Brevo's transactional SMS webhook posts it."""
    return {"id": 26570, "to": PHONE.removeprefix("+"), "sms_count": 1, "credits_used": 0.045,
            "messageId": int(message.provider_message_id), "remaining_credit": 99.9, "msg_status": status,
            "date": "2026-11-27 10:00:00", "type": "transactional", "reference": "ref", "tag": message.idempotency_key,
            **extra}


def test_without_the_token_nothing_is_recorded(app, client, clock):
    message = sent_message(app, clock)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": WEBHOOK_SECRET}):
        assert client.post(WEBHOOK, json=brevo_event(message, "delivered"), headers=headers).status_code == 401
    with app.app_context():
        assert db().get(SmsMessage, message.id).status == "sent"


def test_a_delivery_report_marks_the_message_delivered(app, client, clock):
    message = sent_message(app, clock)
    answer = client.post(WEBHOOK, json=brevo_event(message, "delivered"), headers=AUTH)
    assert answer.status_code == 200
    with app.app_context():
        row = db().get(SmsMessage, message.id)
        assert (row.status, row.delivered_at is not None) == ("delivered", True)
        assert db().scalar(select(AuditEvent.details).where(AuditEvent.action == "sms.delivered")) == {
            "message_id": message.id, "purpose": "reminder"}


def test_a_hard_bounce_marks_the_message_failed(app, client, clock):
    message = sent_message(app, clock)
    assert client.post(WEBHOOK, json=[brevo_event(message, "hard_bounce")], headers=AUTH).status_code == 200
    with app.app_context():
        row = db().get(SmsMessage, message.id)
        assert (row.status, row.last_error) == ("failed", "hard bounce")


@pytest.mark.parametrize("event", [{"msg_status": "replied", "reply": " Stop "}, {"msg_status": "replied", "reply": "ARRÊT"},
                                   {"msg_status": "unsubscribed"}])
def test_a_stop_answer_records_an_opt_out(app, client, clock, event):
    message = sent_message(app, clock)
    assert client.post(WEBHOOK, json={**brevo_event(message, "sent"), **event}, headers=AUTH).status_code == 200
    now = at(clock)
    with app.app_context():
        assert db().get(SmsOptOut, PHONE).source == "provider"
        with pytest.raises(SmsOptedOut):
            delivery.schedule(db(), phone_e164=PHONE, body="Rappel", purpose="reminder", idempotency_key="r:2",
                              send_after=now, now=now)


def test_an_ordinary_reply_is_not_an_opt_out(app, client, clock):
    message = sent_message(app, clock)
    answer = client.post(WEBHOOK, json={**brevo_event(message, "replied"), "reply": "Merci, je serai là"}, headers=AUTH)
    assert answer.status_code == 200
    with app.app_context():
        assert db().get(SmsOptOut, PHONE) is None


@pytest.mark.parametrize("body", [None, "texte", [], {"messageId": 1}, [1, 2]])
def test_a_malformed_report_is_refused(app, client, body):
    answer = client.post(WEBHOOK, json=body, headers=AUTH) if body is not None else client.post(WEBHOOK, data="{", headers=AUTH)
    assert answer.status_code == 400


def test_without_a_configured_secret_there_is_no_webhook(app, settings, client):
    assert settings.sms.webhook_secret
    from webapp import create_app

    bare = create_app(dataclasses.replace(settings, sms=SmsSettings()))
    assert bare.test_client().post(WEBHOOK, json={}, headers={"Authorization": "Bearer "}).status_code == 404
    bare.extensions["db_engine"].dispose()
