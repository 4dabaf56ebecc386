"""Logging in and out, sessions, terms, passwords: the pages, on both backends."""
import re

import pytest

from webapp.sessions_setup import COOKIE_NAME

from .conftest import PASSWORD, csrf_token, log_in


def test_login_page_is_french_by_default_and_english_on_request(client):
    page = client.get("/connexion")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Se connecter" in page.text
    english = client.get("/connexion", headers={"Accept-Language": "en"})
    assert 'lang="en"' in english.text and "Log in" in english.text


def test_security_headers(client):
    headers = client.get("/connexion").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_no_inline_script_in_pages(client, make_account):
    log_in(client, make_account())
    for path in ("/connexion", "/", "/mot-de-passe"):
        assert not re.search(r"<script(?![^>]*\bsrc=)", client.get(path).text)


def test_wrong_password_and_unknown_identifier_look_the_same(client, make_account):
    made = make_account()
    wrong = client.post("/connexion", data={"identifier": made.identifier, "password": "pas le bon", "csrf_token": csrf_token(client)})
    unknown = client.post("/connexion", data={"identifier": "personne.inconnue", "password": "pas le bon", "csrf_token": csrf_token(client)})
    assert wrong.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in wrong.text and "Identifiant ou mot de passe incorrect." in unknown.text
    assert 'value="' + made.identifier + '"' in wrong.text  # what was typed is kept (but never the password)
    assert "pas le bon" not in wrong.text


def test_login_then_terms_then_home(client, make_account):
    made = make_account(accept_terms=False)
    response = log_in(client, made)
    assert response.status_code == 302 and COOKIE_NAME in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"] and "SameSite=Lax" in response.headers["Set-Cookie"]
    assert client.get("/").headers["Location"] == "/conditions"
    refused = client.post("/conditions", data={"csrf_token": csrf_token(client, "/conditions"), "version": "1"})
    assert refused.status_code == 400 and "Cochez la case" in refused.text
    accepted = client.post("/conditions", data={"csrf_token": csrf_token(client, "/conditions"), "version": "1", "accept": "y"})
    assert accepted.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and made.identifier in home.text


def test_generated_password_must_be_changed_first(client, make_account):
    made = make_account(role="manager", must_change_password=True)
    log_in(client, made)
    assert client.get("/").headers["Location"] == "/mot-de-passe"
    token = csrf_token(client, "/mot-de-passe")
    weak = client.post("/mot-de-passe", data={"csrf_token": token, "new_password": "azerty123", "confirm": "azerty123"})
    assert weak.status_code == 400 and "trop court" in weak.text
    new = "le vélo bleu de ma grand-mère roule encore"
    done = client.post("/mot-de-passe", data={"csrf_token": token, "new_password": new, "confirm": new})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    made.password = new
    assert log_in(client, made).status_code == 302


def test_logout_ends_the_session_and_a_replayed_cookie_finds_nothing(client, make_account):
    log_in(client, make_account())
    cookie = client.get_cookie(COOKIE_NAME).value
    response = client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    client.set_cookie(COOKIE_NAME, cookie)
    assert client.get("/").headers["Location"].startswith("/connexion")


def test_twenty_idle_minutes_end_the_session(client, make_account, clock):
    log_in(client, make_account())
    clock.advance(19 * 60)
    assert client.get("/").status_code == 200  # activity restarts the count
    clock.advance(20 * 60 - 1)
    assert client.get("/").status_code == 200
    clock.advance(20 * 60 + 1)
    assert client.get("/").headers["Location"].startswith("/connexion")


def test_missing_csrf_token_is_refused_in_plain_words(client, make_account):
    made = make_account()
    response = client.post("/connexion", data={"identifier": made.identifier, "password": made.password})
    assert response.status_code == 400 and "Le formulaire a expiré" in response.text


def test_login_is_rate_limited(client):
    token = csrf_token(client)
    codes = [client.post("/connexion", data={"identifier": "x", "password": "y", "csrf_token": token}).status_code for _ in range(11)]
    assert codes[-1] == 429 and set(codes[:10]) == {401}
    api = [client.post("/api/v1/auth/login", json={"identifier": "x", "password": "y"}).status_code for _ in range(11)]
    assert api[-1] == 429 and set(api[:10]) == {401}


def test_error_pages_speak_plainly(client):
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and "existe pas, ou plus" in missing.text


def test_session_store_holds_ciphertext_only(app, client, make_account):
    made = make_account()
    log_in(client, made)
    with app.app_context():
        from webapp.database import db
        from webapp.accounts.models import Account

        account = db().get(Account, made.id)
    vault_sessions = app.extensions["vault_sessions"]
    cookie = client.get_cookie(COOKIE_NAME).value
    opened = vault_sessions.resume(cookie)
    blob = vault_sessions._store.get(opened.cookie.store_key)
    assert opened.identity.box.secret not in blob and opened.identity.sign_seed not in blob
    assert made.password.encode() not in blob and account.id.encode() not in blob


def test_identifier_ignores_case_and_spaces(client, make_account):
    made = make_account(identifier="Camille.Martin.12/05/1990")
    made.identifier = "  CAMILLE.martin.12/05/1990 "
    assert log_in(client, made).status_code == 302
