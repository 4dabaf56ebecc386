""""Mon téléphone": a number, a code by SMS through the outbox, the number confirmed, changed, removed."""
from html import unescape

from sqlalchemy import select

from webapp.accounts.models import Person
from webapp.database import db
from webapp.sms.models import OutboxMessage

from .conftest import csrf_token, log_in
from .sms_recorder import phone_inbox  # noqa: F401  (fixture)


def stored_phone(app, account_id):
    with app.app_context():
        return db().get(Person, account_id).phone


def test_confirm_a_number_with_the_code_received(app, client, make_account, phone_inbox, clock):  # noqa: F811
    made = make_account()
    log_in(client, made)
    assert "Mon téléphone" in client.get("/").text
    page = client.get("/compte/telephone/")
    assert "Aucun numéro pour l'instant." in unescape(page.text)
    token = csrf_token(client, "/compte/telephone/")
    sent = client.post("/compte/telephone/", data={"number": "06 12 34 56 78", "csrf_token": token}, follow_redirects=True)
    assert "Un code a été envoyé par SMS au 06 12 34 56 78" in unescape(sent.text)
    assert 'autocomplete="one-time-code"' in unescape(sent.text)
    with app.app_context():
        outbox = db().scalars(select(OutboxMessage)).one()
        assert outbox.phone_e164 == "+33612345678" and outbox.purpose == "code" and outbox.body is None
    code = phone_inbox.last_code()
    assert stored_phone(app, made.id) is None

    done = client.post("/compte/telephone/code", data={"code": code, "csrf_token": token}, follow_redirects=True)
    assert "votre numéro 06 12 34 56 78 est confirmé" in unescape(done.text)
    assert stored_phone(app, made.id) == "+33612345678"
    assert "06 12 34 56 78" in unescape(client.get("/compte/telephone/").text)

    removed = client.post("/compte/telephone/supprimer", data={"csrf_token": token}, follow_redirects=True)
    assert "Votre numéro est supprimé" in unescape(removed.text)
    assert stored_phone(app, made.id) is None


def test_a_refused_number_keeps_what_was_typed_and_says_why(client, make_account, phone_inbox):  # noqa: F811
    log_in(client, make_account(role="professional"))
    token = csrf_token(client, "/compte/telephone/")
    landline = client.post("/compte/telephone/", data={"number": "01 42 68 53 00", "csrf_token": token})
    assert landline.status_code == 400
    assert "Ce numéro n'est pas un portable" in unescape(landline.text) and 'value="01 42 68 53 00"' in unescape(landline.text)
    nonsense = client.post("/compte/telephone/", data={"number": "12", "csrf_token": token}, headers={"Accept-Language": "en"})
    assert nonsense.status_code == 400 and "does not look right" in unescape(nonsense.text)
    assert phone_inbox.received == []


def test_wrong_codes_count_down_and_a_resend_is_throttled(app, client, make_account, phone_inbox, clock):  # noqa: F811
    made = make_account()
    log_in(client, made)
    token = csrf_token(client, "/compte/telephone/")
    client.post("/compte/telephone/", data={"number": "07 55 55 55 55", "csrf_token": token})
    code = phone_inbox.last_code()
    bad = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = client.post("/compte/telephone/code", data={"code": bad, "csrf_token": token})
    assert refused.status_code == 400 and "Il vous reste 4 essais." in unescape(refused.text)
    malformed = client.post("/compte/telephone/code", data={"code": "12ab", "csrf_token": token})
    assert malformed.status_code == 400 and "Le code a 6 chiffres" in unescape(malformed.text)
    assert "Il vous reste 4 essais." in unescape(client.get("/compte/telephone/").text)  # a malformed code spends no try

    too_soon = client.post("/compte/telephone/renvoyer", data={"csrf_token": token}, follow_redirects=True)
    assert "Attendez une minute" in unescape(too_soon.text) and len(phone_inbox.received) == 1
    clock.advance(61)
    again = client.post("/compte/telephone/renvoyer", data={"csrf_token": token}, follow_redirects=True)
    assert "Un nouveau code a été envoyé au 07 55 55 55 55" in unescape(again.text)
    assert client.post("/compte/telephone/code", data={"code": code, "csrf_token": token}).status_code in (302, 400)
    new_code = phone_inbox.last_code()
    client.post("/compte/telephone/code", data={"code": new_code, "csrf_token": token})
    assert stored_phone(app, made.id) == "+33755555555"


def test_the_page_needs_a_login_and_csrf(client, make_account):
    assert client.get("/compte/telephone/").status_code == 302
    log_in(client, make_account())
    assert client.post("/compte/telephone/", data={"number": "0612345678"}).status_code == 400
