"""Schemathesis drives the API from its own OpenAPI document: no server error, answers as documented.

Each operation's Hypothesis strategy comes from schemathesis and runs in a plain Hypothesis test
(its pytest plugin does not support this pytest version yet).
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .conftest import PASSWORD


@pytest.fixture
def backend():
    return "embedded"  # one backend is enough for the fuzz run


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_follows_its_document(app, make_account):
    made = make_account()
    client = app.test_client()
    token = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": PASSWORD}).json["token"]
    found = operations(app)
    assert {f"{op.method.upper()} {op.path}" for op in found} >= {"POST /api/v1/auth/login", "GET /api/v1/me"}
    calls: list[int] = []
    for operation in found:
        if operation.path == "/api/v1/auth/logout":
            continue  # would end the session the other operations use

        # Random bytes are never a photo or a PDF: the upload's refusals are tested in test_uploads.py;
        # nor is a random string a mobile number that exists (test_phone_api.py).
        unguessable = ("/api/v1/documents", "/api/v1/structure-applications", "/api/v1/me/phone")
        excluded = [positive_data_acceptance] if operation.path in unguessable else []

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def follows(case):
            response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)
            calls.append(response.status_code)

        follows()
    assert len(calls) >= 5 * (len(found) - 1) and 500 not in calls
