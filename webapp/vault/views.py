"""The beneficiary's vault pages: notes, contacts and appointments, private or shared, and the trash.

Only beneficiaries have a vault (R6). Every page works without JavaScript: plain links and forms.
"""
from __future__ import annotations

import itertools
from datetime import datetime
from functools import wraps
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..database import db
from ..sessions_setup import current_vault
from . import blobs, finding, uploads
from .errors import InvalidItem, ItemNotFound
from .forms import MoveForm
from .labels import FIELD_LABELS, KIND_NAMES, NEW_KIND, SECTION_NAMES, problem_message
from .schemas import KINDS, TITLE_FIELD, check_metadata
from .services import Vault

blueprint = Blueprint("vault", __name__, url_prefix="/coffre")
LIST_ORDER = ("folder", "appointment", "document", "note", "contact")
FOLDER_SUGGESTIONS = ("Identité", "Santé", "Logement", "Revenus", "Impôts", "Travail", "Titre de séjour")
PARIS = ZoneInfo("Europe/Paris")


def open_vault() -> Vault:
    session = current_vault()
    return Vault(db(), current_app.extensions["keys"], current_user.id, session.identity_version, session.identity,
                 clock=clock.now)


def beneficiary_only(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if current_user.role != "beneficiary":
            abort(403)
        try:
            return view(*args, **kwargs)
        except ItemNotFound:
            abort(404)

    return checked


@blueprint.app_context_processor
def vault_words() -> dict:
    return {"kind_names": KIND_NAMES, "section_names": SECTION_NAMES, "field_labels": FIELD_LABELS, "title_field": TITLE_FIELD}


@blueprint.get("/")
@beneficiary_only
def index():
    everything = open_vault().list_items()
    query, kind = request.args.get("q", "")[:200], request.args.get("type", "")
    searching = bool(query or kind)
    shown = finding.search(everything, query) if searching else [v for v in everything if v.folder_id is None]
    if kind in LIST_ORDER:
        shown = [view for view in shown if view.kind == kind]
    grouped = {k: [view for view in shown if view.kind == k] for k in LIST_ORDER}
    today = datetime.fromtimestamp(current_app.extensions["clock"](), PARIS).date()
    return render_template(
        "vault/index.html", grouped=grouped, query=query, kind=kind, searching=searching, empty=not everything,
        upcoming=finding.upcoming_appointments(everything, today), recent=finding.recent_documents(everything),
    )


@blueprint.route("/nouveau/<kind>", methods=["GET", "POST"])
@beneficiary_only
def create(kind: str):
    if kind not in KINDS:
        abort(404)
    form = FlaskForm()
    values, problems = {}, {}
    if request.method == "POST":
        values = {field.name: request.form.get(field.name, "") for field in KINDS[kind]}
        if form.validate_on_submit():
            metadata, problems = check_metadata(kind, values)
            if not problems:
                view = open_vault().create_record_item(kind, metadata, shared=request.form.get("shared") == "1",
                                                       folder_id=request.args.get("dossier") or None)
                db().commit()
                flash(_("C'est enregistré."))
                return redirect(url_for("vault.show", item_id=view.id))
    return _edit_page(kind, values, problems, form, title=NEW_KIND[kind], shared_choice=True)


@blueprint.get("/element/<item_id>")
@beneficiary_only
def show(item_id: str):
    vault = open_vault()
    item = vault.get(item_id)
    if item.kind == "folder":
        return redirect(url_for("vault.folder", folder_id=item_id))
    return _item_page(vault, item, MoveForm.for_item(item, vault.move_destinations(item_id)))


def _item_page(vault: Vault, item, move_form: MoveForm) -> str:
    """An item's page, or a folder's with its contents; both end with the move form."""
    parent = vault.get(item.folder_id) if item.folder_id else None
    if item.kind != "folder":
        return render_template("vault/show.html", item=item, parent=parent, move_form=move_form, fields=KINDS.get)
    contents = vault.folder_contents(item.id)
    grouped = {k: [view for view in contents if view.kind == k] for k in LIST_ORDER}
    return render_template("vault/folder.html", folder=item, parent=parent, grouped=grouped, move_form=move_form)


def _folder_of(vault: Vault, folder_id: str):
    current = vault.get(folder_id)
    if current.kind != "folder":
        abort(404)
    return current


@blueprint.get("/dossier/<folder_id>")
@beneficiary_only
def folder(folder_id: str):
    vault = open_vault()
    current = _folder_of(vault, folder_id)
    return _item_page(vault, current, MoveForm.for_item(current, vault.move_destinations(folder_id)))


@blueprint.route("/nouveau-dossier", methods=["GET", "POST"])
@beneficiary_only
def create_folder():
    parent_id = request.args.get("dossier") or None
    parent = open_vault().get(parent_id) if parent_id else None
    form = FlaskForm()
    problem = None
    if request.method == "POST" and form.validate_on_submit():
        title = request.form.get("titre", "")
        metadata, problems = check_metadata("note", {"title": title})
        if problems:
            problem = problem_message("note", "title", problems["title"])
        else:
            view = open_vault().create_record_item("folder", {"title": metadata["title"]},
                                                   shared=request.form.get("shared") == "1", folder_id=parent_id)
            db().commit()
            return redirect(url_for("vault.folder", folder_id=view.id))
    status = 400 if request.method == "POST" else 200
    return render_template("vault/new_folder.html", parent=parent, problem=problem, suggestions=FOLDER_SUGGESTIONS), status


@blueprint.route("/dossier/<folder_id>/renommer", methods=["GET", "POST"])
@beneficiary_only
def rename_folder(folder_id: str):
    vault = open_vault()
    current = _folder_of(vault, folder_id)
    problem = None
    if request.method == "POST" and FlaskForm().validate_on_submit():
        metadata, problems = check_metadata("note", {"title": request.form.get("titre", "")})
        if problems:
            problem = problem_message("note", "title", problems["title"])
        else:
            vault.update_metadata(folder_id, {"title": metadata["title"]})
            db().commit()
            return redirect(url_for("vault.folder", folder_id=folder_id))
    return render_template("vault/rename_folder.html", folder=current, problem=problem), 400 if problem else 200


@blueprint.route("/dossier/<folder_id>/supprimer", methods=["GET", "POST"])
@beneficiary_only
def delete_folder(folder_id: str):
    vault = open_vault()
    current = _folder_of(vault, folder_id)
    if request.method == "POST" and FlaskForm().validate_on_submit():
        vault.trash(folder_id)
        db().commit()
        flash(_("Le dossier et ce qu'il contient sont dans la corbeille pour 30 jours."))
        return redirect(url_for("vault.index"))
    return render_template("vault/delete_folder.html", folder=current, summary=vault.folder_summary(folder_id))


@blueprint.post("/element/<item_id>/deplacer")
@beneficiary_only
def move(item_id: str):
    vault = open_vault()
    item = vault.get(item_id)
    form = MoveForm.for_item(item, vault.move_destinations(item_id))
    if not form.validate_on_submit():
        return _item_page(vault, item, form), 400
    made_private = vault.move(item_id, form.dossier.data or None)
    db().commit()
    flash(_("Déplacé. Ce dossier est privé : c'est devenu privé.") if made_private else _("Déplacé."))
    return redirect(url_for("vault.show", item_id=item_id))


@blueprint.route("/element/<item_id>/modifier", methods=["GET", "POST"])
@beneficiary_only
def edit(item_id: str):
    vault = open_vault()
    current = vault.get(item_id)
    if current.kind not in KINDS:
        abort(404)
    form = FlaskForm()
    values, problems = dict(current.metadata), {}
    if request.method == "POST":
        values = {field.name: request.form.get(field.name, "") for field in KINDS[current.kind]}
        if form.validate_on_submit():
            metadata, problems = check_metadata(current.kind, values)
            if not problems:
                vault.update_metadata(item_id, metadata)
                db().commit()
                flash(_("C'est enregistré."))
                return redirect(url_for("vault.show", item_id=item_id))
    return _edit_page(current.kind, values, problems, form, title=_("Modifier"), shared_choice=False)


@blueprint.post("/element/<item_id>/partage")
@beneficiary_only
def share(item_id: str):
    if FlaskForm().validate_on_submit():
        shared = request.form.get("shared") == "1"
        try:
            open_vault().set_shared(item_id, shared)
        except InvalidItem:
            flash(_("C'est dans un dossier privé : partagez le dossier, ou sortez-le du dossier."))
        else:
            db().commit()
            flash(_("Partagé avec vos Relais.") if shared else _("Rendu privé : vous seul pouvez le voir."))
    return redirect(url_for("vault.show", item_id=item_id))


@blueprint.post("/element/<item_id>/corbeille")
@beneficiary_only
def trash(item_id: str):
    if FlaskForm().validate_on_submit():
        open_vault().trash(item_id)
        db().commit()
        flash(_("Mis à la corbeille. Vous pouvez le récupérer pendant 30 jours."))
    return redirect(url_for("vault.index"))


@blueprint.get("/corbeille")
@beneficiary_only
def trash_list():
    return render_template("vault/trash.html", items=open_vault().list_items(trashed=True), form=FlaskForm())


@blueprint.post("/element/<item_id>/restaurer")
@beneficiary_only
def restore(item_id: str):
    if FlaskForm().validate_on_submit():
        open_vault().restore(item_id)
        db().commit()
        flash(_("C'est récupéré."))
    return redirect(url_for("vault.show", item_id=item_id))


def _edit_page(kind, values, problems, form, title, shared_choice):
    messages = {name: problem_message(kind, name, problem) for name, problem in problems.items()}
    status = 400 if request.method == "POST" else 200
    return render_template("vault/edit.html", kind=kind, fields=KINDS[kind], values=values, problems=messages,
                           form=form, title=title, shared_choice=shared_choice), status


@blueprint.route("/ajouter-document", methods=["GET", "POST"])
@beneficiary_only
def upload():
    form = FlaskForm()
    problems: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        accepted, problems = posted_files()
        if not problems and request.form.get("une_seule_piece") == "1":
            try:
                accepted = uploads.combine_photos(accepted)
            except InvalidItem:
                problems = [_("Ces photos n'ont pas pu être réunies en un PDF : reprenez-les.")]
        if not problems:
            count = len(store_uploads(accepted, request.form.get("titre", ""), request.form.get("shared") == "1",
                                      request.args.get("dossier") or None))
            flash(ngettext("%(num)d document ajouté.", "%(num)d documents ajoutés.", count))
            return redirect(url_for("vault.index"))
    status = 400 if request.method == "POST" else 200
    limit_mb = current_app.config["UPLOAD_LIMIT_BYTES"] // 1_000_000
    return render_template("vault/upload.html", form=form, problems=problems, limit_mb=limit_mb), status


def posted_files() -> tuple[list, list[str]]:
    """The upload form's files, checked: those accepted, and what is wrong with the others, if anything."""
    files = [f for f in request.files.getlist("fichiers") if f.filename]  # an unused file input sends no name
    accepted, problems = uploads.check_files(files)
    if not files:
        problems = [_("Choisissez au moins un fichier, ou prenez une photo.")]
    return accepted, problems


def store_uploads(accepted, title: str, shared: bool, folder_id: str | None = None) -> list:
    """All files become documents of the person's vault, or none."""
    vault = open_vault()
    return store_all(accepted, title, lambda spool, metadata, store: vault.add_upload(
        spool, metadata, store, shared=shared, folder_id=folder_id))


def store_all(accepted, title: str, add) -> list:
    """All files become documents, or none: a failure deletes the blobs already stored. `add(spool,
    metadata, store)` stores one, in the person's vault or, for a professional, in their shared part."""
    store, views = current_app.extensions["blobs"], []
    try:
        for spool, file_name, file_type in accepted:
            metadata = {"title": (title.strip() or file_name.rsplit(".", 1)[0])[:200], "file_name": file_name,
                        "mime": file_type.mime}
            views.append(add(spool, metadata, store))
        db().commit()
    except BaseException:
        db().rollback()
        for view in views:
            for name in blobs.every_name(view.id, 1):  # a new document's content is revision 1
                store.delete(name)
        raise
    return views


@blueprint.get("/element/<item_id>/telecharger")
@beneficiary_only
def download(item_id: str):
    return document_response(item_id, "attachment")


@blueprint.get("/element/<item_id>/apercu")
@beneficiary_only
def preview(item_id: str):
    return document_response(item_id, "inline")


@blueprint.get("/element/<item_id>/vignette")
@beneficiary_only
def thumbnail(item_id: str):
    return thumbnail_response(item_id)


def thumbnail_response(item_id: str) -> Response:
    """A document's thumbnail, decrypted in the session; the pages ask for it apart, so a list never
    waits for the thumbnails of what it shows."""
    jpeg = open_vault().open_thumbnail(item_id, current_app.extensions["blobs"])
    response = Response(jpeg, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def document_response(item_id: str, disposition: str) -> Response:
    vault = open_vault()
    view = vault.get(item_id)
    if view.kind != "document":
        abort(404)
    chunks = vault.open_content(item_id, current_app.extensions["blobs"])
    first = next(chunks, b"")  # the seal is checked before any header goes out
    return content_response(first, chunks, view.metadata, disposition)


def content_response(first: bytes, chunks, metadata: dict, disposition: str) -> Response:
    """A document's content as it is decrypted, its first chunk already read (and so its seal
    checked); the headers keep a browser from running it or keeping a copy."""
    response = Response(stream_with_context(itertools.chain([first], chunks)), mimetype=metadata.get("mime"))
    response.headers["Content-Disposition"] = uploads.content_disposition(disposition, metadata.get("file_name", "document"))
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # a proxy must not spool decrypted bytes to its disk
    return response
