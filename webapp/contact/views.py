"""The contact form (R18), logged in or not, and a logged-in sender's messages with the team's
replies. Rate limited per address. Works without JavaScript."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..database import db
from ..extensions import limiter
from . import services
from .forms import CATEGORY_LABELS, ContactForm

blueprint = Blueprint("contact", __name__, url_prefix="/contact")


@blueprint.route("/", methods=["GET", "POST"])
@limiter.limit(services.CONTACT_LIMIT, methods=["POST"])
def index():
    form = ContactForm()
    if form.validate_on_submit():
        account_id = current_user.id if current_user.is_authenticated else None
        services.send(db(), form.category.data, form.message.data, clock.now(), account_id=account_id,
                      reach_at=form.reach_at.data or "")
        db().commit()
        flash(_("Merci. Votre message est transmis à l'équipe de Cloud Solidaire."))
        return redirect(url_for(".mine") if account_id else url_for(".index"))
    return render_template("contact/index.html", form=form), 400 if form.errors else 200


@blueprint.get("/mes-messages")
@login_required
def mine():
    return render_template("contact/mine.html", messages=services.of_account(db(), current_user.id),
                           categories=CATEGORY_LABELS)
