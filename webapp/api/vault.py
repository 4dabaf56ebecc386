"""The beneficiary's vault as JSON: record items (notes, contacts, appointments), sharing, trash."""
from __future__ import annotations

from functools import wraps

from flask import jsonify, request
from flask_babel import gettext as _

from ..database import db
from ..vault import finding, uploads
from ..vault.errors import InvalidDestination, InvalidItem, ItemNotFound
from ..vault.labels import destination_refused_message, problem_message
from ..vault.schemas import KINDS, check_metadata
from ..vault.services import ItemView
from ..vault.views import document_response, open_vault, store_uploads, thumbnail_response
from . import blueprint
from .support import ApiError, authenticated, json_body, require_role


def beneficiary_api(view):
    @wraps(view)
    @authenticated
    def checked(*args, **kwargs):
        require_role("beneficiary")
        try:
            return view(*args, **kwargs)
        except ItemNotFound:
            raise ApiError(404, "not_found") from None
        except InvalidDestination:
            raise ApiError(409, "invalid_destination", destination_refused_message()) from None
        except InvalidItem:
            raise ApiError(400, "bad_request") from None

    return checked


def item_json(view: ItemView) -> dict:
    return {
        "id": view.id,
        "kind": view.kind,
        "shared": view.shared,
        "folder_id": view.folder_id,
        "size": view.size,
        "created_at": view.created_at.isoformat(),
        "updated_at": view.updated_at.isoformat(),
        "trashed_at": view.trashed_at.isoformat() if view.trashed_at else None,
        "author_id": view.author_id,
        "metadata": view.metadata,
        "has_thumbnail": view.has_thumbnail,
        "added_by_structure_id": view.added_by_structure_id,
    }


def checked_metadata(kind: str, given: dict) -> dict:
    metadata, problems = check_metadata(kind, given)
    if problems:
        name, problem = next(iter(problems.items()))
        raise ApiError(422, "invalid_field", f"{name}: {problem_message(kind, name, problem)}")
    return metadata


def update_record(items, item_id: str, given: dict, kinds) -> ItemView:
    """New fields for a note, contact or appointment (400 for another kind), in the person's vault or
    in their shared part: `items` is a Vault or a SharedAccess."""
    current = items.get(item_id)
    if current.kind not in kinds:
        raise ApiError(400, "bad_request")
    return items.update_metadata(item_id, checked_metadata(current.kind, given))


def received_files() -> list:
    """The `files` of a multipart request, checked (422 when none came or one is refused)."""
    files = [f for f in request.files.getlist("files") if f.filename]
    accepted, problems = uploads.check_files(files)
    if not files:
        raise ApiError(422, "invalid_file", _("Aucun fichier reçu."))
    if problems:
        raise ApiError(422, "invalid_file", " ".join(problems))
    return accepted


@blueprint.get("/items")
@beneficiary_api
def list_items():
    kind = request.args.get("kind")
    if kind is not None and kind not in (*KINDS, "document", "folder"):
        raise ApiError(400, "bad_request")
    views = finding.search(open_vault().list_items(kind), request.args.get("q", "")[:200])
    return jsonify({"items": [item_json(view) for view in views]})


@blueprint.post("/items")
@beneficiary_api
def create_item():
    body = json_body(kind=str, metadata=dict, shared=bool)
    if body["kind"] not in KINDS:
        raise ApiError(400, "bad_request")
    view = open_vault().create_record_item(body["kind"], checked_metadata(body["kind"], body["metadata"]), shared=body["shared"])
    db().commit()
    return jsonify(item_json(view)), 201


@blueprint.get("/items/<item_id>")
@beneficiary_api
def get_item(item_id: str):
    return jsonify(item_json(open_vault().get(item_id)))


@blueprint.patch("/items/<item_id>")
@beneficiary_api
def update_item(item_id: str):
    body = json_body(metadata=dict)
    view = update_record(open_vault(), item_id, body["metadata"], KINDS)
    db().commit()
    return jsonify(item_json(view))


@blueprint.post("/items/<item_id>/share")
@beneficiary_api
def share_item(item_id: str):
    body = json_body(shared=bool)
    view = open_vault().set_shared(item_id, body["shared"])
    db().commit()
    return jsonify(item_json(view))


@blueprint.delete("/items/<item_id>")
@beneficiary_api
def trash_item(item_id: str):
    open_vault().trash(item_id)
    db().commit()
    return jsonify({"status": "ok"})


@blueprint.get("/trash")
@beneficiary_api
def list_trash():
    return jsonify({"items": [item_json(view) for view in open_vault().list_items(trashed=True)]})


@blueprint.post("/items/<item_id>/restore")
@beneficiary_api
def restore_item(item_id: str):
    vault = open_vault()
    vault.restore(item_id)
    view = vault.get(item_id)
    db().commit()
    return jsonify(item_json(view))


@blueprint.post("/documents")
@beneficiary_api
def upload_documents():
    """multipart/form-data: one or more `files`, optional `title`, `shared` and `one_paper` ("true" or "false");
    with `one_paper`, several photos become one PDF."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type")
    accepted = received_files()
    shared, one_paper = request.form.get("shared", "false"), request.form.get("one_paper", "false")
    if shared not in ("true", "false") or one_paper not in ("true", "false"):
        raise ApiError(400, "bad_request")
    if one_paper == "true":
        try:
            accepted = uploads.combine_photos(accepted)
        except InvalidItem:
            raise ApiError(422, "invalid_file", _("Ces photos n'ont pas pu être réunies en un PDF : reprenez-les.")) from None
    views = store_uploads(accepted, request.form.get("title", ""), shared == "true")
    return jsonify({"items": [item_json(view) for view in views]}), 201


@blueprint.get("/items/<item_id>/content")
@beneficiary_api
def item_content(item_id: str):
    return document_response(item_id, "attachment")


@blueprint.get("/items/<item_id>/thumbnail")
@beneficiary_api
def item_thumbnail(item_id: str):
    return thumbnail_response(item_id)


@blueprint.post("/folders")
@beneficiary_api
def create_folder():
    body = json_body(title=str, shared=bool, parent_id=(str, type(None)))
    metadata = checked_metadata("note", {"title": body["title"]})
    view = open_vault().create_record_item("folder", {"title": metadata["title"]}, shared=body["shared"],
                                           folder_id=body["parent_id"])
    db().commit()
    return jsonify(item_json(view)), 201


@blueprint.post("/items/<item_id>/move")
@beneficiary_api
def move_item(item_id: str):
    body = json_body(folder_id=(str, type(None)))
    vault = open_vault()
    made_private = vault.move(item_id, body["folder_id"])
    view = vault.get(item_id)
    db().commit()
    return jsonify({"item": item_json(view), "made_private": made_private})
