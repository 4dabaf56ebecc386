"""The administrators' SMS page as JSON: the ledger (the outbox's messages in the embedded
default), and the numbers that opted out, which an administrator can record or lift."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps

from flask import current_app, jsonify
from flask_login import current_user

from ..database import db
from ..sms import phones
from ..sms.admin_forms import REFUSED, opt_out_number
from ..sms.models import SmsOptOut
from ..sms.optouts import list_opt_outs, record_opt_out, remove_opt_out
from ..sms.outbox_listing import ListedSms, list_messages
from . import blueprint
from .support import ApiError, authenticated, json_body, require_role


def admin_api(view):
    @wraps(view)
    @authenticated
    def checked(*args, **kwargs):
        require_role("admin")
        return view(*args, **kwargs)

    return checked


def message_json(message: ListedSms) -> dict:
    return {
        "id": message.id, "purpose": message.purpose, "phone": message.phone_e164, "status": message.status,
        "send_after": message.send_after.isoformat(), "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "delivered_at": message.delivered_at.isoformat() if message.delivered_at else None,
        "last_error": message.last_error, "provider": message.provider, "text": message.text, "masked": message.masked,
    }


def opt_out_json(opt_out: SmsOptOut) -> dict:
    return {"phone": opt_out.phone_e164, "source": opt_out.source, "recorded_at": opt_out.recorded_at.isoformat()}


@blueprint.get("/admin/sms")
@admin_api
def list_sms():
    return jsonify({"provider": current_app.config["SETTINGS"].sms.provider,
                    "messages": [message_json(message) for message in list_messages(db())]})


@blueprint.get("/admin/sms/opt-outs")
@admin_api
def list_sms_opt_outs():
    return jsonify({"opt_outs": [opt_out_json(opt_out) for opt_out in list_opt_outs(db())]})


@blueprint.post("/admin/sms/opt-outs")
@admin_api
def add_sms_opt_out():
    try:
        phone = opt_out_number(json_body(phone=str)["phone"])
    except phones.InvalidPhone:
        raise ApiError(422, "invalid_phone", str(REFUSED)) from None
    now = datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
    opt_out = record_opt_out(db(), phone, source="admin", now=now, admin_id=current_user.id)
    db().commit()
    return jsonify(opt_out_json(opt_out)), 201


@blueprint.delete("/admin/sms/opt-outs/<phone>")
@admin_api
def lift_sms_opt_out(phone: str):
    if not remove_opt_out(db(), phone, admin_id=current_user.id):
        raise ApiError(404, "not_found")
    db().commit()
    return jsonify({"status": "lifted"})
