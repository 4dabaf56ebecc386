"""The web app under test, on both backends:

- `embedded`: SQLite, local session files, the key service in-process (what `make run` serves);
- `services`: PostgreSQL, Redis sessions and rate limits, the key service as its own process over
  HTTP (what production runs). With CI=true a missing service fails the run.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import pytest

from tests.keyservice.conftest import FakeClock, ServiceProcess
from tests.services import TEST_REDIS_URL, drop_postgres_database, fresh_postgres_database, redis_client
from webapp import create_app
from webapp.accounts import services
from webapp.accounts.models import Person
from webapp.cli import ensure_terms
from webapp.config import Settings
from webapp.database import db
from webapp.migrations import upgrade

PASSWORD = "une phrase de passe solide pour les tests"


@pytest.fixture(scope="session")
def keyservice_process(tmp_path_factory):
    # The whole suite logs in far more often than people do: the key service's limits are tested in its own suite.
    limits = {"KEYSERVICE_LOGIN_PER_ACCOUNT": "1000", "KEYSERVICE_LOGIN_GLOBAL": "1000000"}
    process = ServiceProcess({"KEYSERVICE_DATA_DIR": str(tmp_path_factory.mktemp("ks")), **limits}, tmp_path_factory.mktemp("kslog"))
    process.start()
    yield process
    process.stop()


@pytest.fixture(params=["embedded", "services"])
def backend(request):
    return request.param


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def settings(backend, tmp_path, request):
    instance = tmp_path / "instance"
    instance.mkdir()
    if backend == "embedded":
        yield Settings(instance_dir=instance, database_url=f"sqlite:///{instance / 'app.db'}",
                       secret_key=secrets.token_hex(16), storage={"BLOB_STORE": "local", "BLOB_DIR": str(instance / "blobs")})
        return
    name = f"cs_test_{secrets.token_hex(4)}"
    database_url = fresh_postgres_database(name)
    redis = redis_client()
    redis.flushdb()
    process = request.getfixturevalue("keyservice_process")
    yield Settings(
        storage=s3_bucket(request),
        instance_dir=instance,
        database_url=database_url,
        secret_key=secrets.token_hex(16),
        redis_url=TEST_REDIS_URL,
        keyservice_url=process.base_url,
        keyservice_token=process.token,
    )
    drop_postgres_database(name)
    redis.flushdb()


def s3_bucket(request) -> dict[str, str]:
    """A fresh bucket on moto's S3 server, reached over HTTP by boto3 as in production."""
    import boto3

    endpoint = request.getfixturevalue("moto_endpoint")
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    bucket = f"cs-{secrets.token_hex(4)}"
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    return {"BLOB_STORE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "eu-west-3"}


@pytest.fixture
def app(settings, clock):
    upgrade(settings.database_url)
    application = create_app(settings, clock=clock)
    application.config["TESTING"] = True
    with application.app_context():
        ensure_terms()
        db().commit()
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Made:
    identifier: str
    password: str
    id: str = field(default="")


@pytest.fixture
def make_account(app):
    def make(role="beneficiary", identifier=None, password=PASSWORD, must_change_password=False, accept_terms=True):
        identifier = identifier or f"{role}.{secrets.token_hex(3)}"
        with app.app_context():
            unlocked = services.create_account(
                db(), app.extensions["keys"], identifier=identifier, role=role, password=password,
                person=Person(first_name="Camille", last_name="Martin"), must_change_password=must_change_password,
            )
            if accept_terms:
                services.accept_terms(db(), unlocked.account, services.current_terms(db()).version)
            db().commit()
            return Made(identifier, password, unlocked.account.id)

    return make


def csrf_token(client, path="/connexion") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page.text).group(1)


def log_in(client, made: Made):
    token = csrf_token(client)
    return client.post("/connexion", data={"identifier": made.identifier, "password": made.password, "csrf_token": token})
