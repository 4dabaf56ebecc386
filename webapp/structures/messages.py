"""What the interface says about structure errors, in the user's language."""
from flask_babel import gettext as _

from .errors import (
    AlreadyMember,
    BelongsElsewhere,
    KeysWaiting,
    LastManager,
    MemberNotFound,
    NotLastManager,
    NotStaff,
    ReviewUnavailable,
    StructureError,
)


def structure_keys_message() -> str:
    return _("Les clés de votre Relais n'ont pas pu être vérifiées : la connexion est arrêtée par sécurité. "
             "Prévenez l'équipe de Cloud Solidaire.")


def keys_waiting_message() -> str:
    return _("Votre accès aux clés de ce Relais n'est pas encore rétabli depuis le changement de votre mot de "
             "passe : il le sera dès qu'un autre membre du Relais se connectera. Réessayez ensuite.")


def review_unavailable_message() -> str:
    return _("Les candidatures ne sont pas encore ouvertes. Réessayez dans quelques jours.")


def structure_error_message(error: StructureError) -> str:
    if isinstance(error, AlreadyMember):
        return _("Cette personne fait déjà partie de ce Relais.")
    if isinstance(error, NotStaff):
        return _("Aucun compte professionnel ne porte cet identifiant.")
    if isinstance(error, LastManager):
        return _("Un Relais garde toujours au moins un gestionnaire : nommez-en un autre d'abord.")
    if isinstance(error, BelongsElsewhere):
        return _("Cette personne travaille aussi pour un autre Relais : retirez-la de ce Relais ; "
                 "son compte ne peut être supprimé que lorsqu'elle n'a plus aucun Relais.")
    if isinstance(error, MemberNotFound):
        return _("Cette personne ne fait pas partie de ce Relais.")
    if isinstance(error, ReviewUnavailable):
        return review_unavailable_message()
    if isinstance(error, KeysWaiting):
        return keys_waiting_message()
    if isinstance(error, NotLastManager):
        return _("Ce Relais a un autre gestionnaire : c'est lui qui donne un nouveau mot de passe.")
    return _("Cette action n'a pas pu être faite.")
