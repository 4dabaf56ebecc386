"""The administrators' moderation pages (R12): reports to handle, formal notices and their deadlines,
suspended accounts to reactivate.

An attached item is decrypted in the administrator's session (the platform review key). Removing
an item and suspending an account first show a page saying what will happen (GET); the same
address performs it (POST). Anyone but a platform administrator gets 403.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import clock
from ..accounts.models import Account
from ..database import db
from ..errors import error_response
from ..moderation import decisions
from ..moderation.errors import AlreadyDecided, NotApplicable, ReportNotFound
from ..moderation.forms import NoticeForm
from ..structures.errors import ReviewUnavailable
from ..structures.models import Structure
from ..structures.views import actor
from . import admin_only

blueprint = Blueprint("admin_moderation", __name__, url_prefix="/admin/signalements")
KIND_LABELS = {"item": _l("un élément"), "account": _l("un compte"), "structure": _l("un Relais")}
STATUS_LABELS = {"open": _l("à traiter"), "dismissed": _l("classé sans suite"), "item_removed": _l("élément retiré"),
                 "suspended": _l("compte suspendu"), "notice_sent": _l("mise en demeure envoyée")}
NOTICE_LABELS = {"pending": _l("en attente"), "answered": _l("répondue"), "suspended": _l("sans réponse : compte suspendu"),
                 "withdrawn": _l("retirée")}


@blueprint.context_processor
def labels() -> dict:
    return {"kinds_label": lambda kind: KIND_LABELS.get(kind, kind),
            "status_label": lambda status: STATUS_LABELS.get(status, status),
            "notice_label": lambda status: NOTICE_LABELS.get(status, status)}


@blueprint.errorhandler(ReportNotFound)
def unknown(_error):
    return error_response(404)


@blueprint.errorhandler(AlreadyDecided)
def already_decided(_error):
    flash(_("Ce signalement a déjà reçu une décision."))
    return redirect(url_for(".index"))


@blueprint.errorhandler(NotApplicable)
def not_applicable(_error):
    flash(_("Cette décision ne s'applique pas à ce signalement."))
    return redirect(url_for(".index"))


@blueprint.get("/")
@admin_only
def index():
    every = request.args.get("etat") == "tous"
    suspended = list(db().scalars(select(Account).where(Account.status == "suspended").order_by(Account.identifier)))
    return render_template("admin/moderation/index.html", reports=decisions.list_reports(db(), None if every else "open"),
                           every=every, notices=decisions.list_notices(db()), suspended=suspended,
                           accounts=_accounts, structure=_structure, form=FlaskForm())


@blueprint.get("/<report_id>")
@admin_only
def report(report_id: str):
    found = decisions.get_report(db(), report_id)
    attachment, unreadable = None, False
    if found.attachment is not None:
        me = actor()
        try:
            attachment = decisions.open_attachment(db(), keys(), found, me.id, me.version, me.identity)
            db().commit()
        except ReviewUnavailable:
            unreadable = True
    return render_template("admin/moderation/report.html", report=found, attachment=attachment, unreadable=unreadable,
                           account=db().get(Account, found.account_id) if found.account_id else None,
                           reporter=db().get(Account, found.reporter_id) if found.reporter_id else None,
                           structure=_structure(found.structure_id), form=FlaskForm(), notice_form=NoticeForm())


@blueprint.post("/<report_id>/classer")
@admin_only
def dismiss(report_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    decisions.dismiss(db(), report_id, current_user.id, clock.now())
    db().commit()
    flash(_("Le signalement est classé sans suite."))
    return redirect(url_for(".index"))


@blueprint.route("/<report_id>/retirer", methods=["GET", "POST"])
@admin_only
def remove_item(report_id: str):
    found = decisions.get_report(db(), report_id)
    if found.kind != "item" or found.status != "open":
        abort(404)
    if request.method == "GET":
        return render_template("confirm.html", question=_("Retirer cet élément ?"), consequences=[
            _("L'élément est effacé pour de bon, pour son propriétaire comme pour les Relais."),
            _("Son propriétaire le verra sur sa page d'accueil."),
        ], yes=_("Oui, retirer"), action=request.path, back=url_for(".report", report_id=report_id))
    FlaskForm().validate_on_submit() or abort(400)
    decisions.remove_item(db(), current_app.extensions["blobs"], report_id, current_user.id, clock.now())
    flash(_("L'élément est retiré."))
    return redirect(url_for(".index"))


@blueprint.route("/<report_id>/suspendre", methods=["GET", "POST"])
@admin_only
def suspend(report_id: str):
    found = decisions.get_report(db(), report_id)
    if found.account_id is None or found.status != "open":
        abort(404)
    if request.method == "GET":
        return render_template("confirm.html", question=_("Suspendre ce compte tout de suite ?"), consequences=[
            _("La personne ne pourra plus se connecter ; ses sessions sont fermées."),
            _("Ses données restent ; vous pourrez réactiver le compte."),
        ], yes=_("Oui, suspendre"), action=request.path, back=url_for(".report", report_id=report_id))
    FlaskForm().validate_on_submit() or abort(400)
    decisions.suspend(db(), found.account_id, current_user.id, clock.now(), report_id=report_id)
    db().commit()
    flash(_("Le compte est suspendu."))
    return redirect(url_for(".index"))


@blueprint.post("/<report_id>/mise-en-demeure")
@admin_only
def send_notice(report_id: str):
    found = decisions.get_report(db(), report_id)
    if found.account_id is None:
        abort(404)
    form = NoticeForm()
    if not form.validate_on_submit():
        return render_template("admin/moderation/report.html", report=found, attachment=None, unreadable=False,
                               account=db().get(Account, found.account_id),
                               reporter=db().get(Account, found.reporter_id) if found.reporter_id else None,
                               structure=_structure(found.structure_id), form=FlaskForm(), notice_form=form), 400
    decisions.send_notice(db(), found.account_id, form.message.data, current_user.id, clock.now(), report_id=report_id)
    db().commit()
    flash(_("La mise en demeure est envoyée : sans réponse dans %(days)d jours, le compte sera suspendu.",
            days=decisions.NOTICE_DAYS))
    return redirect(url_for(".index"))


@blueprint.post("/comptes/<account_id>/reactiver")
@admin_only
def reactivate(account_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    try:
        decisions.reactivate(db(), account_id, current_user.id, clock.now())
    except (ReportNotFound, NotApplicable):
        abort(404)
    db().commit()
    flash(_("Le compte est réactivé."))
    return redirect(url_for(".index"))


def _accounts(account_id: str | None) -> Account | None:
    return db().get(Account, account_id) if account_id else None


def _structure(structure_id: str | None) -> Structure | None:
    return db().get(Structure, structure_id) if structure_id else None


def keys():
    return current_app.extensions["keys"]
