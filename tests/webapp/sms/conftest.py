"""SMS tests: the fake Brevo server, and the app's settings pointed at it when a test asks."""
from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, timezone

import pytest

from tests.fake_brevo import FakeBrevo
from webapp.config import SmsSettings

WEBHOOK_SECRET = secrets.token_urlsafe(24)


@pytest.fixture
def fake_brevo():
    server = FakeBrevo().start()
    yield server
    server.stop()


def brevo_settings(settings, fake_brevo: FakeBrevo, **limits):
    return dataclasses.replace(settings, sms=SmsSettings(
        provider="brevo", brevo_api_key=fake_brevo.api_key, brevo_sender="CSolidaire", brevo_api_url=fake_brevo.url,
        webhook_secret=WEBHOOK_SECRET, **limits))


def at(clock) -> datetime:
    return datetime.fromtimestamp(clock(), timezone.utc)
