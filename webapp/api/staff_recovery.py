"""Staff recovery as JSON (`structures/staff_recovery.py`): a manager resets a member of their Relais,
a platform administrator lists a Relais's managers and resets its last manager. The temporary password
is in the answer only. Its OpenAPI entries are added here, next to the routes."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from ..database import db
from ..structures import staff_recovery
from ..structures.errors import KeysWaiting, NotLastManager
from ..structures.services import MANAGER, STAFF_ROLES, structure_for
from ..structures.messages import structure_error_message
from ..structures.views import actor
from . import blueprint
from .openapi import ACCOUNT_ID, DOCUMENT, NOT_ADMIN, NOT_STAFF, SECURED, STRUCTURE_ID, _error, _json
from .structures import role_api
from .support import ApiError, keys


def reset_json(done: staff_recovery.Reset) -> dict:
    return {"id": done.account.id, "identifier": done.account.identifier, "role": done.account.role,
            "password": done.password, "keys_renewed": done.keys_renewed}


@blueprint.post("/structures/<structure_id>/members/<account_id>/password-reset")
@role_api(*STAFF_ROLES)
def reset_member_password(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    try:
        done = staff_recovery.reset_by_manager(db(), keys(), actor(), structure, account_id)
    except KeysWaiting as error:
        db().rollback()
        raise ApiError(409, error.code, structure_error_message(error)) from None
    db().commit()
    return jsonify(reset_json(done)), 201


@blueprint.get("/admin/structures/<structure_id>/managers")
@role_api("admin")
def structure_managers(structure_id: str):
    _structure, rows = staff_recovery.managers(db(), structure_id)
    return jsonify({"managers": [{"id": row.account.id, "identifier": row.account.identifier,
                                  "status": row.account.status, "last_manager": row.last_manager,
                                  "renews_keys": row.renews_keys} for row in rows]})


@blueprint.post("/admin/structures/<structure_id>/managers/<account_id>/password-reset")
@role_api("admin")
def reset_manager_password(structure_id: str, account_id: str):
    try:
        done = staff_recovery.reset_last_manager(db(), keys(), actor(), structure_id, account_id)
    except NotLastManager as error:
        raise ApiError(409, error.code, structure_error_message(error)) from None
    db().commit()
    return jsonify(reset_json(done)), 201


DOCUMENT["components"]["schemas"]["Structure"]["properties"]["keys_waiting"] = {
    "type": "boolean", "description": "in GET /api/v1/structures: the account's password was reset and its access to "
                                      "this Relais's keys returns at the next login of another member"}
DOCUMENT["components"]["schemas"].update({
    "PasswordReset": {"type": "object", "required": ["id", "identifier", "role", "password", "keys_renewed"],
                      "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "role": {"type": "string"},
                                     "password": {"type": "string",
                                                  "description": "temporary; shown this once, to change at the next login"},
                                     "keys_renewed": {"type": "boolean",
                                                      "description": "a new key generation was started: each affiliated "
                                                                     "beneficiary's shared part returns at their next login"}}},
    "ManagerList": {"type": "object", "required": ["managers"], "properties": {"managers": {"type": "array", "items": {
        "type": "object", "required": ["id", "identifier", "status", "last_manager", "renews_keys"],
        "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "status": {"type": "string"},
                       "last_manager": {"type": "boolean", "description": "an administrator may reset this manager"},
                       "renews_keys": {"type": "boolean", "description": "no other member holds the Relais's keys"}}}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/structures/{structure_id}/members/{account_id}/password-reset": {
        "parameters": [STRUCTURE_ID, ACCOUNT_ID],
        "post": {"operationId": "resetMemberPassword",
                 "summary": "A manager gives another member of the Relais a temporary password (new identity keys, the "
                            "Relais's keys wrapped to them at once; their other Relais wait for one of their members' login)",
                 "security": SECURED,
                 "responses": {"201": _json("PasswordReset"), "401": _error("unauthorized"), "403": NOT_STAFF,
                               "404": _error("not_found: no such Relais managed by this account; member_not_found: no such other member"),
                               "409": _error("keys_waiting: the manager's own access to the Relais's keys waits")}},
    },
    "/api/v1/admin/structures/{structure_id}/managers": {
        "parameters": [STRUCTURE_ID],
        "get": {"operationId": "listStructureManagers", "summary": "The managers of an active Relais", "security": SECURED,
                "responses": {"200": _json("ManagerList"), "401": _error("unauthorized"), "403": NOT_ADMIN,
                              "404": _error("not_found")}},
    },
    "/api/v1/admin/structures/{structure_id}/managers/{account_id}/password-reset": {
        "parameters": [STRUCTURE_ID, ACCOUNT_ID],
        "post": {"operationId": "resetLastManagerPassword",
                 "summary": "Give the last manager of a Relais a temporary password; when nobody else holds the "
                            "Relais's keys, a new key generation starts",
                 "security": SECURED,
                 "responses": {"201": _json("PasswordReset"), "401": _error("unauthorized"), "403": NOT_ADMIN,
                               "404": _error("not_found: no such active Relais; member_not_found: no such active manager of it"),
                               "409": _error("not_last_manager: another manager of the Relais does it")}},
    },
})
