"""Forms of the accounts pages. Labels are French source strings, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    identifier = StringField(_l("Identifiant"), validators=[DataRequired(_l("Écrivez votre identifiant.")), Length(max=120)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Écrivez votre mot de passe.")), Length(max=MAX_LENGTH)])


class TermsForm(FlaskForm):
    version = HiddenField()
    accept = BooleanField(
        _l("J'accepte les conditions générales du service"),
        validators=[DataRequired(_l("Cochez la case pour continuer."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[Length(max=MAX_LENGTH)])
    new_password = PasswordField(
        _l("Nouveau mot de passe"), validators=[DataRequired(_l("Écrivez un nouveau mot de passe.")), Length(max=MAX_LENGTH)]
    )
    confirm = PasswordField(
        _l("Le même mot de passe, encore une fois"),
        validators=[DataRequired(_l("Écrivez-le une deuxième fois.")), EqualTo("new_password", _l("Les deux mots de passe sont différents."))],
    )
