"""The beneficiary's tamper-evident journal, as JSON: their chain's events and whether it verifies."""
from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user

from .. import clock
from ..audit import journal
from ..database import db
from . import blueprint
from .support import authenticated, require_role


@blueprint.get("/me/journal")
@authenticated
def my_journal():
    require_role("beneficiary")
    verdict = journal.verify(db(), current_app.extensions["keys"], current_user.id, clock.now())
    events = journal.chained_events(db(), current_user.id)
    return jsonify({
        "intact": verdict.intact, "checked_at": verdict.checked_at.isoformat(), "events_verified": verdict.events,
        "signed_up_to": verdict.signed_seq, "first_wrong_event": verdict.broken_at,
        "events": [{"seq": event.seq, "at": event.at.isoformat(), "action": event.action, "actor_id": event.actor_id,
                    "structure_id": event.structure_id, "details": event.details} for event in events],
    })
