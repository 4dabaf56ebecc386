"""Password recovery and the recovery factors, as JSON (the same services as the pages,
`accounts/recovery_views.py`, `accounts/settings_views.py`, `structures/recovery_views.py`).

The answer path is two calls before the answer: `POST /recovery/code` (always 202, whatever the
identifier) then `POST /recovery/code/verify`, which returns a `recovery_token` good for 15
minutes; `POST /recovery/answer` spends one guess per call with it. `POST /recovery/recovery-code`
needs no token: the code is the factor.
"""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from ..accounts import recovery, recovery_flow
from ..accounts.errors import AccountError, InvalidCredentials, TooManyAttempts, WeakPassword
from ..accounts.factors import guesses_left
from ..accounts.messages import password_problem_message
from ..accounts.recovery_code import issue_code
from ..accounts.recovery_messages import (
    ANSWER_STATUS,
    CODE_REFUSALS,
    answer_problem,
    code_sent,
    flow_expired,
    recovery_code_refused,
    sms_code_refused,
)
from ..accounts.secret_answer import ANSWER, MAX_QUESTION, enroll_answer, usable_answer
from ..accounts.services import Unlocked, authenticate
from ..clock import now
from ..database import db
from ..extensions import limiter
from ..sessions_setup import current_vault
from ..sms.codes import CodeError, OneTimeCodes
from ..structures.recovery_views import LIMIT as ASSISTED_LIMIT
from ..structures.services import STAFF_ROLES
from . import blueprint
from .assisted_reset import affiliated_or_404
from .structures import role_api
from .support import ApiError, authenticated, json_body, keys, require_role

LIMIT = "10 per minute; 60 per hour"


def _answer_refused(error: AccountError) -> ApiError:
    status, code = ANSWER_STATUS.get(type(error), (409, error.code))
    return ApiError(status, code, answer_problem(error))


def _weak(problem: WeakPassword) -> ApiError:
    return ApiError(422, "weak_password", password_problem_message(problem.reason, "beneficiary"))


@blueprint.post("/recovery/code")
@limiter.limit(LIMIT)
def recovery_send_code():
    identifier = json_body(identifier=str)["identifier"]
    recovery.send_code(db(), OneTimeCodes.for_app(db()), identifier, now())
    return jsonify({"status": "sent_if_possible", "message": code_sent()}), 202


@blueprint.post("/recovery/code/verify")
@limiter.limit(LIMIT)
def recovery_verify_code():
    body = json_body(identifier=str, code=str)
    try:
        account = recovery.check_code(db(), OneTimeCodes.for_app(db()), body["identifier"], body["code"], now())
    except CodeError:
        db().commit()  # a spent try stays spent
        raise ApiError(403, "code_refused", sms_code_refused()) from None
    db().commit()
    return jsonify(_answer_state(account, recovery_flow.code_typed(body["identifier"], now())))


@blueprint.post("/recovery/answer")
@limiter.limit(LIMIT)
def recovery_answer():
    body = json_body(recovery_token=str, answer=str, new_password=str)
    try:
        identifier = recovery_flow.identifier_after_code(body["recovery_token"], now())
    except recovery_flow.FlowExpired:
        raise ApiError(401, "recovery_expired", flow_expired()) from None
    account = recovery.recoverable(db(), identifier)
    if account is None:
        raise ApiError(401, "recovery_expired", flow_expired())
    try:
        recovery.recover_with_answer(db(), keys(), account, body["answer"], body["new_password"], now())
    except WeakPassword as problem:
        raise _weak(problem) from None
    except AccountError as error:
        db().commit()  # the audit of the try; the key service already counted the guess
        raise _answer_refused(error) from None
    db().commit()
    return jsonify({"status": "password_changed"})


@blueprint.post("/recovery/recovery-code")
@limiter.limit(LIMIT)
def recovery_with_code():
    body = json_body(identifier=str, recovery_code=str, new_password=str)
    try:
        new_code = recovery.recover_with_code(db(), keys(), body["identifier"], body["recovery_code"],
                                              body["new_password"], now())
    except WeakPassword as problem:
        raise _weak(problem) from None
    except CODE_REFUSALS:
        db().commit()  # the audit of the try
        raise ApiError(403, "recovery_code_refused", recovery_code_refused()) from None
    db().commit()
    return jsonify({"status": "password_changed", "recovery_code": new_code})


@blueprint.put("/me/secret-answer")
@limiter.limit("10 per minute")
@authenticated
def set_secret_answer():
    require_role("beneficiary")
    body = json_body(current_password=str, question=str, answer=str)
    question = body["question"].strip()
    if not question or len(question) > MAX_QUESTION:
        raise ApiError(422, "invalid_field", "question")
    if not usable_answer(body["answer"]) or len(body["answer"]) > 200:
        raise ApiError(422, "invalid_field", "answer")
    _check_password(body["current_password"])
    enroll_answer(db(), keys(), Unlocked(current_user, current_vault().identity), question, body["answer"])
    db().commit()
    return jsonify({"secret_question": current_user.person.secret_question})


@blueprint.post("/me/recovery-code")
@limiter.limit("10 per minute")
@authenticated
def new_recovery_code():
    require_role("beneficiary")
    body = json_body(current_password=str)
    _check_password(body["current_password"])
    code = issue_code(db(), keys(), Unlocked(current_user, current_vault().identity))
    db().commit()
    return jsonify({"recovery_code": code}), 201


@blueprint.post("/structures/<structure_id>/beneficiaries/<beneficiary_id>/recovery/answer")
@limiter.limit(ASSISTED_LIMIT)
@role_api(*STAFF_ROLES)
def assisted_recovery(structure_id: str, beneficiary_id: str):
    structure, account = affiliated_or_404(structure_id, beneficiary_id)
    body = json_body(answer=str, new_password=str)  # after the checks: a stranger learns nothing from a 400
    try:
        recovery.recover_with_answer(db(), keys(), account, body["answer"], body["new_password"], now(),
                                     actor_id=current_user.id, structure_id=structure.id)
    except WeakPassword as problem:
        raise _weak(problem) from None
    except AccountError as error:
        db().commit()  # the audit of the try; the key service already counted the guess
        raise _answer_refused(error) from None
    db().commit()
    return jsonify({"status": "password_changed"})


def _answer_state(account, token: str) -> dict:
    enrolled = any(bundle.factor == ANSWER for bundle in account.bundles)
    return {"recovery_token": token, "secret_question": account.person.secret_question if enrolled else None,
            "guesses_left": guesses_left(keys(), account, ANSWER) if enrolled else 0}


def _check_password(password: str) -> None:
    try:
        authenticate(db(), keys(), current_user.identifier, password)
    except (InvalidCredentials, TooManyAttempts):
        db().commit()
        raise ApiError(403, "wrong_password") from None
