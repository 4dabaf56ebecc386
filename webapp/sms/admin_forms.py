"""The administrators' opt-out form: a number, in any usual writing, kept in E.164."""
from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

DEFAULT_REGION = "FR"


def e164(text: str) -> str | None:
    """The number in E.164 if it is a valid one (French unless it starts with + or 00), else None."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class OptOutForm(FlaskForm):
    phone = StringField(_l("Numéro de téléphone"),
                        validators=[DataRequired(_l("Écrivez le numéro de téléphone.")), Length(max=30)])

    def validate_phone(self, field) -> None:
        if e164(field.data) is None:
            raise ValidationError(_l("Ce numéro de téléphone n'est pas valide, par exemple 06 12 34 56 78."))

    @property
    def phone_e164(self) -> str:
        return e164(self.phone.data)
