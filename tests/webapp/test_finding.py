"""Search and dashboard, on metadata decrypted in the session."""
from datetime import date, datetime, timezone

import pytest

from webapp.vault.finding import folded, recent_documents, search, upcoming_appointments
from webapp.vault.services import ItemView

from .conftest import csrf_token, log_in


def view(kind, **metadata):
    now = datetime.now(timezone.utc)
    return ItemView(str(id(metadata)), kind, False, None, 0, now, now, None, "a", metadata)


def test_search_ignores_case_and_accents_and_needs_every_word():
    items = [view("note", title="École de Léa", text="réunion parents"), view("contact", name="Mme Diallo")]
    assert [v.metadata.get("title") for v in search(items, "ecole REUNION")] == ["École de Léa"]
    assert search(items, "diallo ecole") == []
    assert len(search(items, "  ")) == 2
    assert folded("Ça") == "ca"


def test_upcoming_appointments_are_the_next_ones_from_today():
    items = [view("appointment", title=t, date=d) for t, d in [("passé", "2026-01-01"), ("demain", "2026-11-27"),
                                                                ("plus tard", "2027-02-01"), ("aujourd'hui", "2026-11-26")]]
    assert [v.metadata["title"] for v in upcoming_appointments(items, date(2026, 11, 26))] == ["aujourd'hui", "demain", "plus tard"]
    assert recent_documents(items) == []


def test_search_page(client, make_account):
    log_in(client, make_account())
    for title in ("Carte vitale", "Bail du logement"):
        client.post("/coffre/nouveau/note", data={"csrf_token": csrf_token(client, "/coffre/nouveau/note"), "title": title})
    page = client.get("/coffre/?q=vitale")
    assert "Carte vitale" in page.text and "Bail du logement" not in page.text
    assert "Rien ne correspond" in client.get("/coffre/?q=passeport").text
    assert "Carte vitale" not in client.get("/coffre/?type=contact").text
