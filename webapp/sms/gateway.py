"""The SMS gateway interface: hand a message to a provider, and ask whether it already holds one.

Two backends: `outbox.OutboxGateway` (the embedded default: kept in the database, listed on the
administrators' page) and `brevo.BrevoGateway` (Brevo's transactional SMS API over HTTP).
`gateway_for(settings)` builds the configured one; the app keeps it in
`current_app.extensions["sms_gateway"]`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from flask import Flask

from ..config import Settings


@dataclass(frozen=True)
class OutgoingSms:
    idempotency_key: str
    phone_e164: str
    body: str = field(repr=False)  # a reminder's text or a one-time code: never logged
    purpose: str


@dataclass(frozen=True)
class Accepted:
    """The provider holds the message: its id there, and whether it already reports it delivered."""

    provider_message_id: str
    delivered: bool = False


class SmsGateway(Protocol):
    name: str

    def send(self, sms: OutgoingSms) -> Accepted:
        """Hand the message over; raises `SmsProviderError` (retryable or not) when refused."""

    def find_accepted(self, idempotency_key: str, phone_e164: str, since: datetime, until: datetime) -> Accepted | None:
        """The message sent with this key between `since` and `until`, if the provider holds it; raises
        `SmsProviderError` when it cannot tell (then nothing may be re-sent)."""


def gateway_for(app_or_settings: Flask | Settings) -> SmsGateway:
    settings = app_or_settings.config["SETTINGS"] if isinstance(app_or_settings, Flask) else app_or_settings
    if settings.sms.provider == "brevo":
        from .brevo import BrevoGateway

        return BrevoGateway(settings.sms)
    from ..db import make_engine
    from .outbox import OutboxGateway

    return OutboxGateway(make_engine(settings.database_url))


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.sms.provider == "brevo":
        app.extensions["sms_gateway"] = gateway_for(settings)
    else:
        from .outbox import OutboxGateway

        # The app's own engine: the outbox is a table of the same database.
        app.extensions["sms_gateway"] = OutboxGateway(app.extensions["db_engine"])
