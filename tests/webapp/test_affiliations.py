"""Beneficiary accounts opened by a professional, the search, the three ways to confirm an
affiliation, "Mes Relais", and the end of an affiliation, through the pages, on both backends."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from keyservice.errors import GuessesExhausted
from webapp.accounts import services as accounts
from webapp.accounts.models import Account, KeyBundle
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.structures.models import Affiliation
from webapp.vault.models import EpochWrap, SharedItemKey
from webapp.vault.services import Vault

from .conftest import Made, csrf_token, log_in
from .relais import make_structure, unlock
from .sms_recorder import phone_inbox  # noqa: F401  (fixture)
from .test_secrets import database_dump
from .test_sharing import item_key, structure_reader

ANSWER = "Le Chat Noir"
BENEFICIARY_PASSWORD = "mon vélo bleu du canal"


def vault_of(app, made: Made) -> Vault:
    owner = unlock(app, made.identifier, made.password)
    return Vault(db(), app.extensions["keys"], owner.id, owner.version, owner.identity)


def staff_client(app, manager: Made):
    client = app.test_client()
    assert log_in(client, manager).status_code == 302
    return client


def create_form(client, structure_id, first="Élise", last="Le Bihan", birth="12/05/1990", **changes) -> dict:
    data = {"csrf_token": csrf_token(client, f"/relais/{structure_id}/beneficiaires/nouveau"), "first_name": first,
            "last_name": last, "birth_date": birth, "password": BENEFICIARY_PASSWORD, "confirm": BENEFICIARY_PASSWORD,
            "secret_question": "Quel est votre plat préféré ?", "secret_answer": ANSWER}
    data.update(changes)
    return data


def created_identifier(page: str) -> str:
    return unescape(re.search(r"<code>([^<]+)</code>", page).group(1))


def affiliation(beneficiary_id, structure_id) -> Affiliation | None:
    db().expire_all()
    return db().get(Affiliation, (beneficiary_id, structure_id))


def structure_wraps(beneficiary_id, structure_id) -> int:
    return len(db().scalars(select(EpochWrap).where(EpochWrap.owner_id == beneficiary_id,
                                                     EpochWrap.recipient_id == structure_id)).all())


def test_creation_assigns_the_identifier_catches_a_second_account_and_handles_homonyms(app):
    with app.app_context():
        structure, manager = make_structure(app, "Relais du Canal")
    pro = staff_client(app, manager)
    url = f"/relais/{structure.id}/beneficiaires/nouveau"

    made = pro.post(url, data=create_form(pro, structure.id, affiliate="y"))
    assert made.status_code == 200, made.text
    identifier = created_identifier(made.text)
    assert identifier == "elise.le-bihan.12/05/1990"
    with app.app_context():
        account = db().scalar(select(Account).where(Account.identifier == identifier))
        assert account.person.secret_question == "Quel est votre plat préféré ?"
        assert {b.factor for b in db().scalars(select(KeyBundle).where(KeyBundle.account_id == account.id))} == {
            "password", "answer", "code"}
        assert affiliation(account.id, structure.id).status == "active"
        assert affiliation(account.id, structure.id).confirmed_by == "creation"
        assert structure_wraps(account.id, structure.id) == 1
    dump = database_dump(app)
    assert BENEFICIARY_PASSWORD.encode() not in dump and ANSWER.lower().encode() not in dump.lower()

    # The person logs in with the identifier as shown, on a phone, in capitals.
    with app.app_context():
        assert accounts.authenticate(db(), app.extensions["keys"], identifier.upper(), BENEFICIARY_PASSWORD)
        db().commit()

    # The same person again, spelled otherwise: caught, and affiliation offered instead (R13).
    again = pro.post(url, data=create_form(pro, structure.id, first="elise", last="LE-BIHAN", birth="12.05.1990"))
    assert again.status_code == 409
    assert "Un compte existe déjà pour cette personne" in unescape(again.text)
    assert f"/relais/{structure.id}/rattachements/{account.id}/demander" in again.text
    assert "elise" in unescape(again.text)  # what was typed stays
    with app.app_context():
        assert db().scalar(select(Account).where(Account.identifier == f"{identifier}-2")) is None
        assert db().scalar(select(AuditEvent).where(AuditEvent.action == "beneficiary.duplicate_caught"))

    # A real homonym, said so explicitly: a new account with a suffixed identifier.
    homonym = pro.post(url, data=create_form(pro, structure.id, homonym="y"))
    assert homonym.status_code == 200
    assert created_identifier(homonym.text) == f"{identifier}-2"
    assert "rattachée à aucun Relais" in unescape(homonym.text)


def test_search_needs_the_identifier_or_names_and_birth_date_together(app):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Nord")
    pro = staff_client(app, manager)
    pro.post(f"/relais/{structure.id}/beneficiaires/nouveau", data=create_form(pro, structure.id, first="Jean", last="Dupont",
                                                                               birth="01/01/1980"))
    url = f"/relais/{structure.id}/beneficiaires/recherche"
    token = csrf_token(pro, url)
    by_id = pro.post(url, data={"csrf_token": token, "identifier": " Jean.Dupont.01/01/1980 "})
    assert by_id.status_code == 200 and "jean.dupont.01/01/1980" in by_id.text
    by_name = pro.post(url, data={"csrf_token": token, "first_name": "JEAN", "last_name": "dupont", "birth_date": "1/1/1980"})
    assert "jean.dupont.01/01/1980" in by_name.text
    assert "Pas encore" not in by_name.text and "pas rattachée" in unescape(by_name.text)
    partial = pro.post(url, data={"csrf_token": token, "first_name": "Jean", "last_name": "Dupont"})
    assert partial.status_code == 400 and "jean.dupont" not in partial.text
    wrong_date = pro.post(url, data={"csrf_token": token, "first_name": "Jean", "last_name": "Dupont", "birth_date": "02/01/1980"})
    assert "Personne ne correspond" in wrong_date.text
    with app.app_context():
        searches = db().scalars(select(AuditEvent).where(AuditEvent.action == "beneficiary.searched")).all()
        assert len(searches) == 3


def test_sms_code_confirms_and_the_grant_completes_at_the_next_login(app, make_account, phone_inbox):  # noqa: F811
    with app.app_context():
        structure, manager = make_structure(app, "Relais Sud")
    beneficiary = make_account()
    with app.app_context():
        db().get(Account, beneficiary.id).person.phone = "+33612345678"
        db().commit()
    pro = staff_client(app, manager)
    page = f"/relais/{structure.id}/rattachements/{beneficiary.id}"
    token = csrf_token(pro, page)
    pro.post(f"{page}/demander", data={"csrf_token": token})
    sent = pro.post(f"{page}/code/envoyer", data={"csrf_token": token}, follow_redirects=True)
    assert "Un code a été envoyé par SMS" in unescape(sent.text)
    assert phone_inbox.received[-1].phone_e164 == "+33612345678"
    wrong = pro.post(f"{page}/code", data={"csrf_token": token, "code": "000000" if phone_inbox.last_code() != "000000" else "111111"})
    assert wrong.status_code == 400 and "Il reste 4 essais" in unescape(wrong.text)
    done = pro.post(f"{page}/code", data={"csrf_token": token, "code": phone_inbox.last_code()}, follow_redirects=True)
    assert "prochaine connexion" in unescape(done.text)
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).status == "confirmed"
        assert structure_wraps(beneficiary.id, structure.id) == 0  # no key of the person was at hand

    person = app.test_client()
    log_in(person, beneficiary)
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).status == "active"
        assert structure_wraps(beneficiary.id, structure.id) == 1
    assert "son partage vous est ouvert" in unescape(pro.get(page).text)


def test_confirmation_in_the_account_then_consent_and_the_end_in_mes_relais(app, make_account):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Est")
    beneficiary = make_account()
    pro = staff_client(app, manager)
    page = f"/relais/{structure.id}/rattachements/{beneficiary.id}"
    pro.post(f"{page}/demander", data={"csrf_token": csrf_token(pro, page)})

    person = app.test_client()
    log_in(person, beneficiary)
    assert "Mes Relais" in person.get("/").text
    mine = person.get("/mes-relais/")
    assert "Relais Est" in mine.text and "demande à vous accompagner" in unescape(mine.text)
    token = csrf_token(person, "/mes-relais/")
    accepted = person.post(f"/mes-relais/{structure.id}/accepter", data={"csrf_token": token}, follow_redirects=True)
    assert "voit maintenant ce que vous partagez" in unescape(accepted.text)
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).confirmed_by == "account"
        shared_before = vault_of(app, beneficiary).create_record_item("note", {"title": "avant"}, shared=True)
        db().commit()
        assert item_key(structure_reader(app, structure, manager, beneficiary.id), shared_before.id)

    person.post(f"/mes-relais/{structure.id}/contributions", data={"csrf_token": token, "consents": "1"})
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).consents_to_contributions is True
    person.post(f"/mes-relais/{structure.id}/contributions", data={"csrf_token": token, "consents": "0"})
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).consents_to_contributions is False

    confirm = person.get(f"/mes-relais/{structure.id}/terminer")
    assert "Terminer le rattachement ?" in unescape(confirm.text)
    ended = person.post(f"/mes-relais/{structure.id}/terminer", data={"csrf_token": token}, follow_redirects=True)
    assert "Vos documents restent à vous" in unescape(ended.text)
    with app.app_context():
        assert affiliation(beneficiary.id, structure.id).status == "ended"
        assert structure_wraps(beneficiary.id, structure.id) == 0
        # The beneficiary's own session rotated at once: the latest epoch is not the structure's.
        after = vault_of(app, beneficiary).create_record_item("note", {"title": "après"}, shared=True)
        db().commit()
        assert db().get(SharedItemKey, after.id).epoch > db().get(SharedItemKey, shared_before.id).epoch
        with pytest.raises(LookupError):
            structure_reader(app, structure, manager, beneficiary.id).epoch(db().get(SharedItemKey, after.id).epoch)
        assert item_key(vault_of(app, beneficiary).shared_part, shared_before.id)  # still the person's


def test_secret_answer_grants_at_once_and_the_sixth_wrong_answer_is_refused(app):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Ouest")
        other, other_manager = make_structure(app, "Relais Centre")
    pro = staff_client(app, manager)
    made = pro.post(f"/relais/{structure.id}/beneficiaires/nouveau", data=create_form(pro, structure.id))
    identifier = created_identifier(made.text)
    with app.app_context():
        beneficiary_id = db().scalar(select(Account.id).where(Account.identifier == identifier))

    # Right answer, typed on the professional's screen: active at once.
    page = f"/relais/{structure.id}/rattachements/{beneficiary_id}"
    token = csrf_token(pro, page)
    pro.post(f"{page}/demander", data={"csrf_token": token})
    assert "Quel est votre plat préféré ?" in unescape(pro.get(page).text)
    done = pro.post(f"{page}/reponse", data={"csrf_token": token, "answer": "  le chat, NOIR! "}, follow_redirects=True)
    assert "son partage vous est ouvert" in unescape(done.text)
    with app.app_context():
        assert affiliation(beneficiary_id, structure.id).confirmed_by == "answer"
        assert structure_wraps(beneficiary_id, structure.id) == 1

    # Another Relais: five wrong answers, then even the right one is refused by the key service.
    other_pro = staff_client(app, other_manager)
    page = f"/relais/{other.id}/rattachements/{beneficiary_id}"
    token = csrf_token(other_pro, page)
    other_pro.post(f"{page}/demander", data={"csrf_token": token})
    for left in (4, 3, 2, 1, 0):
        wrong = other_pro.post(f"{page}/reponse", data={"csrf_token": token, "answer": "chien blanc"})
        assert wrong.status_code == 400 and f"Il reste {left} essai" in unescape(wrong.text)
        assert "chien blanc" not in wrong.text
    locked = other_pro.post(f"{page}/reponse", data={"csrf_token": token, "answer": ANSWER})
    assert locked.status_code == 400 and "la question secrète est bloquée" in unescape(locked.text)
    with app.app_context():
        assert affiliation(beneficiary_id, other.id).status == "pending"
        assert structure_wraps(beneficiary_id, other.id) == 0
    with pytest.raises(GuessesExhausted):
        app.extensions["keys"].evaluate(beneficiary_id, "answer", bytes(32))


def test_the_structure_ends_it_without_the_person_and_the_next_share_leaves_it_out(app):
    with app.app_context():
        structure, manager = make_structure(app, "Relais Canal")
    pro = staff_client(app, manager)
    made = pro.post(f"/relais/{structure.id}/beneficiaires/nouveau", data=create_form(pro, structure.id, affiliate="y"))
    person = Made(created_identifier(made.text), BENEFICIARY_PASSWORD)
    with app.app_context():
        person.id = db().scalar(select(Account.id).where(Account.identifier == person.identifier))
        before = vault_of(app, person).create_record_item("note", {"title": "avant"}, shared=True)
        db().commit()
    page = f"/relais/{structure.id}/rattachements/{person.id}"
    assert "Terminer le rattachement ?" in unescape(pro.get(f"{page}/terminer").text)
    ended = pro.post(f"{page}/terminer", data={"csrf_token": csrf_token(pro, page)}, follow_redirects=True)
    assert "Le rattachement est terminé" in unescape(ended.text)
    with app.app_context():
        assert affiliation(person.id, structure.id).status == "ended"
        assert affiliation(person.id, structure.id).ended_by == manager.id
        assert structure_wraps(person.id, structure.id) == 0
        after = vault_of(app, person).create_record_item("note", {"title": "après"}, shared=True)
        db().commit()
        with pytest.raises(LookupError):
            structure_reader(app, structure, manager, person.id).epoch(db().get(SharedItemKey, after.id).epoch)
        assert item_key(vault_of(app, person).shared_part, before.id)
        assert db().scalar(select(AuditEvent).where(AuditEvent.action == "affiliation.ended"))


def test_the_api_creates_searches_affiliates_and_ends(app, make_account):
    from .test_api import login

    with app.app_context():
        structure, manager = make_structure(app, "Relais API")
    client = app.test_client()
    pro = login(client, manager)
    base = f"/api/v1/structures/{structure.id}"
    body = {"first_name": "Awa", "last_name": "Diallo", "birth_date": "1990-01-01", "password": BENEFICIARY_PASSWORD,
            "secret_question": "Ville ?", "secret_answer": ANSWER, "affiliate": False, "homonym": False}
    made = client.post(f"{base}/beneficiaries", json=body, headers=pro)
    assert made.status_code == 201 and made.json["identifier"] == "awa.diallo.01/01/1990"
    assert made.json["affiliation"] is None
    again = client.post(f"{base}/beneficiaries", json=body, headers=pro)
    assert again.status_code == 409 and again.json["existing"] == [made.json["id"]]
    assert again.json["error"]["code"] == "duplicate_account"
    homonym = client.post(f"{base}/beneficiaries", json=dict(body, homonym=True, affiliate=True), headers=pro)
    assert homonym.json["identifier"] == "awa.diallo.01/01/1990-2" and homonym.json["affiliation"]["status"] == "active"

    found = client.post(f"{base}/beneficiaries/search", headers=pro,
                        json={"identifier": "", "first_name": "awa", "last_name": "DIALLO", "birth_date": "1990-01-01"})
    assert {r["identifier"] for r in found.json["results"]} == {"awa.diallo.01/01/1990", "awa.diallo.01/01/1990-2"}
    refused = client.post(f"{base}/beneficiaries/search", headers=pro,
                          json={"identifier": "", "first_name": "awa", "last_name": "", "birth_date": ""})
    assert refused.status_code == 422

    beneficiary_id = made.json["id"]
    url = f"{base}/affiliations/{beneficiary_id}"
    assert client.post(url, headers=pro).json["status"] == "pending"
    assert client.post(url, headers=pro).status_code == 201  # asking again while pending restarts it
    state = client.get(url, headers=pro).json
    assert state["status"] == "pending" and state["secret_question"] == "Ville ?" and not state["can_confirm_by_sms"]
    assert client.post(f"{url}/code", headers=pro).json["error"]["code"] == "no_phone"
    wrong = client.post(f"{url}/answer", json={"answer": "autre chose"}, headers=pro)
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "wrong_answer"

    person = login(client, Made(made.json["identifier"], BENEFICIARY_PASSWORD))
    mine = client.get("/api/v1/me/affiliations", headers=person).json["affiliations"]
    assert [(a["structure_name"], a["status"]) for a in mine] == [("Relais API", "pending")]
    assert client.post(f"/api/v1/me/affiliations/{structure.id}/accept", headers=person).json["status"] == "active"
    consent = client.put(f"/api/v1/me/affiliations/{structure.id}/consent", json={"consents": True}, headers=person)
    assert consent.json["consents_to_contributions"] is True
    assert client.get(url, headers=pro).json["status"] == "active"
    ended = client.delete(f"/api/v1/me/affiliations/{structure.id}", headers=person)
    assert ended.json["status"] == "ended" and ended.json["consents_to_contributions"] is False
    assert client.delete(f"/api/v1/me/affiliations/{structure.id}", headers=person).status_code == 404

    other = homonym.json["id"]
    assert client.delete(f"{base}/affiliations/{other}", headers=pro).json["status"] == "ended"
    with app.app_context():
        assert structure_wraps(other, structure.id) == 0
    assert client.post(f"{base}/affiliations/{'0' * 32}", headers=pro).status_code == 404
    assert client.get("/api/v1/me/affiliations", headers=pro).status_code == 403

