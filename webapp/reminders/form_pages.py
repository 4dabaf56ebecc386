"""What the reminder pages do with their form, the beneficiary's (`views.py`) and the professional's
(`structures/shared_reminder_views.py`) alike: fill it from a saved reminder, read the moment
chosen, and save or put the reason of a refusal on the right field."""
from __future__ import annotations

from datetime import datetime
from typing import Callable, TypeVar

from ..database import db
from ..sms.errors import SmsError
from ..sms.messages import sms_problem
from .errors import InvalidText, MissingChosenMoment, ReminderError
from .forms import ReminderForm
from .messages import reminder_problem
from .timing import from_local, local

Saved = TypeVar("Saved")


def prefill(form: ReminderForm, reminder) -> None:
    """The form as the reminder was saved, to change it (the number is the caller's: only the
    beneficiary's form has one)."""
    form.preset.data, form.night_ok.data, form.text.data = reminder.preset, reminder.night_ok, reminder.text or ""
    if reminder.chosen_at is not None:
        form.chosen_date.data, form.chosen_time.data = local(reminder.chosen_at).date(), local(reminder.chosen_at).time()


def moment_given(form: ReminderForm) -> bool:
    """False, with the error on the form, when "À un moment choisi" lacks its day or hour."""
    if form.preset.data == "chosen" and (form.chosen_date.data is None or form.chosen_time.data is None):
        form.chosen_date.errors.append(reminder_problem(MissingChosenMoment()))
        return False
    return True


def chosen_at(form: ReminderForm) -> datetime | None:
    """The moment chosen, for "À un moment choisi" only (after `moment_given`)."""
    return from_local(form.chosen_date.data, form.chosen_time.data) if form.preset.data == "chosen" else None


def saved_or_refused(form: ReminderForm, save: Callable[[], Saved], *, sms_field) -> Saved | None:
    """Runs `save` and commits; when the service refuses, rolls back and puts why on the form (None).
    `sms_field` is where an SMS problem is told: the number, or the moment when there is no number."""
    try:
        made = save()
    except (ReminderError, SmsError) as problem:
        db().rollback()
        _refused(form, problem, sms_field)
        return None
    db().commit()
    return made


def _refused(form: ReminderForm, problem: Exception, sms_field) -> None:
    if isinstance(problem, SmsError):
        sms_field.errors.append(sms_problem(problem))
    elif isinstance(problem, InvalidText):
        form.text.errors.append(reminder_problem(problem))
    elif form.preset.data == "chosen":
        form.chosen_date.errors.append(reminder_problem(problem))
    else:
        form.preset.errors.append(reminder_problem(problem))
