"""Forms of the "Mon téléphone" page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TelField
from wtforms.validators import DataRequired, Length, Regexp

from .phones import MAX_TYPED


class PhoneForm(FlaskForm):
    number = TelField(_l("Numéro de portable"),
                         validators=[DataRequired(_l("Écrivez un numéro de téléphone portable.")), Length(max=MAX_TYPED)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code reçu par SMS"), render_kw={"inputmode": "numeric"}, validators=[
        DataRequired(_l("Écrivez le code à 6 chiffres reçu par SMS.")),
        Regexp(r"^\s*[0-9](?:[ -]?[0-9]){5}\s*$", message=_l("Le code a 6 chiffres, par exemple 123456.")),
    ])
