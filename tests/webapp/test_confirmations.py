"""Actions that cannot be taken back ask first (issue #6): the manager's "remove a member", "delete a
professional's account" and "refuse a deletion request", the administrator's "reject an application"
and "suspend a Relais". The page (GET) says what will happen and changes nothing; "Oui, …" (POST to
the same address) performs it; "Non, revenir" leads back. No JavaScript needed."""
from html import unescape

from webapp.accounts.models import Account
from webapp.database import db
from webapp.structures.models import DeletionRequest, Membership, Structure, StructureApplication

from .conftest import csrf_token
from .test_structures import application_form, approved_structure, first_login, pdf, shown_account


def confirm_page(client, path: str, *words: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, path
    text = unescape(page.text)
    assert f'action="{path}"' in text and 'method="post"' in text and "Non, revenir" in text
    for word in words:
        assert word in text, word
    return text


def test_the_manager_confirms_before_removing_deleting_or_refusing(app, make_account):
    _admin, _application, structure, manager_id, manager_password = approved_structure(app, make_account)
    manager = first_login(app, manager_id, manager_password)
    home = f"/relais/{structure.id}"
    people = []
    for first in ("Sam", "Inès", "Léa"):
        made = manager.post(f"{home}/professionnels/nouveau", data={"csrf_token": csrf_token(manager, home),
                                                                     "first_name": first, "last_name": "Durand", "email": ""})
        identifier, password = shown_account(made.text)
        pro = first_login(app, identifier, password)
        pro.post(f"{home}/demande-de-suppression", data={"csrf_token": csrf_token(pro, home)})
        with app.app_context():
            people.append(db().query(Account).filter_by(identifier=identifier).one().id)
    sam, ines, lea = people
    page = unescape(manager.get(home).text)
    for action in ("retirer", "supprimer"):
        assert f'href="{home}/membres/{sam}/{action}"' in page
    assert f'href="{home}/demandes/{sam}/refuser"' in page

    remove = f"{home}/membres/{sam}/retirer"
    confirm_page(manager, remove, "Retirer Sam Durand du Relais ?", "Les clés du Relais seront renouvelées",
                 "Oui, retirer du Relais")
    delete = f"{home}/membres/{ines}/supprimer"
    confirm_page(manager, delete, "Supprimer le compte de Inès Durand ?", "Cela ne peut pas être annulé",
                 "Oui, supprimer le compte")
    refuse = f"{home}/demandes/{lea}/refuser"
    confirm_page(manager, refuse, "Refuser la demande de suppression de Léa Durand ?", "reste ouvert",
                 "Oui, refuser la demande")
    with app.app_context():  # looking changed nothing
        assert db().query(Membership).filter_by(structure_id=structure.id).count() == 4
        assert db().query(DeletionRequest).filter_by(structure_id=structure.id).count() == 3

    token = csrf_token(manager, home)
    for path in (remove, delete, refuse):
        assert manager.post(path, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        members = {m.account_id for m in db().query(Membership).filter_by(structure_id=structure.id)}
        assert sam not in members and ines not in members and lea in members
        assert db().query(DeletionRequest).filter_by(account_id=lea).count() == 0
    # Gone, or nothing to refuse: no page to confirm.
    assert manager.get(remove).status_code == 404 and manager.get(refuse).status_code == 404
    assert manager.get(f"{home}/membres/{lea}/supprimer").status_code == 200


def test_a_professional_or_another_relais_gets_no_confirmation_page(app, make_account):
    _admin, _application, structure, manager_id, manager_password = approved_structure(app, make_account, name="Relais A")
    _admin_b, _application_b, other, other_id, other_password = approved_structure(app, make_account, name="Relais B")
    outsider = first_login(app, other_id, other_password)
    with app.app_context():
        manager_account = db().query(Membership).filter_by(structure_id=structure.id).one().account_id
    for action in ("membres/{}/retirer", "membres/{}/supprimer", "demandes/{}/refuser"):
        assert outsider.get(f"/relais/{structure.id}/" + action.format(manager_account)).status_code == 404
    manager = first_login(app, manager_id, manager_password)
    # A manager is not a professional: no "delete the account" page for them.
    assert manager.get(f"/relais/{structure.id}/membres/{manager_account}/supprimer").status_code == 404


def test_the_administrator_confirms_before_rejecting_or_suspending(app, make_account):
    admin, _application, structure, _manager_id, _password = approved_structure(app, make_account)
    applicant = app.test_client()
    applicant.post("/relais/candidature", data=application_form(applicant, "Foyer du Port", [(pdf("x"), "statuts.pdf")]),
                   content_type="multipart/form-data")
    with app.app_context():
        application = db().query(StructureApplication).filter_by(name="Foyer du Port").one()
    shown = unescape(admin.get(f"/admin/relais/candidatures/{application.id}").text)
    reject = f"/admin/relais/candidatures/{application.id}/refuser"
    assert f'href="{reject}"' in shown and "Raison du refus" not in shown
    page = unescape(admin.get(reject).text)
    assert "Refuser la candidature de Foyer du Port ?" in page and "Oui, refuser la candidature" in page
    assert "Non, revenir" in page and "Cette réponse est définitive" in page
    token = csrf_token(admin, reject)
    kept = admin.post(reject, data={"csrf_token": token, "reason": ""})
    assert kept.status_code == 400 and "Écrivez la raison du refus." in unescape(kept.text)
    assert admin.post(reject, data={"csrf_token": token, "reason": "Pas une structure sociale"}).status_code == 302
    with app.app_context():
        assert db().get(StructureApplication, application.id).rejection_reason == "Pas une structure sociale"
    assert admin.get(reject).status_code == 302  # already answered

    suspend = f"/admin/relais/{structure.id}/suspendre"
    assert f'href="{suspend}"' in admin.get("/admin/relais/").text
    confirm_page(admin, suspend, "Suspendre Relais du Canal ?", "vous pourrez le réactiver", "Oui, suspendre")
    with app.app_context():
        assert db().get(Structure, structure.id).status == "active"
    assert admin.post(suspend, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db().get(Structure, structure.id).status == "suspended"
    assert admin.get(suspend).status_code == 404  # already suspended: reactivating is offered instead
