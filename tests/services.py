"""Real services for the tests: with CI=true a missing one fails the run, otherwise it skips."""
from __future__ import annotations

import os

import pytest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
REDIS_URL = "redis://127.0.0.1:6379/{db}"
# Each test run takes one of Redis's databases 2-15, so two runs on one machine (a developer's and
# a CI clone's) do not flush each other's data.
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB") or 2 + os.getpid() % 14)
TEST_REDIS_URL = REDIS_URL.format(db=TEST_REDIS_DB)


def unavailable(what: str, why: Exception | str) -> None:
    message = f"{what} is not reachable ({why})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + ": CI=true requires it", pytrace=False)
    pytest.skip(message)


def redis_client(db: int = TEST_REDIS_DB):
    import redis

    client = redis.Redis.from_url(REDIS_URL.format(db=db), socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable("Redis on 127.0.0.1:6379", error)
    return client


def fresh_postgres_database(name: str) -> str:
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        unavailable("PostgreSQL on 127.0.0.1:5432", error)
    return POSTGRES_URL.format(database=name)


def drop_postgres_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
