"""The provider's webhook: delivery reports and STOP answers, posted by Brevo.

Outside /api/v1 on purpose: the provider calls it, not a person, and it has no page to mirror.
Brevo sends the token configured with the webhook as `Authorization: Bearer <SMS_WEBHOOK_SECRET>`;
without a configured secret the webhook does not exist (404). CSRF does not apply: no cookie.
"""
from __future__ import annotations

import hmac
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, request

from ..database import db
from ..extensions import csrf
from .webhooks import MalformedReport, apply_report

blueprint = Blueprint("sms_webhooks", __name__, url_prefix="/webhooks")
MAX_EVENTS = 100


@blueprint.post("/brevo/sms")
@csrf.exempt
def brevo_sms():
    secret = current_app.config["SETTINGS"].sms.webhook_secret
    if not secret:
        abort(404)
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not hmac.compare_digest(offered.encode(), secret.encode()):
        return jsonify({"error": "unauthorized"}), 401
    body = request.get_json(silent=True)
    # One event per call, or a batch (Brevo's batched webhooks send a list).
    events = body if isinstance(body, list) else [body]
    if not events or len(events) > MAX_EVENTS:
        return jsonify({"error": "bad_request"}), 400
    now = datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
    try:
        reports = [apply_report(db(), event, now) for event in events]
    except MalformedReport:
        db().rollback()
        return jsonify({"error": "bad_request"}), 400
    db().commit()
    return jsonify({"received": len(reports)})
