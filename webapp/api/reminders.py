"""An appointment's SMS reminders as JSON: list, schedule, change, delete (the beneficiary's own)."""
from __future__ import annotations

import re
from datetime import datetime

from flask import jsonify
from flask_login import current_user

from ..clock import now
from ..database import db
from ..reminders import texts
from ..reminders.errors import InvalidText, MissingChosenMoment, ReminderError, ReminderNotFound
from ..reminders.messages import reminder_problem
from ..reminders.services import ReminderRequest, Reminders, ReminderView
from ..reminders.timing import from_local
from ..sms import phones
from ..vault.views import open_vault
from . import blueprint
from .support import ApiError, json_body
from .vault import beneficiary_api

PRESETS = ("day_before", "two_hours", "chosen")
LOCAL_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
LOCAL_MOMENT_OR_NULL = (str, type(None))
REQUEST_FIELDS = {"preset": str, "chosen_at": LOCAL_MOMENT_OR_NULL, "night_ok": bool, "phone": (str, type(None)), "text": str}


def reminder_json(view: ReminderView) -> dict:
    return {
        "id": view.id, "item_id": view.item_id, "preset": view.preset, "send_at": view.send_at.isoformat(),
        "night_ok": view.night_ok, "phone": view.phone_e164, "display_phone": phones.display(view.phone_e164),
        "text": view.text, "status": view.status,
        "chosen_at": view.chosen_at.isoformat() if view.chosen_at else None,
        "author_id": view.author_id, "structure_id": view.structure_id,
    }


@blueprint.get("/items/<item_id>/reminders")
@beneficiary_api
def list_reminders(item_id: str):
    item = _appointment(item_id)
    reminders = _reminders()
    return jsonify({"reminders": [reminder_json(view) for view in reminders.list(item)],
                    "default_text": reminders.default_text(item), "phone": current_user.person.phone})


@blueprint.post("/items/<item_id>/reminders")
@beneficiary_api
def create_reminder(item_id: str):
    body = json_body(**REQUEST_FIELDS)
    item = _appointment(item_id)  # an unknown appointment is not found, whatever the body says
    request = _request(body)
    made = refusals(lambda: _reminders().schedule(item, current_user.id, request))
    db().commit()
    return jsonify(reminder_json(made)), 201


@blueprint.patch("/items/<item_id>/reminders/<reminder_id>")
@beneficiary_api
def change_reminder(item_id: str, reminder_id: str):
    body = json_body(**REQUEST_FIELDS)
    item = _appointment(item_id)
    refusals(lambda: _reminders().get(item, reminder_id))
    request = _request(body)
    made = refusals(lambda: _reminders().change(item, reminder_id, request))
    db().commit()
    return jsonify(reminder_json(made))


@blueprint.delete("/items/<item_id>/reminders/<reminder_id>")
@beneficiary_api
def delete_reminder(item_id: str, reminder_id: str):
    item = _appointment(item_id)
    refusals(lambda: _reminders().delete(item, reminder_id))
    db().commit()
    return jsonify({"status": "ok"})


def _appointment(item_id: str):
    item = open_vault().get(item_id)
    if item.kind != "appointment":
        raise ApiError(404, "not_found")
    return item


def _reminders() -> Reminders:
    return Reminders(db(), author_id=current_user.id, now=now())


def _request(body: dict) -> ReminderRequest:
    if body["preset"] not in PRESETS:
        raise ApiError(400, "bad_request")
    check_text(body["text"])
    typed_phone = body["phone"] if body["phone"] is not None else current_user.person.phone
    try:
        phone = phones.normalise(typed_phone or "")
    except phones.InvalidPhone as problem:
        raise ApiError(422, "invalid_phone", phones.problem_message(problem.reason)) from None
    chosen = None
    if body["preset"] == "chosen":
        if body["chosen_at"] is None:
            raise missing_moment()
        chosen = local_moment(body["chosen_at"])
    return ReminderRequest(preset=body["preset"], phone_e164=phone, text=body["text"], night_ok=body["night_ok"],
                           chosen_at=chosen)


def check_text(text: str) -> None:
    if len(text) > texts.MAX_LENGTH:
        raise ApiError(422, "invalid_text", reminder_problem(InvalidText(texts.TOO_LONG)))


def missing_moment() -> ApiError:
    return ApiError(422, "missing_moment", reminder_problem(MissingChosenMoment()))


def local_moment(typed: str) -> datetime:
    try:
        if not LOCAL_MOMENT.fullmatch(typed):
            raise ValueError(typed)
        moment = datetime.fromisoformat(typed)
    except ValueError:
        raise ApiError(422, "invalid_moment", reminder_problem(MissingChosenMoment())) from None
    return from_local(moment.date(), moment.time())


def refusals(action):
    try:
        return action()
    except ReminderNotFound:
        raise ApiError(404, "not_found") from None
    except InvalidText as problem:
        raise ApiError(422, "invalid_text", reminder_problem(problem)) from None
    except ReminderError as problem:
        db().rollback()
        raise ApiError(409, problem.code, reminder_problem(problem)) from None
