"""Alembic environment: the web app's models, the URL given by `webapp.migrations`."""
from alembic import context
from sqlalchemy import engine_from_config, pool

from webapp.accounts import models as _accounts  # noqa: F401  (register tables)
from webapp.audit import models as _audit  # noqa: F401
from webapp.moderation import models as _moderation  # noqa: F401
from webapp.notices import models as _notices  # noqa: F401
from webapp.contact import models as _contact  # noqa: F401
from webapp.db import Base
from webapp.sms import models as _sms  # noqa: F401
from webapp.structures import models as _structures  # noqa: F401
from webapp.vault import models as _vault  # noqa: F401

config = context.config


def run() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run()
