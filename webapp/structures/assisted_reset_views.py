"""The reset with a professional, private part lost (R14): one page that says what will be lost before
anything happens, then the reset (`assisted_reset.py`).

`/relais/<structure>/rattachements/<beneficiary>/mot-de-passe-perdu/reinitialiser`, for members of a
structure the person is actively affiliated to; anyone else gets 404, a beneficiary 403.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..accounts.errors import WeakPassword
from ..accounts.messages import password_problem_message
from ..accounts.passwords import MAX_LENGTH
from ..accounts.secret_answer import MAX_QUESTION, usable_answer
from ..clock import now
from ..database import db
from ..extensions import limiter
from .affiliation_forms import QUESTIONS
from .affiliation_views import actor, keys, role_only
from .assisted_reset import ResetUnavailable, private_part, reset_with_professional
from .recovery_views import affiliated
from .services import STAFF_ROLES

blueprint = Blueprint("assisted_reset", __name__, url_prefix="/relais")
PATH = "/<structure_id>/rattachements/<beneficiary_id>/mot-de-passe-perdu/reinitialiser"
LIMIT = "10 per hour"


class ResetForm(FlaskForm):
    understood = BooleanField(_l("J'ai compris : les documents, notes, contacts et rendez-vous privés de cette "
                                 "personne seront effacés pour toujours."),
                              validators=[DataRequired(_l("Cochez la case pour dire que vous avez compris."))])
    new_password = PasswordField(_l("Nouveau mot de passe, choisi par la personne"), validators=[
        DataRequired(_l("La personne écrit un nouveau mot de passe.")), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("Le même mot de passe, encore une fois"), validators=[
        DataRequired(_l("Écrivez-le une deuxième fois.")),
        EqualTo("new_password", _l("Les deux mots de passe sont différents."))])
    secret_question = StringField(_l("Nouvelle question secrète"), validators=[
        DataRequired(_l("Choisissez ou écrivez une question.")), Length(max=MAX_QUESTION)], render_kw={"list": "questions"})
    secret_answer = PasswordField(_l("Réponse secrète, écrite par la personne"), validators=[
        DataRequired(_l("La personne écrit sa réponse.")), Length(max=200)])

    def validate_secret_answer(self, field) -> None:
        if not usable_answer(field.data or ""):
            raise ValidationError(_l("La réponse doit contenir au moins une lettre ou un chiffre."))


@blueprint.get(PATH)
@role_only(*STAFF_ROLES)
def page(structure_id: str, beneficiary_id: str):
    structure, account = affiliated(structure_id, beneficiary_id)
    return _page(structure, account, ResetForm(formdata=None))


@blueprint.post(PATH)
@limiter.limit(LIMIT)
@role_only(*STAFF_ROLES)
def reset(structure_id: str, beneficiary_id: str):
    structure, account = affiliated(structure_id, beneficiary_id)
    form = ResetForm()
    if not form.validate_on_submit():
        return _page(structure, account, form, status=400)
    try:
        done = reset_with_professional(
            db(), keys(), current_app.extensions["blobs"], structure, actor(), account,
            new_password=form.new_password.data, question=form.secret_question.data, answer=form.secret_answer.data,
            now=now())
    except WeakPassword as problem:
        db().rollback()
        form.new_password.errors.append(password_problem_message(problem.reason, account.role))
        return _page(structure, account, form, status=400)
    except ResetUnavailable:
        db().rollback()
        return _page(structure, account, form, status=409, unavailable=True)
    return render_template("structures/reset_done.html", structure=structure, account=account, done=done)


def _page(structure, account, form: ResetForm, status: int = 200, unavailable: bool = False):
    return render_template("structures/reset.html", structure=structure, account=account, form=form,
                           lost=private_part(db(), account.id), questions=QUESTIONS, unavailable=unavailable), status
