"""Bad input and failing backends: a clear answer in the user's language, a stable code, nothing half-done."""
import logging

import pytest
from sqlalchemy.exc import OperationalError

from keyservice.errors import KeyServiceUnavailable
from webapp.accounts import services
from webapp.accounts.models import Account
from webapp.database import db
from webapp.storage import BlobStoreUnavailable

from .conftest import PASSWORD, csrf_token


@pytest.fixture
def backend():
    return "embedded"


def test_suspended_account_is_told_after_the_right_password_only(app, client, make_account):
    made = make_account()
    with app.app_context():
        db().get(Account, made.id).status = "suspended"
        db().commit()
    wrong = client.post("/connexion", data={"identifier": made.identifier, "password": "faux", "csrf_token": csrf_token(client)})
    assert wrong.status_code == 401 and "suspendu" not in wrong.text
    right = client.post("/connexion", data={"identifier": made.identifier, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert right.status_code == 403 and "suspendu" in right.text
    api = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": PASSWORD})
    assert api.status_code == 403 and api.json["error"]["code"] == "account_suspended"


def test_over_long_field_is_refused_and_what_was_typed_is_kept(client):
    response = client.post("/connexion", data={"identifier": "x" * 500, "password": "y", "csrf_token": csrf_token(client)})
    assert response.status_code == 400 and "x" * 500 in response.text


def test_too_large_request(client):
    response = client.post("/api/v1/auth/login", data=b"x" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    "failure", [OperationalError("SELECT", {}, Exception("gone")), KeyServiceUnavailable(), BlobStoreUnavailable("down")]
)
def test_backend_failure_mid_request(client, monkeypatch, failure, caplog, make_account):
    made = make_account()

    def broken(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(services, "authenticate", broken)
    caplog.set_level(logging.INFO)
    page = client.post("/connexion", data={"identifier": made.identifier, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert page.status_code == 503 and "momentanément indisponible" in page.text
    api = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": PASSWORD}, headers={"Accept-Language": "en"})
    assert api.status_code == 503 and api.json["error"] == {
        "code": "unavailable", "message": "The service is unavailable for a moment. Try again shortly."}
    assert PASSWORD not in caplog.text


def test_unexpected_error_gives_a_plain_page_and_no_detail(client, monkeypatch, caplog, make_account):
    made = make_account()

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail " + PASSWORD)

    monkeypatch.setattr(services, "authenticate", broken)
    page = client.post("/connexion", data={"identifier": made.identifier, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert page.status_code == 500 and "Rien n" in page.text and "secret detail" not in page.text
    assert "secret detail" not in caplog.text and PASSWORD not in caplog.text
