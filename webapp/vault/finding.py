"""Finding things: search and the dashboard, computed on metadata decrypted in the session.

The server keeps no index: every search decrypts the person's own items, which for the thousands
of items one person has is a matter of milliseconds.
"""
from __future__ import annotations

import unicodedata
from datetime import date

from .services import ItemView

SEARCHED_FIELDS = ("title", "file_name", "text", "name", "comment", "place", "with_whom", "notes", "address")


def folded(text: str) -> str:
    """Case and accents do not matter: « ecole » finds « École »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search(views: list[ItemView], query: str) -> list[ItemView]:
    words = folded(query).split()
    if not words:
        return views
    return [view for view in views if all(word in _haystack(view) for word in words)]


def upcoming_appointments(views: list[ItemView], today: date, limit: int = 3) -> list[ItemView]:
    upcoming = [v for v in views if v.kind == "appointment" and v.metadata.get("date", "") >= today.isoformat()]
    return sorted(upcoming, key=lambda v: (v.metadata["date"], v.metadata.get("time", "")))[:limit]


def recent_documents(views: list[ItemView], limit: int = 3) -> list[ItemView]:
    return sorted((v for v in views if v.kind == "document"), key=lambda v: v.created_at, reverse=True)[:limit]


def _haystack(view: ItemView) -> str:
    return folded(" ".join(str(view.metadata.get(field, "")) for field in SEARCHED_FIELDS))
