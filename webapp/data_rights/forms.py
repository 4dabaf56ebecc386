"""The rectification form. Labels are French source strings, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ProfileForm(FlaskForm):
    first_name = StringField(_l("Prénom"), validators=[DataRequired(_l("Écrivez votre prénom.")), Length(max=100)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Écrivez votre nom.")), Length(max=100)])
    birth_date = DateField(_l("Date de naissance"), validators=[Optional()],
                           render_kw={"autocomplete": "bday"})
    email = EmailField(_l("Adresse e-mail (si vous en avez une)"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL_PATTERN, message=_l("Cette adresse e-mail ne semble pas juste."))])
