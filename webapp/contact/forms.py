"""The contact form and the administrators' reply form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .services import MAX_MESSAGE, MAX_REACH_AT

CATEGORY_LABELS = {"question": _l("Une question"), "technical": _l("Un problème technique")}
TOO_LONG = _l("Ce texte est trop long.")


class ContactForm(FlaskForm):
    category = SelectField(_l("C'est pour"), choices=list(CATEGORY_LABELS.items()),
                           validators=[DataRequired(_l("Choisissez une réponse."))])
    message = TextAreaField(_l("Votre message"), validators=[DataRequired(_l("Écrivez votre message.")),
                                                             Length(max=MAX_MESSAGE, message=TOO_LONG)])
    reach_at = StringField(_l("Comment vous répondre (e-mail ou téléphone)"),
                           validators=[Optional(), Length(max=MAX_REACH_AT, message=TOO_LONG)])


class AnswerForm(FlaskForm):
    reply = TextAreaField(_l("Réponse"), validators=[Optional(), Length(max=MAX_MESSAGE, message=TOO_LONG)])
    close = BooleanField(_l("Clore la demande"))
