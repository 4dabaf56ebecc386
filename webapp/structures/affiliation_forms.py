"""Forms of the beneficiary creation, the search and the affiliation pages. French source labels."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..accounts.passwords import MAX_LENGTH
from ..accounts.secret_answer import MAX_QUESTION, usable_answer

NAME_MAX = 50  # so the identifier, prenom.nom.jj/mm/aaaa, stays within its 120 characters
BIRTH_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})\s*$")
FIRST_YEAR = 1900
QUESTIONS = (
    _l("Quel est le prénom de votre mère ?"),
    _l("Dans quelle ville êtes-vous né ou née ?"),
    _l("Quel était le nom de votre école ?"),
    _l("Quel est votre plat préféré ?"),
    _l("Quel est le prénom de votre meilleur ami ou meilleure amie d'enfance ?"),
)


def parse_birth_date(typed: str | None, today: date) -> date | None:
    """"12/05/1990", "12-05-1990", "12.05.1990" or "12 05 1990"; None unless a real past date."""
    found = BIRTH_DATE.match(typed or "")
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if FIRST_YEAR <= year and value <= today else None


class BirthDateField(StringField):
    """Typed as JJ/MM/AAAA; `parsed` is set by the form's check against the clock."""

    parsed: date | None = None


def check_birth_date(form: FlaskForm, today: date, required: bool) -> bool:
    field = form.birth_date
    field.parsed = parse_birth_date(field.data, today)
    if field.parsed is None and (required or (field.data or "").strip()):
        field.errors = [*field.errors, _l("Écrivez la date de naissance ainsi : JJ/MM/AAAA, par exemple 07/03/1985.")]
        return False
    return True


class BeneficiaryForm(FlaskForm):
    first_name = StringField(_l("Prénom"), validators=[DataRequired(_l("Écrivez le prénom.")), Length(max=NAME_MAX)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Écrivez le nom.")), Length(max=NAME_MAX)])
    birth_date = BirthDateField(_l("Date de naissance (JJ/MM/AAAA)"), validators=[Length(max=20)])
    password = PasswordField(_l("Mot de passe choisi par la personne"),
                             validators=[DataRequired(_l("La personne écrit un mot de passe.")), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("Le même mot de passe, encore une fois"),
                            validators=[DataRequired(_l("Écrivez-le une deuxième fois.")),
                                        EqualTo("password", _l("Les deux mots de passe sont différents."))])
    secret_question = StringField(_l("Question secrète"),
                                  validators=[DataRequired(_l("Choisissez ou écrivez une question.")), Length(max=MAX_QUESTION)],
                                  render_kw={"list": "questions"})
    secret_answer = PasswordField(_l("Réponse secrète, écrite par la personne"),
                                  validators=[DataRequired(_l("La personne écrit sa réponse.")), Length(max=200)])
    affiliate = BooleanField(_l("La personne veut être accompagnée par ce Relais (rattachement)"))
    homonym = BooleanField(_l("J'ai vérifié : c'est une autre personne, qui porte le même nom et la même date de naissance"))

    def validate_secret_answer(self, field) -> None:
        if not usable_answer(field.data or ""):
            raise ValidationError(_l("La réponse doit contenir au moins une lettre ou un chiffre."))


class SearchForm(FlaskForm):
    identifier = StringField(_l("Identifiant"), validators=[Optional(), Length(max=120)])
    first_name = StringField(_l("Prénom"), validators=[Optional(), Length(max=NAME_MAX)])
    last_name = StringField(_l("Nom"), validators=[Optional(), Length(max=NAME_MAX)])
    birth_date = BirthDateField(_l("Date de naissance (JJ/MM/AAAA)"), validators=[Optional(), Length(max=20)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code reçu par SMS (6 chiffres)"),
                       validators=[DataRequired(_l("Écrivez le code reçu par SMS.")), Length(max=40)])


class AnswerForm(FlaskForm):
    answer = PasswordField(_l("Réponse à la question secrète, écrite par la personne"),
                           validators=[DataRequired(_l("La personne écrit sa réponse.")), Length(max=200)])


class ConsentForm(FlaskForm):
    consents = HiddenField()
