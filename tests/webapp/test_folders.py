"""Folders: privacy follows the folder, moves never loop, deleting takes the contents along."""
import pytest

from webapp.database import db
from webapp.vault.errors import InvalidDestination, InvalidItem
from webapp.vault.models import SharedItemKey

from .test_vault_services import vault  # noqa: F401  (fixture)


def folder(vault, title, shared=False, parent=None):
    return vault.create_record_item("folder", {"title": title}, shared=shared, folder_id=parent)


def note(vault, title, shared=False, parent=None):
    return vault.create_record_item("note", {"title": title}, shared=shared, folder_id=parent)


def test_an_item_takes_its_folders_setting(app, vault):
    private, shared = folder(vault, "Santé"), folder(vault, "Logement", shared=True)
    assert note(vault, "ordonnance", shared=True, parent=private.id).shared is False
    assert note(vault, "bail", parent=shared.id).shared is True


def test_switching_a_folder_switches_everything_inside(app, vault):
    top = folder(vault, "Identité")
    inner = folder(vault, "Anciens papiers", parent=top.id)
    deep = note(vault, "ancienne carte", parent=inner.id)
    vault.set_shared(top.id, True)
    db().commit()
    assert vault.get(deep.id).shared and db().get(SharedItemKey, deep.id) is not None
    vault.set_shared(top.id, False)
    db().commit()
    assert not vault.get(deep.id).shared and db().get(SharedItemKey, deep.id) is None


def test_an_item_in_a_private_folder_cannot_be_shared_alone(app, vault):
    private = folder(vault, "Impôts")
    inside = note(vault, "avis", parent=private.id)
    with pytest.raises(InvalidItem):
        vault.set_shared(inside.id, True)


def test_moving_into_a_private_folder_makes_private(app, vault):
    shared_note = note(vault, "RIB", shared=True)
    private = folder(vault, "Revenus")
    assert vault.move(shared_note.id, private.id) is True
    db().commit()
    assert vault.get(shared_note.id).shared is False and db().get(SharedItemKey, shared_note.id) is None
    assert vault.move(shared_note.id, None) is False


def test_a_folder_never_moves_into_itself_or_below(app, vault):
    top = folder(vault, "Travail")
    inner = folder(vault, "Contrats", parent=top.id)
    deep = folder(vault, "2024", parent=inner.id)
    for target in (top.id, inner.id, deep.id):
        with pytest.raises(InvalidDestination):
            vault.move(top.id, target)
    with pytest.raises(InvalidDestination):
        vault.move(inner.id, note(vault, "pas un dossier").id)
    with pytest.raises(InvalidDestination):
        note(vault, "dans une note", parent=note(vault, "une note").id)


def test_the_destinations_of_a_move_leave_out_the_folder_and_what_it_holds(app, vault):
    top = folder(vault, "Travail")
    inner = folder(vault, "Contrats", parent=top.id)
    deep = folder(vault, "2024", parent=inner.id)
    elsewhere = folder(vault, "Santé")
    paper = note(vault, "fiche de paie", parent=deep.id)
    assert {view.id for view in vault.move_destinations(inner.id)} == {top.id, elsewhere.id}
    assert {view.id for view in vault.move_destinations(top.id)} == {elsewhere.id}
    assert {view.id for view in vault.move_destinations(paper.id)} == {top.id, inner.id, deep.id, elsewhere.id}


def test_deleting_a_folder_takes_its_contents_and_restoring_brings_them_back(app, vault):
    top = folder(vault, "Titre de séjour")
    inner = folder(vault, "Récépissés", parent=top.id)
    note(vault, "récépissé 1", parent=inner.id)
    note(vault, "rendez-vous préfecture", parent=top.id)
    assert vault.folder_summary(top.id) == {"folder": 1, "note": 2}
    vault.trash(top.id)
    db().commit()
    assert vault.list_items() == [] and len(vault.list_items(trashed=True)) == 4
    vault.restore(top.id)
    db().commit()
    assert len(vault.list_items()) == 4
    assert [v.metadata["title"] for v in vault.folder_contents(inner.id)] == ["récépissé 1"]
