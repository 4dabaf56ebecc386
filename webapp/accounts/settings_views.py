""""Mon compte" (`/compte/`), for every role: where each setting of the account lives. Changing the
secret question and answer and a new recovery code (beneficiaries' recovery factors) both ask for the current
password again: whoever finds an open session must not be able to take the account over."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from vaultcore.recovery import DATE_HINT

from ..database import db
from ..extensions import limiter
from ..sessions_setup import current_vault
from ..structures.affiliation_forms import QUESTIONS
from . import services
from .errors import InvalidCredentials, TooManyAttempts
from .recovery_code import has_code, issue_code
from .recovery_forms import CurrentPasswordForm, SecretAnswerForm
from .secret_answer import enroll_answer

blueprint = Blueprint("settings", __name__, url_prefix="/compte")
LIMIT = "10 per minute"
DELETE_ENDPOINT = "data_rights.delete_account"  # added with account deletion; linked only once it exists


def keys():
    return current_app.extensions["keys"]


def unlocked() -> services.Unlocked:
    return services.Unlocked(current_user, current_vault().identity)


def password_is_right(password: str) -> bool:
    """The current password, typed again: a wrong one is a failed login in the audit trail."""
    try:
        services.authenticate(db(), keys(), current_user.identifier, password or "")
    except (InvalidCredentials, TooManyAttempts):
        db().commit()
        return False
    return True


@blueprint.get("/")
@login_required
def index():
    return render_template("settings/index.html", can_delete=DELETE_ENDPOINT in current_app.view_functions,
                           has_code=has_code(db(), current_user),
                           has_question=bool(current_user.person and current_user.person.secret_question))


@blueprint.route("/question-secrete", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
@login_required
def secret_answer():
    if current_user.role != "beneficiary" or current_user.person is None:
        abort(404)  # staff recover through a manager of their Relais: an answer would open nothing for them
    form = SecretAnswerForm(secret_question=current_user.person.secret_question)
    done = False
    if form.validate_on_submit():
        if not password_is_right(form.current_password.data):
            form.current_password.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            enroll_answer(db(), keys(), unlocked(), form.secret_question.data, form.secret_answer.data)
            db().commit()
            done = True
    status = 400 if form.is_submitted() and not done else 200
    return render_template("settings/secret_answer.html", form=form, questions=QUESTIONS, date_hint=DATE_HINT,
                           done=done), status


@blueprint.route("/code-de-secours", methods=["GET", "POST"])
@limiter.limit(LIMIT, methods=["POST"])
@login_required
def recovery_code():
    if current_user.role != "beneficiary":
        abort(404)
    form = CurrentPasswordForm()
    if form.validate_on_submit():
        if not password_is_right(form.current_password.data):
            form.current_password.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            code = issue_code(db(), keys(), unlocked())
            db().commit()
            return render_template("settings/recovery_code.html", code=code, identifier=current_user.identifier)
    status = 400 if form.is_submitted() else 200
    return render_template("settings/new_recovery_code.html", form=form, has_code=has_code(db(), current_user)), status
