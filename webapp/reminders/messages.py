"""What the pages and the API say about reminders, in the person's language."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import texts
from .errors import (
    AlreadySent,
    InvalidText,
    MissingChosenMoment,
    MomentPassed,
    NeedsAppointmentTime,
    NoConfirmedPhone,
    NoDecentMoment,
    NotBeforeAppointment,
    ReminderError,
)
from .timing import local

PRESET_NAMES = {"now": _l("Maintenant"), "day_before": _l("La veille"), "two_hours": _l("2 heures avant"), "chosen": _l("À un moment choisi")}
STATUS_NAMES = {"scheduled": _l("Prévu"), "sent": _l("Envoyé"), "failed": _l("Pas envoyé"), "cancelled": _l("Annulé"),
                "refused": _l("Refusé : ce numéro a répondu STOP")}


def reminder_problem(error: ReminderError) -> str:
    if isinstance(error, MomentPassed):
        return _("Ce moment est déjà passé. Choisissez un moment à venir.")
    if isinstance(error, NotBeforeAppointment):
        return _("Le rappel doit partir avant le rendez-vous.")
    if isinstance(error, NeedsAppointmentTime):
        return _("Ce rendez-vous n'a pas d'heure : choisissez « La veille » ou un moment précis.")
    if isinstance(error, NoDecentMoment):
        return _("Entre maintenant et le rendez-vous, aucun moment entre 8h et 20h. Cochez « Envoyer même la nuit », "
                 "ou choisissez un autre moment.")
    if isinstance(error, MissingChosenMoment):
        return _("Choisissez le jour et l'heure du rappel.")
    if isinstance(error, InvalidText):
        if error.reason == texts.TOO_LONG:
            return _("Le texte est trop long : %(n)d caractères au plus (un SMS).", n=texts.MAX_LENGTH)
        return _("Écrivez le texte du SMS.")
    if isinstance(error, NoConfirmedPhone):
        return _("Cette personne n'a pas de numéro de portable confirmé. Elle peut l'ajouter elle-même dans son "
                 "compte, sur la page « Mon téléphone ».")
    if isinstance(error, AlreadySent):
        return _("Ce rappel est déjà parti ou annulé : il ne peut plus changer.")
    return _("Ce rappel n'existe pas, ou plus.")


def moment_text(moment: datetime) -> str:
    """A send time as people read it: "le 11/03 à 14h30" (Europe/Paris)."""
    at = local(moment)
    hour = "{}h{:02d}".format(at.hour, at.minute)
    return _("le %(date)s à %(time)s", date=at.strftime("%d/%m/%Y"), time=hour)
