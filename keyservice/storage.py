"""The key service's own database: tables (SQLAlchemy Core) and the engine that reaches them.

Two dialects are supported, SQLite (the embedded default) and PostgreSQL. The schema is created at
start with `metadata.create_all`; there are no migrations yet.

SQLite connections run with `secure_delete=ON` (freed content is overwritten with zeros),
`journal_mode=WAL` and `synchronous=FULL` (a spent guess survives a power cut), so that a deleted
OPRF key does not linger in free pages; `reclaim_deleted_space` then empties the WAL file, which
still holds old copies of the pages.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Double,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

IDENTIFIER_LENGTH = 255

metadata = MetaData()

platform_keys = Table(
    "platform_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seed", LargeBinary(32), nullable=False),
    Column("created", Double, nullable=False),
    Column("active", Boolean, nullable=False),
)
# At most one active key, even if two processes rotate at once.
Index(
    "platform_keys_one_active",
    platform_keys.c.active,
    unique=True,
    sqlite_where=platform_keys.c.active,
    postgresql_where=platform_keys.c.active,
)

oprf_keys = Table(
    "oprf_keys",
    metadata,
    Column("account", String(IDENTIFIER_LENGTH), primary_key=True),
    Column("factor", String(16), primary_key=True),
    Column("active_key", LargeBinary(32), nullable=True),
    Column("pending_key", LargeBinary(32), nullable=True),
    Column("enrollment_id", String(32), nullable=True),
    Column("proof_verify_key", LargeBinary(32), nullable=True),
    Column("guesses_left", Integer, nullable=False),
    Column("created", Double, nullable=False),
    Column("updated", Double, nullable=False),
)

challenges = Table(
    "challenges",
    metadata,
    Column("nonce", String(32), primary_key=True),
    Column("account", String(IDENTIFIER_LENGTH), nullable=False, index=True),
    Column("factor", String(16), nullable=False),
    Column("expires", Double, nullable=False, index=True),
)

high_water_marks = Table(
    "high_water_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("subject", String(IDENTIFIER_LENGTH), nullable=False),
    Column("version", BigInteger, nullable=False),
    UniqueConstraint("kind", "subject", name="high_water_marks_kind_subject"),
)

rate_limit_windows = Table(
    "rate_limit_windows",
    metadata,
    Column("scope", String(IDENTIFIER_LENGTH + 16), primary_key=True),
    Column("window_start", Double, nullable=False),
    Column("count", Integer, nullable=False),
)

_SQLITE_PRAGMAS = ("PRAGMA secure_delete=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL")


def open_engine(database_url: str) -> Engine:
    """An engine with the schema in place. Bound parameters are hidden from error messages: they
    would otherwise print key bytes into logs."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _prepare_sqlite_file(url.database)
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    elif engine.dialect.name != "postgresql":
        raise ValueError("the key service supports SQLite and PostgreSQL only")
    metadata.create_all(engine)
    return engine


def _prepare_sqlite_file(database: str | None) -> None:
    """Directory 0700 and file 0600 before SQLite creates them; its -wal and -shm files copy the
    database file's mode."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))


def _set_sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _dialect_insert(conn: Connection, table: Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def upsert(conn: Connection, table: Table, key: dict, values: dict, on_insert: dict) -> None:
    """One statement: INSERT `key`, `values` and `on_insert`, or, when a row with this primary
    key exists, UPDATE only `values`."""
    statement = _dialect_insert(conn, table).values(**key, **values, **on_insert)
    conn.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))


def insert_if_absent(conn: Connection, table: Table, values: dict, unique: list[str]) -> bool:
    """INSERT unless a row with the same `unique` columns exists; True when it inserted."""
    statement = _dialect_insert(conn, table).values(**values).on_conflict_do_nothing(index_elements=unique)
    # RETURNING rather than rowcount, which SQLAlchemy does not promise for an INSERT.
    return conn.execute(statement.returning(*table.primary_key.columns)).first() is not None


def reclaim_deleted_space(engine: Engine, table: Table) -> bool:
    """Make deleted rows of `table` unrecoverable from the database files, as far as each engine
    allows. False when SQLite could not empty its WAL (a reader held it): the next checkpoint will.

    SQLite: `secure_delete` has already zeroed the freed cells in the database pages; the WAL still
    holds earlier copies of those pages, so it is checkpointed and truncated to zero bytes.

    PostgreSQL: a DELETE only marks tuples dead; `VACUUM` (which cannot run in a transaction, hence
    autocommit) prunes them from the table's pages. Copies remain in WAL segments until those are
    recycled, and in backups for their retention; every UPDATE of a row (each spent guess) also
    left a dead copy of it, which this VACUUM prunes as well.
    """
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            busy, _wal_frames, _checkpointed = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            return busy == 0
        conn.exec_driver_sql(f"VACUUM {conn.dialect.identifier_preparer.quote(table.name)}")
        return True
