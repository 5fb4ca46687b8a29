"""The reviewer's queue, panel and notebook: every change is a correction with history, and survives re-ingestion."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbclient import NotebookClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import ROOT, SAMPLES
from tests.helpers import NOTEBOOK, OWNED, TASK, TASKS_PLAN, owners_of, red_pixels, task_id
from vnplan.context_html import line_html
from vnplan.models import review
from vnplan.models.corrections import CorrectionError
from vnplan.models.database import absolute_url, connect
from vnplan.models.errors import InputError
from vnplan.models.schema import BudgetItemRow, CorrectionRow, ReviewItemRow, TaskRow
from vnplan.page_image import page_image
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.options import PipelineOptions
from vnplan.review import ReviewPanel

# the queue


def test_the_queue_puts_the_doubtful_first_and_says_why(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    with Session(engine) as s:  # the task with code "1.b": a printed total of 0 over sources of 200
        task = s.scalar(select(TaskRow).where(TaskRow.code == "1.b"))
        task.budget_items = [BudgetItemRow(source=None, amount=0), BudgetItemRow(source="Ngân sách tỉnh", amount=200)]
        s.add(ReviewItemRow(document_id=task.document_id, position=0, kind="budget_sources", message="x", code="1.b"))
        s.commit()
    queue = review.review_queue(engine)
    first = queue.iloc[0]
    assert first.reasons == "budget does not add up (total 0, funding sources add up to 200)" and first.code == "1.b"
    no_owner = queue[queue.reasons.str.contains("no owner")]
    owned = queue[queue.text == OWNED].iloc[0]
    assert TASK in set(no_owner.text) and "no owner" not in owned.reasons
    assert owned.priority < no_owner.priority.min()
    assert list(queue.priority) == sorted(queue.priority, reverse=True)
    with Session(engine) as s:  # fixed by the reviewer: the reason goes, and so does the extractor's item
        budget = {"total": 200.0, "unit": None, "sources": {"Ngân sách tỉnh": 200.0}}
        review.save_fields(s, int(first.task_id), {"budget": budget}, reviewer="Lan")
        assert s.scalar(select(ReviewItemRow.status)) == "resolved"
    fixed = review.review_queue(engine)
    assert "budget" not in fixed[fixed.code == "1.b"].iloc[0].reasons
    engine.dispose()


def test_reviewed_tasks_leave_the_queue_unless_asked_for(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    before = review.review_queue(engine)
    with Session(engine) as s:
        review.set_status(s, task_id(db_url, TASK), "approved", reviewer="Lan")
    after = review.review_queue(engine)
    assert len(after) == len(before) - 1 and TASK not in set(after.text)
    assert TASK in set(review.review_queue(engine, include_reviewed=True).text)
    engine.dispose()


# one task: view, save, approve, add, merge, split, export


def test_saving_records_only_what_changed_with_canonical_owner_names(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    tid = task_id(db_url, TASK)
    with Session(engine) as s:
        view = review.task_view(s, tid)
        assert view.fields["text"] == TASK and view.fields["owners"] == [] and view.history == []
        context = [line.text for line in view.context]  # a text file: the task's line, found by its words
        assert context[0] == "1. Cải cách thủ tục hành chính" and context[1] == "a) " + TASK and len(context) == 3
        values = {**view.fields, "owners": ["so noi vu"], "deadline": {**(view.fields["deadline"] or {})}}
        values["deadline"].update(end="2020-05-31")
        made = review.save_fields(s, tid, values, reviewer="Nguyễn Thị Lan", note="theo công văn")
        assert sorted(c.field for c in made) == ["deadline", "owners"]
        assert review.save_fields(s, tid, values, reviewer="Nguyễn Thị Lan") == []
        history = review.task_view(s, tid).history
        assert [(c.field, c.old_value, c.new_value, c.reviewer) for c in history if c.field == "owners"] == [
            ("owners", [], ["Sở Nội vụ"], "Nguyễn Thị Lan")
        ]
    assert owners_of(db_url, TASK) == ["Sở Nội vụ"]
    engine.dispose()


def test_review_work_survives_re_ingestion(plan: tuple[str, Path]) -> None:
    db_url, path = plan
    engine = connect(db_url)
    with Session(engine) as s:
        tid = task_id(db_url, TASK)
        review.save_fields(s, tid, {"owners": ["Sở Tư pháp", "Sở Nội vụ"]}, reviewer="Lan")
        review.set_status(s, tid, "approved", reviewer="Lan")
        document_id = s.get(TaskRow, tid).document_id
        review.add_missed_task(s, document_id, {"text": "Tập huấn cán bộ đầu mối", "owners": ["Sở Nội vụ"]}, "Lan")
    ingest([path], db_url, PipelineOptions(reprocess=True))
    with Session(engine) as s:
        approved = review.approved_tasks(engine)
        assert set(approved.text) == {TASK, "Tập huấn cán bộ đầu mối"}
        assert owners_of(db_url, TASK) == ["Sở Tư pháp", "Sở Nội vụ"]
        assert {c.status for c in s.scalars(select(CorrectionRow))} == {"applied"}
        assert [c.field for c in review.task_view(s, task_id(db_url, TASK)).history] == ["owners", "review_status"]
    engine.dispose()


def test_merge_and_split_owners() -> None:
    owners = ["Sở Nội vụ", "Sở TT&TT", "Sở Thông tin và Truyền thông", "Sở Tài chính"]
    merged = review.merge_owners(owners, ["Sở TT&TT", "Sở Thông tin và Truyền thông"], "sở tt&tt")
    assert merged == ["Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Tài chính"]
    with pytest.raises(CorrectionError, match="at least two"):
        review.split_owner(["Sở Tài chính và Sở KH&ĐT", "Sở Nội vụ"], "Sở Tài chính và Sở KH&ĐT", ["stc", " "])
    parts = review.split_owner(["Sở Tài chính và Sở KH&ĐT"], "Sở Tài chính và Sở KH&ĐT", ["Sở Tài chính", "Sở KH&ĐT"])
    assert parts == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    with pytest.raises(CorrectionError, match="choose"):
        review.merge_owners(owners, [], "Sở Nội vụ")


def test_approved_tasks_export_to_csv_and_json(plan: tuple[str, Path], tmp_path: Path) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    with Session(engine) as s:
        review.save_fields(s, task_id(db_url, TASK), {"owners": ["Sở Nội vụ"]}, reviewer="Lan")
        review.set_status(s, task_id(db_url, TASK), "approved", reviewer="Lan")
        review.set_status(s, task_id(db_url, OWNED), "rejected", reviewer="Lan")
    assert review.export_approved(engine, tmp_path / "out" / "approved.csv") == 1
    table = pd.read_csv(tmp_path / "out" / "approved.csv")
    assert list(table.text) == [TASK] and list(table.owners) == ["Sở Nội vụ"]
    assert review.export_approved(engine, tmp_path / "approved.json") == 1
    (record,) = json.loads((tmp_path / "approved.json").read_text(encoding="utf-8"))
    assert record["text"] == TASK and record["document_number"] == "45/KH-UBND"
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        review.export_approved(engine, tmp_path / "approved.xlsx")
    engine.dispose()


# the page picture


def test_the_page_is_shown_with_the_records_box(tmp_path: Path) -> None:
    pdf = SAMPLES / "born-digital" / "000_b004f501ec34ffc6.pdf"
    box = (100.0, 200.0, 300.0, 220.0)
    image = page_image(str(pdf), 1, box, dpi=72)
    ys, xs = np.nonzero(red_pixels(image))
    assert abs(xs.min() - 97) <= 2 and abs(xs.max() - 303) <= 3 and abs(ys.min() - 197) <= 2
    assert not red_pixels(page_image(str(pdf), 1, None, dpi=72)).any()
    archive = tmp_path / "plans.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(pdf, "in/000.pdf")
    assert page_image(f"{archive}!in/000.pdf", 1, box, dpi=72).size == image.size
    scan = tmp_path / "scan.png"
    Image.new("L", (1240, 1754), 255).save(scan, dpi=(150, 150))
    ys, xs = np.nonzero(red_pixels(page_image(str(scan), 1, box)))
    assert abs(xs.min() - 100 * 150 / 72) <= 4
    text = tmp_path / "plan.txt"
    text.write_text(TASKS_PLAN, encoding="utf-8")
    assert page_image(str(text), 1, None) is None
    with pytest.raises(InputError, match="not a page 99"):
        page_image(str(pdf), 99)
    with pytest.raises(InputError, match="cannot show"):
        page_image(str(tmp_path / "moved.pdf"), 1)


def test_a_scanned_task_shows_its_page_and_the_words_restoration_changed(db_url: str, tmp_path: Path) -> None:
    mangled = "\n\n".join(
        [
            "Số: 12/KH-UBND",
            "KẾ HOẠCH",
            "II. NHIỆM VỤ",
            "1. Nang cao chi s6 cai cach hanh chinh cép tinh trong nam 2021 (do S& Noi vu chu tri).",
        ]
    )
    path = tmp_path / "012_mangled.txt"
    path.write_text(mangled, encoding="utf-8")
    ingest([path], db_url)
    engine = connect(db_url)
    with Session(engine) as s:
        tid = review.review_queue(engine).task_id.iloc[0]
        view = review.task_view(s, int(tid))
    line = next(line for line in view.context if line.changes)
    assert "cải cách hành chính" in line.text and line.raw_text.startswith("1. Nang cao")
    assert '<mark title="OCR read: s6">số</mark>' in line_html(line)
    engine.dispose()


# the panel, driven as a reviewer would


def test_the_panel_edits_an_owner_and_saves_it_with_history(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url)
    tid = task_id(db_url, TASK)
    assert tid in [value for _, value in panel.queue.options]
    panel.queue.value = (tid,)
    assert panel.text.value == TASK and panel.owners.names == []
    panel.owners.new.value = "so noi vu"
    panel.owners.add.click()
    panel.save.click()  # no reviewer name yet: refused, nothing saved
    assert "type your name" in panel.status.value and owners_of(db_url, TASK) == []
    panel.reviewer.value = "Lan"
    panel.note.value = "thiếu cơ quan chủ trì"
    panel.save.click()
    assert "saved 1 change" in panel.status.value
    assert owners_of(db_url, TASK) == ["Sở Nội vụ"]
    assert "Sở Nội vụ" in panel.history.value and "thiếu cơ quan chủ trì" in panel.history.value
    panel.approve.click()  # the entry says so where it stands: the queue does not re-sort or jump
    assert dict((v, k) for k, v in panel.queue.options)[tid].startswith("(approved)")
    assert panel.queue.value == (tid,) and "approved" in panel.history.value
    panel.refresh.click()  # a queue built again lists the unreviewed only
    assert tid not in [value for _, value in panel.queue.options]
    panel.close()


def test_the_panel_merges_owners_adds_a_task_and_refuses_bad_amounts(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, TASK),)
    panel.owners.set(["Sở TT&TT", "Sở Thông tin và Truyền thông", "Sở Nội vụ"])
    panel.owners.chosen.value = ("Sở TT&TT", "Sở Thông tin và Truyền thông")
    panel.owners.parts.value = "Sở Thông tin và Truyền thông"
    panel.owners.merge.click()
    assert panel.owners.names == ["Sở Thông tin và Truyền thông", "Sở Nội vụ"]
    panel.owners.chosen.value = ("Sở Nội vụ",)
    panel.owners.parts.value = "only one"
    panel.owners.split.click()
    assert "at least two" in panel.status.value
    panel.budget_total.value = "một tỷ"
    panel.save.click()
    assert "not an amount" in panel.status.value and owners_of(db_url, TASK) == []
    panel.budget_total.value = "1.500"
    panel.budget_unit.value = "triệu đồng"
    panel.save.click()
    assert owners_of(db_url, TASK) == ["Sở Thông tin và Truyền thông", "Sở Nội vụ"]
    assert review.approved_tasks(panel.engine).empty
    panel.new_task.click()  # a missed task starts empty, on the page shown
    assert panel.text.value == "" and panel.budget_total.value == "" and panel.owners.names == []
    panel.text.value = "Tập huấn cán bộ đầu mối cải cách hành chính"
    panel.budget_total.value = "1.500"
    panel.add_task.click()
    assert panel.status.value.endswith("task added</span>")
    added = review.approved_tasks(panel.engine)
    assert list(added.text) == ["Tập huấn cán bộ đầu mối cải cách hành chính"] and list(added.budget_total) == [1500]
    assert list(added.page) == [1]
    panel.close()


# the notebook, run headless as a reviewer runs it, then driven from a cell


def test_the_notebook_runs_top_to_bottom_and_its_panel_saves(
    plan: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, _ = plan
    monkeypatch.setenv("VNPLAN_DB", db_url)
    monkeypatch.setenv("VNPLAN_REVIEWER", "Trần Văn Minh")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tid = task_id(db_url, TASK)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            f"panel.queue.value = ({tid},)\n"
            "panel.owners.new.value = 'Sở Tài chính'\n"
            "panel.owners.add.click()\n"
            "panel.save.click()\n"
            "print(panel.status.value)"
        )
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
    ).execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs)
    assert "saved 1 change" in notebook.cells[-1].outputs[0].text
    assert owners_of(db_url, TASK) == ["Sở Tài chính"]
    engine = connect(db_url)
    with Session(engine) as s:
        (correction,) = s.scalars(select(CorrectionRow)).all()
        assert (correction.reviewer, correction.new_value) == ("Trần Văn Minh", ["Sở Tài chính"])
    engine.dispose()


def test_relative_sqlite_urls_are_made_absolute_for_the_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert absolute_url("sqlite:///plans.db") == f"sqlite:///{tmp_path / 'plans.db'}"
    assert absolute_url("sqlite:////srv/plans.db") == "sqlite:////srv/plans.db"
    assert absolute_url("postgresql://me@db:5432/plans") == "postgresql://me@db:5432/plans"
