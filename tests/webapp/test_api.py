"""The JSON API: authentication, errors with stable codes, and the OpenAPI document kept true."""
import re

import pytest

from webapp.api.openapi import DOCUMENT

from .conftest import PASSWORD


def login(client, made):
    response = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": made.password})
    assert response.status_code == 200, response.json
    return {"Authorization": "Bearer " + response.json["token"]}


def test_login_me_logout(client, make_account):
    made = make_account()
    auth = login(client, made)
    me = client.get("/api/v1/me", headers=auth).json
    assert me["identifier"] == made.identifier and me["role"] == "beneficiary"
    assert client.post("/api/v1/auth/logout", headers=auth).json == {"status": "ok"}
    gone = client.get("/api/v1/me", headers=auth)
    assert gone.status_code == 401 and gone.json["error"]["code"] == "unauthorized"


def test_wrong_credentials_have_a_stable_code_and_translated_message(client, make_account):
    made = make_account()
    french = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": "non"})
    english = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": "non"}, headers={"Accept-Language": "en"})
    assert french.status_code == english.status_code == 401
    assert french.json["error"]["code"] == english.json["error"]["code"] == "invalid_credentials"
    assert french.json["error"]["message"] == "Identifiant ou mot de passe incorrect."
    assert english.json["error"]["message"] == "Wrong identifier or password."


@pytest.mark.parametrize(
    "body,content_type,status,code",
    [
        ('{"identifier": "a"}', "application/json", 400, "bad_request"),
        ('{"identifier": "a", "password": 3}', "application/json", 400, "bad_request"),
        ('{"identifier": "a", "password": "b", "x": 1}', "application/json", 400, "bad_request"),
        ("not json", "application/json", 400, "bad_request"),
        ("identifier=a&password=b", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"identifier": "' + "a" * 2000 + '", "password": "b"}', "application/json", 400, "bad_request"),
    ],
)
def test_malformed_requests(client, body, content_type, status, code):
    response = client.post("/api/v1/auth/login", data=body, content_type=content_type)
    assert response.status_code == status and response.json["error"]["code"] == code


def test_terms_and_password_through_the_api(client, make_account):
    made = make_account(accept_terms=False, must_change_password=True)
    auth = login(client, made)
    me = client.get("/api/v1/me", headers=auth).json
    assert me["terms_version_accepted"] is None and me["must_change_password"]
    assert client.post("/api/v1/me/terms", json={"version": 99}, headers=auth).json["error"]["code"] == "terms_outdated"
    assert client.post("/api/v1/me/terms", json={"version": me["terms_version_current"]}, headers=auth).status_code == 200
    weak = client.post("/api/v1/me/password", json={"current_password": "", "new_password": "123"}, headers=auth)
    assert weak.status_code == 422 and weak.json["error"]["code"] == "weak_password"
    new = "trois petits chats dans la neige"
    assert client.post("/api/v1/me/password", json={"current_password": "", "new_password": new}, headers=auth).status_code == 200
    made.password = new
    assert client.get("/api/v1/me", headers=login(client, made)).json["must_change_password"] is False


def test_cookie_authenticated_api_calls_need_csrf(client, make_account):
    from .conftest import log_in

    log_in(client, make_account())
    assert client.get("/api/v1/me").status_code == 200
    refused = client.post("/api/v1/auth/logout")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"


def test_openapi_document_lists_exactly_the_routes(app, client):
    served = client.get("/api/v1/openapi.json").json
    assert served == DOCUMENT
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, operations in served["paths"].items() for method in operations
                  if method != "parameters"}
    assert routes == documented
