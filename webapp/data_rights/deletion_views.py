"""Deleting my own account (R15), from "Mes données": what will disappear, the export offered first,
the password typed again and a box to tick; then `accounts/deletion.py`, the end of the session and a
public page that says it is done. Staff accounts leave through their structure (`structures/views.py`)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from .. import clock
from ..accounts import services
from ..accounts.deletion import delete_beneficiary, what_goes
from ..accounts.errors import InvalidCredentials, TooManyAttempts
from ..database import db
from ..sessions_setup import end
from ..sms.phones import display

blueprint = Blueprint("data_rights", __name__, url_prefix="/mes-donnees")


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Votre mot de passe"), validators=[DataRequired(_l("Écrivez votre mot de passe."))])
    confirm = BooleanField(_l("Je comprends que mon compte et tout ce qu'il contient seront effacés pour toujours"),
                           validators=[DataRequired(_l("Cochez la case pour supprimer votre compte."))])


def password_is_right(password: str) -> bool:
    """The password typed again, checked as a login does (one of the key service's bounded guesses)."""
    try:
        services.authenticate(db(), current_app.extensions["keys"], current_user.identifier, password)
    except (InvalidCredentials, TooManyAttempts):
        return False
    return True


def delete_me() -> None:
    """The deletion itself, then the session ends: the browser's cookie or the API token is dead."""
    delete_beneficiary(db(), current_app.extensions["keys"], current_app.extensions["blobs"],
                       current_user._get_current_object(), actor_id=current_user.id, reason="self")
    end()


@blueprint.route("/supprimer-mon-compte", methods=["GET", "POST"])
@login_required
def delete_account():
    if current_user.role != "beneficiary":
        abort(403)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if password_is_right(form.password.data):
            delete_me()
            return redirect(url_for(".deleted"))
        form.password.errors.append(_("Ce n'est pas votre mot de passe."))
    losses = what_goes(db(), current_user, clock.now())
    return render_template("data_rights/delete.html", form=form, losses=losses, phone=display(losses.phone)), \
        400 if form.is_submitted() else 200


@blueprint.get("/compte-supprime")
def deleted():
    return render_template("data_rights/deleted.html")
