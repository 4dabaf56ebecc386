"""The SMS reminders of a shared appointment, for a professional of an affiliated Relais, as JSON
(R4, docs/sms.md). The number is never asked nor shown: the SMS goes to the beneficiary's confirmed
mobile, of which only the last two digits come back."""
from __future__ import annotations

from flask import jsonify

from ..database import db
from ..reminders.services import ReminderView
from ..sms import phones
from . import blueprint
from .reminders import LOCAL_MOMENT_OR_NULL, check_text, local_moment, missing_moment, refusals
from .shared_part import open_access, staff_api
from .support import ApiError, json_body

STAFF_PRESETS = ("now", "day_before", "two_hours", "chosen")
REQUEST_FIELDS = {"preset": str, "chosen_at": LOCAL_MOMENT_OR_NULL, "night_ok": bool, "text": str}


def staff_reminder_json(view: ReminderView) -> dict:
    return {"id": view.id, "item_id": view.item_id, "preset": view.preset, "send_at": view.send_at.isoformat(),
            "night_ok": view.night_ok, "masked_phone": phones.masked(view.phone_e164), "text": view.text,
            "status": view.status, "chosen_at": view.chosen_at.isoformat() if view.chosen_at else None,
            "author_id": view.author_id}


@blueprint.get("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/reminders")
@staff_api
def list_shared_reminders(structure_id: str, beneficiary_id: str, item_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    listed = {"reminders": [staff_reminder_json(view) for view in access.reminders(item)],
              "default_text": access.default_reminder_text(item), "masked_phone": phones.masked(access.reminder_phone) or None}
    db().commit()
    return jsonify(listed)


@blueprint.post("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/reminders")
@staff_api
def create_shared_reminder(structure_id: str, beneficiary_id: str, item_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)  # a stranger learns nothing from the body
    fields = _fields(json_body(**REQUEST_FIELDS))
    made = refusals(lambda: access.schedule_reminder(item, **fields))
    db().commit()
    return jsonify(staff_reminder_json(made)), 201


@blueprint.patch("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/reminders/<reminder_id>")
@staff_api
def change_shared_reminder(structure_id: str, beneficiary_id: str, item_id: str, reminder_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    refusals(lambda: access.reminder(item, reminder_id))
    fields = _fields(json_body(**REQUEST_FIELDS))
    made = refusals(lambda: access.change_reminder(item, reminder_id, **fields))
    db().commit()
    return jsonify(staff_reminder_json(made))


@blueprint.delete("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/reminders/<reminder_id>")
@staff_api
def delete_shared_reminder(structure_id: str, beneficiary_id: str, item_id: str, reminder_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    refusals(lambda: access.delete_reminder(item, reminder_id))
    db().commit()
    return jsonify({"status": "ok"})


def _appointment(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    item = access.get(item_id)
    if item.kind != "appointment":
        raise ApiError(404, "not_found")
    return access, item


def _fields(body: dict) -> dict:
    if body["preset"] not in STAFF_PRESETS:
        raise ApiError(400, "bad_request")
    check_text(body["text"])
    chosen = None
    if body["preset"] == "chosen":
        if body["chosen_at"] is None:
            raise missing_moment()
        chosen = local_moment(body["chosen_at"])
    return {"preset": body["preset"], "text": body["text"], "night_ok": body["night_ok"], "chosen_at": chosen}
