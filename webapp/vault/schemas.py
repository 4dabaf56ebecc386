"""What each kind of record item holds, checked the same way for the pages and the API.

Metadata is encrypted whole (`vaultcore/item.py`); this only bounds and cleans what a person types:
lengths, no control characters, dates as dates. Markup is kept as typed and escaped on display.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from .errors import InvalidItem

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Field:
    name: str
    max_length: int
    required: bool = False
    kind: str = "text"  # text | long | date | time | email | phone


KINDS: dict[str, tuple[Field, ...]] = {
    "note": (Field("title", 200, required=True), Field("text", 20_000, kind="long")),
    "contact": (
        Field("name", 200, required=True),
        Field("phone", 30, kind="phone"),
        Field("email", 254, kind="email"),
        Field("address", 500, kind="long"),
        Field("comment", 2_000, kind="long"),
    ),
    "appointment": (
        Field("title", 200, required=True),
        Field("date", 10, required=True, kind="date"),
        Field("time", 5, kind="time"),
        Field("place", 300),
        Field("with_whom", 200),
        Field("notes", 2_000, kind="long"),
    ),
}
TITLE_FIELD = {"note": "title", "contact": "name", "appointment": "title"}


REQUIRED, TOO_LONG, INVALID = "required", "too_long", "invalid"


def check_metadata(kind: str, given: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(metadata to store, problems by field name: REQUIRED, TOO_LONG or INVALID)."""
    if kind not in KINDS or not isinstance(given, dict) or set(given) - {f.name for f in KINDS[kind]}:
        raise InvalidItem("fields")
    cleaned, problems = {}, {}
    for field in KINDS[kind]:
        value = given.get(field.name) or ""
        if not isinstance(value, str):
            raise InvalidItem(field.name)
        value = _CONTROL.sub("", value).strip()
        problem = _problem(field, value)
        if problem:
            problems[field.name] = problem
        elif value:
            cleaned[field.name] = value
    return cleaned, problems


def clean_metadata(kind: str, given: dict) -> dict[str, str]:
    cleaned, problems = check_metadata(kind, given)
    if problems:
        raise InvalidItem(next(iter(problems)))
    return cleaned


def _problem(field: Field, value: str) -> str | None:
    if field.required and not value:
        return REQUIRED
    if value and not _valid(field.kind, value):
        return INVALID
    if len(value) > field.max_length:
        return TOO_LONG
    return None


def _valid(kind: str, value: str) -> bool:
    try:
        if kind == "date":
            date.fromisoformat(value)
        elif kind == "time":
            time.fromisoformat(value)
    except ValueError:
        return False
    if kind == "email":
        return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None
    if kind == "phone":
        return re.fullmatch(r"[0-9+(). -]{3,30}", value) is not None
    return True
