"""What downstream systems query: views, accent-insensitive search, the pandas API, CSV and Parquet (both databases)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, inspect, text

import vnplan
from tests.helpers import TASKS_PLAN
from vnplan.models import queries
from vnplan.models.database import connect
from vnplan.models.schema import DocumentRow
from vnplan.pipeline.ingest import ingest

JUSTICE_TASK = "Giao Sở Tư pháp theo dõi thi hành pháp luật và báo cáo định kỳ hàng quý."


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    path = tmp_path / "045_plan.txt"
    path.write_text(TASKS_PLAN, encoding="utf-8")
    ingest([path], db_url)
    return db_url


def test_documented_views_exist(loaded: str) -> None:
    engine = connect(loaded)
    assert {"task_overview", "agency_workload"} <= set(inspect(engine).get_view_names())
    engine.dispose()


def test_task_overview_has_owners_deadline_and_budget(loaded: str) -> None:
    tasks = vnplan.tasks(loaded)
    assert len(tasks) == 7
    row = tasks[tasks.text.str.startswith("Tập huấn công chức")].iloc[0]
    assert (row.document_number, row.province, row.year) == ("45/KH-UBND", "Hà Giang", 2020)
    assert (row.owners, row.co_owners) == ("Sở Tư pháp", "Các sở, ban, ngành")
    assert (str(row.deadline_start), str(row.deadline_end)) == ("2020-07-01", "2020-09-30")
    assert row.budget_total == 1250


@pytest.mark.parametrize("words", ["so tu phap", "Sở Tư pháp", "SỞ TƯ PHÁP", "SO TU PHAP"])
def test_search_ignores_marks_and_case(loaded: str, words: str) -> None:
    assert vnplan.tasks(loaded, search=words).text.tolist() == [JUSTICE_TASK]


def test_search_finds_phrases_not_scattered_words(loaded: str) -> None:
    assert len(vnplan.tasks(loaded, search="dieu tra xa hoi hoc")) == 1
    assert len(vnplan.tasks(loaded, search="hoc xa hoi tra dieu")) == 0
    assert len(vnplan.tasks(loaded, search="xa hoi", year=2020)) == 1  # through the index (of word pairs)
    assert len(vnplan.tasks(loaded, search="dieu tra hoi", year=2020)) == 0
    assert JUSTICE_TASK in set(vnplan.tasks(loaded, search="phap", year=2020).text)  # one word: no pairs


@pytest.mark.parametrize("walk", [1, 2, 1000])
def test_a_page_of_search_results_is_the_first_matches_however_found(
    loaded: str, walk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search alone finds its page by walking the tasks in order (stopping at the page's end) or
    through the search index when the walk cannot tell; both give the first matches by id."""
    engine = connect(loaded)
    everything = queries.tasks(engine, search="hanh chinh")
    assert len(everything) >= 3 and list(everything.task_id) == sorted(everything.task_id)
    monkeypatch.setattr(queries, "SEARCH_WALK", walk)
    monkeypatch.setattr(queries, "LONGEST_WALK", max(walk, 2))
    for limit in (1, 2, len(everything), 50):
        page = queries.tasks(engine, search="hanh chinh", limit=limit)
        assert list(page.task_id) == list(everything.task_id[:limit])
        assert list(page.text) == list(everything.text[:limit])
    engine.dispose()


@pytest.mark.parametrize("spelling", ["Sở Tư pháp", "so tu phap", "SỞ TƯ PHÁP"])
def test_tasks_of_an_agency_in_any_spelling(loaded: str, spelling: str) -> None:
    owned = vnplan.tasks(loaded, agency=spelling, role="owner")
    assert set(owned.code.fillna("")) == {"2", "1"}  # "Giao Sở Tư pháp …" and the table row


def test_aliases_of_an_agency_find_it(loaded: str) -> None:
    assert len(vnplan.tasks(loaded, agency="Sở TT&TT", role="co_owner")) == 1


def test_agency_workload(loaded: str) -> None:
    workload = vnplan.agency_workload(loaded, province="Hà Giang")
    row = workload[workload.agency == "Sở Tư pháp"].iloc[0]
    assert (row.tasks_owned, row.documents, row.budget_owned) == (2, 1, 1250)


def test_deleting_a_document_keeps_search_in_step(loaded: str) -> None:
    engine = connect(loaded)
    with engine.begin() as conn:
        conn.execute(delete(DocumentRow))
        assert conn.execute(text("SELECT COUNT(*) FROM tasks")).scalar() == 0
    engine.dispose()
    assert vnplan.tasks(loaded, search="so tu phap").empty


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_flat_exports(loaded: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "vnplan", "export", "--db", loaded, "--format", fmt, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    tasks = read(out / f"tasks.{fmt}")
    assert len(tasks) == 7 and "Sở Tư pháp" in set(tasks.owners.dropna())
    assert read(out / f"documents.{fmt}").number.tolist() == ["45/KH-UBND"]


def test_cli_upgrade_and_search(loaded: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vnplan", "db", "upgrade", "--db", loaded], capture_output=True, text=True
    )
    assert done.returncode == 0 and "schema up to date" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "vnplan", "search", "so tu phap", "--db", loaded], capture_output=True, text=True
    )
    assert done.returncode == 0 and JUSTICE_TASK in done.stdout
