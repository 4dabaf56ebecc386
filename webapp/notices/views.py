"""The notices banner on every page of a logged-in account, and dismissing a notice (a plain form
POST, no JavaScript needed)."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import clock
from ..database import db
from ..redirects import local_path
from . import services
from .texts import text

blueprint = Blueprint("notices", __name__, url_prefix="/avis")


@blueprint.app_context_processor
def notices_banner() -> dict:
    def waiting_notices() -> list[tuple]:
        if not current_user.is_authenticated:
            return []
        return [(notice, text(db(), notice)) for notice in services.waiting(db(), current_user.id)]

    return {"waiting_notices": waiting_notices}


@blueprint.post("/<notice_id>/lu")
@login_required
def dismiss(notice_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    try:
        services.dismiss(db(), current_user.id, notice_id, clock.now())
    except services.NoticeNotFound:
        abort(404)
    db().commit()
    return redirect(local_path(request.form.get("suite")))
