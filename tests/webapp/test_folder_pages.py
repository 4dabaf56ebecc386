"""Folders in the pages: create, fill, share with everything inside, move in and out, delete with a summary."""
import re

import pytest

from .conftest import csrf_token, log_in


@pytest.fixture
def logged_in(client, make_account):
    log_in(client, make_account())


def new_folder(client, title, parent=None, shared="0"):
    path = "/coffre/nouveau-dossier" + (f"?dossier={parent}" if parent else "")
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "titre": title, "shared": shared})
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[-1]


def new_note(client, title, folder=None):
    path = "/coffre/nouveau/note" + (f"?dossier={folder}" if folder else "")
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "title": title, "shared": "1"})
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_folder_life(client, logged_in):
    identity = new_folder(client, "Identité")
    page = client.get(f"/coffre/dossier/{identity}")
    assert "Identité" in page.text and "Ce dossier est vide." in page.text
    inside = new_note(client, "copie du passeport", identity)
    assert "Privé" in client.get(f"/coffre/element/{inside}").text  # the folder is private: so is the note
    assert "dossier privé" in client.get(f"/coffre/element/{inside}").text
    token = csrf_token(client, f"/coffre/dossier/{identity}")
    client.post(f"/coffre/element/{identity}/partage", data={"csrf_token": token, "shared": "1"})
    assert "Partagé" in client.get(f"/coffre/element/{inside}").text
    outside = new_note(client, "RIB")
    private = new_folder(client, "Privé à moi")
    moved = client.post(f"/coffre/element/{outside}/deplacer", data={"csrf_token": token, "dossier": private}, follow_redirects=True)
    assert "devenu privé" in moved.text
    confirm = client.get(f"/coffre/dossier/{identity}/supprimer")
    assert "1 × Note" in confirm.text
    client.post(f"/coffre/dossier/{identity}/supprimer", data={"csrf_token": token})
    assert "copie du passeport" not in client.get("/coffre/").text
    assert "copie du passeport" in client.get("/coffre/corbeille").text


def test_suggested_names_and_rename(client, logged_in):
    page = client.get("/coffre/nouveau-dossier")
    assert '<datalist id="suggestions">' in page.text and "Titre de séjour" in page.text
    folder = new_folder(client, "Santé")
    token = csrf_token(client, f"/coffre/dossier/{folder}")
    assert client.post(f"/coffre/dossier/{folder}/renommer", data={"csrf_token": token, "titre": ""}).status_code == 400
    client.post(f"/coffre/dossier/{folder}/renommer", data={"csrf_token": token, "titre": "Santé et CMU"})
    assert "Santé et CMU" in client.get(f"/coffre/dossier/{folder}").text


def move_choices(page_text: str) -> set[str]:
    select = re.search(r'<select[^>]*name="dossier"[^>]*>(.*?)</select>', page_text, re.S).group(1)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select))


def test_a_folder_is_offered_every_place_but_itself_and_what_it_holds(client, logged_in):
    outer = new_folder(client, "Travail")
    inner = new_folder(client, "Contrats", parent=outer)
    deep = new_folder(client, "2024", parent=inner)
    elsewhere = new_folder(client, "Santé")
    paper = new_note(client, "fiche de paie", deep)
    assert move_choices(client.get(f"/coffre/dossier/{inner}").text) == {"", outer, elsewhere}
    assert move_choices(client.get(f"/coffre/dossier/{outer}").text) == {"", elsewhere}
    assert move_choices(client.get(f"/coffre/element/{paper}").text) == {"", outer, inner, deep, elsewhere}
    token = csrf_token(client, f"/coffre/dossier/{inner}")
    moved = client.post(f"/coffre/element/{inner}/deplacer", data={"csrf_token": token, "dossier": elsewhere},
                        follow_redirects=True)
    assert moved.request.path == f"/coffre/dossier/{inner}" and "Déplacé." in moved.text
    assert "← Santé" in moved.text


def test_a_forged_destination_is_refused_in_plain_words(client, logged_in):
    outer = new_folder(client, "Travail")
    inner = new_folder(client, "Contrats", parent=outer)
    note_id = new_note(client, "pas un dossier")
    token = csrf_token(client, f"/coffre/dossier/{outer}")
    for forged in (outer, inner, note_id, "0" * 32):
        refused = client.post(f"/coffre/element/{outer}/deplacer", data={"csrf_token": token, "dossier": forged})
        assert refused.status_code == 400
        assert "Rien n'a été déplacé" in refused.text and "un dossier ne va ni dans lui-même" in refused.text
        assert 'aria-invalid="true"' in refused.text and "<h1>" in refused.text and "Travail" in refused.text
    assert "Contrats" in client.get(f"/coffre/dossier/{outer}").text  # nothing moved: the folder still holds it
    assert client.get(f"/coffre/dossier/{outer}").text.count("Rien n'a été déplacé") == 0
    client.get("/langue/en")
    english = client.post(f"/coffre/element/{outer}/deplacer", data={"csrf_token": token, "dossier": inner})
    assert english.status_code == 400 and "Nothing was moved" in english.text


def test_a_refused_new_folder_keeps_the_name_and_the_privacy_chosen(client, logged_in):
    path = "/coffre/nouveau-dossier"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path), "titre": "x" * 201, "shared": "1"})
    assert refused.status_code == 400
    assert re.search(r'<input type="radio" name="shared" value="1" checked>', refused.text)
    assert not re.search(r'<input type="radio" name="shared" value="0" checked>', refused.text)
    assert "x" * 201 in refused.text
