"""Database connections and migrations: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from vnplan.models.errors import Category, InputError

if TYPE_CHECKING:  # alembic is loaded only when a schema has to change (0.3 s of every command otherwise)
    from alembic.config import Config

DEFAULT_URL = "sqlite:///plans.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def normalize_url(url: str) -> str:
    """Accept the URLs people write: ``postgresql://`` and ``postgres://`` use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def absolute_url(url: str) -> str:
    """The URL with a relative SQLite file made absolute, so it means the same from another folder."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return url
    return parsed.set(database=str(Path(parsed.database).absolute())).render_as_string(hide_password=False)


def connect(url: str = DEFAULT_URL, must_exist: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys enforced and a busy timeout.

    A SQLite URL without a file name (``sqlite:///``, say ``sqlite:///$DB`` with ``DB`` unset) is
    refused: it would be a database in memory, gone at exit. With ``must_exist``, so is a SQLite
    file that does not exist (reading commands never create an empty database)."""
    try:
        engine = create_engine(normalize_url(url), future=True, pool_pre_ping=True)  # a dropped connection is replaced
    except (ArgumentError, ModuleNotFoundError, ValueError) as exc:
        raise InputError(f"not a database URL this tool can use: {url!r} ({exc})", Category.USAGE) from exc
    if make_url(engine.url).get_backend_name() == "sqlite":
        database = make_url(engine.url).database
        if not database:
            raise InputError(
                f"the SQLite URL {url!r} names no file (nothing would be saved): sqlite:///plans.db", Category.USAGE
            )
        if must_exist and database != ":memory:" and not Path(database).is_file():
            raise InputError(f"no database at {database} (ingest documents into it first)", Category.USAGE)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def modelled(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: the search machinery (FTS5 tables; PostgreSQL's stored tsvector and
    its index) is written by hand in migrations 0004 and 0007 and has no model, so comparisons and
    autogenerate leave it alone (and the word pairs of migration 0009)."""
    return not (name or "").startswith(("task_search", "ix_tasks_text_search", "text_search", "ix_tasks_text_pairs"))


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


#: PostgreSQL advisory lock taken while migrating, so runs starting together migrate one at a time.
MIGRATION_LOCK = 0x766E706C616E  # "vnplan"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default), atomically and one run at a time:
    under an advisory lock in one transaction on PostgreSQL, in one exclusive transaction on SQLite
    (so runs starting together on a fresh file wait for each other, and a run killed mid-way leaves
    the schema as it was)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return  # up to date: nothing to lock or run
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine, revision)
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # released when this transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        _migrate(engine, connection, revision)


def head_revision() -> str:
    """The newest migration's revision: migrations are numbered 0001, 0002, … in their file names and
    revisions (``tests/test_migrations.py`` checks this against alembic's own view)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def current_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at; None for a database without one."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine, connection: Connection, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _upgrade_sqlite(engine: Engine, revision: str) -> None:
    """SQLite's driver runs DDL outside any transaction unless told otherwise: here it is told, and
    ``BEGIN EXCLUSIVE`` both serialises concurrent runs (the busy timeout waits) and makes the
    migration all or nothing."""
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # an open connection has its driver's
        legacy = dbapi.isolation_level
        dbapi.isolation_level = None  # the driver starts no transaction of its own
        try:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            try:
                _migrate(engine, connection, revision)
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            dbapi.isolation_level = legacy
