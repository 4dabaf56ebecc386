"""What the interface says about account errors, in the user's language."""
from flask_babel import gettext as _

from .passwords import TOO_GUESSABLE, TOO_LONG, TOO_SHORT, min_length


def password_problem_message(problem: str, role: str) -> str:
    if problem == TOO_SHORT:
        return _("Ce mot de passe est trop court : il faut au moins %(n)d caractères. "
                 "Une phrase facile à retenir marche bien, par exemple « mon chat dort sous la table ».",
                 n=min_length(role))
    if problem == TOO_LONG:
        return _("Ce mot de passe est trop long.")
    if problem == TOO_GUESSABLE:
        return _("Ce mot de passe est trop facile à deviner. Ajoutez des mots, ou choisissez une phrase à vous.")
    return _("Ce mot de passe ne convient pas.")


def invalid_credentials_message() -> str:
    return _("Identifiant ou mot de passe incorrect.")


def too_many_attempts_message() -> str:
    return _("Trop d'essais. Attendez quelques minutes avant de réessayer.")


def suspended_message() -> str:
    return _("Votre compte est suspendu. Contactez votre Relais ou le support pour en savoir plus.")
