"""accent-insensitive task search and the views downstream systems query

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def fold(text: str) -> str:
    """The search key this migration writes: no marks (``đ`` → ``d``), lower case, single spaces.

    A frozen copy of ``vnplan.normalizers.text.fold`` as it was when this migration was written (and still
    is): a migration must do the same thing forever, whatever the live function becomes."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").casefold().split())


def _agencies(role: str, dialect: str) -> str:
    joined = (
        "string_agg(a.name, '; ' ORDER BY ta.position)" if dialect == "postgresql" else "group_concat(a.name, '; ')"
    )
    return (
        f"(SELECT {joined} FROM task_agencies ta JOIN agencies a ON a.id = ta.agency_id "
        f"WHERE ta.task_id = t.id AND ta.role = '{role}')"
    )


def task_overview(dialect: str) -> str:
    return f"""
CREATE VIEW task_overview AS
SELECT t.id AS task_id, d.id AS document_id, d.source_name, d.doc_type, d.number AS document_number,
       d.issued_date, d.province, d.year, t.code, t.section, t.text,
       {_agencies("owner", dialect)} AS owners,
       {_agencies("co_owner", dialect)} AS co_owners,
       dl.raw AS deadline, dl.start_date AS deadline_start, dl.end_date AS deadline_end, dl.recurrence,
       (SELECT b.amount FROM budget_items b WHERE b.task_id = t.id AND b.source IS NULL) AS budget_total,
       (SELECT b.unit FROM budget_items b WHERE b.task_id = t.id AND b.source IS NULL) AS budget_unit,
       t.target, t.page, t.confidence, t.origin
FROM tasks t
JOIN documents d ON d.id = t.document_id
LEFT JOIN deadlines dl ON dl.task_id = t.id
"""


AGENCY_WORKLOAD = """
CREATE VIEW agency_workload AS
SELECT a.id AS agency_id, a.name AS agency, d.province, d.year,
       COUNT(DISTINCT CASE WHEN ta.role = 'owner' THEN t.id END) AS tasks_owned,
       COUNT(DISTINCT CASE WHEN ta.role = 'co_owner' THEN t.id END) AS tasks_cooperating,
       COUNT(DISTINCT d.id) AS documents,
       SUM(CASE WHEN ta.role = 'owner' THEN b.amount END) AS budget_owned
FROM agencies a
JOIN task_agencies ta ON ta.agency_id = a.id
JOIN tasks t ON t.id = ta.task_id
JOIN documents d ON d.id = t.document_id
LEFT JOIN budget_items b ON b.task_id = t.id AND b.source IS NULL
GROUP BY a.id, a.name, d.province, d.year
"""

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE task_search USING fts5(text_key, content='tasks', content_rowid='id')",
    "CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN "
    "INSERT INTO task_search(rowid, text_key) VALUES (new.id, new.text_key); END",
    "CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN "
    "INSERT INTO task_search(task_search, rowid, text_key) VALUES ('delete', old.id, old.text_key); END",
    "CREATE TRIGGER tasks_search_update AFTER UPDATE OF text_key ON tasks BEGIN "
    "INSERT INTO task_search(task_search, rowid, text_key) VALUES ('delete', old.id, old.text_key); "
    "INSERT INTO task_search(rowid, text_key) VALUES (new.id, new.text_key); END",
    "INSERT INTO task_search(rowid, text_key) SELECT id, text_key FROM tasks",
]
POSTGRES_SEARCH = ["CREATE INDEX ix_tasks_text_search ON tasks USING gin (to_tsvector('simple', text_key))"]


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_key", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index("ix_tasks_code", ["code"], unique=False)
    with op.batch_alter_table("task_agencies", schema=None) as batch_op:
        batch_op.create_index("ix_task_agencies_agency_role", ["agency_id", "role"], unique=False)
    bind = op.get_bind()
    for task_id, text in bind.execute(sa.text("SELECT id, text FROM tasks")).all():
        bind.execute(sa.text("UPDATE tasks SET text_key = :key WHERE id = :id"), {"key": fold(text), "id": task_id})
    dialect = bind.dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)
    op.execute(task_overview(dialect))
    op.execute(AGENCY_WORKLOAD)


def downgrade() -> None:
    op.execute("DROP VIEW agency_workload")
    op.execute("DROP VIEW task_overview")
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("tasks_search_insert", "tasks_search_delete", "tasks_search_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE task_search")
    else:
        op.execute("DROP INDEX ix_tasks_text_search")
    with op.batch_alter_table("task_agencies", schema=None) as batch_op:
        batch_op.drop_index("ix_task_agencies_agency_role")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_code")
        batch_op.drop_column("text_key")
