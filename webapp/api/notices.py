"""The account's in-app notices as JSON, and dismissing one (docs/time-rules.md). Not /me/notices:
that path lists the formal notices of moderation (`api/moderation.py`)."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from .. import clock
from ..database import db
from ..notices import services
from ..notices.texts import text
from . import blueprint
from .support import ApiError, authenticated


def notice_json(notice) -> dict:
    return {"id": notice.id, "kind": notice.kind, "text": text(db(), notice), "on_day": notice.on_day.isoformat(),
            "structure_id": notice.structure_id, "beneficiary_id": notice.beneficiary_id,
            "created_at": notice.created_at.isoformat()}


@blueprint.get("/me/app-notices")
@authenticated
def my_in_app_notices():
    return jsonify({"notices": [notice_json(notice) for notice in services.waiting(db(), current_user.id)]})


@blueprint.post("/me/app-notices/<notice_id>/dismiss")
@authenticated
def dismiss_in_app_notice(notice_id: str):
    try:
        services.dismiss(db(), current_user.id, notice_id, clock.now())
    except services.NoticeNotFound:
        raise ApiError(404, "not_found") from None
    db().commit()
    return jsonify({"status": "ok"})
