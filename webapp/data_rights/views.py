"""The "Mes données" pages: what the service holds about me, my corrections, and the export of
everything (beneficiaries; staff have no vault, so their page is the directory part only)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..audit.services import record_event
from ..database import db
from ..vault import uploads
from ..vault.views import open_vault
from .export import PARIS, Export
from .forms import ProfileForm
from .holdings import held
from .labels import EVENT_LABELS, STRUCTURE_STATES
from .profile import Rectified, rectify

blueprint = Blueprint("my_data", __name__, url_prefix="/mes-donnees")
SHOWN_EVENTS = 100  # the newest on the page; the export and the API carry them all


@blueprint.app_context_processor
def data_words() -> dict:
    return {"event_labels": EVENT_LABELS, "structure_states": STRUCTURE_STATES, "format_moment": format_moment,
            "format_day": format_day, "shown_events": SHOWN_EVENTS}


def format_moment(iso: str | None) -> str:
    """An ISO moment of `holdings.held` as people read it, in Paris time."""
    return datetime.fromisoformat(iso).astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if iso else "—"


def format_day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


@blueprint.get("/")
@login_required
def index():
    return render_template("data_rights/index.html", held=held(db(), current_app.extensions["keys"], current_user, clock.now()))


@blueprint.route("/modifier", methods=["GET", "POST"])
@login_required
def edit():
    person = current_user.person
    form = ProfileForm(obj=person)
    if form.validate_on_submit():
        rectify(db(), current_user, rectified_from(form.first_name.data, form.last_name.data, form.birth_date.data,
                                                   form.email.data))
        db().commit()
        flash(_("Vos informations sont corrigées."))
        return redirect(url_for("my_data.index"))
    return render_template("data_rights/edit.html", form=form), 400 if form.is_submitted() else 200


def rectified_from(first_name: str, last_name: str, birth_date, email: str | None) -> Rectified:
    return Rectified(first_name.strip(), last_name.strip(), birth_date, (email or "").strip() or None)


@blueprint.get("/export")
@login_required
def export():
    return export_response()


def export_response() -> Response:
    """The zip, streamed as it is built; the export is audited before the first byte goes out."""
    if current_user.role != "beneficiary":
        abort(403)
    now = clock.now()
    planned = Export(open_vault(), current_app.extensions["blobs"],
                     held(db(), current_app.extensions["keys"], current_user, now), now, render_index)
    record_event(db(), "data.exported", actor_id=current_user.id, subject_id=current_user.id,
                 details={"items": len(planned.entries)})
    db().commit()
    response = Response(stream_with_context(planned.chunks()), mimetype="application/zip")
    response.headers["Content-Disposition"] = uploads.content_disposition(
        "attachment", f"cloud-solidaire-{now.astimezone(PARIS):%Y-%m-%d}.zip")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # a proxy must not spool the decrypted zip to its disk
    return response


def render_index(entries, held_data) -> str:
    return render_template("data_rights/export_index.html", entries=entries, held=held_data)
