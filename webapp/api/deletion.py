"""Account deletion as JSON: a beneficiary's own (`data_rights/deletion_views.py`), a manager's through
the platform (`structures/departures.py`) and a beneficiary's asked of the platform (`admin/deletions.py`)."""
from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..accounts.deletion import GROUNDS, delete_beneficiary, what_goes
from ..accounts.models import Account
from ..accounts.services import normalise_identifier
from ..data_rights.deletion_views import delete_me, password_is_right
from ..database import db
from ..structures import departures
from ..structures.errors import LastManager, MemberNotFound, StructureNotFound
from ..structures.services import MANAGER, structure_for
from ..structures.views import actor
from . import blueprint
from .support import ApiError, authenticated, json_body, keys, require_role


@blueprint.get("/me/deletion")
@authenticated
def what_my_deletion_takes():
    require_role("beneficiary")
    return jsonify(what_goes(db(), current_user, clock.now()).as_dict())


@blueprint.post("/me/delete")
@authenticated
def delete_my_account():
    """The password again and `confirm: true`; afterwards the token is dead."""
    require_role("beneficiary")
    body = json_body(password=str, confirm=bool)
    if not body["confirm"]:
        raise ApiError(422, "confirmation_required")
    if not password_is_right(body["password"]):
        raise ApiError(403, "wrong_password")
    delete_me()
    return jsonify({"status": "deleted"})


# A manager's deletion, through a platform administrator

@blueprint.post("/me/deletion-request")
@authenticated
def ask_my_deletion():
    """Managers: the platform decides (professionals ask their manager, beneficiaries delete themselves)."""
    require_role("manager")
    try:
        departures.ask(db(), current_user)
    except MemberNotFound:
        raise ApiError(404, "not_found") from None
    db().commit()
    return jsonify(my_request_json()), 201


@blueprint.get("/me/deletion-request")
@authenticated
def my_deletion_request():
    require_role("manager")
    return jsonify(my_request_json())


def my_request_json() -> dict:
    return {"pending": departures.pending(db(), current_user.id),
            "refusal_reason": departures.last_refusal(db(), current_user.id)}


@blueprint.get("/admin/deletion-requests")
@authenticated
def manager_deletion_requests():
    require_role("admin")
    return jsonify({"requests": [{
        "account_id": found.account.id, "identifier": found.account.identifier,
        "structures": [{"id": structure.id, "name": structure.name} for structure in found.structures],
        "sole_manager_of": [structure.id for structure in found.sole_manager_of],
        "can_validate": found.can_validate,
    } for found in departures.manager_requests(db())]})


@blueprint.post("/admin/deletion-requests/<account_id>/validate")
@authenticated
def validate_manager_deletion(account_id: str):
    require_role("admin")
    try:
        departures.validate(db(), keys(), actor(), account_id)
    except MemberNotFound:
        raise ApiError(404, "not_found") from None
    except LastManager as error:
        db().rollback()
        raise ApiError(409, error.code, _("Cette personne est le seul gestionnaire d'un de ses Relais : un autre "
                                           "gestionnaire doit y être nommé d'abord.")) from None
    db().commit()
    return jsonify({"status": "deleted"})


@blueprint.post("/admin/deletion-requests/<account_id>/refuse")
@authenticated
def refuse_manager_deletion(account_id: str):
    require_role("admin")
    reason = json_body(reason=str)["reason"].strip()
    if not reason or len(reason) > departures.MAX_REASON:
        raise ApiError(422, "invalid_field", _("Écrivez la raison (500 caractères au plus)."))
    try:
        departures.refuse(db(), current_user.id, account_id, reason)
    except MemberNotFound:
        raise ApiError(404, "not_found") from None
    db().commit()
    return jsonify({"status": "refused"})


@blueprint.post("/structures/<structure_id>/managers")
@authenticated
def name_structure_manager(structure_id: str):
    require_role("manager", "professional")
    account_id = json_body(account_id=str)["account_id"]
    try:
        structure = structure_for(db(), current_user.id, structure_id, MANAGER)
        departures.name_manager(db(), actor(), structure, account_id)
    except (StructureNotFound, MemberNotFound):
        raise ApiError(404, "not_found") from None
    db().commit()
    return jsonify({"status": "manager"})


# A beneficiary's deletion asked of the platform

@blueprint.post("/admin/beneficiary-deletions")
@authenticated
def delete_beneficiary_for_the_platform():
    """By identifier, with the ground recorded in the journal."""
    require_role("admin")
    body = json_body(identifier=str, ground=str)
    if body["ground"] not in GROUNDS:
        raise ApiError(422, "invalid_field")
    account = db().scalar(select(Account).where(Account.identifier == normalise_identifier(body["identifier"]),
                                                Account.role == "beneficiary",
                                                Account.status.in_(("active", "suspended"))))
    if account is None:
        raise ApiError(404, "not_found")
    delete_beneficiary(db(), keys(), current_app.extensions["blobs"], account, actor_id=current_user.id,
                       reason="platform", ground=body["ground"])
    return jsonify({"status": "deleted", "account_id": account.id})
