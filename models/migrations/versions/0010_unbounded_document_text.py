"""Text read from documents (task codes, numbers, provinces, signers, units, reference kinds) in TEXT
columns, so PostgreSQL stores what SQLite stores; corrections remember what they undid

PostgreSQL enforces VARCHAR(n) and SQLite does not, so a 98-character task code was stored by one
and refused by the other. Values a program or a reviewer chooses keep their VARCHAR(n), and
``vnplan.models.limits`` checks those lengths before every flush, on both databases alike.

On PostgreSQL the two views over these columns are dropped and made again around the change.
On SQLite VARCHAR(n) and TEXT have the same (TEXT) affinity, so the stored rows do not change:
the declared types are rewritten in the schema table, the procedure SQLite documents for schema
changes that leave the stored format alone (https://www.sqlite.org/lang_altertable.html#otheralter).
Rebuilding the tables instead would drop ``tasks`` and, with foreign keys on, delete the owners,
deadlines and budgets that cascade from it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import importlib.util
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: (table, column, the VARCHAR length it had)
WIDENED = [
    ("documents", "number", 80),
    ("documents", "province", 80),
    ("documents", "signer", 120),
    ("cited_documents", "kind", 40),
    ("cited_documents", "number", 80),
    ("tasks", "code", 40),
    ("budget_items", "unit", 40),
    ("scores", "code", 40),
    ("review_items", "code", 80),
    ("corrections", "target_code", 80),
]


def _views():
    """Migration 0004, where the views are defined (loaded from its file: migrations are no package)."""
    path = Path(__file__).with_name("0004_search_and_views.py")
    spec = importlib.util.spec_from_file_location("vnplan_migration_0004", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sqlite_declare(columns: list[tuple[str, str, str]]) -> None:
    """Rewrite the declared type of each (table, column, type) in SQLite's schema table."""
    bind = op.get_bind()
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    for table in dict.fromkeys(t for t, _, _ in columns):
        sql = bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
        ).scalar()
        for _, column, declared in (c for c in columns if c[0] == table):
            sql, count = re.subn(rf"(?<![\w\"])({column}\s+)(?:VARCHAR\(\d+\)|TEXT)", rf"\g<1>{declared}", sql)
            if count != 1:
                raise RuntimeError(f"cannot find the column {table}.{column} in its CREATE TABLE")
        bind.execute(
            sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"), {"sql": sql, "t": table}
        )
    bind.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))
    if bind.execute(sa.text("PRAGMA quick_check")).scalar() != "ok":
        raise RuntimeError("SQLite's quick_check failed after the column types were rewritten")


def _change(to_text: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_declare([(t, c, "TEXT" if to_text else f"VARCHAR({n})") for t, c, n in WIDENED])
        return
    views = _views()
    op.execute("DROP VIEW agency_workload")
    op.execute("DROP VIEW task_overview")
    for table, column, length in WIDENED:
        op.alter_column(table, column, type_=sa.Text() if to_text else sa.String(length))
    op.execute(views.task_overview("postgresql"))
    op.execute(views.AGENCY_WORKLOAD)


def upgrade() -> None:
    _change(to_text=True)
    with op.batch_alter_table("corrections") as batch:
        batch.add_column(sa.Column("undoes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("corrections") as batch:
        batch.drop_column("undoes")
    _change(to_text=False)
