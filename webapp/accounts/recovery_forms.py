"""Forms of "Mot de passe oublié", the account settings and the professional-started recovery."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .passwords import MAX_LENGTH
from .secret_answer import MAX_QUESTION, usable_answer


class IdentifierForm(FlaskForm):
    identifier = StringField(_l("Identifiant"), validators=[DataRequired(_l("Écrivez votre identifiant.")), Length(max=120)])


class SmsCodeForm(FlaskForm):
    code = StringField(_l("Code reçu par SMS (6 chiffres)"),
                       validators=[DataRequired(_l("Écrivez le code reçu par SMS.")), Length(max=40)])


class _NewPassword(FlaskForm):
    new_password = PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Écrivez un nouveau mot de passe.")), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("Le même mot de passe, encore une fois"), validators=[
        DataRequired(_l("Écrivez-le une deuxième fois.")),
        EqualTo("new_password", _l("Les deux mots de passe sont différents."))])


class AnswerRecoveryForm(_NewPassword):
    answer = PasswordField(_l("Réponse à la question secrète"),
                           validators=[DataRequired(_l("Écrivez votre réponse.")), Length(max=200)])


class CodeRecoveryForm(_NewPassword):
    identifier = StringField(_l("Identifiant"), validators=[DataRequired(_l("Écrivez votre identifiant.")), Length(max=120)])
    recovery_code = StringField(_l("Code de secours (20 caractères, sur votre papier)"),
                                validators=[DataRequired(_l("Écrivez le code de secours.")), Length(max=60)])


class CurrentPasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Écrivez votre mot de passe actuel.")), Length(max=MAX_LENGTH)])


class SecretAnswerForm(CurrentPasswordForm):
    secret_question = StringField(_l("Question secrète"), validators=[
        DataRequired(_l("Choisissez ou écrivez une question.")), Length(max=MAX_QUESTION)], render_kw={"list": "questions"})
    secret_answer = PasswordField(_l("Réponse secrète"), validators=[
        DataRequired(_l("Écrivez la réponse.")), Length(max=200)])

    def validate_secret_answer(self, field) -> None:
        if not usable_answer(field.data or ""):
            raise ValidationError(_l("La réponse doit contenir au moins une lettre ou un chiffre."))
