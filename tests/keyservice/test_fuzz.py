"""A short fuzz of the key service's JSON endpoints: any body gets an answer with a stable code, never a 500."""
import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from keyservice.app import create_app
from keyservice.config import Config, sqlite_url

TOKEN = "fuzz-token"
ENDPOINTS = ["/v1/public-keys/identity", "/v1/public-keys/structure", "/v1/records", "/v1/oprf/enroll",
             "/v1/oprf/commit", "/v1/oprf/evaluate", "/v1/oprf/prove"]
CODES = {"bad_request", "invalid_proof", "version_conflict", "not_enrolled", "unknown_enrollment", "locked",
         "rate_limited", "invalid_challenge", "too_large"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
field_names = st.sampled_from(["owner", "version", "generation", "box_public", "verify_key", "possession", "context",
                               "body", "account", "factor", "blinded", "enrollment_id", "proof_verify_key",
                               "challenge", "signature", "purpose", "structure"])
base64_text = st.binary(max_size=40).map(lambda raw: base64.b64encode(raw).decode())
bodies = st.dictionaries(field_names, json_values | base64_text, max_size=6)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ks-fuzz")
    return create_app(Config(database_url=sqlite_url(folder), token=TOKEN)).test_client()


@given(endpoint=st.sampled_from(ENDPOINTS), body=bodies | json_values)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_json_endpoints_never_fail_with_a_server_error(client, endpoint, body):
    response = client.post(endpoint, data=json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (endpoint, body, response.status_code)
    if response.status_code >= 400:
        assert response.json["error"] in CODES
