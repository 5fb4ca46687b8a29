"""The database: migrations, round trips, idempotent ingestion, failures and rollback (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from tests.helpers import SHORT_PLAN, TABLE_PLAN
from vnplan.models import store
from vnplan.models.database import connect, modelled, normalize_url, upgrade
from vnplan.models.schema import AgencyRow, Base, CitedDocumentRow, DocumentRow, IngestionErrorRow, LineRow, PageRow
from vnplan.pipeline.export import document_record
from vnplan.pipeline.ingest import ingest

PLAN = SHORT_PLAN  # test_reliability.py imports it from here


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    """SHORT_PLAN written as a text file."""
    path = tmp_path / "012_plan.txt"
    path.write_text(SHORT_PLAN, encoding="utf-8")
    return path


def counts(db_url: str) -> dict[str, int]:
    engine = connect(db_url)
    with Session(engine) as s:
        result = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))
            for t in (DocumentRow, PageRow, LineRow, CitedDocumentRow, IngestionErrorRow)
        }
    engine.dispose()
    return result


def test_migrations_create_the_schema_the_models_describe(db_url: str) -> None:
    engine = connect(db_url)
    upgrade(engine)
    upgrade(engine)  # a second upgrade is a no-op
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": modelled})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_round_trip_of_metadata_references_pages_and_lines(db_url: str, plan_file: Path) -> None:
    report = ingest([plan_file], db_url)
    assert [o.status for o in report.outcomes] == ["ingested"]
    engine = connect(db_url)
    with Session(engine) as s:
        (row,) = store.all_documents(s)
        record = document_record(row)
        assert row.pages[0].read_method == "text_file"
        assert "chuẩn hóa" in row.pages[0].text and "chuẩn hoá" in row.pages[0].raw_text
        assert any(
            line.raw_text == "UBND tỉnh Hà Giang ban hành kế hoạch chuẩn hoá như sau." for line in row.pages[0].lines
        )
    engine.dispose()
    assert record["doc"] == "012_plan"
    assert record["metadata"] == {
        "doc_type": "KH",
        "number": "12/KH-UBND",
        "issued_date": "2019-03-05",
        "province": "Hà Giang",
        "issuer": "UBND tỉnh Hà Giang",
        "title": "Cải cách hành chính tỉnh Hà Giang năm 2019",
        "signer": "Nguyễn Văn Sơn",
        "year": 2019,
    }
    assert [(r["kind"], r["number"], r["date"], r["page"]) for r in record["references"]] == [
        ("Nghị quyết", "30c/NQ-CP", "2011-11-08", 1),
        ("Quyết định", "225/QĐ-TTg", "2016-02-04", 1),
    ]


def test_same_bytes_twice_changes_nothing(db_url: str, plan_file: Path, tmp_path: Path) -> None:
    ingest([plan_file], db_url)
    before = counts(db_url)
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(plan_file.read_bytes())
    report = ingest([plan_file, copy], db_url)
    assert [o.status for o in report.outcomes] == ["skipped", "skipped"]
    assert counts(db_url) == before


def test_a_bad_document_is_recorded_and_the_batch_goes_on(db_url: str, plan_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    report = ingest([bad, plan_file], db_url)
    assert [o.status for o in report.outcomes] == ["failed", "ingested"]
    assert report.outcomes[0].reason.startswith("the PDF is damaged")
    engine = connect(db_url)
    with Session(engine) as s:
        (error,) = s.scalars(select(IngestionErrorRow)).all()
        assert error.source_path == str(bad) and error.reason == report.outcomes[0].reason
        assert error.content_hash and len(error.content_hash) == 64
    engine.dispose()


def test_a_crash_mid_document_leaves_nothing_half_written(
    db_url: str, plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add = store.add_document

    def add_then_crash(session, document, extraction, version):
        real_add(session, document, extraction, version)
        session.flush()  # rows are in the transaction when the crash comes
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "add_document", add_then_crash)
    report = ingest([plan_file], db_url)
    assert report.outcomes[0].status == "failed"
    assert "disk full" in report.outcomes[0].reason
    after = counts(db_url)
    assert after["documents"] == after["pages"] == after["lines"] == after["cited_documents"] == 0
    assert after["ingestion_errors"] == 1


def test_database_urls_people_write() -> None:
    assert normalize_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///plans.db") == "sqlite:///plans.db"




def test_round_trip_of_tasks_scores_and_review_items(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "013_plan.txt"
    path.write_text(TABLE_PLAN, encoding="utf-8")
    ingest([path], db_url)
    engine = connect(db_url)
    with Session(engine) as s:
        (row,) = store.all_documents(s)
        record = document_record(row)
        (item,) = row.review_items
        assert (item.kind, item.code, item.expected, item.found, item.status) == (
            "budget_sources",
            "1",
            300,
            250,
            "open",
        )
    engine.dispose()
    (task,) = record["tasks"]
    engine = connect(db_url)
    with Session(engine) as s:
        agency = s.scalar(select(AgencyRow).where(AgencyRow.name == "Sở Thông tin và Truyền thông"))
        assert agency.key == "so thong tin va truyen thong" and "Sở TT&TT" in agency.aliases
    engine.dispose()
    assert task["owners"] == ["Sở Tư pháp"]
    assert task["co_owners"] == ["Sở Thông tin và Truyền thông", "UBND cấp huyện"]
    assert task["deadline"] == {"raw": "Quý IV/2019", "start": "2019-10-01", "end": "2019-12-31", "recurrence": None}
    assert task["budget"] == {
        "total": 300,
        "unit": "triệu đồng",
        "sources": {"Nguồn sự nghiệp": 100, "Nguồn ngân sách tỉnh": 150},
    }
    assert task["page"] == 1 and task["confidence"] > 0.5
