"""The "Rappels par SMS" of an appointment: a section on its page, a form to schedule or change
one, and deletion. Plain forms, no JavaScript needed. Beneficiaries on their own appointments; they
also see, change and delete the reminders professionals of their Relais scheduled, with who did
(the professionals' pages are `structures/shared_reminder_views.py`)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..accounts.models import Account
from ..clock import now
from ..database import db
from ..sms import phones
from ..structures.models import Structure
from ..structures.traceability import person_name
from ..vault.views import beneficiary_only, open_vault
from .errors import ReminderNotFound
from .form_pages import chosen_at, moment_given, prefill, saved_or_refused
from .forms import ReminderForm
from .messages import PRESET_NAMES, STATUS_NAMES, moment_text
from .services import ReminderRequest, Reminders

blueprint = Blueprint("reminders", __name__, url_prefix="/coffre/element/<item_id>/rappels")


@blueprint.app_context_processor
def reminder_words() -> dict:
    return {"reminder_preset_names": PRESET_NAMES, "reminder_status_names": STATUS_NAMES, "moment_text": moment_text,
            "appointment_reminders": appointment_reminders, "reminder_author": reminder_author}


def appointment_reminders(item) -> list:
    return Reminders(db(), author_id=current_user.id, now=now()).list(item)


def reminder_author(reminder) -> str | None:
    """Who of which Relais scheduled a reminder; None for the person's own."""
    if reminder.structure_id is None:
        return None
    structure = db().get(Structure, reminder.structure_id)
    return _("Programmé par %(person)s (%(structure)s)", person=person_name(db().get(Account, reminder.author_id))
             or _("un compte supprimé"), structure=structure.name if structure else _("un Relais fermé"))


@blueprint.route("/nouveau", methods=["GET", "POST"])
@beneficiary_only
def create(item_id: str):
    item = _appointment(item_id)
    reminders = _reminders()
    form = ReminderForm()
    if not form.is_submitted():
        form.phone.data = phones.display(current_user.person.phone)
        form.text.data = reminders.default_text(item)
    elif form.validate_on_submit() and (asked := _request(form)) is not None:
        made = saved_or_refused(form, lambda: reminders.schedule(item, current_user.id, asked), sms_field=form.phone)
        if made is not None:
            _saved(made)
            return redirect(url_for("vault.show", item_id=item_id))
    return _page(item, form, None)


@blueprint.route("/<reminder_id>/modifier", methods=["GET", "POST"])
@beneficiary_only
def edit(item_id: str, reminder_id: str):
    item = _appointment(item_id)
    reminders = _reminders()
    current = _found(reminders, item, reminder_id)
    form = ReminderForm()
    if not form.is_submitted():
        prefill(form, current)
        form.phone.data = phones.display(current.phone_e164)
    elif form.validate_on_submit() and (asked := _request(form)) is not None:
        made = saved_or_refused(form, lambda: reminders.change(item, reminder_id, asked), sms_field=form.phone)
        if made is not None:
            _saved(made)
            return redirect(url_for("vault.show", item_id=item_id))
    return _page(item, form, current)


@blueprint.post("/<reminder_id>/supprimer")
@beneficiary_only
def delete(item_id: str, reminder_id: str):
    item = _appointment(item_id)
    if FlaskForm().validate_on_submit():
        reminders = _reminders()
        _found(reminders, item, reminder_id)
        reminders.delete(item, reminder_id)
        db().commit()
        flash(_("Le rappel est supprimé."))
    return redirect(url_for("vault.show", item_id=item_id))


def _appointment(item_id: str):
    item = open_vault().get(item_id)
    if item.kind != "appointment":
        abort(404)
    return item


def _reminders() -> Reminders:
    return Reminders(db(), author_id=current_user.id, now=now())


def _found(reminders: Reminders, item, reminder_id: str):
    try:
        return reminders.get(item, reminder_id)
    except ReminderNotFound:
        abort(404)


def _request(form: ReminderForm) -> ReminderRequest | None:
    """The form as the service takes it; None when a field is refused (its error is on the form)."""
    try:
        phone = phones.normalise(form.phone.data)
    except phones.InvalidPhone as problem:
        form.phone.errors.append(phones.problem_message(problem.reason))
        return None
    if not moment_given(form):
        return None
    return ReminderRequest(preset=form.preset.data, phone_e164=phone, text=form.text.data, night_ok=form.night_ok.data,
                           chosen_at=chosen_at(form))


def _saved(made) -> None:
    flash(_("Le rappel partira %(when)s au %(number)s.", when=moment_text(made.send_at), number=phones.display(made.phone_e164)))


def _page(item, form: ReminderForm, current):
    status = 400 if form.is_submitted() else 200
    return render_template("reminders/form.html", item=item, form=form, current=current), status
