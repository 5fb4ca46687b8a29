"""an agency's tasks in task order straight from the index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_task_agencies_agency_role", table_name="task_agencies")
    op.create_index("ix_task_agencies_agency_role_task", "task_agencies", ["agency_id", "role", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_task_agencies_agency_role_task", table_name="task_agencies")
    op.create_index("ix_task_agencies_agency_role", "task_agencies", ["agency_id", "role"])
