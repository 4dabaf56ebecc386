"""The contact form as JSON (R18): anyone sends (a bearer token makes it the account's, its replies
then listed), administrators read, answer and close."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from .. import clock
from ..contact import services
from ..contact.models import CATEGORIES
from ..database import db
from ..extensions import limiter
from . import blueprint
from .support import ApiError, authenticated, json_body, require_role


def message_json(message) -> dict:
    return {"id": message.id, "category": message.category, "message": message.message, "reach_at": message.reach_at,
            "status": message.status, "created_at": message.created_at.isoformat(), "reply": message.reply,
            "replied_at": message.replied_at.isoformat() if message.replied_at else None,
            "from_account": message.account_id is not None}


@blueprint.post("/contact")
@limiter.limit(services.CONTACT_LIMIT)
def send_contact_message():
    body = json_body(category=str, message=str, reach_at=str)
    if body["category"] not in CATEGORIES:
        raise ApiError(422, "invalid_field", "category")
    if not body["message"].strip() or len(body["message"]) > services.MAX_MESSAGE:
        raise ApiError(422, "invalid_field", "message")
    if len(body["reach_at"]) > services.MAX_REACH_AT:
        raise ApiError(422, "invalid_field", "reach_at")
    account_id = None
    if current_user.is_authenticated:
        account_id = authenticated(lambda: current_user.id)()  # with the cookie: its CSRF check
    sent = services.send(db(), body["category"], body["message"], clock.now(), account_id=account_id,
                         reach_at=body["reach_at"])
    db().commit()
    return jsonify(message_json(sent)), 201


@blueprint.get("/me/contact")
@authenticated
def my_contact_messages():
    return jsonify({"messages": [message_json(m) for m in services.of_account(db(), current_user.id)]})


@blueprint.get("/admin/contact")
@authenticated
def contact_inbox():
    _admin()
    return jsonify({"messages": [message_json(m) for m in services.inbox(db(), None)]})


@blueprint.post("/admin/contact/<message_id>")
@authenticated
def answer_contact_message(message_id: str):
    _admin()
    body = json_body(reply=str, close=bool)
    if len(body["reply"]) > services.MAX_MESSAGE:
        raise ApiError(422, "invalid_field", "reply")
    try:
        answered = services.answer(db(), message_id, body["reply"], body["close"], current_user.id, clock.now())
    except services.ContactMessageNotFound:
        raise ApiError(404, "not_found") from None
    db().commit()
    return jsonify(message_json(answered))


def _admin() -> None:
    require_role("admin")
