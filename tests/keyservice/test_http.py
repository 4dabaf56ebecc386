"""The HTTP surface itself, against the real process: who may call, what it refuses to read."""
from __future__ import annotations

import base64
import json

import pytest
import requests

from keyservice.app import create_app, service_of
from keyservice.client import HttpKeyServiceClient, LocalKeyServiceClient, client_from_env
from keyservice.config import Config, sqlite_url
from keyservice.errors import ConfigError, KeyServiceUnavailable, Unauthorized

from .conftest import LOGIN_PER_ACCOUNT, MAX_GUESSES, free_port, run_cli
from .flows import any_blinded, enroll, new_id

ENDPOINTS = [
    ("GET", "/v1/platform-keys"),
    ("POST", "/v1/public-keys/identity"),
    ("POST", "/v1/public-keys/structure"),
    ("POST", "/v1/records"),
    ("GET", "/v1/high-water?kind=identity&subject=x"),
    ("POST", "/v1/oprf/enroll"),
    ("POST", "/v1/oprf/commit"),
    ("POST", "/v1/oprf/evaluate"),
    ("POST", "/v1/oprf/prove"),
    ("GET", "/v1/oprf/status?account=x&factor=answer"),
    ("DELETE", "/v1/accounts/x"),
    ("POST", "/v1/oprf/forget"),
    ("POST", "/v1/admin/unlock"),
    ("GET", "/v1/no-such-endpoint"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic eDp5", "Bearer "])
def test_every_endpoint_needs_the_token(sqlite_process, method, path, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    body = {"account": "x", "factor": "answer", "blinded": base64.b64encode(any_blinded()).decode()}
    response = requests.request(method, sqlite_process.base_url + path, json=body, headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized"}


def test_health_needs_no_token(sqlite_process):
    assert requests.get(sqlite_process.base_url + "/v1/health", timeout=5).json() == {"status": "ok"}


def test_the_caller_token_does_not_open_the_admin_endpoint(sqlite_process):
    response = _post(sqlite_process, "/v1/admin/unlock", {"account": "x", "factor": "answer"})
    assert (response.status_code, response.json()["error"]) == (403, "forbidden")


def test_a_body_over_64_kib_is_refused(sqlite_process):
    padding = "A" * (64 * 1024)
    response = _post(sqlite_process, "/v1/records", {"context": {"purpose": "roster"}, "body": padding})
    assert (response.status_code, response.json()) == (413, {"error": "too_large"})


@pytest.mark.parametrize(
    "body,field_named",
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (b"\xff\xfe", None),
        (b"[" * 5000 + b"]" * 5000, None),
        (json.dumps({"factor": "answer", "blinded": "QUJD"}).encode(), "account"),
        (json.dumps({"account": 7, "factor": "answer", "blinded": "QUJD"}).encode(), "account"),
        (json.dumps({"account": "x", "factor": "answer", "blinded": "not*base64!"}).encode(), "blinded"),
        (json.dumps({"account": "x", "factor": "answer", "blinded": "QUJD"}).encode(), "blinded"),
        (json.dumps({"account": "x", "factor": "secret-question", "blinded": "QUJD"}).encode(), "factor"),
        (json.dumps({"account": "x\n", "factor": "answer", "blinded": "QUJD"}).encode(), "account"),
    ],
)
def test_malformed_requests_are_refused_without_echoing_them(sqlite_process, body, field_named):
    response = requests.post(
        sqlite_process.base_url + "/v1/oprf/enroll",
        data=body,
        headers={"Authorization": f"Bearer {sqlite_process.token}", "Content-Type": "application/json"},
        timeout=5,
    )
    answer = response.json()
    assert (response.status_code, answer["error"]) == (400, "bad_request")
    if field_named:
        assert field_named in answer["message"]
    for submitted in ("QUJD", "not*base64!", "secret-question"):
        assert submitted not in answer["message"]


def test_missing_query_parameters_are_refused(sqlite_process):
    response = requests.get(
        sqlite_process.base_url + "/v1/high-water?kind=identity",
        headers={"Authorization": f"Bearer {sqlite_process.token}"},
        timeout=5,
    )
    assert (response.status_code, response.json()["error"]) == (400, "bad_request")


def test_account_ids_with_a_slash_reach_the_delete_endpoint(sqlite_process):
    client = sqlite_process.client()
    account = new_id("org/person")
    client.enroll(account, "password", any_blinded())
    client.delete_account(account)
    assert not client.status(account, "password").enrolled


def test_serve_refuses_to_start_without_a_token(tmp_path):
    done = run_cli({"KEYSERVICE_DATA_DIR": str(tmp_path), "PATH": ""}, "serve", "--port", str(free_port()))
    assert done.returncode == 2
    assert "KEYSERVICE_TOKEN is not set" in done.stderr


def test_the_admin_endpoint_answers_403_when_no_admin_token_is_set(tmp_path):
    config = Config(database_url=sqlite_url(tmp_path), token="caller")
    app = create_app(config)
    for token in ("caller", "anything"):
        response = app.test_client().post(
            "/v1/admin/unlock", json={"account": "x", "factor": "answer"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert (response.status_code, response.get_json()["error"]) == (403, "forbidden")
    service_of(app).close()


def test_refusals_have_stable_statuses_and_codes(sqlite_process):
    account, blinded = new_id(), _b64(any_blinded())
    evaluate = {"account": account, "factor": "answer", "blinded": blinded}
    assert _answer(_post(sqlite_process, "/v1/oprf/evaluate", evaluate)) == (404, "not_enrolled")
    enroll(sqlite_process.client(), account, "answer", b"paris", real_keys=False)
    for _ in range(MAX_GUESSES):
        assert _post(sqlite_process, "/v1/oprf/evaluate", evaluate).status_code == 200
    assert _answer(_post(sqlite_process, "/v1/oprf/evaluate", evaluate)) == (423, "locked")
    prove = {"account": account, "factor": "answer", "challenge": "00" * 16, "signature": _b64(bytes(64))}
    assert _answer(_post(sqlite_process, "/v1/oprf/prove", prove)) == (403, "invalid_challenge")
    commit = {"account": account, "factor": "answer", "enrollment_id": "00", "proof_verify_key": _b64(bytes(32))}
    assert _answer(_post(sqlite_process, "/v1/oprf/commit", commit)) == (404, "unknown_enrollment")
    structure = {"owner": account, "generation": 2, "box_public": _b64(bytes(32))}
    assert _answer(_post(sqlite_process, "/v1/public-keys/structure", structure)) == (409, "version_conflict")
    login = {"account": account, "factor": "password", "blinded": blinded}
    enroll(sqlite_process.client(), account, "password", b"secret", real_keys=False)
    for _ in range(LOGIN_PER_ACCOUNT):
        assert _post(sqlite_process, "/v1/oprf/evaluate", login).status_code == 200
    assert _answer(_post(sqlite_process, "/v1/oprf/evaluate", login)) == (429, "rate_limited")


def test_client_from_env_picks_http_when_a_url_is_set(sqlite_process):
    client = client_from_env({"KEYSERVICE_URL": sqlite_process.base_url, "KEYSERVICE_TOKEN": sqlite_process.token})
    assert isinstance(client, HttpKeyServiceClient)
    assert client.platform_keys().active == sqlite_process.client().platform_keys().active
    with pytest.raises(ConfigError):
        client_from_env({"KEYSERVICE_URL": sqlite_process.base_url})


def test_client_from_env_runs_the_service_in_process_otherwise(tmp_path):
    client = client_from_env({"KEYSERVICE_DATA_DIR": str(tmp_path / "data")})
    assert isinstance(client, LocalKeyServiceClient)
    assert client.high_water("identity", "nobody") == 0
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "keyservice.db").stat().st_mode & 0o777 == 0o600
    client.service.close()


def test_an_unreachable_service_is_reported_as_unavailable():
    client = HttpKeyServiceClient(f"http://127.0.0.1:{free_port()}", "token", timeout=2)
    with pytest.raises(KeyServiceUnavailable):
        client.status("x", "answer")


def test_a_wrong_token_surfaces_as_unauthorized(sqlite_process):
    with pytest.raises(Unauthorized):
        HttpKeyServiceClient(sqlite_process.base_url, "wrong").platform_keys()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _answer(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]


def _post(process, path: str, body: dict) -> requests.Response:
    return requests.post(
        process.base_url + path, json=body, headers={"Authorization": f"Bearer {process.token}"}, timeout=5
    )
