"""Forms of the moderation pages. Labels are French source strings, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .decisions import MAX_MESSAGE
from .reports import MAX_DETAILS

REASON_LABELS = {
    "illicit": _l("Contenu illégal"),
    "abusive": _l("Contenu ou comportement abusif"),
    "fraud": _l("Utilisation frauduleuse"),
    "other": _l("Autre raison"),
}
TOO_LONG = _l("Ce texte est trop long.")


class ReportForm(FlaskForm):
    reason = SelectField(_l("Pourquoi signalez-vous ?"), choices=list(REASON_LABELS.items()),
                         validators=[DataRequired(_l("Choisissez une raison."))])
    details = TextAreaField(_l("Expliquez, si vous le voulez"),
                            validators=[Optional(), Length(max=MAX_DETAILS, message=TOO_LONG)])


class SharedItemReportForm(ReportForm):
    attach = BooleanField(_l("Joindre l'élément pour l'équipe"))


class NoticeForm(FlaskForm):
    message = TextAreaField(_l("Texte de la mise en demeure"),
                            validators=[DataRequired(_l("Écrivez le texte.")), Length(max=MAX_MESSAGE, message=TOO_LONG)])


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Votre réponse"),
                          validators=[DataRequired(_l("Écrivez votre réponse.")), Length(max=MAX_MESSAGE, message=TOO_LONG)])
