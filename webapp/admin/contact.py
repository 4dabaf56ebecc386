"""The administrators' inbox of contact messages (R18): open ones first, a reply (shown to a
logged-in sender) and closing. Anyone but a platform administrator gets 403."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..accounts.models import Account
from ..contact import services
from ..contact.forms import CATEGORY_LABELS, AnswerForm
from ..database import db
from . import admin_only

blueprint = Blueprint("admin_contact", __name__, url_prefix="/admin/messages")


@blueprint.get("/")
@admin_only
def index():
    every = request.args.get("etat") == "tous"
    return render_template("admin/contact/index.html", messages=services.inbox(db(), None if every else "open"),
                           every=every, categories=CATEGORY_LABELS)


@blueprint.route("/<message_id>", methods=["GET", "POST"])
@admin_only
def show(message_id: str):
    try:
        found = services.get(db(), message_id)
    except services.ContactMessageNotFound:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        services.answer(db(), message_id, form.reply.data or "", form.close.data, current_user.id, clock.now())
        db().commit()
        flash(_("La demande est enregistrée."))
        return redirect(url_for(".index"))
    if not form.is_submitted():
        form.reply.data, form.close.data = found.reply, found.status == "closed"
    sender = db().get(Account, found.account_id) if found.account_id else None
    return render_template("admin/contact/show.html", message=found, sender=sender, form=form,
                           categories=CATEGORY_LABELS), 400 if form.errors else 200
