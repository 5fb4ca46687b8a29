"""Reviewer corrections: recorded with who and why, shown in history, never lost on re-extraction (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.helpers import TASK
from vnplan.models import corrections, store
from vnplan.models.corrections import CorrectionError
from vnplan.models.database import connect
from vnplan.models.schema import CorrectionRow, TaskRow
from vnplan.pipeline import ingest as ingest_module
from vnplan.pipeline import process as process_module
from vnplan.pipeline.export import document_record
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.options import PipelineOptions


def the_task(session: Session, text: str = TASK) -> TaskRow:
    return session.scalar(select(TaskRow).where(TaskRow.text == text))


def give_the_task_an_owner(db_url: str) -> Engine:
    """A reviewer names Sở Nội vụ as the task's owner; returns the engine for the test to go on with."""
    engine = connect(db_url)
    with Session(engine) as s:
        corrections.correct_task(s, the_task(s), "owners", ["Sở Nội vụ"], reviewer="Lan")
        s.commit()
    return engine


def test_a_correction_is_recorded_applied_and_in_history(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    with Session(engine) as s:
        task = the_task(s)
        made = corrections.correct_task(s, task, "owners", ["Sở TT&TT"], reviewer="Nguyễn Thị Lan", note="xem lại")
        s.commit()
        assert (made.old_value, made.new_value, made.reviewer, made.note) == (
            [],
            ["Sở TT&TT"],
            "Nguyễn Thị Lan",
            "xem lại",
        )
        assert made.made_at is not None
        record = document_record(store.all_documents(s)[0])
        assert next(t for t in record["tasks"] if t["text"] == TASK)["owners"] == ["Sở Thông tin và Truyền thông"]
        assert [c.field for c in corrections.history(s, task)] == ["owners"]
    engine.dispose()


def test_corrections_survive_re_extraction(plan: tuple[str, Path]) -> None:
    db_url, path = plan
    engine = connect(db_url)
    with Session(engine) as s:
        task = the_task(s)
        corrections.correct_task(s, task, "text", TASK + " (bổ sung)", reviewer="Lan")
        corrections.correct_task(
            s,
            task,
            "deadline",
            {"raw": "Quý III", "start": "2020-07-01", "end": "2020-09-30", "recurrence": None},
            reviewer="Lan",
        )
        corrections.correct_task(s, task, "review_status", "approved", reviewer="Lan")
        document = store.all_documents(s)[0]
        corrections.add_task(s, document, {"text": "Tổ chức hội nghị sơ kết", "owners": ["Sở Nội vụ"]}, reviewer="Lan")
        s.commit()
    report = ingest([path], db_url, PipelineOptions(reprocess=True))
    assert report.outcomes[0].status == "ingested" and "re-extracted" in report.outcomes[0].reason
    with Session(engine) as s:
        task = the_task(s, TASK + " (bổ sung)")
        assert task is not None and task.review_status == "approved"
        assert (task.deadline.raw, str(task.deadline.end_date)) == ("Quý III", "2020-09-30")
        added = the_task(s, "Tổ chức hội nghị sơ kết")
        assert added.origin == "reviewer" and [a.agency.name for a in added.agencies] == ["Sở Nội vụ"]
        assert s.scalar(select(func.count()).select_from(TaskRow)) == 8  # 7 extracted + 1 added, no duplicates
        assert {c.status for c in s.scalars(select(CorrectionRow))} == {"applied"}
    engine.dispose()


def test_a_correction_whose_task_is_gone_is_kept_as_orphaned(
    plan: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, path = plan
    engine = give_the_task_an_owner(db_url)
    real = process_module.process_data

    def newer_pipeline(*args, **kwargs):  # a newer extractor that no longer finds the task
        document, result = real(*args, **kwargs)
        result.tasks = [t for t in result.tasks if t.text != TASK]
        return document, result

    monkeypatch.setattr(ingest_module, "process_data", newer_pipeline)
    ingest([path], db_url, PipelineOptions(reprocess=True))
    with Session(engine) as s:
        (correction,) = s.scalars(select(CorrectionRow)).all()
        assert correction.status == "orphaned" and correction.new_value == ["Sở Nội vụ"]
        assert the_task(s) is None
    engine.dispose()


def test_a_crash_during_re_extraction_keeps_the_old_state(
    plan: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, path = plan
    engine = give_the_task_an_owner(db_url)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(store.corrections, "reapply", crash)
    report = ingest([path], db_url, PipelineOptions(reprocess=True))
    assert report.outcomes[0].status == "failed" and "power cut" in report.outcomes[0].reason
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(TaskRow)) == 7
        assert [a.agency.name for a in the_task(s).agencies] == ["Sở Nội vụ"]
    engine.dispose()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "red", "no such task field"),
        ("review_status", "maybe", "review status is one of"),
        ("text", "  ", "cannot be empty"),
    ],
)
def test_impossible_corrections_say_why(plan: tuple[str, Path], field: str, value: object, message: str) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    with Session(engine) as s, pytest.raises(CorrectionError, match=message):
        corrections.correct_task(s, the_task(s), field, value, reviewer="Lan")
    engine.dispose()
