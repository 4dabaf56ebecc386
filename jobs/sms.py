"""SMS delivery jobs: the dispatcher reads the ledger every minute and hands each due message to a
delivery job, by id. Redis only ever holds those ids: flushing it loses nothing, the next round
finds the same rows due (`webapp/sms/delivery.py` explains how a message leaves exactly once)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import current_app

from webapp.database import db
from webapp.sms import delivery
from webapp.tasks import enqueue

log = logging.getLogger(__name__)


def dispatch_due_sms(now: datetime | None = None) -> int:
    """Enqueue a delivery job for every message due at `now` (default: the app's clock); how many.

    Enqueuing a message twice is harmless: the second job finds it claimed and does nothing.
    """
    now = now or _clock_now()
    due = delivery.due_message_ids(db(), now)
    db().commit()  # the read ends here; each job claims its message in its own transaction
    for message_id in due:
        enqueue("jobs.sms.deliver_sms", message_id, int(now.timestamp()))
    return len(due)


def deliver_sms(message_id: str, not_before: int) -> str:
    """Make one delivery attempt of the message; what happened ("sent", "retry", "failed"...).

    `not_before` is the dispatcher's time (epoch seconds): a job never acts earlier than the
    dispatcher that found the message due, whatever this machine's clock says.
    """
    now = max(_clock_now(), datetime.fromtimestamp(not_before, timezone.utc))
    outcome = delivery.deliver(db(), current_app.extensions["sms_gateway"], message_id, now)
    if outcome.status == "failed":
        log.warning("SMS %s could not be delivered: see the administrators' SMS page", message_id)
    return outcome.status


def _clock_now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
