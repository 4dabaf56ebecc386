"""Passwords and unlocked keys never reach the database, the session store, Redis or the logs;
the web app refuses to start without its key service."""
import logging
import secrets

import pytest
from sqlalchemy import inspect, select, text

from webapp import create_app
from webapp.config import Settings
from webapp.keyaccess import KeyServiceUnreachable
from webapp.sessions_setup import COOKIE_NAME

from .conftest import csrf_token, log_in


def database_dump(app) -> bytes:
    engine = app.extensions["db_engine"]
    out = bytearray()
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    out += value if isinstance(value, (bytes, memoryview)) else str(value).encode()
                    out += b"\x00"
    return bytes(out)


def redis_dump(settings) -> bytes:
    if not settings.redis_url:
        return b""
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    return b"\x00".join(key + b"=" + (client.dump(key) or b"") for key in client.keys("*"))


def test_no_password_or_key_in_stored_state_or_logs(app, client, make_account, settings, caplog):
    caplog.set_level(logging.DEBUG)
    canary = "canari-" + secrets.token_hex(6) + " phrase de passe"
    made = make_account(password=canary)
    log_in(client, made)
    opened = app.extensions["vault_sessions"].resume(client.get_cookie(COOKIE_NAME).value)
    new = "canari-nouveau-" + secrets.token_hex(6) + " autre phrase"
    client.post("/mot-de-passe", data={"csrf_token": csrf_token(client, "/mot-de-passe"), "current_password": canary,
                                       "new_password": new, "confirm": new})
    stranger = app.test_client()
    stranger.post("/connexion", data={"identifier": made.identifier, "password": canary + "x", "csrf_token": csrf_token(stranger)})
    stored = database_dump(app) + redis_dump(settings) + b"".join(p.read_bytes() for p in settings.instance_dir.rglob("*") if p.is_file() and p.suffix != ".db")
    logs = caplog.text.encode()
    for secret in (canary.encode(), new.encode(), opened.identity.box.secret, opened.identity.sign_seed, opened.cookie.key):
        assert secret not in stored
        assert secret not in logs


def test_refuses_to_start_without_the_key_service(tmp_path):
    settings = Settings(instance_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'a.db'}", secret_key="x" * 32,
                        keyservice_url="http://127.0.0.1:9", keyservice_token="t")
    with pytest.raises(KeyServiceUnreachable):
        create_app(settings)
