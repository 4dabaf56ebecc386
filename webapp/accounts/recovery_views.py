""""Mot de passe oublié" (public, linked from the login page), without JavaScript:

    /mot-de-passe-oublie/           the identifier
    /mot-de-passe-oublie/choix      three ways, each explained before it starts
    …/reponse                       an SMS code to the account's phone, then the question, then the
                                    answer with the new password (one guess per try)
    …/code                          the recovery code with the new password
    …/sans-code                     neither: where to go

Until an SMS code has been typed back, every page answers the same whatever the identifier.
"""
from __future__ import annotations

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from ..clock import now
from ..database import db
from ..extensions import limiter
from ..sms.codes import CodeError, OneTimeCodes
from . import recovery, recovery_flow
from .errors import AccountError, WeakPassword
from .factors import guesses_left
from .messages import password_problem_message
from .recovery_forms import AnswerRecoveryForm, CodeRecoveryForm, IdentifierForm, SmsCodeForm
from .recovery_messages import (
    CODE_REFUSALS,
    answer_problem,
    code_sent,
    flow_expired,
    locked,
    recovery_code_refused,
    sms_code_refused,
)
from .secret_answer import ANSWER

blueprint = Blueprint("recovery", __name__, url_prefix="/mot-de-passe-oublie")
LIMIT = "10 per minute; 60 per hour"
STATE = "recovery"  # in the Flask session: {"identifier": typed} then {"token": recovery_flow token}


@blueprint.app_template_global()
def recovery_qr(code: str) -> Markup:
    """The code as a QR code, an inline SVG (no request, no script): a phone camera reads it back."""
    return Markup(segno.make(code, error="m").svg_inline(scale=6, border=2, title=code))


def keys():
    return current_app.extensions["keys"]


def _identifier() -> str | None:
    return (session.get(STATE) or {}).get("identifier")


@blueprint.route("/", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def start():
    if current_user.is_authenticated:
        return redirect(url_for("settings.index"))
    form = IdentifierForm(identifier=_identifier())
    if form.validate_on_submit():
        session[STATE] = {"identifier": form.identifier.data.strip()}
        return redirect(url_for("recovery.choose"))
    return render_template("recovery/start.html", form=form), 400 if form.is_submitted() else 200


@blueprint.get("/choix")
def choose():
    if _identifier() is None:
        return redirect(url_for("recovery.start"))
    return render_template("recovery/choose.html", identifier=_identifier())


@blueprint.route("/reponse", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def send_code():
    identifier = _identifier()
    if identifier is None:
        return redirect(url_for("recovery.start"))
    form = FlaskForm()
    if form.validate_on_submit():
        recovery.send_code(db(), OneTimeCodes.for_app(db()), identifier, now())
        flash(code_sent())
        return redirect(url_for("recovery.type_code"))
    return render_template("recovery/answer_start.html", identifier=identifier, form=form)


@blueprint.route("/reponse/code", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def type_code():
    identifier = _identifier()
    if identifier is None:
        return redirect(url_for("recovery.start"))
    form = SmsCodeForm()
    if form.validate_on_submit():
        try:
            recovery.check_code(db(), OneTimeCodes.for_app(db()), identifier, form.code.data, now())
        except CodeError:
            db().commit()  # a spent try stays spent
            form.code.errors.append(sms_code_refused())
        else:
            db().commit()
            session[STATE] = {"identifier": identifier, "token": recovery_flow.code_typed(identifier, now())}
            return redirect(url_for("recovery.answer"))
    return render_template("recovery/answer_code.html", form=form, resend=FlaskForm()), 400 if form.is_submitted() else 200


@blueprint.route("/reponse/question", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def answer():
    try:
        identifier = recovery_flow.identifier_after_code((session.get(STATE) or {}).get("token"), now())
    except recovery_flow.FlowExpired:
        flash(flow_expired())
        return redirect(url_for("recovery.choose" if _identifier() else "recovery.start"))
    account = recovery.recoverable(db(), identifier)
    if account is None:  # closed or suspended since the code was typed
        flash(flow_expired())
        return redirect(url_for("recovery.start"))
    form = AnswerRecoveryForm()
    if form.validate_on_submit():
        try:
            recovery.recover_with_answer(db(), keys(), account, form.answer.data, form.new_password.data, now())
        except WeakPassword as problem:
            form.new_password.errors.append(password_problem_message(problem.reason, account.role))
        except AccountError as error:
            db().commit()  # the audit of the try; the key service already counted the guess
            form.answer.errors.append(answer_problem(error))
            form.answer.data = ""
        else:
            db().commit()
            session.pop(STATE, None)
            return render_template("recovery/done.html", path=recovery.BY_ANSWER, new_code=None)
    left = guesses_left(keys(), account, ANSWER)
    status = 400 if form.is_submitted() else 200
    return render_template("recovery/answer.html", form=form, question=account.person.secret_question,
                           guesses_left=left, locked=left == 0 and ANSWER in _factors(account),
                           locked_message=locked()), status


@blueprint.route("/code", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
def with_code():
    form = CodeRecoveryForm(identifier=_identifier())
    if form.validate_on_submit():
        try:
            new_code = recovery.recover_with_code(db(), keys(), form.identifier.data, form.recovery_code.data,
                                                  form.new_password.data, now())
        except WeakPassword as problem:
            form.new_password.errors.append(password_problem_message(problem.reason, "beneficiary"))
        except CODE_REFUSALS:
            db().commit()  # the audit of the try
            form.recovery_code.errors.append(recovery_code_refused())
        else:
            db().commit()
            session.pop(STATE, None)
            return render_template("recovery/done.html", path=recovery.BY_CODE, new_code=new_code)
    return render_template("recovery/code.html", form=form), 400 if form.is_submitted() else 200


@blueprint.get("/sans-code")
def without():
    return render_template("recovery/none.html")


def _factors(account) -> set[str]:
    return {bundle.factor for bundle in account.bundles}

