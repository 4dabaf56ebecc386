"""The administrators' SMS page: the ledger (the outbox's messages in the embedded default), failed
deliveries to look at, and the numbers that opted out, which an administrator can record or lift.

Anyone but a platform administrator gets 403. Works without JavaScript: links and plain forms.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from ..database import db
from ..sms.admin_forms import OptOutForm
from ..sms.optouts import list_opt_outs, record_opt_out, remove_opt_out
from ..sms.outbox_listing import list_messages
from ..sms.quotas import PARIS
from . import admin_only

blueprint = Blueprint("admin_sms", __name__, url_prefix="/admin/sms")

STATUS_LABELS = {
    "scheduled": _l("programmé"), "sending": _l("en cours d'envoi"), "sent": _l("envoyé"), "delivered": _l("reçu"),
    "failed": _l("échec"), "cancelled": _l("annulé"), "refused": _l("refusé (STOP)"),
}
PURPOSE_LABELS = {"reminder": _l("Rappel"), "notice": _l("Information"), "code": _l("Code à usage unique")}


@blueprint.get("/")
@admin_only
def index():
    return _page(OptOutForm())


@blueprint.post("/stop")
@admin_only
def add_opt_out():
    form = OptOutForm()
    if not form.validate_on_submit():
        return _page(form), 422
    record_opt_out(db(), form.phone_e164, source="admin", now=_now(), admin_id=current_user.id)
    db().commit()
    flash(_("Ce numéro ne recevra plus de SMS."))
    return redirect(url_for(".index"))


@blueprint.post("/stop/<phone>/retirer")
@admin_only
def lift_opt_out(phone: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not remove_opt_out(db(), phone, admin_id=current_user.id):
        abort(404)
    db().commit()
    flash(_("Ce numéro peut de nouveau recevoir des SMS."))
    return redirect(url_for(".index"))


def _page(form: OptOutForm):
    failed_only = request.args.get("etat") == "echecs"
    return render_template(
        "admin/sms/index.html", messages=list_messages(db(), failed_only=failed_only), failed_only=failed_only,
        opt_outs=list_opt_outs(db()), form=form, lift_form=FlaskForm(), statuses=STATUS_LABELS, purposes=PURPOSE_LABELS,
        provider=current_app.config["SETTINGS"].sms.provider, paris=PARIS,
    )


def _now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
