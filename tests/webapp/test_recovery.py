"""A beneficiary who forgot their password gets back in and keeps everything: by the secret answer
after an SMS code, by the recovery code, or with a professional of their Relais; the account
settings change the question and answer and issue new codes. Pages and API, both backends."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import unescape

import pytest
from sqlalchemy import select

from webapp.accounts import services as accounts
from webapp.accounts.models import Account
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.sms.models import SmsMessage
from webapp.structures.models import Structure
from webapp.vault.services import Vault

from .conftest import Made, csrf_token, log_in
from .relais import make_structure, unlock
from .sms_recorder import phone_inbox  # noqa: F401  (fixture)
from .test_affiliations import BENEFICIARY_PASSWORD, create_form, created_identifier, staff_client
from .test_secrets import database_dump, redis_dump
from .test_sharing import item_key, structure_reader

ANSWER = "Le Chat Noir"
NEW_PASSWORD = "le bateau rouge dort au port"
PHONE = "+33612345678"
PRIVATE, SHARED = "Ma note privée", "Ma note partagée"


@dataclass
class Person:
    made: Made
    structure: Structure
    manager: Made
    code: str  # the recovery code printed at creation
    private_id: str
    shared_id: str


def printed_code(page: str) -> str:
    block = re.search(r'class="recovery-code"[^>]*>(.*?)</p>', page, re.S).group(1)
    return "-".join(re.findall(r"<span>([0-9A-Z]{4})</span>", block))


def person(app, *, phone: str | None = PHONE, first="Élise", last="Le Bihan") -> Person:
    """A beneficiary opened by a professional (the page prints the code), with a private and a shared note."""
    with app.app_context():
        structure, manager = make_structure(app, "Relais du Canal")
    pro = staff_client(app, manager)
    page = pro.post(f"/relais/{structure.id}/beneficiaires/nouveau",
                    data=create_form(pro, structure.id, first=first, last=last, affiliate="y"))
    assert page.status_code == 200, page.text
    assert "<svg" in page.text and "Gardez-le sur papier" in page.text
    code = printed_code(page.text)
    made = Made(created_identifier(page.text), BENEFICIARY_PASSWORD)
    with app.app_context():
        account = db().scalar(select(Account).where(Account.identifier == made.identifier))
        made.id = account.id
        account.person.phone = phone
        accounts.accept_terms(db(), account, accounts.current_terms(db()).version)
        owner = unlock(app, made.identifier, made.password)
        vault = Vault(db(), app.extensions["keys"], owner.id, owner.version, owner.identity)
        private = vault.create_record_item("note", {"title": PRIVATE, "text": "privé"})
        shared = vault.create_record_item("note", {"title": SHARED, "text": "partagé"}, shared=True)
        db().commit()
    return Person(made, structure, manager, code, private.id, shared.id)


def guesses(app, account_id: str, factor: str = "answer"):
    with app.app_context():
        return app.extensions["keys"].status(account_id, factor)


def keeps_everything(app, who: Person, password: str) -> None:
    """The new password opens every item; the Relais still reads the shared one."""
    with app.app_context():
        owner = unlock(app, who.made.identifier, password)
        vault = Vault(db(), app.extensions["keys"], owner.id, owner.version, owner.identity)
        assert {view.metadata["title"] for view in vault.list_items()} == {PRIVATE, SHARED}
        assert len(item_key(structure_reader(app, who.structure, who.manager, who.made.id), who.shared_id)) == 32


def events(app, action: str, subject: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db().scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                          AuditEvent.subject_id == subject)))


def notices(app, account_id: str) -> list[str]:
    with app.app_context():
        return list(db().scalars(select(SmsMessage.body).where(SmsMessage.account_id == account_id,
                                                               SmsMessage.purpose == "notice")))


def form(client, path: str, **data) -> dict:
    return {"csrf_token": csrf_token(client, path), **data}


def start(client, identifier: str):
    client.post("/mot-de-passe-oublie/", data=form(client, "/mot-de-passe-oublie/", identifier=identifier))


def ask_sms(client, identifier: str):
    start(client, identifier)
    return client.post("/mot-de-passe-oublie/reponse", data=form(client, "/mot-de-passe-oublie/reponse"),
                       follow_redirects=True)


def type_sms(client, code: str):
    return client.post("/mot-de-passe-oublie/reponse/code", data=form(client, "/mot-de-passe-oublie/reponse/code", code=code))


def answer(client, typed: str, password: str = NEW_PASSWORD):
    return client.post("/mot-de-passe-oublie/reponse/question", data=form(
        client, "/mot-de-passe-oublie/code", answer=typed, new_password=password, confirm=password))


def with_code(client, identifier: str, code: str, password: str = NEW_PASSWORD):
    return client.post("/mot-de-passe-oublie/code", data=form(
        client, "/mot-de-passe-oublie/code", identifier=identifier, recovery_code=code, new_password=password,
        confirm=password))


def page_text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.text))


def test_the_answer_after_an_sms_code_changes_the_password_and_keeps_everything(app, phone_inbox):
    who = person(app)
    elsewhere = app.test_client()
    assert log_in(elsewhere, who.made).status_code == 302
    client = app.test_client()
    assert 'href="/mot-de-passe-oublie/"' in client.get("/connexion").text
    assert client.get("/mot-de-passe-oublie/choix").headers["Location"].endswith("/mot-de-passe-oublie/")
    start(client, who.made.identifier.upper() + " ")
    choices = page_text(client.get("/mot-de-passe-oublie/choix"))
    for path in ("Avec ma réponse secrète", "Avec mon code de secours", "Je n'ai ni réponse ni code"):
        assert path in choices

    sent = ask_sms(client, who.made.identifier.upper() + " ")
    assert "un code vient d'y être envoyé" in page_text(sent)
    assert phone_inbox.received[-1].phone_e164 == PHONE
    sms = phone_inbox.last_code()
    wrong = "000000" if sms != "000000" else "111111"
    assert type_sms(client, wrong).status_code == 400
    assert guesses(app, who.made.id).guesses_left == 5  # a wrong SMS code spends no guess
    assert type_sms(client, sms).headers["Location"].endswith("/mot-de-passe-oublie/reponse/question")

    page = client.get("/mot-de-passe-oublie/reponse/question")
    assert "Quel est votre plat préféré ?" in page_text(page) and "Il vous reste 5 essais" in page_text(page)
    refused = answer(client, "le chien blanc")
    assert refused.status_code == 400 and "Il vous reste 4 essais" in page_text(refused)
    assert guesses(app, who.made.id).guesses_left == 4
    weak = answer(client, ANSWER, password="court")
    assert weak.status_code == 400 and "trop court" in page_text(weak)
    assert guesses(app, who.made.id).guesses_left == 4  # a refused new password costs no guess

    done = answer(client, "  le chat, NOIR ")
    assert done.status_code == 200 and "Votre mot de passe est changé" in page_text(done)
    assert guesses(app, who.made.id).guesses_left == 5  # a right answer gives the guesses back
    keeps_everything(app, who, NEW_PASSWORD)
    assert elsewhere.get("/compte/").status_code == 302  # the session opened before is over
    assert log_in(app.test_client(), who.made).status_code != 302  # the old password no longer opens
    assert log_in(app.test_client(), Made(who.made.identifier, NEW_PASSWORD)).status_code == 302
    [event] = events(app, "recovery.succeeded", who.made.id)
    assert event.details == {"path": "answer"} and event.actor_id == who.made.id
    assert len(events(app, "secret_answer.wrong", who.made.id)) == 1
    [notice] = notices(app, who.made.id)
    assert "Le mot de passe de votre compte Cloud Solidaire a été changé le" in notice
    assert "parlez-en à votre Relais" in notice and NEW_PASSWORD not in notice


def test_the_sixth_wrong_answer_is_refused_even_when_right(app, phone_inbox):
    who = person(app)
    client = app.test_client()
    ask_sms(client, who.made.identifier)
    type_sms(client, phone_inbox.last_code())
    for _ in range(5):
        assert answer(client, "pas ça").status_code == 400
    status = guesses(app, who.made.id)
    assert status.locked and status.guesses_left == 0
    page = page_text(client.get("/mot-de-passe-oublie/reponse/question"))
    assert "votre question secrète est bloquée" in page and "Rien n'est effacé" in page and "Relais" in page
    refused = answer(client, ANSWER)
    assert refused.status_code == 400 and "votre question secrète est bloquée" in page_text(refused)
    assert log_in(app.test_client(), who.made).status_code == 302  # nothing changed, nothing destroyed
    assert events(app, "secret_answer.locked", who.made.id)
    assert not events(app, "recovery.succeeded", who.made.id)


def test_no_guess_is_spent_without_the_sms_code_first(app, client, phone_inbox):
    who = person(app)
    before = guesses(app, who.made.id)
    start(client, who.made.identifier)
    direct = answer(client, ANSWER)
    assert direct.status_code == 302  # back to the start: no code was typed
    forged = client.post("/api/v1/recovery/answer", json={"recovery_token": "x.y", "answer": ANSWER,
                                                          "new_password": NEW_PASSWORD})
    assert forged.status_code == 401 and forged.json["error"]["code"] == "recovery_expired"
    ask_sms(client, who.made.identifier)
    for _ in range(3):
        type_sms(client, "999999" if phone_inbox.last_code() != "999999" else "888888")
    with_code(client, who.made.identifier, "pas un code")  # malformed: spends nothing of the code either
    assert guesses(app, who.made.id) == before and before.guesses_left == 5
    assert guesses(app, who.made.id, "code").guesses_left == 5


def test_a_stranger_learns_nothing_from_an_identifier(app, phone_inbox):
    with_phone = person(app)
    without_phone = person(app, phone=None, first="Jean", last="Sans Portable")
    answers = []
    for identifier in (with_phone.made.identifier, without_phone.made.identifier, "personne.inconnue.01/01/1990"):
        client = app.test_client()
        page = page_text(ask_sms(client, identifier))
        page = page.replace(identifier, "ID")
        code = page_text(type_sms(client, "123456")).replace(identifier, "ID")
        by_code = with_code(client, identifier, "ABCD-EFGH-JKMN-PQRS-TVWX")
        api = app.test_client()
        sent = api.post("/api/v1/recovery/code", json={"identifier": identifier})
        verified = api.post("/api/v1/recovery/code/verify", json={"identifier": identifier, "code": "123456"})
        api_code = api.post("/api/v1/recovery/recovery-code", json={
            "identifier": identifier, "recovery_code": "ABCD-EFGH-JKMN-PQRS-TVWX", "new_password": NEW_PASSWORD})
        answers.append((strip_tokens(page), strip_tokens(code), by_code.status_code,
                        strip_tokens(page_text(by_code).replace(identifier, "ID")),
                        sent.status_code, sent.json, verified.status_code, verified.json,
                        api_code.status_code, api_code.json))
    assert answers[0] == answers[1] == answers[2]
    assert len(phone_inbox.received) == 1  # only the account with a phone got an SMS


def strip_tokens(page: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', page)


def test_a_recovery_code_works_once_and_a_new_code_voids_the_old(app, phone_inbox):
    who = person(app)
    client = app.test_client()
    done = with_code(client, who.made.identifier, who.code.lower().replace("-", " "))
    assert done.status_code == 200, done.text
    text = page_text(done)
    assert "Votre ancien code de secours est utilisé" in text
    second = printed_code(done.text)
    assert second and second != who.code
    keeps_everything(app, who, NEW_PASSWORD)
    [event] = events(app, "recovery.succeeded", who.made.id)
    assert event.details == {"path": "code"}
    assert len(notices(app, who.made.id)) == 1

    again = with_code(app.test_client(), who.made.identifier, who.code, password="encore une autre phrase longue")
    assert again.status_code == 400 and "ne vont pas ensemble" in page_text(again)
    assert guesses(app, who.made.id, "code").guesses_left == 4

    settings = app.test_client()
    log_in(settings, Made(who.made.identifier, NEW_PASSWORD))
    refused = settings.post("/compte/code-de-secours", data=form(settings, "/compte/code-de-secours",
                                                                  current_password="pas le bon"))
    assert refused.status_code == 400 and "Ce n'est pas votre mot de passe actuel" in page_text(refused)
    fresh = settings.post("/compte/code-de-secours", data=form(settings, "/compte/code-de-secours",
                                                                current_password=NEW_PASSWORD))
    assert fresh.status_code == 200 and "L'ancien ne marche plus" in page_text(fresh) and "<svg" in fresh.text
    third = printed_code(fresh.text)
    old = with_code(app.test_client(), who.made.identifier, second, password="encore une autre phrase longue")
    assert old.status_code == 400
    by_api = app.test_client().post("/api/v1/recovery/recovery-code", json={
        "identifier": who.made.identifier, "recovery_code": third, "new_password": "la troisième phrase de passe"})
    assert by_api.status_code == 200 and by_api.json["recovery_code"] not in (who.code, second, third)
    keeps_everything(app, who, "la troisième phrase de passe")


def test_codes_answers_and_passwords_are_kept_nowhere(app, settings, phone_inbox, caplog):
    caplog.set_level(logging.DEBUG)
    who = person(app)
    client = app.test_client()
    done = with_code(client, who.made.identifier, who.code)
    second = printed_code(done.text)
    ask_sms(client, who.made.identifier)
    type_sms(client, phone_inbox.last_code())
    answer(client, "une réponse canari fausse")
    answer(client, ANSWER, password="la deuxième phrase canari")
    stored = database_dump(app) + redis_dump(settings) + b"".join(
        path.read_bytes() for path in settings.instance_dir.rglob("*") if path.is_file() and path.suffix != ".db")
    logs = caplog.text.encode()
    for code in (who.code, second):
        for form_of in (code, code.replace("-", "")):
            assert form_of.encode() not in stored and form_of.encode() not in logs
    for secret in (ANSWER.lower(), "une réponse canari fausse", NEW_PASSWORD, "la deuxième phrase canari"):
        assert secret.encode() not in stored.lower() and secret.encode() not in logs.lower()


def test_settings_change_the_question_and_answer_with_the_current_password(app, client):
    who = person(app, phone=None)
    assert log_in(client, who.made).status_code == 302
    index = page_text(client.get("/compte/"))
    for link in ("/mot-de-passe", "/compte/question-secrete", "/compte/code-de-secours", "/compte/telephone/",
                 "/mes-donnees/", "/mes-donnees/supprimer-mon-compte"):
        assert f'href="{link}"' in index
    assert 'href="/compte/"' in client.get("/").text  # in the navigation of every page
    url = "/compte/question-secrete"
    refused = client.post(url, data=form(client, url, current_password="faux", secret_question="Ma rue ?",
                                         secret_answer="rue des lilas"))
    assert refused.status_code == 400 and 'value="Ma rue ?"' in refused.text
    assert "Ce n'est pas votre mot de passe actuel" in page_text(refused)
    done = client.post(url, data=form(client, url, current_password=BENEFICIARY_PASSWORD,
                                      secret_question="Ma rue ?", secret_answer="Rue des Lilas"))
    assert done.status_code == 200 and "L'ancienne réponse ne marche plus" in page_text(done)

    pro = staff_client(app, who.manager)
    api = f"/api/v1/structures/{who.structure.id}/beneficiaries/{who.made.id}/recovery/answer"
    headers = {"X-CSRFToken": csrf_token(pro, "/compte/")}
    old = pro.post(api, json={"answer": ANSWER, "new_password": NEW_PASSWORD}, headers=headers)
    assert old.status_code == 403 and old.json["error"]["code"] == "wrong_answer"
    new = pro.post(api, json={"answer": "rue des lilas", "new_password": NEW_PASSWORD}, headers=headers)
    assert new.status_code == 200, new.json
    keeps_everything(app, who, NEW_PASSWORD)
    with app.app_context():
        assert db().get(Account, who.made.id).person.secret_question == "Ma rue ?"

    password = app.test_client()
    log_in(password, Made(who.made.identifier, NEW_PASSWORD))
    changed = password.post("/mot-de-passe", data=form(password, "/mot-de-passe", current_password=NEW_PASSWORD,
                                                        new_password="encore une phrase de passe",
                                                        confirm="encore une phrase de passe"))
    assert changed.status_code == 302
    keeps_everything(app, who, "encore une phrase de passe")


def test_staff_settings_offer_no_recovery_factor(app, client, make_account):
    staff = make_account(role="professional")
    log_in(client, staff)
    index = client.get("/compte/").text
    assert "/compte/question-secrete" not in index and "/compte/code-de-secours" not in index
    assert client.get("/compte/code-de-secours").status_code == 404
    assert client.get("/compte/question-secrete").status_code == 404


def test_a_professional_of_the_persons_relais_starts_the_answer_path(app, make_account):
    who = person(app)
    pro = staff_client(app, who.manager)
    show = pro.get(f"/relais/{who.structure.id}/rattachements/{who.made.id}")
    url = f"/relais/{who.structure.id}/rattachements/{who.made.id}/mot-de-passe-perdu"
    assert f'href="{url}"' in show.text
    page = page_text(pro.get(url))
    assert "La personne connaît sa réponse secrète" in page and "Il reste 5 essais" in page
    post = url + "/reponse"
    wrong = pro.post(post, data=form(pro, url, answer="faux", new_password=NEW_PASSWORD, confirm=NEW_PASSWORD))
    assert wrong.status_code == 400 and "Il vous reste 4 essais" in page_text(wrong)
    done = pro.post(post, data=form(pro, url, answer=ANSWER, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD))
    assert done.status_code == 200 and "garde tout son compte" in page_text(done)
    keeps_everything(app, who, NEW_PASSWORD)
    [event] = events(app, "recovery.succeeded", who.made.id)
    assert event.details == {"path": "professional"} and event.actor_id != who.made.id
    assert event.structure_id == who.structure.id
    assert len(notices(app, who.made.id)) == 1

    with app.app_context():
        other, other_manager = make_structure(app, "Autre Relais")
    stranger = staff_client(app, other_manager)
    assert stranger.get(f"/relais/{other.id}/rattachements/{who.made.id}/mot-de-passe-perdu").status_code == 404
    assert stranger.get(url).status_code == 404
    api = stranger.post(f"/api/v1/structures/{other.id}/beneficiaries/{who.made.id}/recovery/answer",
                        json={"answer": ANSWER, "new_password": NEW_PASSWORD},
                        headers={"X-CSRFToken": csrf_token(stranger, "/compte/")})
    assert api.status_code == 404
    beneficiary = app.test_client()
    log_in(beneficiary, Made(who.made.identifier, NEW_PASSWORD))
    assert beneficiary.get(url).status_code in (403, 404)
    assert guesses(app, who.made.id).guesses_left == 5


def test_the_api_paths_end_to_end(app, phone_inbox):
    who = person(app)
    api = app.test_client()
    assert api.post("/api/v1/recovery/code", json={"identifier": who.made.identifier}).status_code == 202
    state = api.post("/api/v1/recovery/code/verify", json={"identifier": who.made.identifier,
                                                            "code": phone_inbox.last_code()})
    assert state.status_code == 200
    assert state.json["secret_question"] == "Quel est votre plat préféré ?" and state.json["guesses_left"] == 5
    token = state.json["recovery_token"]
    wrong = api.post("/api/v1/recovery/answer", json={"recovery_token": token, "answer": "non",
                                                      "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and "4" in wrong.json["error"]["message"]
    done = api.post("/api/v1/recovery/answer", json={"recovery_token": token, "answer": ANSWER,
                                                     "new_password": NEW_PASSWORD})
    assert done.status_code == 200 and done.json == {"status": "password_changed"}
    keeps_everything(app, who, NEW_PASSWORD)

    login = api.post("/api/v1/auth/login", json={"identifier": who.made.identifier, "password": NEW_PASSWORD})
    bearer = {"Authorization": "Bearer " + login.json["token"]}
    refused = api.put("/api/v1/me/secret-answer", headers=bearer, json={
        "current_password": "faux", "question": "Ma ville ?", "answer": "Brest"})
    assert refused.status_code == 403
    assert api.put("/api/v1/me/secret-answer", headers=bearer, json={
        "current_password": NEW_PASSWORD, "question": "Ma ville ?", "answer": "Brest"}).json == {
        "secret_question": "Ma ville ?"}
    code = api.post("/api/v1/me/recovery-code", headers=bearer, json={"current_password": NEW_PASSWORD})
    assert code.status_code == 201
    with_old = api.post("/api/v1/recovery/recovery-code", json={
        "identifier": who.made.identifier, "recovery_code": who.code, "new_password": "une autre phrase de passe"})
    assert with_old.status_code == 403
    with_new = api.post("/api/v1/recovery/recovery-code", json={
        "identifier": who.made.identifier, "recovery_code": code.json["recovery_code"],
        "new_password": "une autre phrase de passe"})
    assert with_new.status_code == 200
    assert api.get("/api/v1/me", headers=bearer).status_code == 401  # the recovery ended this session
    keeps_everything(app, who, "une autre phrase de passe")


@pytest.mark.parametrize("path", ["/mot-de-passe-oublie/code"])
def test_a_refused_form_keeps_what_was_typed(app, client, path):
    refused = client.post(path, data=form(client, path, identifier="marie.dupont.01/02/1980",
                                          recovery_code="ABCD-EFGH", new_password="x", confirm="y"))
    assert refused.status_code == 400
    assert 'value="marie.dupont.01/02/1980"' in refused.text and 'value="ABCD-EFGH"' in refused.text


def test_the_steps_are_rate_limited(app, client):
    token = csrf_token(client, "/mot-de-passe-oublie/")
    statuses = [client.post("/mot-de-passe-oublie/", data={"csrf_token": token, "identifier": f"x{n}"}).status_code
                for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    api = [app.test_client().post("/api/v1/recovery/code", json={"identifier": "x"}).status_code for _ in range(11)]
    assert api[:10] == [202] * 10 and api[10] == 429
