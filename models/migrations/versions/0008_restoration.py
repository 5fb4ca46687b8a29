"""Diacritic restoration: restored tokens per page, the changed tokens of each line

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("restored_tokens", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("lines") as batch:
        batch.add_column(sa.Column("changes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lines") as batch:
        batch.drop_column("changes")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("restored_tokens")
