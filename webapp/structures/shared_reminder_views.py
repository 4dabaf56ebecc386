"""The "Rappels par SMS" of a shared appointment, seen by a professional of an affiliated Relais
(R4): that Relais's reminders, scheduling one (or sending it now), changing and deleting it. Plain
forms, no JavaScript needed. An appointment the member cannot see, or a reminder of someone else,
answers 404 like everything else in the shared part."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..database import db
from ..reminders.errors import NotAnAppointment, ReminderNotFound
from ..reminders.form_pages import chosen_at, moment_given, prefill, saved_or_refused
from ..reminders.forms import StaffReminderForm
from ..reminders.messages import moment_text
from ..sms import phones
from .shared_access import SharedAccess
from .shared_views import open_access, staff_only

blueprint = Blueprint("shared_reminders", __name__,
                      url_prefix="/relais/<structure_id>/partages/<beneficiary_id>/element/<item_id>/rappels")


def reminders_page(view):
    @wraps(view)
    @staff_only
    def checked(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (ReminderNotFound, NotAnAppointment):
            abort(404)

    return checked


@blueprint.route("/nouveau", methods=["GET", "POST"])
@reminders_page
def create(structure_id: str, beneficiary_id: str, item_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    form = StaffReminderForm()
    if not form.is_submitted():
        form.text.data = access.default_reminder_text(item)
    elif form.validate_on_submit() and moment_given(form):
        made = saved_or_refused(form, lambda: access.schedule_reminder(item, **_fields(form)), sms_field=form.preset)
        if made is not None:
            _saved(made)
            return redirect(_back(access, item))
    return _page(access, item, form, None)


@blueprint.route("/<reminder_id>/modifier", methods=["GET", "POST"])
@reminders_page
def edit(structure_id: str, beneficiary_id: str, item_id: str, reminder_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    current = access.reminder(item, reminder_id)
    form = StaffReminderForm()
    if not form.is_submitted():
        prefill(form, current)
    elif form.validate_on_submit() and moment_given(form):
        made = saved_or_refused(form, lambda: access.change_reminder(item, reminder_id, **_fields(form)),
                                sms_field=form.preset)  # no number on this form: the SMS goes to the person's
        if made is not None:
            _saved(made)
            return redirect(_back(access, item))
    return _page(access, item, form, current)


@blueprint.post("/<reminder_id>/supprimer")
@reminders_page
def delete(structure_id: str, beneficiary_id: str, item_id: str, reminder_id: str):
    access, item = _appointment(structure_id, beneficiary_id, item_id)
    FlaskForm().validate_on_submit() or abort(400)
    access.delete_reminder(item, reminder_id)
    db().commit()
    flash(_("Le rappel est supprimé."))
    return redirect(_back(access, item))


def _appointment(structure_id: str, beneficiary_id: str, item_id: str):
    access = open_access(structure_id, beneficiary_id)
    item = access.get(item_id)
    if item.kind != "appointment":
        abort(404)
    return access, item


def _back(access: SharedAccess, item) -> str:
    return url_for("shared_part.show", structure_id=access.structure.id, beneficiary_id=access.beneficiary.id,
                   item_id=item.id)


def _fields(form: StaffReminderForm) -> dict:
    return {"preset": form.preset.data, "text": form.text.data, "night_ok": form.night_ok.data, "chosen_at": chosen_at(form)}


def _saved(made) -> None:
    flash(_("Le rappel partira %(when)s au numéro confirmé de la personne (%(number)s).", when=moment_text(made.send_at),
            number=phones.masked(made.phone_e164)))


def _page(access: SharedAccess, item, form: StaffReminderForm, current):
    db().commit()  # the consultation traced by `access.get` is kept, whatever the form says
    status = 400 if form.is_submitted() else 200
    return render_template("shared_part/reminder_form.html", access=access, item=item, form=form, current=current,
                           back=_back(access, item), masked_phone=phones.masked(access.reminder_phone)), status
