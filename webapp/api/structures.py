"""Structures as JSON: the public application, the administrators' review, the managers' actions."""
from __future__ import annotations

from functools import wraps

from flask import current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Person
from ..admin.structures import document_reader, document_response
from ..database import db
from ..extensions import limiter
from ..requests import application_id
from ..structures import applications
from ..structures.errors import (
    AlreadyDecided,
    ApplicationNotFound,
    LastManager,
    MemberNotFound,
    ReviewUnavailable,
    StructureError,
    StructureNotFound,
)
from ..structures.forms import ApplicationForm, ProfessionalForm
from ..structures.messages import review_unavailable_message, structure_error_message
from ..structures.models import Structure
from ..structures.services import ACTIVE, MANAGER, STAFF_ROLES, SUSPENDED, Structures, request_deletion, structure_for, structures_of
from ..structures.staff_recovery import waiting_structures
from ..structures.views import APPLICATION_LIMIT, actor, application_fields
from ..vault import uploads
from . import blueprint
from .support import ApiError, authenticated, json_body, keys, require_role

STATUS_OF_ERROR = {MemberNotFound: 404, LastManager: 409}


def role_api(*roles: str):
    def decorate(view):
        @wraps(view)
        @authenticated
        def checked(*args, **kwargs):
            require_role(*roles)
            try:
                return view(*args, **kwargs)
            except (StructureNotFound, ApplicationNotFound):
                raise ApiError(404, "not_found") from None
            except AlreadyDecided:
                raise ApiError(409, "already_decided") from None
            except StructureError as error:
                db().rollback()
                raise ApiError(STATUS_OF_ERROR.get(type(error), 422), error.code, structure_error_message(error)) from None

        return checked

    return decorate


def application_json(application) -> dict:
    return {"id": application.id, "name": application.name, "kind": application.kind, "address": application.address,
            "siret": application.siret, "referent_first_name": application.referent_first_name,
            "referent_last_name": application.referent_last_name, "referent_position": application.referent_position,
            "referent_email": application.referent_email, "referent_phone": application.referent_phone,
            "status": application.status, "rejection_reason": application.rejection_reason,
            "submitted_at": application.submitted_at.isoformat(), "structure_id": application.structure_id}


def structure_json(structure: Structure) -> dict:
    return {"id": structure.id, "name": structure.name, "kind": structure.kind, "siret": structure.siret,
            "status": structure.status, "generation": structure.current_generation}


def new_account_json(made) -> dict:
    return {"id": made.account.id, "identifier": made.account.identifier, "role": made.account.role,
            "password": made.password}


# The public application

@blueprint.post("/structure-applications")
@limiter.limit(APPLICATION_LIMIT)
def submit_structure_application():
    form = ApplicationForm(meta={"csrf": False})
    files = [f for f in request.files.getlist("documents") if f.filename]
    accepted, problems = uploads.check_files(files)
    if not form.validate():
        name, errors = next(iter(form.errors.items()))
        raise ApiError(422, "invalid_field", f"{name}: {errors[0]}")
    if problems or not files or len(files) > applications.MAX_DOCUMENTS:
        raise ApiError(422, "invalid_file", problems[0] if problems else None)
    try:
        application = applications.submit(db(), keys(), current_app.extensions["blobs"], application_id(),
                                          application_fields(form), accepted)
    except ReviewUnavailable:
        raise ApiError(409, "review_unavailable", review_unavailable_message()) from None
    return jsonify({"id": application.id, "status": application.status}), 201


# Administrators

@blueprint.get("/admin/structure-applications")
@role_api("admin")
def list_structure_applications():
    return jsonify({"applications": [application_json(a) for a in applications.list_applications(db())]})


@blueprint.get("/admin/structure-applications/<application_id>")
@role_api("admin")
def get_structure_application(application_id: str):
    found = applications.get_application(db(), application_id)
    try:
        documents = document_reader().documents(found)
    except ReviewUnavailable:
        raise ApiError(409, "review_unavailable") from None
    return jsonify(dict(application_json(found), documents=[
        {"id": d.id, "file_name": d.file_name, "mime": d.mime, "size": d.size} for d in documents]))


@blueprint.get("/admin/structure-applications/<application_id>/documents/<document_id>")
@role_api("admin")
def structure_application_document(application_id: str, document_id: str):
    found = applications.get_application(db(), application_id)
    try:
        view, chunks = document_reader().open(found, document_id, current_app.extensions["blobs"])
    except ReviewUnavailable:
        raise ApiError(409, "review_unavailable") from None
    return document_response(view, chunks)


@blueprint.post("/admin/structure-applications/<application_id>/approve")
@role_api("admin")
def approve_structure_application(application_id: str):
    structure, manager = Structures(db(), keys(), actor()).approve(application_id)
    db().commit()
    return jsonify({"structure": structure_json(structure), "manager": new_account_json(manager)}), 201


@blueprint.post("/admin/structure-applications/<application_id>/reject")
@role_api("admin")
def reject_structure_application(application_id: str):
    reason = json_body(reason=str)["reason"]
    if not reason.strip():
        raise ApiError(422, "invalid_field", "reason")
    application = applications.reject(db(), application_id, reason, current_user.id)
    db().commit()
    return jsonify(application_json(application))


@blueprint.get("/admin/structures")
@role_api("admin")
def list_all_structures():
    return jsonify({"structures": [structure_json(s) for s in db().scalars(select(Structure).order_by(Structure.name))]})


@blueprint.post("/admin/structures/<structure_id>/status")
@role_api("admin")
def set_structure_status(structure_id: str):
    status = json_body(status=str)["status"]
    if status not in (ACTIVE, SUSPENDED):
        raise ApiError(400, "bad_request")
    structure = Structures(db(), keys(), actor()).set_status(structure_id, status)
    db().commit()
    return jsonify(structure_json(structure))


# Members of structures

@blueprint.get("/structures")
@role_api(*STAFF_ROLES)
def my_structures():
    managed = {s.id for s in structures_of(db(), current_user.id, MANAGER)}
    waiting = {s.id for s in waiting_structures(db(), current_user)}
    return jsonify({"structures": [dict(structure_json(s), my_role=MANAGER if s.id in managed else "professional",
                                        keys_waiting=s.id in waiting)
                                   for s in structures_of(db(), current_user.id)]})


@blueprint.get("/structures/<structure_id>")
@role_api(*STAFF_ROLES)
def structure_members(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    service = Structures(db(), keys(), actor())
    return jsonify(dict(
        structure_json(structure),
        members=[{"id": m.account.id, "identifier": m.account.identifier, "role": m.role,
                  "deletion_requested": m.deletion_requested} for m in service.members(structure)],
        beneficiaries=[{"id": account.id, "identifier": account.identifier} for account, _ in service.beneficiaries(structure)],
    ))


@blueprint.post("/structures/<structure_id>/professionals")
@role_api(*STAFF_ROLES)
def create_professional(structure_id: str):
    body = json_body(first_name=str, last_name=str, email=str)
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    form = ProfessionalForm(data=body, meta={"csrf": False})
    if not form.validate():
        name, errors = next(iter(form.errors.items()))
        raise ApiError(422, "invalid_field", f"{name}: {errors[0]}")
    person = Person(first_name=body["first_name"].strip(), last_name=body["last_name"].strip(), email=body["email"].strip() or None)
    made = Structures(db(), keys(), actor()).create_professional(structure, person)
    db().commit()
    return jsonify(new_account_json(made)), 201


@blueprint.post("/structures/<structure_id>/members")
@role_api(*STAFF_ROLES)
def add_member(structure_id: str):
    identifier = json_body(identifier=str)["identifier"]
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    account = Structures(db(), keys(), actor()).add_existing(structure, identifier)
    db().commit()
    return jsonify({"id": account.id, "identifier": account.identifier, "role": "professional"}), 201


@blueprint.delete("/structures/<structure_id>/members/<account_id>")
@role_api(*STAFF_ROLES)
def remove_member(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    generation = Structures(db(), keys(), actor()).remove_member(structure, account_id)
    db().commit()
    return jsonify({"status": "removed", "generation": generation})


@blueprint.delete("/structures/<structure_id>/professionals/<account_id>")
@role_api(*STAFF_ROLES)
def delete_professional(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    Structures(db(), keys(), actor()).delete_professional(structure, account_id)
    db().commit()
    return jsonify({"status": "deleted"})


@blueprint.post("/structures/<structure_id>/deletion-request")
@role_api("professional")
def ask_account_deletion(structure_id: str):
    request_deletion(db(), current_user, structure_for(db(), current_user.id, structure_id))
    db().commit()
    return jsonify({"status": "requested"}), 201


@blueprint.delete("/structures/<structure_id>/deletion-requests/<account_id>")
@role_api(*STAFF_ROLES)
def refuse_account_deletion(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    Structures(db(), keys(), actor()).refuse_deletion(structure, account_id)
    db().commit()
    return jsonify({"status": "refused"})
