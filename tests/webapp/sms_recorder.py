"""A gateway for the tests: hands every SMS to the app's own gateway (the outbox in the embedded
default) and keeps a copy of what it said, as the person's phone would show it."""
from __future__ import annotations

import re
from datetime import datetime

import pytest


class RecordingGateway:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.received: list = []

    def send(self, sms):
        accepted = self.inner.send(sms)
        self.received.append(sms)
        return accepted

    def find_accepted(self, *args):
        return self.inner.find_accepted(*args)

    def last_code(self) -> str:
        return re.search(r"\b([0-9]{6})\b", self.received[-1].body).group(1)


@pytest.fixture
def phone_inbox(app) -> RecordingGateway:
    recorder = RecordingGateway(app.extensions["sms_gateway"])
    app.extensions["sms_gateway"] = recorder
    return recorder


def utc(clock) -> datetime:
    from datetime import timezone

    return datetime.fromtimestamp(clock(), timezone.utc)
