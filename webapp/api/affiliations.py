"""Beneficiary accounts opened by professionals, the search, affiliations and "Mes Relais", as JSON
(the same services as `structures/affiliation_views.py`)."""
from __future__ import annotations

from datetime import date

from flask import jsonify
from flask_login import current_user

from ..accounts.errors import WeakPassword
from ..accounts.messages import password_problem_message
from ..accounts.secret_answer import AnswerLocked, NoSecretAnswer, WrongAnswer, usable_answer
from ..clock import now
from ..database import db
from ..extensions import limiter
from ..sms.codes import CodeError, OneTimeCodes
from ..structures import affiliations, beneficiaries
from ..structures.affiliation_forms import FIRST_YEAR, MAX_QUESTION, NAME_MAX
from ..structures.affiliation_messages import affiliation_error_message
from ..structures.affiliation_views import CREATE_LIMIT, SEARCH_LIMIT, actor
from ..structures.errors import (
    AlreadyAffiliated,
    BeneficiaryNotFound,
    DuplicateAccount,
    NoConfirmedPhone,
    NotAffiliated,
    NotPending,
    StructureError,
)
from ..structures.services import STAFF_ROLES, structure_for
from . import blueprint
from .structures import role_api
from .support import ApiError, json_body, keys

STATUS_OF_ERROR = {NotPending: 409, AlreadyAffiliated: 409, NotAffiliated: 409, NoConfirmedPhone: 409,
                   BeneficiaryNotFound: 404, WrongAnswer: 403, AnswerLocked: 423, NoSecretAnswer: 409}


def _refused(error: Exception) -> ApiError:
    return ApiError(STATUS_OF_ERROR.get(type(error), 422), error.code, affiliation_error_message(error))


def affiliation_json(row, structure=None) -> dict:
    body = {"beneficiary_id": row.beneficiary_id, "structure_id": row.structure_id, "status": row.status,
            "consents_to_contributions": row.consents_to_contributions, "confirmed_by": row.confirmed_by,
            "started_at": row.started_at.isoformat(),
            "ended_at": row.ended_at.isoformat() if row.ended_at else None}
    if structure is not None:
        body["structure_name"] = structure.name
    return body


def _iso_date(text: str) -> date | None:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None
    return value if FIRST_YEAR <= value.year and value <= now().date() else None


def _text(body: dict, name: str, max_length: int) -> str:
    value = body[name].strip()
    if not value or len(value) > max_length:
        raise ApiError(422, "invalid_field", name)
    return value


# Professionals and managers

@blueprint.post("/structures/<structure_id>/beneficiaries")
@limiter.limit(CREATE_LIMIT)
@role_api(*STAFF_ROLES)
def create_beneficiary(structure_id: str):
    body = json_body(first_name=str, last_name=str, birth_date=str, password=str, secret_question=str,
                     secret_answer=str, affiliate=bool, homonym=bool)
    structure = structure_for(db(), current_user.id, structure_id)
    birth_date = _iso_date(body["birth_date"])
    if birth_date is None:
        raise ApiError(422, "invalid_field", "birth_date")
    if not usable_answer(body["secret_answer"]):
        raise ApiError(422, "invalid_field", "secret_answer")
    new = beneficiaries.NewBeneficiary(_text(body, "first_name", NAME_MAX), _text(body, "last_name", NAME_MAX), birth_date,
                                       body["password"], _text(body, "secret_question", MAX_QUESTION), body["secret_answer"])
    try:
        created = beneficiaries.create(db(), keys(), actor(), structure, new, now(), affiliate=body["affiliate"],
                                       homonym=body["homonym"])
    except DuplicateAccount as error:
        db().commit()  # the audit event of the catch
        return jsonify({"error": {"code": error.code, "message": affiliation_error_message(error)},
                        "existing": error.existing}), 409
    except WeakPassword as problem:
        db().rollback()
        raise ApiError(422, "weak_password", password_problem_message(problem.reason, "beneficiary")) from None
    db().commit()
    return jsonify({"id": created.account.id, "identifier": created.account.identifier,
                    "affiliation": affiliation_json(created.affiliation) if created.affiliation else None,
                    "recovery_code": created.recovery_code}), 201


@blueprint.post("/structures/<structure_id>/beneficiaries/search")
@limiter.limit(SEARCH_LIMIT)
@role_api(*STAFF_ROLES)
def search_beneficiaries(structure_id: str):
    body = json_body(identifier=str, first_name=str, last_name=str, birth_date=str)
    structure = structure_for(db(), current_user.id, structure_id)
    identifier = body["identifier"].strip()
    first, last = body["first_name"].strip(), body["last_name"].strip()
    birth_date = _iso_date(body["birth_date"]) if body["birth_date"] else None
    if not identifier and not (first and last and birth_date):
        raise ApiError(422, "invalid_search", "identifier, or first_name, last_name and birth_date together")
    found = beneficiaries.search(db(), current_user.id, structure, identifier=identifier or None, first_name=first,
                                 last_name=last, birth_date=birth_date)
    db().commit()
    results = []
    for account in found:
        row = affiliations.of_structure(db(), structure, account.id)
        results.append({"id": account.id, "identifier": account.identifier, "first_name": account.person.first_name,
                        "last_name": account.person.last_name, "affiliation_status": row.status if row else None})
    return jsonify({"results": results})


@blueprint.get("/structures/<structure_id>/affiliations/<beneficiary_id>")
@role_api(*STAFF_ROLES)
def get_affiliation(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    account = _beneficiary(beneficiary_id)
    row = affiliations.of_structure(db(), structure, beneficiary_id)
    waiting = affiliations.pending_code(OneTimeCodes.for_app(db()), structure, beneficiary_id, now())
    return jsonify({"beneficiary_id": account.id, "identifier": account.identifier,
                    "status": row.status if row else None,
                    "affiliation": affiliation_json(row) if row else None,
                    "can_confirm_by_sms": bool(account.person and account.person.phone),
                    "secret_question": account.person.secret_question if account.person else None,
                    "code_tries_left": waiting.tries_left if waiting else None})


@blueprint.post("/structures/<structure_id>/affiliations/<beneficiary_id>")
@role_api(*STAFF_ROLES)
def start_affiliation(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    _beneficiary(beneficiary_id)
    try:
        row = affiliations.start(db(), structure, beneficiary_id, current_user.id, now())
    except StructureError as error:
        db().rollback()
        raise _refused(error) from None
    db().commit()
    return jsonify(affiliation_json(row)), 201


@blueprint.post("/structures/<structure_id>/affiliations/<beneficiary_id>/code")
@role_api(*STAFF_ROLES)
def send_affiliation_code(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    _beneficiary(beneficiary_id)
    try:
        sent = affiliations.send_code(db(), OneTimeCodes.for_app(db()), structure, beneficiary_id, current_user.id, now())
    except StructureError as error:
        db().rollback()
        raise _refused(error) from None
    return jsonify({"expires_at": sent.expires_at.isoformat(), "tries_left": sent.tries_left}), 202


@blueprint.post("/structures/<structure_id>/affiliations/<beneficiary_id>/code/confirm")
@role_api(*STAFF_ROLES)
def confirm_affiliation_code(structure_id: str, beneficiary_id: str):
    code = json_body(code=str)["code"]
    structure = structure_for(db(), current_user.id, structure_id)
    _beneficiary(beneficiary_id)
    try:
        row = affiliations.confirm_by_code(db(), OneTimeCodes.for_app(db()), structure, beneficiary_id, code,
                                           current_user.id, now())
    except StructureError as error:
        db().rollback()
        raise _refused(error) from None
    except CodeError:
        db().commit()  # a spent try stays spent
        raise
    db().commit()
    return jsonify(affiliation_json(row))


@blueprint.post("/structures/<structure_id>/affiliations/<beneficiary_id>/answer")
@role_api(*STAFF_ROLES)
def confirm_affiliation_answer(structure_id: str, beneficiary_id: str):
    answer = json_body(answer=str)["answer"]
    structure = structure_for(db(), current_user.id, structure_id)
    _beneficiary(beneficiary_id)
    try:
        row = affiliations.confirm_by_answer(db(), keys(), structure, beneficiary_id, answer, current_user.id, now())
    except NotPending as error:
        db().rollback()
        raise _refused(error) from None
    except (WrongAnswer, AnswerLocked, NoSecretAnswer) as error:
        db().commit()  # the audit of the try; the key service already counted the guess
        raise _refused(error) from None
    db().commit()
    return jsonify(affiliation_json(row))


@blueprint.delete("/structures/<structure_id>/affiliations/<beneficiary_id>")
@role_api(*STAFF_ROLES)
def end_affiliation(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    _beneficiary(beneficiary_id)
    row = affiliations.of_structure(db(), structure, beneficiary_id)
    if row is None:
        raise ApiError(404, "not_found")
    try:
        affiliations.end(db(), keys(), row, actor(), now())
    except StructureError as error:
        db().rollback()
        raise _refused(error) from None
    db().commit()
    return jsonify(affiliation_json(row))


def _beneficiary(beneficiary_id: str):
    try:
        return affiliations.beneficiary(db(), beneficiary_id)
    except BeneficiaryNotFound:
        raise ApiError(404, "not_found") from None


# "Mes Relais"

@blueprint.get("/me/affiliations")
@role_api("beneficiary")
def my_affiliations():
    return jsonify({"affiliations": [affiliation_json(row, structure)
                                     for structure, row in affiliations.of_beneficiary(db(), current_user.id)]})


def _mine(structure_id: str, action):
    try:
        row = action()
    except NotAffiliated:
        db().rollback()
        raise ApiError(404, "not_found") from None
    except StructureError as error:
        db().rollback()
        raise _refused(error) from None
    db().commit()
    return jsonify(affiliation_json(row))


@blueprint.post("/me/affiliations/<structure_id>/accept")
@role_api("beneficiary")
def accept_affiliation(structure_id: str):
    return _mine(structure_id, lambda: affiliations.accept(db(), keys(), actor(), structure_id, now()))


@blueprint.post("/me/affiliations/<structure_id>/decline")
@role_api("beneficiary")
def decline_affiliation(structure_id: str):
    return _mine(structure_id, lambda: affiliations.decline(db(), current_user.id, structure_id, now()))


@blueprint.put("/me/affiliations/<structure_id>/consent")
@role_api("beneficiary")
def set_affiliation_consent(structure_id: str):
    consents = json_body(consents=bool)["consents"]
    return _mine(structure_id, lambda: affiliations.set_consent(db(), current_user.id, structure_id, consents))


@blueprint.delete("/me/affiliations/<structure_id>")
@role_api("beneficiary")
def end_my_affiliation(structure_id: str):
    def end():
        _, row = affiliations.mine(db(), current_user.id, structure_id)
        me = actor()
        return affiliations.end(db(), keys(), row, me, now(), owner=me)

    return _mine(structure_id, end)
