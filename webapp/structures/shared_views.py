"""Pages of the shared part seen by professionals and managers (R4, R8), and the beneficiary's page
"Qui a consulté mes documents" (traceability, article L.103).

A beneficiary who is not actively affiliated to the structure, an item that is not shared, a
structure the account does not belong to: all answer 404, alike. Every page works without JavaScript.
"""
from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..accounts.models import Account
from ..audit import journal
from ..database import db
from ..vault.errors import ItemNotFound
from ..vault.labels import NEW_KIND, problem_message
from ..vault.schemas import KINDS, check_metadata
from ..vault.views import content_response, open_vault, posted_files, store_all
from . import traceability
from .traceability import person_name
from .models import Structure
from .services import Structures, structure_for
from .shared_access import (
    ADDED,
    DOWNLOADED,
    EDITABLE_KINDS,
    EDITED,
    LISTED,
    MADE_PRIVATE,
    PREVIEWED,
    REMINDER_CHANGED,
    REMINDER_DELETED,
    REMINDER_SCHEDULED,
    RESET,
    VIEWED,
    SharedAccess,
    shared_counts,
)
from . import views as structure_pages
from .views import actor, keys

blueprint = Blueprint("shared_part", __name__, url_prefix="/relais")
traces = Blueprint("traceability", __name__, url_prefix="/qui-a-consulte")
LIST_ORDER = ("appointment", "document", "note", "contact", "folder")
PARIS = ZoneInfo("Europe/Paris")
TRACE_LABELS = {
    LISTED: _l("a regardé la liste de ce que vous partagez"),
    VIEWED: _l("a regardé"),
    PREVIEWED: _l("a ouvert"),
    DOWNLOADED: _l("a téléchargé"),
    ADDED: _l("a ajouté"),
    EDITED: _l("a modifié"),
    MADE_PRIVATE: _l("a rendu privé"),
    REMINDER_SCHEDULED: _l("a programmé un rappel par SMS pour"),
    REMINDER_CHANGED: _l("a modifié un rappel par SMS de"),
    REMINDER_DELETED: _l("a supprimé un rappel par SMS de"),
    RESET: _l("a remis votre compte à zéro avec vous : nouveau mot de passe, partie privée effacée"),
}


@blueprint.app_context_processor
def contributions() -> dict:
    """For the beneficiary's item page: who of which Relais added an item to their shared part."""
    def added_by(item) -> str | None:
        if item.added_by_structure_id is None:
            return None
        structure = db().get(Structure, item.added_by_structure_id)
        return _("Ajouté par %(person)s (%(structure)s)", person=person_name(db().get(Account, item.author_id)) or _("un compte supprimé"),
                 structure=structure.name if structure else _("un Relais fermé"))

    return {"added_by": added_by}


def staff_only(view):
    """The structure pages' `staff_only`; an item the member may not see answers 404 as well."""
    @structure_pages.staff_only
    @wraps(view)
    def checked(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ItemNotFound:
            abort(404)

    return checked


def open_access(structure_id: str, beneficiary_id: str) -> SharedAccess:
    structure = structure_for(db(), current_user.id, structure_id)
    return SharedAccess(db(), keys(), structure, actor(), beneficiary_id, clock=clock.now)


def refused_contributions() -> str:
    return _("Cette personne n'a pas accepté que votre Relais ajoute ou modifie des éléments dans son partage.")


@blueprint.get("/<structure_id>/partages")
@staff_only
def beneficiaries(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    people = Structures(db(), keys(), actor()).beneficiaries(structure)
    counts = shared_counts(db(), [account.id for account, _affiliation in people])
    return render_template("shared_part/beneficiaries.html", structure=structure, people=people, counts=counts)


@blueprint.get("/<structure_id>/partages/<beneficiary_id>")
@staff_only
def shared(structure_id: str, beneficiary_id: str):
    access = open_access(structure_id, beneficiary_id)
    views = access.list_items()
    db().commit()
    grouped = {kind: [view for view in views if view.kind == kind] for kind in LIST_ORDER}
    return render_template("shared_part/shared.html", access=access, grouped=grouped, empty=not views,
                           editable_kinds=EDITABLE_KINDS, new_kind=NEW_KIND)


@blueprint.get("/<structure_id>/partages/<beneficiary_id>/element/<item_id>")
@staff_only
def show(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    item = access.get(item_id)
    reminders = access.reminders(item) if item.kind == "appointment" else []
    db().commit()
    return render_template("shared_part/show.html", access=access, item=item, fields=KINDS.get,
                           editable_kinds=EDITABLE_KINDS, form=FlaskForm(), reminders=reminders)


@blueprint.get("/<structure_id>/partages/<beneficiary_id>/element/<item_id>/telecharger")
@staff_only
def download(structure_id: str, beneficiary_id: str, item_id: str):
    return document_response(open_access(structure_id, beneficiary_id), item_id, "attachment")


@blueprint.get("/<structure_id>/partages/<beneficiary_id>/element/<item_id>/apercu")
@staff_only
def preview(structure_id: str, beneficiary_id: str, item_id: str):
    return document_response(open_access(structure_id, beneficiary_id), item_id, "inline")


def document_response(access: SharedAccess, item_id: str, disposition: str) -> Response:
    view, chunks = access.open_content(item_id, current_app.extensions["blobs"], disposition)
    first = next(chunks, b"")  # the seal is checked before any header goes out
    db().commit()  # the trace is kept even if the download is cut
    return content_response(first, chunks, view.metadata, disposition)


@blueprint.route("/<structure_id>/partages/<beneficiary_id>/nouveau/<kind>", methods=["GET", "POST"])
@staff_only
def create(structure_id: str, beneficiary_id: str, kind: str):
    access = open_access(structure_id, beneficiary_id)
    if kind not in EDITABLE_KINDS:
        abort(404)
    if not access.accepts_contributions:
        flash(refused_contributions())
        return redirect(url_for("shared_part.shared", structure_id=structure_id, beneficiary_id=beneficiary_id))
    values, problems = {}, {}
    form = FlaskForm()
    if request.method == "POST":
        values = {field.name: request.form.get(field.name, "") for field in KINDS[kind]}
        if form.validate_on_submit():
            metadata, problems = check_metadata(kind, values)
            if not problems:
                view = access.add_record_item(kind, metadata)
                db().commit()
                flash(_("C'est ajouté au partage de cette personne."))
                return redirect(url_for("shared_part.show", structure_id=structure_id, beneficiary_id=beneficiary_id,
                                        item_id=view.id))
    return _edit_page(access, kind, values, problems, NEW_KIND[kind])


@blueprint.route("/<structure_id>/partages/<beneficiary_id>/element/<item_id>/modifier", methods=["GET", "POST"])
@staff_only
def edit(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    current = access.get(item_id)
    if current.kind not in EDITABLE_KINDS:
        abort(404)
    back = url_for("shared_part.show", structure_id=structure_id, beneficiary_id=beneficiary_id, item_id=item_id)
    if not access.accepts_contributions:
        db().commit()
        flash(refused_contributions())
        return redirect(back)
    values, problems = dict(current.metadata), {}
    if request.method == "POST":
        values = {field.name: request.form.get(field.name, "") for field in KINDS[current.kind]}
        if FlaskForm().validate_on_submit():
            metadata, problems = check_metadata(current.kind, values)
            if not problems:
                access.update_metadata(item_id, metadata)
                db().commit()
                flash(_("C'est enregistré."))
                return redirect(back)
    db().commit()
    return _edit_page(access, current.kind, values, problems, _("Modifier"), back=back)


def _edit_page(access: SharedAccess, kind: str, values: dict, problems: dict, title: str, back: str | None = None):
    messages = {name: problem_message(kind, name, problem) for name, problem in problems.items()}
    back = back or url_for("shared_part.shared", structure_id=access.structure.id, beneficiary_id=access.beneficiary.id)
    status = 400 if request.method == "POST" else 200
    return render_template("shared_part/edit.html", access=access, kind=kind, fields=KINDS[kind], values=values,
                           problems=messages, title=title, back=back), status


@blueprint.post("/<structure_id>/partages/<beneficiary_id>/element/<item_id>/prive")
@staff_only
def make_private(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    FlaskForm().validate_on_submit() or abort(400)
    access.make_private(item_id)
    db().commit()
    flash(_("C'est redevenu privé : seule cette personne peut le voir. Votre Relais n'y a plus accès."))
    return redirect(url_for("shared_part.shared", structure_id=structure_id, beneficiary_id=beneficiary_id))


@blueprint.route("/<structure_id>/partages/<beneficiary_id>/ajouter-document", methods=["GET", "POST"])
@staff_only
def upload(structure_id: str, beneficiary_id: str):
    access = open_access(structure_id, beneficiary_id)
    back = url_for("shared_part.shared", structure_id=structure_id, beneficiary_id=beneficiary_id)
    if not access.accepts_contributions:
        flash(refused_contributions())
        return redirect(back)
    problems: list[str] = []
    if request.method == "POST" and FlaskForm().validate_on_submit():
        accepted, problems = posted_files()
        if not problems:
            count = len(store_uploads(access, accepted, request.form.get("titre", "")))
            flash(ngettext("%(num)d document ajouté.", "%(num)d documents ajoutés.", count))
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    limit_mb = current_app.config["UPLOAD_LIMIT_BYTES"] // 1_000_000
    return render_template("shared_part/upload.html", access=access, problems=problems, limit_mb=limit_mb,
                           back=back), status


def store_uploads(access: SharedAccess, accepted, title: str) -> list:
    """All files become shared documents of the beneficiary, or none."""
    return store_all(accepted, title, access.add_upload)


# The beneficiary's side

@traces.get("/")
@login_required
def mine():
    if current_user.role != "beneficiary":
        abort(403)
    vault = open_vault()
    titles = {view.id: view for view in [*vault.list_items(), *vault.list_items(trashed=True)]}
    return render_template("shared_part/traces.html", traces=traceability.traces_of(db(), current_user.id),
                           titles=titles, trace_labels=TRACE_LABELS, paris=PARIS,
                           journal=journal.verify(db(), current_app.extensions["keys"], current_user.id, clock.now()))

