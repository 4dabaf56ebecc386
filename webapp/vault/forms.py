"""Forms of the vault pages that choose among the person's own things."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, ValidationError

from .labels import destination_refused_message
from .services import ItemView


class MoveForm(FlaskForm):
    """Where an item can go: out of any folder, or a folder it may enter. A folder is never offered
    itself nor a folder inside it, and a destination that was not offered is refused in plain words."""

    dossier = SelectField(_l("Ranger dans un dossier"), validate_choice=False)

    @classmethod
    def for_item(cls, item: ItemView, destinations: list[ItemView]) -> "MoveForm":
        form = cls(dossier=item.folder_id or "")
        form.item = item
        form.dossier.choices = [("", _("Mon coffre (hors dossier)"))] + [
            (folder.id, folder.metadata["title"] if folder.shared else "{} ({})".format(folder.metadata["title"], _("privé")))
            for folder in destinations
        ]
        return form

    @property
    def offers_a_move(self) -> bool:
        """Something to choose besides where the item already is (or a refusal to point at)."""
        return len(self.dossier.choices) > 1 or self.item.folder_id is not None or bool(self.dossier.errors)

    def validate_dossier(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in field.choices}:
            field.data = self.item.folder_id or ""  # the list shows where it is now, not the refused choice
            raise ValidationError(destination_refused_message())
