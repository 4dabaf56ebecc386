"""The migrations build exactly the models' schema, on SQLite and PostgreSQL alike."""
import secrets

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.services import drop_postgres_database, fresh_postgres_database
from webapp.accounts import models as _accounts  # noqa: F401
from webapp.audit import models as _audit  # noqa: F401
from webapp.db import Base, make_engine
from webapp.migrations import upgrade
from webapp.moderation import models as _moderation  # noqa: F401
from webapp.notices import models as _notices  # noqa: F401
from webapp.contact import models as _contact  # noqa: F401
from webapp.reminders import models as _reminders  # noqa: F401
from webapp.sms import code_models as _codes  # noqa: F401
from webapp.sms import models as _sms  # noqa: F401
from webapp.structures import models as _structures  # noqa: F401
from webapp.vault import models as _vault  # noqa: F401


def differences(url):
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    return found


def test_sqlite_schema_matches_the_models(tmp_path):
    assert differences(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_postgresql_schema_matches_the_models():
    name = f"cs_mig_{secrets.token_hex(4)}"
    url = fresh_postgres_database(name)
    try:
        assert differences(url) == []
    finally:
        drop_postgres_database(name)
