"""The embedded default's SMS "provider": messages are kept in the database and listed on the
administrators' page, so the whole product works on a laptop without an SMS account.

It behaves as a provider does: what it accepted stays accepted whatever becomes of the caller's
transaction (its own session, committed at once), and a key it already holds is not sent twice.
A one-time code's text is not kept: the page shows it masked.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .gateway import Accepted, OutgoingSms
from .models import OutboxMessage


class OutboxGateway:
    name = "outbox"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def send(self, sms: OutgoingSms) -> Accepted:
        with Session(self._engine) as session:
            message = OutboxMessage(idempotency_key=sms.idempotency_key, purpose=sms.purpose, phone_e164=sms.phone_e164,
                                    body=None if sms.purpose == "code" else sms.body)
            session.add(message)
            try:
                session.commit()
            except IntegrityError:  # already holds this key: the same message, not a second one
                session.rollback()
                return self._held(session, sms.idempotency_key)
            return Accepted(provider_message_id=message.id)

    def find_accepted(self, idempotency_key: str, phone_e164: str, since: datetime, until: datetime) -> Accepted | None:
        with Session(self._engine) as session:
            return self._held(session, idempotency_key)

    @staticmethod
    def _held(session: Session, idempotency_key: str) -> Accepted | None:
        found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key))
        return Accepted(provider_message_id=found) if found else None
