"""The administrators' opt-out form: a number, in any usual writing, kept in E.164."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from . import phones

REFUSED = _l("Ce numéro de téléphone n'est pas valide, par exemple 06 12 34 56 78.")


def opt_out_number(typed: str) -> str:
    """The E.164 form of a number to stop sending to; raises phones.InvalidPhone. Any valid number
    will do, a landline too: a STOP is recorded as the person asked."""
    return phones.normalise(typed, mobile=False)


class OptOutForm(FlaskForm):
    phone = StringField(_l("Numéro de téléphone"),
                        validators=[DataRequired(_l("Écrivez le numéro de téléphone.")), Length(max=30)])

    def validate_phone(self, field) -> None:
        try:
            opt_out_number(field.data)
        except phones.InvalidPhone:
            raise ValidationError(REFUSED) from None

    @property
    def phone_e164(self) -> str:
        return opt_out_number(self.phone.data)
