"""The administrators' structure pages: applications to review, approve or reject (R1, R2), their
documents opened in the administrator's session, and structures to suspend or reactivate.

Anyone but a platform administrator gets 403; an unknown application or structure gets 404.
Rejecting an application and suspending a structure first show a page saying what will happen
(GET); the same address performs it (POST).
"""
from __future__ import annotations

import itertools

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..database import db
from ..errors import error_response
from ..structures import applications
from ..structures.errors import AlreadyDecided, ApplicationNotFound, ReviewUnavailable, StructureNotFound
from ..structures.forms import KINDS, RejectForm
from ..structures.models import Structure
from ..structures.review_keys import ReviewKeys
from ..structures.services import ACTIVE, SUSPENDED, Structures
from ..structures.views import actor
from ..vault import uploads
from . import admin_only

blueprint = Blueprint("admin_structures", __name__, url_prefix="/admin/relais")


@blueprint.errorhandler(ApplicationNotFound)
@blueprint.errorhandler(StructureNotFound)
def unknown(_error):
    """An unknown application or structure: the same 404 page as an unknown address."""
    return error_response(404)


def document_reader() -> applications.DocumentReader:
    me = actor()
    return applications.DocumentReader(db(), keys(), me.id, me.version, me.identity)


@blueprint.get("/")
@admin_only
def index():
    me = actor()
    ReviewKeys(db(), keys()).share_with_administrators(me.id, me.version, me.identity)
    db().commit()
    structures = list(db().scalars(select(Structure).order_by(Structure.name)))
    return render_template("admin/structures/index.html", pending=applications.list_applications(db(), applications.PENDING),
                           decided=[a for a in applications.list_applications(db()) if a.status != applications.PENDING],
                           structures=structures, form=FlaskForm(), kinds=dict(KINDS))


@blueprint.get("/candidatures/<application_id>")
@admin_only
def application(application_id: str):
    found = applications.get_application(db(), application_id)
    try:
        documents, unreadable = document_reader().documents(found), False
    except ReviewUnavailable:
        documents, unreadable = [], True
    return render_template("admin/structures/application.html", application=found, documents=documents,
                           unreadable=unreadable, form=FlaskForm(), kinds=dict(KINDS))


@blueprint.get("/candidatures/<application_id>/documents/<document_id>")
@admin_only
def document(application_id: str, document_id: str):
    found = applications.get_application(db(), application_id)
    try:
        view, chunks = document_reader().open(found, document_id, current_app.extensions["blobs"])
    except ReviewUnavailable:
        abort(404)
    return document_response(view, chunks)


def document_response(view: applications.DocumentView, chunks) -> Response:
    first = next(chunks, b"")
    response = Response(stream_with_context(itertools.chain([first], chunks)), mimetype=view.mime or "application/octet-stream")
    response.headers["Content-Disposition"] = uploads.content_disposition("attachment", view.file_name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/candidatures/<application_id>/approuver")
@admin_only
def approve(application_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    try:
        structure, manager = Structures(db(), keys(), actor()).approve(application_id)
    except AlreadyDecided:
        flash(_("Cette candidature a déjà reçu une réponse."))
        return redirect(url_for("admin_structures.application", application_id=application_id))
    db().commit()
    # The generated password is on this answer only: never stored in clear, never in a redirect.
    return render_template("structures/new_account.html", structure=structure, account=manager.account,
                           password=manager.password, role=manager.account.role)


@blueprint.route("/candidatures/<application_id>/refuser", methods=["GET", "POST"])
@admin_only
def reject(application_id: str):
    form = RejectForm()
    found = applications.get_application(db(), application_id)
    if found.status != applications.PENDING:
        flash(_("Cette candidature a déjà reçu une réponse."))
        return redirect(url_for("admin_structures.application", application_id=application_id))
    if not form.validate_on_submit():
        return render_template("admin/structures/reject.html", application=found, form=form), 400 if form.is_submitted() else 200
    try:
        applications.reject(db(), application_id, form.reason.data, current_user.id)
    except AlreadyDecided:
        flash(_("Cette candidature a déjà reçu une réponse."))
    else:
        db().commit()
        flash(_("La candidature est refusée."))
    return redirect(url_for("admin_structures.index"))


@blueprint.route("/<structure_id>/suspendre", methods=["GET", "POST"])
@admin_only
def suspend(structure_id: str):
    if request.method == "GET":
        structure = db().get(Structure, structure_id)
        if structure is None or structure.status != ACTIVE:
            abort(404)
        return render_template("confirm.html", question=_("Suspendre %(name)s ?", name=structure.name), consequences=[
            _("Ses membres ne pourront plus agir pour ce Relais : ni voir ce que les personnes partagent, ni en "
              "accompagner de nouvelles."),
            _("Les comptes, les rattachements et les documents restent ; vous pourrez le réactiver."),
        ], yes=_("Oui, suspendre"), action=request.path, back=url_for("admin_structures.index"))
    return _set_status(structure_id, SUSPENDED, _("Le Relais est suspendu : ses membres ne peuvent plus agir pour lui."))


@blueprint.post("/<structure_id>/reactiver")
@admin_only
def reactivate(structure_id: str):
    return _set_status(structure_id, ACTIVE, _("Le Relais est réactivé."))


def _set_status(structure_id: str, status: str, done: str):
    FlaskForm().validate_on_submit() or abort(400)
    Structures(db(), keys(), actor()).set_status(structure_id, status)
    db().commit()
    flash(done)
    return redirect(url_for("admin_structures.index"))


def keys():
    return current_app.extensions["keys"]
