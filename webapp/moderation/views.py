"""Reporting pages (R12) and the formal notice an account receives, with its reply form.

Every page works without JavaScript: plain forms. Something the person may not report answers 404,
like an unknown address. A pending notice the account has not seen is its next page after login
(`security.py`), then stays listed on "Mises en demeure" until answered.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..database import db
from ..errors import error_response
from ..structures.shared_views import open_access
from ..structures.shared_views import staff_only as shared_staff_only
from ..structures.views import staff_only
from ..vault.errors import ItemNotFound
from ..vault.models import Item
from . import decisions, reports
from .errors import AlreadyDecided, NoticeNotFound, ReportNotFound
from .forms import REASON_LABELS, ReplyForm, ReportForm, SharedItemReportForm

blueprint = Blueprint("moderation", __name__)


@blueprint.errorhandler(ReportNotFound)
@blueprint.errorhandler(NoticeNotFound)
@blueprint.errorhandler(ItemNotFound)
def unknown(_error):
    return error_response(404)


@blueprint.route("/coffre/element/<item_id>/signaler", methods=["GET", "POST"])
@login_required
def report_own_item(item_id: str):
    if current_user.role != "beneficiary":
        abort(403)
    form = ReportForm()
    back = url_for("vault.show", item_id=item_id)
    if form.validate_on_submit():
        reports.report_own_item(db(), current_user, item_id, form.reason.data, form.details.data or "", clock.now())
        return _thanks(back)
    reports.check_own_item(db(), current_user, item_id)
    return _form_page(form, _("Signaler un élément"), back)


@blueprint.route("/relais/<structure_id>/partages/<beneficiary_id>/element/<item_id>/signaler", methods=["GET", "POST"])
@shared_staff_only
def report_shared_item(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    _shared_item_or_404(item_id, beneficiary_id)
    form = SharedItemReportForm()
    back = url_for("shared_part.show", structure_id=structure_id, beneficiary_id=beneficiary_id, item_id=item_id)
    if form.validate_on_submit():
        reports.report_shared_item(db(), current_app.extensions["keys"], access, current_user.id, item_id,
                                   form.reason.data, form.details.data or "", form.attach.data, clock.now())
        return _thanks(back)
    return _form_page(form, _("Signaler un élément partagé"), back, attach=True)


@blueprint.route("/relais/<structure_id>/beneficiaires/<beneficiary_id>/signaler", methods=["GET", "POST"])
@staff_only
def report_beneficiary(structure_id: str, beneficiary_id: str):
    reports.check_beneficiary(db(), current_user, structure_id, beneficiary_id)
    form = ReportForm()
    back = url_for("affiliations.show", structure_id=structure_id, beneficiary_id=beneficiary_id)
    if form.validate_on_submit():
        reports.report_beneficiary(db(), current_user, structure_id, beneficiary_id, form.reason.data,
                                   form.details.data or "", clock.now())
        return _thanks(back)
    return _form_page(form, _("Signaler ce compte"), back)


@blueprint.route("/mes-relais/<structure_id>/signaler", methods=["GET", "POST"])
@login_required
def report_structure(structure_id: str):
    if current_user.role != "beneficiary":
        abort(403)
    reports.check_structure(db(), current_user, structure_id)
    form = ReportForm()
    back = url_for("my_structures.index")
    if form.validate_on_submit():
        reports.report_structure(db(), current_user, structure_id, form.reason.data, form.details.data or "",
                                 clock.now())
        return _thanks(back)
    return _form_page(form, _("Signaler ce Relais ou une personne de ce Relais"), back)


@blueprint.get("/mises-en-demeure")
@login_required
def notices():
    return render_template("moderation/notices.html", notices=decisions.notices_for(db(), current_user.id))


@blueprint.route("/mises-en-demeure/<notice_id>", methods=["GET", "POST"])
@login_required
def notice(notice_id: str):
    found = decisions.own_notice(db(), current_user.id, notice_id)
    decisions.mark_seen(found, clock.now())
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            decisions.answer_notice(db(), current_user.id, notice_id, form.reply.data, clock.now())
        except AlreadyDecided:
            flash(_("Cette mise en demeure est close."))
        else:
            flash(_("Votre réponse est envoyée à l'équipe de Cloud Solidaire."))
        db().commit()
        return redirect(url_for(".notice", notice_id=notice_id))
    db().commit()
    return render_template("moderation/notice.html", notice=found, form=form), 400 if form.errors else 200


@blueprint.app_context_processor
def moderation_globals() -> dict:
    return {"reason_labels": REASON_LABELS,
            "removed_items": lambda: decisions.removed_items(db(), current_user.id, clock.now())}


def _shared_item_or_404(item_id: str, owner_id: str) -> None:
    """The form's page, before anything is read; sending it reads the item through SharedAccess."""
    row = db().get(Item, item_id)
    if row is None or row.owner_id != owner_id or row.trashed_at is not None or not row.shared:
        abort(404)


def _form_page(form, title: str, back: str, attach: bool = False):
    return render_template("moderation/report.html", form=form, title=title, back=back, attach=attach), \
        400 if form.errors else 200


def _thanks(back: str):
    db().commit()
    flash(_("Merci. Votre signalement est transmis à l'équipe de Cloud Solidaire."))
    return redirect(back)
