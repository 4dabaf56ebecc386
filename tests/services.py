"""Real services for the tests: with CI=true a missing one fails the run, otherwise it skips."""
from __future__ import annotations

import atexit
import os

import pytest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
REDIS_URL = "redis://127.0.0.1:6379/{db}"
FIRST_TEST_REDIS_DB, LAST_TEST_REDIS_DB = 2, 15
CLAIM_SECONDS = 6 * 3600


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim_redis_db() -> int:
    """Each test run flushes a Redis database of its own: several runs on one machine (a developer's,
    a CI clone's) must never flush each other's data. A run claims a free database 2-15 in a registry
    kept in database 0, which no test flushes; a claim whose process has died is taken over. The
    choice goes into the environment, so the workers a test starts use the same database."""
    import redis

    registry = redis.Redis.from_url(REDIS_URL.format(db=0), socket_connect_timeout=2)
    for candidate in range(FIRST_TEST_REDIS_DB, LAST_TEST_REDIS_DB + 1):
        key = f"cloud-solidaire:test-run-redis-db:{candidate}"
        with registry.pipeline() as pipe:
            try:
                pipe.watch(key)
                holder = pipe.get(key)
                if holder is not None and _process_alive(int(holder)):
                    continue
                pipe.multi()
                pipe.set(key, os.getpid(), ex=CLAIM_SECONDS)
                pipe.execute()
            except redis.WatchError:
                continue
        atexit.register(_release_claim, registry, key)
        return candidate
    raise RuntimeError("every Redis database 2-15 is claimed by a running test run")


def _release_claim(registry, key: str) -> None:
    import redis

    try:
        if registry.get(key) == str(os.getpid()).encode():
            registry.delete(key)
    except redis.RedisError:
        pass


def _test_redis_db() -> int:
    if os.environ.get("TEST_REDIS_DB"):
        return int(os.environ["TEST_REDIS_DB"])
    import redis

    try:
        chosen = _claim_redis_db()
    except redis.RedisError:
        return FIRST_TEST_REDIS_DB  # Redis is down: the tests that need it fail or skip on their own
    os.environ["TEST_REDIS_DB"] = str(chosen)
    return chosen


TEST_REDIS_DB = _test_redis_db()
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
