"""Phone numbers as people type them, checked with phonenumbers (Google's libphonenumber).

Stored in E.164 (`+33612345678`), shown back in the national format for French numbers
(`06 12 34 56 78`) and in the international one for others. Without a country prefix a number is
read as French. SMS go only to mobile numbers: a landline would swallow a code or a reminder.
"""
from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "FR"
MAX_TYPED = 40  # what a person may type, spaces and dots included
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

EMPTY, INVALID, NOT_MOBILE = "empty", "invalid", "not_mobile"


class InvalidPhone(ValueError):
    """A number that cannot be used; `reason` is EMPTY, INVALID or NOT_MOBILE."""

    code = "invalid_phone"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise(typed: str, *, mobile: bool = True) -> str:
    """The E.164 form of a typed number; raises InvalidPhone. `mobile`: only a mobile number will do."""
    typed = (typed or "").strip()
    if not typed:
        raise InvalidPhone(EMPTY)
    if len(typed) > MAX_TYPED:
        raise InvalidPhone(INVALID)
    try:
        number = phonenumbers.parse(typed, DEFAULT_REGION)
    except NumberParseException:
        raise InvalidPhone(INVALID) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(INVALID)
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidPhone(NOT_MOBILE)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display(e164: str | None) -> str:
    """How a stored number is shown: national format for a French number, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    is_french = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if is_french else PhoneNumberFormat.INTERNATIONAL)


def masked(e164: str | None) -> str:
    """A number as a professional sees it when they send to it without needing it: its last two
    digits, enough to check with the person that it is the right one ("•• •• •• •• 78")."""
    shown = display(e164)
    digits = sum(character.isdigit() for character in shown)
    seen = 0
    out = []
    for character in shown:
        if character.isdigit():
            seen += 1
            out.append(character if seen > digits - 2 else "•")
        else:
            out.append(character)
    return "".join(out)


def problem_message(reason: str) -> str:
    """What the person reads when a number is refused, in their language."""
    if reason == EMPTY:
        return _("Écrivez un numéro de téléphone portable.")
    if reason == NOT_MOBILE:
        return _("Ce numéro n'est pas un portable. Les SMS partent seulement vers un portable, "
                 "par exemple 06 12 34 56 78.")
    return _("Ce numéro ne semble pas juste. Écrivez-le par exemple ainsi : 06 12 34 56 78, "
             "ou avec l'indicatif du pays : +32 470 12 34 56.")
