"""PostgreSQL: a stored search vector, so phrase search need not recompute it per candidate row

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches through the FTS5 table of migration 0004
    op.execute(
        "ALTER TABLE tasks ADD COLUMN text_search tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', text_key)) STORED"
    )
    op.execute("CREATE INDEX ix_tasks_text_search_stored ON tasks USING gin (text_search)")
    op.execute("DROP INDEX ix_tasks_text_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_tasks_text_search ON tasks USING gin (to_tsvector('simple', text_key))")
    op.execute("DROP INDEX ix_tasks_text_search_stored")
    op.execute("ALTER TABLE tasks DROP COLUMN text_search")
