"""Migrations do what they did when they were written: they carry their own copy of any helper."""

from __future__ import annotations

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from vnplan.models.database import connect, upgrade

DOCUMENT = (
    "INSERT INTO documents (id, content_hash, source_name, source_path, pipeline_version, status, page_count)"
    " VALUES (1, 'h', 'plan.txt', '/in/plan.txt', '0.1.0', 'ingested', 1)"
)
TASK = "INSERT INTO tasks (id, document_id, position, text, origin) VALUES (1, 1, 0, :text, 'body')"


def test_migration_0004_gives_tasks_stored_before_it_their_search_keys(db_url: str) -> None:
    engine = connect(db_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(text(DOCUMENT))
        connection.execute(text(TASK), {"text": "Sở Nội vụ  chủ trì, ĐÁNH GIÁ kết quả"})
    upgrade(engine)
    with engine.connect() as connection:
        key = connection.execute(text("SELECT text_key FROM tasks WHERE id = 1")).scalar_one()
    engine.dispose()
    assert key == "so noi vu chu tri, danh gia ket qua"


def test_the_newest_file_names_alembics_head_and_an_up_to_date_schema_is_left_alone(db_url: str) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from vnplan.models.database import MIGRATIONS, current_revision, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert [head_revision()] == ScriptDirectory.from_config(config).get_heads()
    engine = connect(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.begin() as conn:  # a schema said to be current is taken at its word: nothing runs
        conn.execute(text("DROP TABLE corrections"))
    upgrade(engine)
    with engine.connect() as conn:
        assert "corrections" not in sa_inspect(conn).get_table_names()
    engine.dispose()


def test_migration_0013_drops_the_two_constant_columns_and_keeps_the_rows(db_url: str) -> None:
    from alembic import command

    from vnplan.models.database import alembic_config

    engine = connect(db_url)
    upgrade(engine, "0012")
    with engine.begin() as connection:
        connection.execute(text(DOCUMENT))
    upgrade(engine)
    columns = {t: {c["name"] for c in sa_inspect(engine).get_columns(t)} for t in ("documents", "corrections")}
    assert "status" not in columns["documents"] and "target_kind" not in columns["corrections"]
    command.downgrade(alembic_config(engine), "0012")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT source_name, status FROM documents")).all() == [("plan.txt", "ingested")]
    engine.dispose()
