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


def test_a_folder_cannot_move_into_itself(client, logged_in):
    outer = new_folder(client, "Travail")
    inner = new_folder(client, "Contrats", parent=outer)
    token = csrf_token(client, f"/coffre/dossier/{outer}")
    assert client.post(f"/coffre/element/{outer}/deplacer", data={"csrf_token": token, "dossier": inner}).status_code == 400
