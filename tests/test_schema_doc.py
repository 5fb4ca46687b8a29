"""docs/schema.md: every example query runs, on SQLite and PostgreSQL, and finds what it should; the words
it lists for each status and role column are the ones the code writes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
from sqlalchemy import text

from tests.conftest import ROOT
from tests.helpers import OWNED, TABLE_PLAN, TASK, TASKS_PLAN
from vnplan.models.database import connect
from vnplan.models.document import LayerStatus, ReadMethod
from vnplan.models.vocabulary import CorrectionStatus, Origin, ReviewItemStatus, ReviewStatus, Role
from vnplan.pipeline.ingest import ingest

SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"```sql\n(.*?)```", SCHEMA_DOC, re.S)
#: Columns holding one of a closed set of words, and the type that names the set.
WORDS = {
    ("pages", "read_method"): tuple(ReadMethod),
    ("pages", "layer_verdict"): get_args(LayerStatus),
    ("tasks", "origin"): get_args(Origin),
    ("tasks", "review_status"): get_args(ReviewStatus),
    ("task_agencies", "role"): get_args(Role),
    ("review_items", "status"): get_args(ReviewItemStatus),
    ("corrections", "status"): get_args(CorrectionStatus),
}


@pytest.mark.parametrize(("table", "column"), WORDS, ids=[f"{t}.{c}" for t, c in WORDS])
def test_the_document_lists_the_words_a_column_holds(table: str, column: str) -> None:
    row = next(line for line in SCHEMA_DOC.splitlines() if line.startswith(f"| `{table}` |"))
    listed = re.search(rf"`{column}` \(([^)]*)\)", row)
    assert listed is not None, f"docs/schema.md does not list the words of {table}.{column}"
    assert re.findall(r"`(\w+)`", listed.group(1)) == list(WORDS[table, column])


def test_the_document_has_ten_queries() -> None:
    assert len(QUERIES) == 10


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    criteria = (
        "Số: 46/KH-UBND\n\nHà Giang, ngày 2 tháng 2 năm 2020\n\nKẾ HOẠCH\n\nNâng cao Chỉ số CCHC năm 2020\n\n"
        "UBND tỉnh Hà Giang ban hành.\n\n"
        "STT\tTiêu chí\tĐiểm chuẩn\tĐiểm thẩm định\tĐiểm bị mất\tGiải pháp\tCơ quan chủ trì\n"
        "1.2\tChế độ báo cáo\t3\t0,75\t2,25\tBáo cáo đúng hạn\tSở Nội vụ\n"
    )
    names = ("045_plan.txt", "013_plan.txt", "014_scores.txt")
    for name, body in zip(names, (TASKS_PLAN, TABLE_PLAN.replace("2019", "2020"), criteria), strict=True):
        (tmp_path / name).write_text(body, encoding="utf-8")
    ingest([tmp_path / name for name in names], db_url)
    return db_url


TRAINING = "Tập huấn công chức làm công tác pháp chế"  # TASKS_PLAN's table row (1,250 triệu đồng)
RADIO = (
    "Tuyên truyền cải cách hành chính trên sóng phát thanh (do Đài Phát thanh - Truyền hình tỉnh chủ trì, "
    "phối hợp với Sở TT&TT thực hiện)."
)
JUSTICE = "Giao Sở Tư pháp theo dõi thi hành pháp luật và báo cáo định kỳ hàng quý."  # TASKS_PLAN, recurring
#: What each query of docs/schema.md finds in the three plans ``loaded`` stores (all Hà Giang, 2020).
EXPECTED: dict[int, list[tuple]] = {
    1: [  # tasks Sở Tư pháp leads
        ("12/KH-UBND", 2020, "1", "Tập huấn pháp chế", "Quý IV/2020"),
        ("45/KH-UBND", 2020, "1", TRAINING, "Quý III/2020"),
        ("45/KH-UBND", 2020, "2", JUSTICE, "định kỳ hàng quý"),
    ],
    2: [  # every task, with its owners
        ("45/KH-UBND", "1.a", TASK, None),
        ("45/KH-UBND", "1.b", RADIO, "Đài Phát thanh và Truyền hình tỉnh"),
        ("45/KH-UBND", None, "Kiểm tra công tác cải cách hành chính tại các sở, ban, ngành và UBND các huyện, thành phố.",
         "Sở Nội vụ"),
        ("45/KH-UBND", None, OWNED, "Sở Nội vụ"),
        ("45/KH-UBND", "1.a", "Bố trí kinh phí thực hiện kế hoạch theo quy định hiện hành.", "Sở Tài chính"),
        ("45/KH-UBND", "2", JUSTICE, "Sở Tư pháp"),
        ("45/KH-UBND", "1", TRAINING, "Sở Tư pháp"),
        ("12/KH-UBND", "1", "Tập huấn pháp chế", "Sở Tư pháp"),
        ("46/KH-UBND", "1.2", "Báo cáo đúng hạn", "Sở Nội vụ"),
    ],
    3: [  # due in the second half of 2020, soonest first (Quý II's task is due before)
        ("45/KH-UBND", TRAINING, "Sở Tư pháp", "2020-09-30"),
        ("12/KH-UBND", "Tập huấn pháp chế", "Sở Tư pháp", "2020-12-31"),
    ],
    4: [("quarterly", 1)],
    5: [  # most tasks owned first; Sở Tư pháp owns both table rows' money (1,250 + 300)
        ("Sở Nội vụ", 3, 0, None),
        ("Sở Tư pháp", 3, 0, 1550),
        ("Đài Phát thanh và Truyền hình tỉnh", 1, 0, None),
        ("Sở Tài chính", 1, 0, None),
        ("Sở Thông tin và Truyền thông", 0, 2, None),
        ("Các sở, ban, ngành", 0, 1, None),
        ("UBND cấp huyện", 0, 1, None),
    ],
    6: [("Nguồn ngân sách tỉnh", 150, "triệu đồng"), ("Nguồn sự nghiệp", 100, "triệu đồng")],
    7: [("45/KH-UBND", "1.a", TASK)],
    8: [("12/KH-UBND", "Hà Giang", 2020, "Nghị quyết", 1)],
    9: [("1.2", "Chế độ báo cáo", 3, 0.75, 2.25)],
    10: [  # text files have no text layer; the table plan's sources miss its total: one open item
        ("045_plan.txt", 1, "text_file", None, 0),
        ("013_plan.txt", 1, "text_file", None, 1),
        ("014_scores.txt", 1, "text_file", None, 0),
    ],
}
#: Queries whose order the data decides (the others order by row ids, which follow the order of storing).
ORDERED = (3, 4, 6, 8, 9)


def _plain(value: object) -> object:
    """A value as SQLite gives it: dates as ISO text (PostgreSQL gives date objects)."""
    return value.isoformat() if isinstance(value, date) else value


def test_every_documented_query_finds_what_it_says(loaded: str) -> None:
    engine = connect(loaded)
    found = {}
    with engine.connect() as conn:
        for k, sql in enumerate(QUERIES, start=1):
            rows = [tuple(_plain(v) for v in row) for row in conn.execute(text(sql)).all()]
            found[k] = rows if k in ORDERED else sorted(rows, key=repr)
    engine.dispose()
    expected = {k: rows if k in ORDERED else sorted(rows, key=repr) for k, rows in EXPECTED.items()}
    wrong = {k: found[k] for k in expected if found[k] != expected[k]}
    assert not wrong, f"queries giving other rows than documented: {wrong}"
