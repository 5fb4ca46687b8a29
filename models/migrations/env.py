"""Alembic environment: runs on the connection vnplan hands it, or on sqlalchemy.url."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from vnplan.models.database import modelled
from vnplan.models.schema import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True, include_name=modelled
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        run(conn)
