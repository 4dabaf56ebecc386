"""A reminder's text: prefilled with the bare minimum (the date and the time), edited by the person.
It is the only plaintext of an appointment that leaves the vault, so it holds what they accepted
and nothing more: a place or a name only if they type it."""
from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from flask_babel import gettext as _

from .errors import InvalidText

MAX_LENGTH = 160  # one SMS
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
EMPTY, TOO_LONG = "empty", "too_long"


def default_text(metadata: dict[str, Any]) -> str:
    if metadata.get("time"):
        return _("Rappel : rendez-vous le %(date)s à %(time)s.", date=day_text(metadata), time=time_text(metadata))
    return _("Rappel : rendez-vous le %(date)s.", date=day_text(metadata))


def clean(text: str) -> str:
    """The text as it will be sent; raises InvalidText(EMPTY or TOO_LONG)."""
    text = " ".join(_CONTROL.sub("", text or "").split())
    if not text:
        raise InvalidText(EMPTY)
    if len(text) > MAX_LENGTH:
        raise InvalidText(TOO_LONG)
    return text


def follow_move(text: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """The text once the appointment moved: the old date and time it shows become the new ones.
    Anything else the person wrote stays as it is."""
    replacements = [(day_text(before), day_text(after))]
    if before.get("time") and after.get("time"):
        replacements.append((time_text(before), time_text(after)))
    for old, new in replacements:
        text = text.replace(old, new)
    return text[:MAX_LENGTH]


def day_text(metadata: dict[str, Any]) -> str:
    return date.fromisoformat(metadata["date"]).strftime("%d/%m")


def time_text(metadata: dict[str, Any]) -> str:
    at = time.fromisoformat(metadata["time"])
    return f"{at.hour}h{at.minute:02d}"
