"""The reset with a professional, private part lost (R14), as JSON: the same service as the page
(`structures/assisted_reset_views.py`). GET says what would be lost; POST, with `understood: true`,
does it. A stranger to the person gets 404 before the body is read."""
from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user

from ..accounts.errors import WeakPassword
from ..accounts.messages import password_problem_message
from ..accounts.secret_answer import MAX_QUESTION, usable_answer
from ..clock import now
from ..database import db
from ..extensions import limiter
from ..structures.assisted_reset import ResetUnavailable, affiliated_beneficiary, private_part, reset_with_professional
from ..structures.assisted_reset_views import LIMIT
from ..structures.services import STAFF_ROLES, structure_for
from ..structures.views import actor
from ..vault.errors import ItemNotFound
from . import blueprint
from .structures import role_api
from .support import ApiError, json_body, keys

PATH = "/structures/<structure_id>/beneficiaries/<beneficiary_id>/recovery/reset"


@blueprint.get(PATH)
@role_api(*STAFF_ROLES)
def reset_preview(structure_id: str, beneficiary_id: str):
    _structure, account = affiliated_or_404(structure_id, beneficiary_id)
    lost = private_part(db(), account.id)
    return jsonify({"lost": lost.as_dict(), "private_items": lost.items})


@blueprint.post(PATH)
@limiter.limit(LIMIT)
@role_api(*STAFF_ROLES)
def reset_account(structure_id: str, beneficiary_id: str):
    structure, account = affiliated_or_404(structure_id, beneficiary_id)
    body = json_body(understood=bool, new_password=str, secret_question=str, secret_answer=str)
    if body["understood"] is not True:
        raise ApiError(400, "confirmation_required", "understood must be true: the private part is lost for good")
    question = body["secret_question"].strip()
    if not question or len(question) > MAX_QUESTION or not usable_answer(body["secret_answer"]):
        raise ApiError(400, "bad_request", "a question, and an answer holding a letter or a digit")
    try:
        done = reset_with_professional(db(), keys(), current_app.extensions["blobs"], structure, actor(), account,
                                       new_password=body["new_password"], question=question,
                                       answer=body["secret_answer"], now=now())
    except WeakPassword as problem:
        db().rollback()
        raise ApiError(422, "weak_password", password_problem_message(problem.reason, account.role)) from None
    except ResetUnavailable:
        db().rollback()
        raise ApiError(409, "reset_unavailable", "this Relais holds no key of the shared part yet") from None
    return jsonify({"lost": done.lost.as_dict(), "private_items": done.lost.items, "shared_kept": done.shared_kept})


def affiliated_or_404(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    try:
        return structure, affiliated_beneficiary(db(), structure, beneficiary_id)
    except ItemNotFound:
        raise ApiError(404, "not_found") from None
