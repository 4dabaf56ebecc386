"""What the pages and the API say when a code or an SMS is refused, in the person's language."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from .codes import CodeError, CodeExhausted, CodeExpired, CodeThrottled, NoPendingCode, WrongCode
from .errors import SmsError, SmsOptedOut, SmsQuotaExceeded

# (HTTP status, API code) for each refusal. A well-formed code is never "unprocessable": a wrong
# one is refused like a wrong password (403), a dead one conflicts with the code's state (409).
CODE_STATUS = {
    CodeThrottled: (429, "code_throttled"),
    NoPendingCode: (409, "no_pending_code"),
    CodeExpired: (409, "code_expired"),
    CodeExhausted: (409, "code_exhausted"),
    WrongCode: (403, "wrong_code"),
}
SMS_STATUS = {SmsOptedOut: (409, "sms_opted_out"), SmsQuotaExceeded: (429, "sms_quota_exceeded")}


def code_problem(error: CodeError) -> str:
    if isinstance(error, CodeThrottled):
        minutes = -(-error.retry_after // 60)
        if error.retry_after <= 60:
            return _("Un code vient d'être envoyé. Attendez une minute avant d'en demander un autre.")
        return ngettext("Trop de codes demandés. Réessayez dans %(num)d minute.",
                        "Trop de codes demandés. Réessayez dans %(num)d minutes.", minutes)
    if isinstance(error, CodeExpired):
        return _("Ce code a expiré : il était valable 10 minutes. Demandez un nouveau code.")
    if isinstance(error, CodeExhausted):
        return _("Trop d'essais : ce code ne marche plus. Demandez un nouveau code.")
    if isinstance(error, WrongCode):
        if error.tries_left == 0:
            return _("Ce n'est pas le bon code, et c'était le dernier essai. Demandez un nouveau code.")
        return ngettext("Ce n'est pas le bon code. Il vous reste %(num)d essai.",
                        "Ce n'est pas le bon code. Il vous reste %(num)d essais.", error.tries_left)
    return _("Aucun code en attente. Demandez un nouveau code.")


def sms_problem(error: SmsError) -> str:
    if isinstance(error, SmsOptedOut):
        return _("Ce numéro a demandé à ne plus recevoir de SMS (réponse STOP). Choisissez un autre numéro, "
                 "ou demandez de l'aide à votre Relais.")
    if isinstance(error, SmsQuotaExceeded):
        return _("Trop de SMS pour aujourd'hui vers ce numéro. Réessayez demain.")
    return _("Le SMS n'a pas pu partir. Réessayez dans un moment.")


def code_status(error: CodeError) -> tuple[int, str]:
    return CODE_STATUS.get(type(error), (409, "no_pending_code"))


def sms_status(error: SmsError) -> tuple[int, str]:
    return SMS_STATUS.get(type(error), (503, "sms_not_sent"))
