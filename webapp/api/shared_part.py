"""The shared part seen by professionals, as JSON (R4, R8), and the beneficiary's traces."""
from __future__ import annotations

from functools import wraps

from flask import jsonify, request
from flask_login import current_user

from ..database import db
from ..structures.errors import StructureNotFound
from ..structures.services import STAFF_ROLES, Structures, structure_for
from ..structures.shared_access import EDITABLE_KINDS, ContributionsRefused, shared_counts
from ..structures.shared_views import document_response, open_access, refused_contributions, store_uploads
from ..structures.traceability import traces_of
from ..structures.views import actor
from ..vault.errors import InvalidItem, ItemNotFound
from . import blueprint
from .support import ApiError, authenticated, json_body, keys, require_role
from .vault import checked_metadata, item_json, received_files, update_record


def staff_api(view):
    @wraps(view)
    @authenticated
    def checked(*args, **kwargs):
        require_role(*STAFF_ROLES)
        try:
            return view(*args, **kwargs)
        except (StructureNotFound, ItemNotFound):
            raise ApiError(404, "not_found") from None
        except ContributionsRefused:
            db().rollback()
            raise ApiError(403, "contributions_refused", refused_contributions()) from None
        except InvalidItem:
            raise ApiError(400, "bad_request") from None

    return checked


@blueprint.get("/structures/<structure_id>/shared")
@staff_api
def list_shared_parts(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    people = Structures(db(), keys(), actor()).beneficiaries(structure)
    counts = shared_counts(db(), [account.id for account, _affiliation in people])
    return jsonify({"beneficiaries": [
        {"id": account.id, "identifier": account.identifier,
         "first_name": account.person.first_name if account.person else None,
         "last_name": account.person.last_name if account.person else None,
         "consents_to_contributions": affiliation.consents_to_contributions, "shared_items": counts[account.id]}
        for account, affiliation in people]})


@blueprint.get("/structures/<structure_id>/shared/<beneficiary_id>/items")
@staff_api
def list_shared_items(structure_id: str, beneficiary_id: str):
    kind = request.args.get("kind")
    if kind is not None and kind not in ("document", "note", "contact", "appointment", "folder"):
        raise ApiError(400, "bad_request")
    access = open_access(structure_id, beneficiary_id)
    views = access.list_items(kind)
    db().commit()
    return jsonify({"items": [item_json(view) for view in views],
                    "consents_to_contributions": access.accepts_contributions})


@blueprint.post("/structures/<structure_id>/shared/<beneficiary_id>/items")
@staff_api
def add_shared_item(structure_id: str, beneficiary_id: str):
    access = open_access(structure_id, beneficiary_id)  # a stranger learns nothing from the body's checks
    body = json_body(kind=str, metadata=dict)
    if body["kind"] not in EDITABLE_KINDS:
        raise ApiError(400, "bad_request")
    view = access.add_record_item(body["kind"], checked_metadata(body["kind"], body["metadata"]))
    db().commit()
    return jsonify(item_json(view)), 201


@blueprint.post("/structures/<structure_id>/shared/<beneficiary_id>/documents")
@staff_api
def add_shared_documents(structure_id: str, beneficiary_id: str):
    """multipart/form-data: one or more `files`, optional `title`."""
    access = open_access(structure_id, beneficiary_id)
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type")
    if not access.accepts_contributions:
        raise ContributionsRefused()
    views = store_uploads(access, received_files(), request.form.get("title", ""))
    return jsonify({"items": [item_json(view) for view in views]}), 201


@blueprint.get("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>")
@staff_api
def get_shared_item(structure_id: str, beneficiary_id: str, item_id: str):
    view = open_access(structure_id, beneficiary_id).get(item_id)
    db().commit()
    return jsonify(item_json(view))


@blueprint.patch("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>")
@staff_api
def update_shared_item(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    body = json_body(metadata=dict)
    if not access.accepts_contributions:
        raise ContributionsRefused()
    view = update_record(access, item_id, body["metadata"], EDITABLE_KINDS)
    db().commit()
    return jsonify(item_json(view))


@blueprint.get("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/content")
@staff_api
def shared_item_content(structure_id: str, beneficiary_id: str, item_id: str):
    return document_response(open_access(structure_id, beneficiary_id), item_id, "attachment")


@blueprint.post("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/private")
@staff_api
def make_shared_item_private(structure_id: str, beneficiary_id: str, item_id: str):
    open_access(structure_id, beneficiary_id).make_private(item_id)
    db().commit()
    return jsonify({"status": "ok"})


@blueprint.get("/me/traces")
@authenticated
def my_traces():
    require_role("beneficiary")
    return jsonify({"traces": [
        {"at": trace.at.isoformat(), "action": trace.action, "actor_id": trace.actor_id, "actor_name": trace.actor_name,
         "structure_id": trace.structure_id, "structure_name": trace.structure_name, "item_id": trace.item_id,
         "kind": trace.kind}
        for trace in traces_of(db(), current_user.id)]})
