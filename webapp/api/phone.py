"""The account's own mobile number as JSON: ask for a code, confirm it, resend it, remove the number."""
from __future__ import annotations

import re

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import now
from ..database import db
from ..sms import phone_confirmation, phones
from ..sms.codes import CodeError, OneTimeCodes, PendingCode
from ..sms.errors import SmsError
from ..sms.messages import code_problem, code_status, sms_problem, sms_status
from . import blueprint
from .support import ApiError, authenticated, json_body

# What a person may type for a code: 6 digits, with spaces, dots or dashes between them.
CODE_TYPED = re.compile(r"[ .\u00a0-]*(?:[0-9][ .\u00a0-]*){6}")
MAX_CODE_TYPED = 40


def phone_json(waiting: PendingCode | None) -> dict:
    current = current_user.person.phone
    return {
        "phone": current,
        "display": phones.display(current) or None,
        "pending": None if waiting is None else {
            "phone": waiting.phone_e164, "display": phones.display(waiting.phone_e164),
            "expires_at": waiting.expires_at.isoformat(), "tries_left": waiting.tries_left,
        },
    }


@blueprint.get("/me/phone")
@authenticated
def my_phone():
    return jsonify(phone_json(phone_confirmation.pending(OneTimeCodes.for_app(db()), current_user, now())))


@blueprint.post("/me/phone")
@authenticated
def start_phone():
    body = json_body(phone=str)
    try:
        waiting = phone_confirmation.start(OneTimeCodes.for_app(db()), current_user, body["phone"], now())
    except phones.InvalidPhone as problem:
        raise ApiError(422, "invalid_phone", phones.problem_message(problem.reason)) from None
    return jsonify(phone_json(waiting)), 202


@blueprint.post("/me/phone/resend")
@authenticated
def resend_phone_code():
    waiting = phone_confirmation.resend(OneTimeCodes.for_app(db()), current_user, now())
    if waiting is None:
        raise ApiError(409, "no_pending_code", _("Aucun code en attente. Écrivez votre numéro pour recevoir un code."))
    return jsonify(phone_json(waiting)), 202


@blueprint.post("/me/phone/confirm")
@authenticated
def confirm_phone():
    body = json_body(code=str)
    if len(body["code"]) > MAX_CODE_TYPED or not CODE_TYPED.fullmatch(body["code"]):
        raise ApiError(422, "invalid_code", _("Le code a 6 chiffres, par exemple 123456."))
    codes = OneTimeCodes.for_app(db())
    try:
        phone_confirmation.confirm(db(), codes, current_user, body["code"], now())
    except CodeError:
        db().commit()  # the try is spent
        raise
    db().commit()
    return jsonify(phone_json(None))


@blueprint.delete("/me/phone")
@authenticated
def remove_phone():
    phone_confirmation.remove(db(), current_user, now())
    db().commit()
    return jsonify(phone_json(phone_confirmation.pending(OneTimeCodes.for_app(db()), current_user, now())))


@blueprint.errorhandler(CodeError)
def code_refused(error: CodeError):
    status, code = code_status(error)
    response = ApiError(status, code, code_problem(error))
    return _answer(response, getattr(error, "retry_after", None))


@blueprint.errorhandler(SmsError)
def sms_refused(error: SmsError):
    status, code = sms_status(error)
    return _answer(ApiError(status, code, sms_problem(error)), None)


def _answer(error: ApiError, retry_after: int | None):
    from ..errors import error_response

    response, status = error_response(error.status, error.code, error.message)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response, status
