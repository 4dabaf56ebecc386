"""The words the vault pages use for kinds, fields and problems, in the user's language."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .schemas import INVALID, KINDS, REQUIRED, TOO_LONG

KIND_NAMES = {
    "document": _l("Document"),
    "note": _l("Note"),
    "contact": _l("Contact"),
    "appointment": _l("Rendez-vous"),
    "folder": _l("Dossier"),
}
SECTION_NAMES = {
    "folder": _l("Mes dossiers"),
    "document": _l("Mes documents"),
    "note": _l("Mes notes"),
    "contact": _l("Mes contacts"),
    "appointment": _l("Mes rendez-vous"),
}
NEW_KIND = {"note": _l("Nouvelle note"), "contact": _l("Nouveau contact"), "appointment": _l("Nouveau rendez-vous")}
FIELD_LABELS = {
    "title": _l("Titre"),
    "text": _l("Texte"),
    "name": _l("Nom"),
    "phone": _l("Téléphone"),
    "email": _l("Adresse e-mail"),
    "address": _l("Adresse"),
    "comment": _l("Commentaire"),
    "date": _l("Date"),
    "time": _l("Heure"),
    "place": _l("Lieu"),
    "with_whom": _l("Avec qui"),
    "notes": _l("Notes"),
}


def problem_message(kind: str, field_name: str, problem: str) -> str:
    field = next(f for f in KINDS[kind] if f.name == field_name)
    if problem == REQUIRED:
        return _("Ce champ est obligatoire.")
    if problem == TOO_LONG:
        return _("C'est trop long : %(n)d caractères au plus.", n=field.max_length)
    if problem == INVALID and field.kind == "date":
        return _("Choisissez une date dans le calendrier.")
    if problem == INVALID and field.kind == "time":
        return _("Écrivez une heure, par exemple 14:30.")
    if problem == INVALID and field.kind == "email":
        return _("Cette adresse e-mail ne semble pas juste.")
    if problem == INVALID and field.kind == "phone":
        return _("Ce numéro de téléphone ne semble pas juste.")
    return _("Cette valeur ne convient pas.")


def destination_refused_message() -> str:
    """Why a move or a new item was refused its folder: the same words in the pages and the API."""
    return _("Impossible de ranger ici. Choisissez un de vos dossiers : un dossier ne va ni dans lui-même, "
             "ni dans un dossier qu'il contient.")
