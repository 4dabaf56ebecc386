"""The administrators' page to publish a new version of the terms of service (R10), in French.

Once published, every account's next page is the terms to accept (`security.py`).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..accounts.services import current_terms
from ..accounts.terms_publishing import MAX_TERMS, publish_terms
from ..database import db
from . import admin_only

blueprint = Blueprint("admin_terms", __name__, url_prefix="/admin/conditions")


class PublishTermsForm(FlaskForm):
    text = TextAreaField(_l("Texte complet des nouvelles conditions, en français"),
                         validators=[DataRequired(_l("Écrivez le texte.")), Length(max=MAX_TERMS)])
    confirm = BooleanField(_l("Je comprends que chaque personne devra les accepter à sa prochaine connexion"),
                           validators=[DataRequired(_l("Cochez la case pour publier."))])


@blueprint.route("/", methods=["GET", "POST"])
@admin_only
def index():
    form = PublishTermsForm()
    latest = current_terms(db())
    if form.validate_on_submit():
        terms = publish_terms(db(), form.text.data, current_user.id)
        db().commit()
        flash(_("La version %(version)d des conditions est publiée.", version=terms.version))
        return redirect(url_for(".index"))
    if not form.is_submitted() and latest is not None:
        form.text.data = latest.text
    return render_template("admin/terms.html", form=form, latest=latest), 400 if form.errors else 200
