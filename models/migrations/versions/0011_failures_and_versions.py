"""Typed failures and versioned extraction: each failure's category and (for a bug) traceback; the
extraction version a document was stored with; pages where OCR found nothing; re-extractions per run

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingestion_errors") as batch:
        batch.add_column(sa.Column("category", sa.String(length=40), nullable=False, server_default="internal"))
        batch.add_column(sa.Column("detail", sa.Text(), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("extraction_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("ocr_empty", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.add_column(sa.Column("extraction_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("re_extracted", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.drop_column("re_extracted")
        batch.drop_column("extraction_version")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("ocr_empty")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("extraction_version")
    with op.batch_alter_table("ingestion_errors") as batch:
        batch.drop_column("detail")
        batch.drop_column("category")
