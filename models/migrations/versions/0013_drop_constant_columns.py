"""Drop two columns that only ever held one value: documents.status ("ingested": a document that fails
is not stored) and corrections.target_kind ("task": corrections are made to tasks)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Plain DROP COLUMN (SQLite 3.35 and later, PostgreSQL): rebuilding the tables, as alembic's batch mode
# does on SQLite, would trip over the views and search triggers that name them.


def upgrade() -> None:
    op.execute("ALTER TABLE documents DROP COLUMN status")
    op.execute("ALTER TABLE corrections DROP COLUMN target_kind")


def downgrade() -> None:
    op.execute("ALTER TABLE corrections ADD COLUMN target_kind VARCHAR(20) NOT NULL DEFAULT 'task'")
    op.execute("ALTER TABLE documents ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'ingested'")
