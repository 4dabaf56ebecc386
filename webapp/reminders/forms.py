"""The reminder form: when, to which number, and the text, shown and editable before it is saved."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, TelField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..sms.phones import MAX_TYPED
from .messages import PRESET_NAMES
from .models import PRESETS, STAFF_PRESETS
from .texts import MAX_LENGTH


class ReminderForm(FlaskForm):
    preset = RadioField(_l("Quand envoyer le SMS ?"), choices=[SelectChoice(p, PRESET_NAMES[p]) for p in PRESETS], default="day_before")
    chosen_date = DateField(_l("Jour du rappel"), validators=[Optional()])
    chosen_time = TimeField(_l("Heure du rappel"), validators=[Optional()])
    phone = TelField(_l("Numéro de portable"),
                     validators=[DataRequired(_l("Écrivez un numéro de téléphone portable.")), Length(max=MAX_TYPED)])
    text = TextAreaField(_l("Texte du SMS"), validators=[DataRequired(_l("Écrivez le texte du SMS.")),
                                                         Length(max=MAX_LENGTH, message=_l("Un SMS a 160 caractères au plus."))])
    night_ok = BooleanField(_l("Envoyer même la nuit (entre 20h et 8h)"))


class StaffReminderForm(ReminderForm):
    """A professional's, on a shared appointment: no number to type (the SMS goes to the person's
    confirmed mobile), and "Maintenant" among the moments."""

    phone = None
    preset = RadioField(_l("Quand envoyer le SMS ?"), choices=[SelectChoice(p, PRESET_NAMES[p]) for p in STAFF_PRESETS],
                        default="day_before")
