"""What the recovery pages and the API say, in the person's language."""
from flask_babel import gettext as _
from flask_babel import ngettext

from .recovery_code import NoRecoveryCode, RecoveryCodeLocked, WrongRecoveryCode
from .secret_answer import AnswerLocked, NoSecretAnswer, WrongAnswer

# (HTTP status, API code) of the refusals the API answers with.
ANSWER_STATUS = {WrongAnswer: (403, "wrong_answer"), AnswerLocked: (423, "answer_locked"),
                 NoSecretAnswer: (409, "no_secret_answer")}
# The code path answers one way whatever went wrong: a stranger learns nothing about the account.
CODE_REFUSALS = (WrongRecoveryCode, RecoveryCodeLocked, NoRecoveryCode)


def code_sent() -> str:
    return _("Si ce compte a un téléphone portable confirmé, un code vient d'y être envoyé par SMS. "
             "Il est valable 10 minutes.")


def sms_code_refused() -> str:
    return _("Ce code ne marche pas. Vérifiez-le, ou demandez un nouveau code.")


def flow_expired() -> str:
    return _("Cette étape a expiré : recommencez en demandant un nouveau code par SMS.")


def locked() -> str:
    return _("Trop de réponses fausses : votre question secrète est bloquée. Rien n'est effacé. Un professionnel "
             "de votre Relais peut vous aider, et l'équipe de Cloud Solidaire peut la débloquer.")


def answer_problem(error: Exception) -> str:
    if isinstance(error, AnswerLocked) or (isinstance(error, WrongAnswer) and error.guesses_left == 0):
        return locked()
    if isinstance(error, WrongAnswer):
        return ngettext("Ce n'est pas la bonne réponse. Il vous reste %(num)d essai.",
                        "Ce n'est pas la bonne réponse. Il vous reste %(num)d essais.", error.guesses_left)
    return _("Ce compte n'a pas de question secrète.")


def recovery_code_refused() -> str:
    return _("Cet identifiant et ce code de secours ne vont pas ensemble. Vérifiez les deux. Après 5 essais faux, "
             "le code est bloqué : un professionnel de votre Relais ou l'équipe de Cloud Solidaire peut alors vous aider.")
