"""Moderation as JSON (R12, R10): reports, formal notices and their replies, the administrators'
decisions, and publishing a new terms version."""
from __future__ import annotations

from functools import wraps

from flask import current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..accounts.models import Account
from ..accounts.terms_publishing import MAX_TERMS, publish_terms
from ..database import db
from ..moderation import decisions, reports
from ..moderation.errors import AlreadyDecided, NotApplicable, NoticeNotFound, ReportNotFound
from ..moderation.models import REASONS
from ..structures.errors import ReviewUnavailable, StructureNotFound
from ..structures.messages import review_unavailable_message
from ..structures.shared_views import open_access
from ..structures.services import STAFF_ROLES
from ..structures.views import actor
from ..vault.errors import ItemNotFound
from . import blueprint
from .support import ApiError, authenticated, json_body, keys, require_role

DECISIONS = ("dismiss", "remove_item", "suspend", "notice")


def moderation_api(*roles: str):
    def decorate(view):
        @wraps(view)
        @authenticated
        def checked(*args, **kwargs):
            require_role(*roles)
            try:
                return view(*args, **kwargs)
            except (ReportNotFound, NoticeNotFound, StructureNotFound, ItemNotFound):
                db().rollback()
                raise ApiError(404, "not_found") from None
            except AlreadyDecided:
                db().rollback()
                raise ApiError(409, "already_decided") from None
            except NotApplicable:
                db().rollback()
                raise ApiError(422, "not_applicable") from None
            except ReviewUnavailable:
                db().rollback()
                raise ApiError(503, "review_unavailable", review_unavailable_message()) from None

        return checked

    return decorate


def report_json(report, attachment=None) -> dict:
    return {"id": report.id, "kind": report.kind, "reason": report.reason, "details": report.details,
            "reporter_id": report.reporter_id, "account_id": report.account_id, "structure_id": report.structure_id,
            "item_id": report.item_id, "item_owner_id": report.item_owner_id, "item_kind": report.item_kind,
            "attached": report.attachment is not None, "status": report.status,
            "created_at": report.created_at.isoformat(),
            "decided_at": report.decided_at.isoformat() if report.decided_at else None,
            "attachment": {"kind": attachment.kind, "metadata": attachment.metadata} if attachment else None}


def notice_json(notice) -> dict:
    return {"id": notice.id, "account_id": notice.account_id, "report_id": notice.report_id, "message": notice.message,
            "sent_at": notice.sent_at.isoformat(), "deadline": notice.deadline.isoformat(), "status": notice.status,
            "reply": notice.reply, "replied_at": notice.replied_at.isoformat() if notice.replied_at else None}


def _report_body(**extra: type) -> tuple[str, str, dict]:
    body = json_body(reason=str, details=str, **extra)
    if body["reason"] not in REASONS or len(body["details"]) > reports.MAX_DETAILS:
        raise ApiError(422, "invalid_field", "reason" if body["reason"] not in REASONS else "details")
    return body["reason"], body["details"], body


# Reporting

@blueprint.post("/items/<item_id>/report")
@moderation_api("beneficiary")
def report_own_item(item_id: str):
    reports.check_own_item(db(), current_user, item_id)
    reason, details, _body = _report_body()
    report = reports.report_own_item(db(), current_user, item_id, reason, details, clock.now())
    db().commit()
    return jsonify(report_json(report)), 201


@blueprint.post("/structures/<structure_id>/shared/<beneficiary_id>/items/<item_id>/report")
@moderation_api(*STAFF_ROLES)
def report_shared_item(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)  # before the body: a stranger learns nothing
    reason, details, body = _report_body(attach=bool)
    report = reports.report_shared_item(db(), keys(), access, current_user.id, item_id, reason, details,
                                        body["attach"], clock.now())
    db().commit()
    return jsonify(report_json(report)), 201


@blueprint.post("/structures/<structure_id>/beneficiaries/<beneficiary_id>/report")
@moderation_api(*STAFF_ROLES)
def report_beneficiary(structure_id: str, beneficiary_id: str):
    reports.check_beneficiary(db(), current_user, structure_id, beneficiary_id)
    reason, details, _body = _report_body()
    report = reports.report_beneficiary(db(), current_user, structure_id, beneficiary_id, reason, details, clock.now())
    db().commit()
    return jsonify(report_json(report)), 201


@blueprint.post("/me/affiliations/<structure_id>/report")
@moderation_api("beneficiary")
def report_structure(structure_id: str):
    reports.check_structure(db(), current_user, structure_id)
    reason, details, _body = _report_body()
    report = reports.report_structure(db(), current_user, structure_id, reason, details, clock.now())
    db().commit()
    return jsonify(report_json(report)), 201


# Formal notices, from the account's side

@blueprint.get("/me/notices")
@moderation_api("beneficiary", "professional", "manager", "admin")
def my_notices():
    found = decisions.notices_for(db(), current_user.id)
    for notice in found:
        decisions.mark_seen(notice, clock.now())
    db().commit()
    return jsonify({"notices": [notice_json(notice) for notice in found]})


@blueprint.post("/me/notices/<notice_id>/reply")
@moderation_api("beneficiary", "professional", "manager", "admin")
def reply_to_notice(notice_id: str):
    reply = json_body(reply=str)["reply"]
    if not reply.strip() or len(reply) > decisions.MAX_MESSAGE:
        raise ApiError(422, "invalid_field", "reply")
    notice = decisions.answer_notice(db(), current_user.id, notice_id, reply, clock.now())
    db().commit()
    return jsonify(notice_json(notice))


# The administrators

@blueprint.get("/admin/reports")
@moderation_api("admin")
def list_reports():
    return jsonify({"reports": [report_json(report) for report in decisions.list_reports(db(), None)]})


@blueprint.get("/admin/reports/<report_id>")
@moderation_api("admin")
def get_report(report_id: str):
    report = decisions.get_report(db(), report_id)
    attachment = None
    if report.attachment is not None:
        me = actor()
        attachment = decisions.open_attachment(db(), keys(), report, me.id, me.version, me.identity)
        db().commit()
    return jsonify(report_json(report, attachment))


@blueprint.post("/admin/reports/<report_id>/decision")
@moderation_api("admin")
def decide(report_id: str):
    body = json_body(decision=str, message=str)
    decision, report, now = body["decision"], decisions.get_report(db(), report_id), clock.now()
    if decision not in DECISIONS:
        raise ApiError(422, "invalid_field", "decision")
    if decision == "dismiss":
        decisions.dismiss(db(), report_id, current_user.id, now)
    elif decision == "remove_item":
        decisions.remove_item(db(), current_app.extensions["blobs"], report_id, current_user.id, now)
    elif decision == "suspend":
        decisions.suspend(db(), report.account_id, current_user.id, now, report_id=report_id)
    else:
        if not body["message"].strip():
            raise ApiError(422, "invalid_field", "message")
        decisions.send_notice(db(), report.account_id, body["message"], current_user.id, now, report_id=report_id)
    db().commit()
    return jsonify(report_json(decisions.get_report(db(), report_id)))


@blueprint.get("/admin/notices")
@moderation_api("admin")
def list_notices():
    return jsonify({"notices": [notice_json(notice) for notice in decisions.list_notices(db())]})


@blueprint.post("/admin/accounts/<account_id>/status")
@moderation_api("admin")
def set_account_status(account_id: str):
    status = json_body(status=str)["status"]
    if status not in ("active", "suspended"):
        raise ApiError(422, "invalid_field", "status")
    if status == "active":
        account = decisions.reactivate(db(), account_id, current_user.id, clock.now())
    else:
        account = decisions.suspend(db(), account_id, current_user.id, clock.now())
    db().commit()
    return jsonify({"id": account.id, "status": account.status})


@blueprint.get("/admin/accounts/suspended")
@moderation_api("admin")
def suspended_accounts():
    rows = db().scalars(select(Account).where(Account.status == "suspended").order_by(Account.identifier))
    return jsonify({"accounts": [{"id": row.id, "identifier": row.identifier, "role": row.role} for row in rows]})


@blueprint.post("/admin/terms")
@moderation_api("admin")
def publish_new_terms():
    """Terms are longer than json_body's bound on strings: their own check."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"text"} or not isinstance(body["text"], str) \
            or len(body["text"]) > MAX_TERMS or "\x00" in body["text"]:
        raise ApiError(400, "bad_request")
    if not body["text"].strip():
        raise ApiError(422, "invalid_field", "text")
    terms = publish_terms(db(), body["text"], current_user.id)
    db().commit()
    return jsonify({"version": terms.version, "published_at": terms.published_at.isoformat(), "text": terms.text}), 201
