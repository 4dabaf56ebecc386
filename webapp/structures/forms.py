"""Forms of the structures pages: the public application, the administrators' decisions, the
managers' actions. Labels are French source strings, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.fr import siret
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

KINDS = (
    ("association", _l("Association")),
    ("ccas", _l("CCAS ou CIAS")),
    ("chrs", _l("Centre d'hébergement (CHRS, CHU)")),
    ("accueil-de-jour", _l("Accueil de jour")),
    ("sante", _l("Structure de santé ou médico-sociale")),
    ("autre", _l("Autre structure sociale")),
)
PHONE = r"^[0-9+()][0-9+(). -]{1,28}[0-9+()]$"
EMAIL = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"


def valid_siret(_form, field) -> None:
    if not siret.is_valid(field.data or ""):
        raise ValidationError(_l("Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."))


class ApplicationForm(FlaskForm):
    name = StringField(_l("Nom de la structure"), validators=[DataRequired(_l("Écrivez le nom de la structure.")), Length(max=200)])
    kind = StringField(_l("Type de structure"), validators=[DataRequired(_l("Choisissez le type de structure.")), Length(max=60)])
    address = TextAreaField(_l("Adresse"), validators=[DataRequired(_l("Écrivez l'adresse de la structure.")), Length(max=300)])
    siret = StringField(_l("Numéro SIRET (14 chiffres)"), filters=[lambda value: "".join((value or "").split())],
                        validators=[DataRequired(_l("Écrivez le numéro SIRET.")), valid_siret])
    referent_first_name = StringField(_l("Prénom du référent"), validators=[DataRequired(_l("Écrivez le prénom du référent.")), Length(max=100)])
    referent_last_name = StringField(_l("Nom du référent"), validators=[DataRequired(_l("Écrivez le nom du référent.")), Length(max=100)])
    referent_position = StringField(_l("Fonction du référent"), validators=[DataRequired(_l("Écrivez la fonction du référent.")), Length(max=100)])
    referent_email = EmailField(_l("Adresse e-mail professionnelle"),
                                validators=[DataRequired(_l("Écrivez une adresse e-mail.")), Regexp(EMAIL, message=_l("Cette adresse e-mail n'est pas valide.")), Length(max=254)])
    referent_phone = StringField(_l("Téléphone professionnel"),
                                 validators=[DataRequired(_l("Écrivez un numéro de téléphone.")), Regexp(PHONE, message=_l("Ce numéro de téléphone n'est pas valide."))])

    def validate_kind(self, field) -> None:
        if field.data not in dict(KINDS):
            raise ValidationError(_l("Choisissez le type de structure."))


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Raison du refus (lue seulement par les administrateurs)"),
                           validators=[DataRequired(_l("Écrivez la raison du refus.")), Length(max=2000)])


class ProfessionalForm(FlaskForm):
    first_name = StringField(_l("Prénom"), validators=[DataRequired(_l("Écrivez le prénom.")), Length(max=100)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Écrivez le nom.")), Length(max=100)])
    email = EmailField(_l("Adresse e-mail professionnelle (facultatif)"),
                       validators=[Optional(), Regexp(EMAIL, message=_l("Cette adresse e-mail n'est pas valide.")), Length(max=254)])


class AddMemberForm(FlaskForm):
    identifier = StringField(_l("Identifiant du professionnel"), validators=[DataRequired(_l("Écrivez son identifiant.")), Length(max=120)])


class ChooseStructureForm(FlaskForm):
    structure_id = HiddenField()
