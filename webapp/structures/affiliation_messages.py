"""What the affiliation pages say, in the user's language: errors and the state of an affiliation."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.errors import AccountError
from ..accounts.secret_answer import AnswerLocked, NoSecretAnswer, WrongAnswer
from ..sms.codes import CodeError, CodeExhausted, CodeExpired, CodeThrottled, NoPendingCode, WrongCode
from ..sms.errors import SmsError
from .affiliations import ACTIVE, CONFIRMED, ENDED, PENDING
from .errors import AlreadyAffiliated, DuplicateAccount, NoConfirmedPhone, NotAffiliated, NotPending, StructureError


def state_for_professional(status: str | None) -> str:
    """The state in plain words, on the professional's screen."""
    if status == PENDING:
        return _("Demande envoyée : la personne doit encore la confirmer.")
    if status == CONFIRMED:
        return _("Confirmé par la personne. Le partage sera ouvert à sa prochaine connexion à Cloud Solidaire : "
                 "son partage ne vous est pas encore visible.")
    if status == ACTIVE:
        return _("Rattachée à ce Relais : son partage vous est ouvert.")
    if status == ENDED:
        return _("Le rattachement est terminé.")
    return _("Cette personne n'est pas rattachée à ce Relais.")


def state_for_beneficiary(status: str) -> str:
    if status == PENDING:
        return _("Ce Relais demande à vous accompagner. Acceptez seulement si vous êtes d'accord.")
    if status == CONFIRMED:
        return _("Vous avez accepté. Le partage s'ouvre à ce Relais à votre prochaine connexion.")
    if status == ACTIVE:
        return _("Ce Relais vous accompagne : il voit votre partage, jamais vos documents privés.")
    return _("Terminé : ce Relais ne voit plus ce que vous partagez.")


def affiliation_error_message(error: Exception) -> str:
    if isinstance(error, DuplicateAccount):
        return _("Un compte existe déjà pour cette personne (mêmes nom, prénom et date de naissance). "
                 "Une personne n'a qu'un compte : demandez plutôt le rattachement de son compte à votre Relais.")
    if isinstance(error, AlreadyAffiliated):
        return _("Cette personne est déjà rattachée à ce Relais, ou l'a déjà confirmé.")
    if isinstance(error, NotPending):
        return _("Aucune demande n'attend de confirmation. Demandez d'abord le rattachement.")
    if isinstance(error, NotAffiliated):
        return _("Ce rattachement n'existe pas ou est déjà terminé.")
    if isinstance(error, NoConfirmedPhone):
        return _("Cette personne n'a pas de numéro de portable confirmé : choisissez une autre façon de confirmer.")
    if isinstance(error, WrongAnswer):
        return ngettext("Ce n'est pas la bonne réponse. Il reste %(num)d essai.",
                        "Ce n'est pas la bonne réponse. Il reste %(num)d essais.", error.guesses_left)
    if isinstance(error, AnswerLocked):
        return _("Trop de réponses fausses : la question secrète est bloquée. La personne peut confirmer avec un "
                 "code par SMS ou depuis son compte ; l'équipe de Cloud Solidaire peut la débloquer.")
    if isinstance(error, NoSecretAnswer):
        return _("Ce compte n'a pas de question secrète : choisissez une autre façon de confirmer.")
    if isinstance(error, WrongCode):
        return ngettext("Ce code n'est pas le bon. Il reste %(num)d essai.",
                        "Ce code n'est pas le bon. Il reste %(num)d essais.", error.tries_left)
    if isinstance(error, CodeExpired):
        return _("Ce code a expiré (10 minutes). Envoyez-en un nouveau.")
    if isinstance(error, CodeExhausted):
        return _("Trop d'essais pour ce code. Envoyez-en un nouveau.")
    if isinstance(error, NoPendingCode):
        return _("Aucun code n'attend. Envoyez d'abord un code.")
    if isinstance(error, CodeThrottled):
        return _("Un code vient d'être envoyé. Attendez %(seconds)d secondes avant d'en demander un autre.",
                 seconds=error.retry_after)
    if isinstance(error, (SmsError, CodeError)):
        return _("Le SMS n'a pas pu partir. Réessayez plus tard, ou choisissez une autre façon de confirmer.")
    if isinstance(error, (StructureError, AccountError)):
        return _("Cette action n'a pas pu être faite.")
    raise error
