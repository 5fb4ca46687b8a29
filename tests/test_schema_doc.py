"""Every example query in docs/schema.md runs, on SQLite and PostgreSQL, and finds what it should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from models.database import connect
from pipeline.ingest import ingest
from tests.conftest import ROOT
from tests.test_store import TABLE_PLAN

QUERIES = re.findall(r"```sql\n(.*?)```", (ROOT / "docs" / "schema.md").read_text(encoding="utf-8"), re.S)


def test_the_document_has_ten_queries() -> None:
    assert len(QUERIES) == 10


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    from tests.test_extraction import PLAN

    criteria = (
        "Số: 46/KH-UBND\n\nHà Giang, ngày 2 tháng 2 năm 2020\n\nKẾ HOẠCH\n\nNâng cao Chỉ số CCHC năm 2020\n\n"
        "UBND tỉnh Hà Giang ban hành.\n\n"
        "STT\tTiêu chí\tĐiểm chuẩn\tĐiểm thẩm định\tĐiểm bị mất\tGiải pháp\tCơ quan chủ trì\n"
        "1.2\tChế độ báo cáo\t3\t0,75\t2,25\tBáo cáo đúng hạn\tSở Nội vụ\n"
    )
    names = ("045_plan.txt", "013_plan.txt", "014_scores.txt")
    for name, body in zip(names, (PLAN, TABLE_PLAN.replace("2019", "2020"), criteria), strict=True):
        (tmp_path / name).write_text(body, encoding="utf-8")
    ingest([tmp_path / name for name in names], db_url)
    return db_url


def test_every_documented_query_runs_and_returns_rows(loaded: str) -> None:
    engine = connect(loaded)
    with engine.connect() as conn:
        for k, sql in enumerate(QUERIES, start=1):
            rows = conn.execute(text(sql)).all()
            assert rows, f"query {k} returned nothing"
    engine.dispose()
