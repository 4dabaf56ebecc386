"""The vault pages, without JavaScript: add, read, edit, share, trash and restore record items."""
import re

import pytest

from .conftest import csrf_token, log_in


@pytest.fixture
def beneficiary(client, make_account):
    made = make_account()
    log_in(client, made)
    return made


def add(client, kind, shared=False, **fields):
    data = {"csrf_token": csrf_token(client, f"/coffre/nouveau/{kind}"), "shared": "1" if shared else "0", **fields}
    return client.post(f"/coffre/nouveau/{kind}", data=data)


def test_add_a_note_and_read_it_back(client, beneficiary):
    created = add(client, "note", title="Papiers CAF", text="<script>alert(1)</script>\nApporter le RIB")
    assert created.status_code == 302
    page = client.get(created.headers["Location"])
    assert "Papiers CAF" in page.text and "Privé" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    listing = client.get("/coffre/")
    assert "Papiers CAF" in listing.text


def test_refused_form_keeps_what_was_typed(client, beneficiary):
    response = add(client, "appointment", title="", date="pas une date", place="Mairie du 18e")
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text and "Choisissez une date" in response.text
    assert 'value="Mairie du 18e"' in response.text and 'value="pas une date"' in response.text


def test_share_then_make_private(client, beneficiary):
    location = add(client, "contact", name="Mme Diallo, assistante sociale", phone="01 23 45 67 89").headers["Location"]
    token = csrf_token(client, location)
    item_path = location.rstrip("/")
    client.post(item_path + "/partage", data={"csrf_token": token, "shared": "1"})
    assert "Partagé" in client.get(location).text
    client.post(item_path + "/partage", data={"csrf_token": token, "shared": "0"})
    assert "Privé" in client.get(location).text


def test_edit(client, beneficiary):
    location = add(client, "note", title="Avant", text="texte").headers["Location"]
    response = client.post(location + "/modifier", data={"csrf_token": csrf_token(client, location), "title": "Après", "text": "nouveau"})
    assert response.status_code == 302 and "Après" in client.get(location).text


def test_trash_and_restore(client, beneficiary):
    location = add(client, "note", title="À jeter").headers["Location"]
    client.post(location + "/corbeille", data={"csrf_token": csrf_token(client, location)})
    assert "À jeter" not in client.get("/coffre/").text
    assert client.get(location).status_code == 404
    trash = client.get("/coffre/corbeille")
    assert "À jeter" in trash.text
    item_id = location.rsplit("/", 1)[-1]
    client.post(f"/coffre/element/{item_id}/restaurer", data={"csrf_token": csrf_token(client, "/coffre/corbeille")})
    assert "À jeter" in client.get("/coffre/").text


def test_another_beneficiary_gets_404_and_staff_get_403(app, client, beneficiary, make_account):
    location = add(client, "note", title="À moi").headers["Location"]
    other = app.test_client()
    log_in(other, make_account())
    assert other.get(location).status_code == 404
    staff = app.test_client()
    log_in(staff, make_account(role="professional"))
    assert staff.get("/coffre/").status_code == 403


def test_pages_work_in_english(client, beneficiary):
    page = client.get("/coffre/nouveau/note", headers={"Accept-Language": "en"})
    assert "New note" in page.text and "Me and my Relais (shared)" in page.text


def test_page_titles_are_plain_text(client, beneficiary):
    location = add(client, "note", title="Titre simple").headers["Location"]
    title = re.search(r"<title>(.*?)</title>", client.get(location).text, re.S).group(1)
    assert "<" not in title and "Titre simple" in title
