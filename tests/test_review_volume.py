"""Issue 15: the panel loses nothing (pending edits, dates, database errors, field limits), keeps up
with volume (filters, pages, approve-and-next, keys, undo, batch approve) and says things clearly."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.conftest import SAMPLES
from tests.helpers import NOTEBOOK, OWNED, TASK, owners_of, red_pixels, task_fields, task_id
from vnplan.models import corrections, review
from vnplan.models.corrections import CorrectionError
from vnplan.models.database import connect
from vnplan.models.limits import TooLong
from vnplan.models.schema import CorrectionRow, TaskRow
from vnplan.normalizers.agencies import ALIASES
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.options import PipelineOptions
from vnplan.review import ReviewPanel

SECOND = "Tuyên truyền cải cách hành chính trên sóng phát thanh"


def labels(panel: ReviewPanel) -> dict[int, str]:
    return {value: label for label, value in panel.queue.options}


# nothing lost


def test_approve_saves_the_pending_edits_first(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, TASK),)
    panel.deadline_end.value = "30/06/2025"
    panel.owners.new.value = "so noi vu"
    panel.owners.add.click()
    panel.approve.click()
    fields = task_fields(db_url, TASK)
    assert fields["owners"] == ["Sở Nội vụ"] and fields["deadline"]["end"] == "2025-06-30"
    assert fields["review_status"] == "approved" and "task approved" in panel.status.value
    panel.close()


def test_a_second_owner_is_added_beside_the_first(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, OWNED),)
    assert panel.owners.names == ["Sở Nội vụ"]
    panel.owners.new.value = "so tu phap"
    panel.save.click()
    assert "saved 1 change" in panel.status.value and owners_of(db_url, OWNED) == ["Sở Nội vụ", "Sở Tư pháp"]
    panel.owners.set(["Sở Tư pháp", "Sở Nội vụ"])  # the same two, the other way round
    panel.save.click()
    assert owners_of(db_url, OWNED) == ["Sở Tư pháp", "Sở Nội vụ"]
    panel.close()


def test_moving_on_saves_edits_and_a_bad_date_keeps_the_task(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    first, other = task_id(db_url, TASK), task_id(db_url, OWNED)
    panel.queue.value = (first,)
    panel.owners.new.value = "Sở Tư pháp"  # typed, never added: still saved
    panel.queue.value = (other,)
    assert owners_of(db_url, TASK) == ["Sở Tư pháp"] and panel.task_id == other
    assert "saved 1 change" in panel.status.value
    panel.deadline_start.value = "02/31/2025"  # US order: no 31st month
    panel.queue.value = (first,)
    assert "'02/31/2025' is not a date" in panel.status.value
    assert panel.task_id == other and panel.queue.value == (other,) and task_fields(db_url, OWNED)["deadline"] is None
    panel.deadline_start.value = "30062025"
    panel.next.click()
    assert "is not a date: write day/month/year" in panel.status.value and panel.task_id == other
    panel.deadline_start.value = "01/07/2025"
    panel.queue.value = (first,)
    assert task_fields(db_url, OWNED)["deadline"]["start"] == "2025-07-01"
    assert panel.deadline_start.value == "01/04/2020"  # the first task's own deadline (Quý II), nothing left over
    panel.queue.value = (other,)
    assert panel.deadline_start.value == "01/07/2025"
    panel.close()


def test_dates_are_day_first_and_checked() -> None:
    assert review.parse_day_first("30/06/2025") == date(2025, 6, 30)
    assert review.parse_day_first(" 1/7/2025 ") == date(2025, 7, 1) and review.parse_day_first("") is None
    for wrong in ("02/31/2025", "31/02/2025", "30062025", "2025-06-30", "30/06/62025"):
        with pytest.raises(CorrectionError, match="is not a date"):
            review.parse_day_first(wrong, "deadline")
    assert review.day_first("2025-06-30") == "30/06/2025" and review.day_first(None) == ""
    with pytest.raises(CorrectionError, match=r"ends .* before it starts"):
        review.read_form(review.Form(text="x", deadline_start="30/06/2025", deadline_end="01/06/2025"))


def test_amounts_are_checked_and_a_total_off_its_sources_is_flagged() -> None:
    with pytest.raises(CorrectionError, match="cannot be negative"):
        review.read_form(review.Form(text="x", budget_total="-200"))
    with pytest.raises(CorrectionError, match="Ngân sách tỉnh: an amount cannot be negative"):
        review.read_form(review.Form(text="x", budget_sources="Ngân sách tỉnh: -5"))
    values, warnings = review.read_form(review.Form(text="x", budget_total="0", budget_sources="Ngân sách tỉnh: 200"))
    assert values["budget"] == {"total": 0.0, "unit": None, "sources": {"Ngân sách tỉnh": 200.0}}
    assert warnings == ["budget flagged: total 0, funding sources add up to 200"]
    assert review.read_form(review.Form(text="x", budget_total="1.500", budget_sources="A: 1.000\nB: 500"))[1] == []


def test_a_database_error_is_one_line_and_the_panel_keeps_working(
    plan: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, TASK),)
    real = corrections.correct_task

    def broken(session: Session, *args: object, **kwargs: object) -> CorrectionRow:
        session.execute(text("SELECT no_such_column FROM tasks"))  # on PostgreSQL this aborts the transaction
        return real(session, *args, **kwargs)

    monkeypatch.setattr(corrections, "correct_task", broken)
    panel.owners.new.value = "Sở Nội vụ"
    panel.owners.add.click()
    panel.save.click()
    assert "the database refused the change, nothing was saved" in panel.status.value
    assert "\n" not in panel.status.value and owners_of(db_url, TASK) == []
    monkeypatch.setattr(corrections, "correct_task", real)
    panel.save.click()
    assert "saved 1 change" in panel.status.value and owners_of(db_url, TASK) == ["Sở Nội vụ"]
    panel.close()


def test_field_limits_are_the_same_on_both_databases(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, TASK),)
    long_name = "Ban " + "quản lý dự án " * 18  # 256 characters, an agency name keeps 200
    panel.owners.new.value = long_name
    panel.owners.is_new.value = True
    panel.owners.add.click()
    panel.save.click()
    assert "agency name is" in panel.status.value and "at most 200 are kept" in panel.status.value
    assert owners_of(db_url, TASK) == []
    panel.owners.set(["Sở Nội vụ"])
    panel.save.click()
    assert "saved 1 change" in panel.status.value and owners_of(db_url, TASK) == ["Sở Nội vụ"]
    panel.close()
    engine = connect(db_url)
    with Session(engine) as s:  # text read from a document has no limit on either database
        task = s.scalar(select(TaskRow).where(TaskRow.text == OWNED))
        code = "Tiếp tục thuê phần mềm cổng thông tin điện tử tỉnh Lào Cai; chi phí kiểm tra, giám sát, nghiệm thu"
        corrections.correct_task(s, task, "code", code, reviewer="Lan")
        s.commit()
        assert s.scalar(select(TaskRow.code).where(TaskRow.id == task.id)) == code
        with pytest.raises(TooLong, match="reviewer's name is 121 characters"):
            corrections.correct_task(s, task, "code", "1.c", reviewer="x" * 121)
            s.flush()
    engine.dispose()


def test_the_born_digital_sample_with_a_98_character_code_is_stored(db_url: str) -> None:
    report = ingest([SAMPLES / "born-digital" / "000_b004f501ec34ffc6.pdf"], db_url)
    assert [(o.status, o.reason) for o in report.outcomes] == [("ingested", None)]
    engine = connect(db_url)
    with Session(engine) as s:
        longest = max(len(code) for code in s.scalars(select(TaskRow.code)) if code)
    engine.dispose()
    assert longest > 80


# volume


def test_the_queue_filters_pages_and_searches_without_marks(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    everything = review.review_queue(engine)
    assert set(review.review_queue(engine, filters=review.QueueFilter(search="ra soat don gian")).text) == {TASK}
    owned = set(review.review_queue(engine, filters=review.QueueFilter(owner="so noi vu")).text)
    assert OWNED in owned and TASK not in owned and len(owned) == 2
    no_owner = review.review_queue(engine, filters=review.QueueFilter(reason="no_owner"))
    assert TASK in set(no_owner.text) and OWNED not in set(no_owner.text)
    assert len(review.review_queue(engine, filters=review.QueueFilter(province="Hà Giang"))) == len(everything)
    assert review.review_queue(engine, filters=review.QueueFilter(province="Lào Cai")).empty
    document_id = int(everything.document_id.iloc[0])
    assert len(review.review_queue(engine, filters=review.QueueFilter(document_id=document_id))) == len(everything)
    with pytest.raises(ValueError, match="a reason is one of"):
        review.review_queue(engine, filters=review.QueueFilter(reason="typo"))
    queue = review.ReviewQueue(engine, page_size=2)
    assert len(queue) == len(everything) and queue.pages == -(-len(everything) // 2)
    ids = [v for k in range(queue.pages) for _, v in queue.page(k)]
    assert ids == list(everything.task_id)
    assert queue.neighbour(ids[0]) == ids[1] and queue.neighbour(ids[1], -1) == ids[0]
    assert queue.neighbour(ids[-1]) is None and queue.page_of(ids[2]) == 1
    engine.dispose()


def test_the_panel_filters_pages_approves_and_moves_on_by_key(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.search.value = "tuyen truyen"
    assert [v for _, v in panel.queue.options] == [
        task_id(db_url, SECOND + " (do Đài Phát thanh - Truyền hình tỉnh chủ trì, phối hợp với Sở TT&TT thực hiện).")
    ]
    panel.search.value = ""
    order = [v for _, v in panel.queue.options]
    panel.queue.value = (order[0],)
    panel.keys.press("approve_next")  # the key a, or Alt+A in a text box
    assert panel.task_id == order[1] and labels(panel)[order[0]].startswith("(approved)")
    assert [v for _, v in panel.queue.options] == order  # no re-sort, no jump
    panel.keys.press("previous")
    assert panel.task_id == order[0]
    panel.keys.press("next")
    panel.keys.press("reject")
    assert labels(panel)[order[1]].startswith("(rejected)") and panel.task_id == order[1]
    panel.keys.press("next")
    panel.approve_next.click()
    assert panel.task_id == order[3] and labels(panel)[order[2]].startswith("(approved)")
    assert "3 of" in panel.counts.value
    # a key pressed in a box arrives with the box's text, which ipywidgets may not have sent yet
    panel.keys.press("save", {"deadline-end": "31/12/2030", "owners-new": "so tu phap"})
    assert "saved 2 change(s)" in panel.status.value and panel.deadline_end.value == "31/12/2030"
    engine = connect(db_url)
    with Session(engine) as s:
        task = s.get(TaskRow, order[3])
        assert task is not None and corrections.task_value(task, "deadline")["end"] == "2030-12-31"
        assert "Sở Tư pháp" in corrections.task_value(task, "owners")
    engine.dispose()
    panel.keys.press("sync", {"note": "checked"})  # before a click: the text only, nothing done
    assert panel.note.value == "checked" and panel.task_id == order[3]
    panel.keys.press("x")
    assert "no action 'x'" in panel.status.value
    assert panel.keys.bindings["a"] == "approve_next" and "vnplan-panel" in panel.widget._dom_classes
    panel.close()


def test_a_task_loading_says_so_until_it_is_shown(plan: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    said = []
    real = review.task_view

    def watched(session: Session, tid: int) -> review.TaskView:
        said.append(panel.loading.value)
        return real(session, tid)

    monkeypatch.setattr(review, "task_view", watched)
    panel.queue.value = (task_id(db_url, TASK),)
    assert said == [f"<i>⏳ loading task {task_id(db_url, TASK)}…</i>"] and panel.loading.value == ""
    assert TASK in panel.text.value
    panel.close()


def test_undo_and_back_to_unreviewed(plan: tuple[str, Path]) -> None:
    db_url, path = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    tid = task_id(db_url, TASK)
    panel.queue.value = (tid,)
    panel.owners.new.value = "so tai chinh"
    panel.owners.add.click()
    panel.budget_total.value = "1.500"
    panel.save.click()
    assert task_fields(db_url, TASK)["owners"] == ["Sở Tài chính"]
    panel.undo.click()  # the whole save: owner and budget
    assert "undid 2 change(s) to task" in panel.status.value
    fields = task_fields(db_url, TASK)
    assert fields["owners"] == [] and fields["budget"] is None and panel.owners.names == []
    assert "undone" in panel.history.value and "undo of correction" in panel.history.value
    panel.approve.click()
    panel.unreview.click()
    assert task_fields(db_url, TASK)["review_status"] == "unreviewed"
    panel.approve.click()
    panel.undo.click()
    assert task_fields(db_url, TASK)["review_status"] == "unreviewed"
    panel.undo.click()  # the unreviewed before it: approved again
    assert task_fields(db_url, TASK)["review_status"] == "approved"
    panel.close()
    ingest([path], db_url, PipelineOptions(reprocess=True))  # an undone change and its undoing are not applied again
    fields = task_fields(db_url, TASK)
    assert fields["owners"] == [] and fields["budget"] is None and fields["review_status"] == "approved"


def test_batch_approve_of_the_selected_tasks(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    chosen = tuple(v for _, v in panel.queue.options[:3])
    panel.queue.value = chosen
    assert "3 tasks selected" in panel.status.value
    panel.approve_selected.click()
    assert "approved 3 task(s)" in panel.status.value
    assert all(labels(panel)[t].startswith("(approved)") for t in chosen)
    assert len(review.approved_tasks(panel.engine)) == 3
    panel.undo.click()  # the whole batch
    assert "undid 3 change(s) to 3 tasks" in panel.status.value and review.approved_tasks(panel.engine).empty
    assert not any(labels(panel)[t].startswith("(approved)") for t in chosen)
    panel.close()


# clear


def test_agency_suggestions_without_marks_and_unknown_names_only_when_confirmed(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    panel.queue.value = (task_id(db_url, TASK),)
    panel.owners.new.value = "so noi vu"
    assert panel.owners.suggestions.options[0] == "Sở Nội vụ"
    panel.owners.new.value = "noi vu"
    assert "Sở Nội vụ" in panel.owners.suggestions.options
    panel.owners.add.click()  # "Noi vu" is no agency the list knows
    assert "not a known agency (did you mean" in panel.status.value and panel.owners.names == []
    assert "Sở Nội vụ" in panel.status.value  # beside Bộ Nội vụ, which the alias table knows too
    panel.owners.suggestions.value = "Sở Nội vụ"
    assert panel.owners.names == ["Sở Nội vụ"]
    panel.owners.new.value = "Ban quản lý dự án đầu tư xây dựng"
    panel.owners.is_new.value = True
    panel.owners.add.click()
    assert panel.owners.names == ["Sở Nội vụ", "Ban quản lý dự án đầu tư xây dựng"]
    panel.save.click()
    assert owners_of(db_url, TASK) == ["Sở Nội vụ", "Ban quản lý dự án đầu tư xây dựng"]
    panel.close()
    index = review.AgencyIndex(sorted(set(ALIASES.values())), dict(ALIASES))
    assert index.suggest("tai chinh")[0] == "Sở Tài chính" and index.known("SO TU PHAP") == "Sở Tư pháp"


def test_history_is_a_readable_table_and_labels_never_say_nan(plan: tuple[str, Path]) -> None:
    db_url, _ = plan
    engine = connect(db_url)
    with Session(engine) as s:
        tid = task_id(db_url, TASK)
        deadline = {"raw": "trước 30/6", "start": None, "end": "2025-06-30", "recurrence": None}
        review.save_fields(s, tid, {"owners": ["Sở Nội vụ"], "deadline": deadline}, reviewer="Lan", note="theo CV")
        table = review.history_table(review.task_view(s, tid).history)
    assert list(table.columns) == ["when", "who", "what", "from", "to", "note", "status"]
    rows = {row["what"]: row for row in table.to_dict("records")}
    assert (rows["owners"]["from"], rows["owners"]["to"]) == ("—", "Sở Nội vụ")
    assert rows["deadline"]["from"] == "“trong Quý II”, 01/04/2020 – 30/06/2020"
    assert rows["deadline"]["to"] == "“trước 30/6”, 30/06/2025" and "{" not in table.to_string()
    queue = review.review_queue(engine, include_reviewed=True)
    assert not [label for label in map(review.queue_label, queue.itertuples()) if "nan" in label.split()]
    bullet = queue[queue.text == OWNED].iloc[0]  # a bullet has no code
    assert review.queue_label(bullet).startswith("45/KH-UBND: Tổ chức điều tra")  # no "nan", no "None"
    engine.dispose()


def test_a_task_gone_after_a_re_ingest_clears_the_form_and_refresh_finds_the_new_one(plan: tuple[str, Path]) -> None:
    db_url, path = plan
    panel = ReviewPanel(db_url, reviewer="Lan")
    old = task_id(db_url, TASK)
    panel.queue.value = (old,)
    panel.next.click()
    engine = connect(db_url)
    with engine.begin() as conn:  # as a re-ingest elsewhere does: the task's row is gone
        conn.execute(text("DELETE FROM tasks WHERE id = :id"), {"id": old})
    engine.dispose()
    panel.previous.click()
    assert f"no task with id {old}" in panel.status.value and "press Refresh" in panel.status.value
    assert panel.text.value == "" and panel.task_id is None and panel.picture.value == b""
    ingest([path], db_url, PipelineOptions(reprocess=True))
    panel.refresh.click()
    assert task_id(db_url, TASK) in [v for _, v in panel.queue.options]
    assert not any("gone" in label for label, _ in panel.queue.options)
    panel.close()


def test_the_tracked_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert "widgets" not in notebook.metadata


def test_vnplan_review_opens_a_fresh_copy_of_the_notebook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install 'vnplan[review]')")
    from vnplan import cli

    seen: dict = {}
    monkeypatch.setattr(os, "execve", lambda path, args, env: seen.update(args=args, env=env))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    working = tmp_path / "vnplan" / NOTEBOOK.name  # the user's data folder, not the package's
    working.parent.mkdir()
    working.write_text("a notebook JupyterLab saved with outputs", encoding="utf-8")
    cli.review(db="sqlite:///plans.db", reviewer="Lan", no_browser=True)
    assert str(working) in seen["args"] and working.read_bytes() == NOTEBOOK.read_bytes()
    assert seen["env"]["VNPLAN_REVIEWER"] == "Lan" and seen["env"]["VNPLAN_DB"].endswith("/plans.db")


def test_zoom_keeps_the_task_box_in_view() -> None:
    from vnplan.review import _picture

    pdf = str(SAMPLES / "born-digital" / "000_b004f501ec34ffc6.pdf")
    box = (100.0, 600.0, 300.0, 620.0)  # low on the page: a 3× view from the top would miss it
    fit = Image.open(io.BytesIO(_picture(pdf, 1, box, 1)))
    zoomed = Image.open(io.BytesIO(_picture(pdf, 1, box, 3)))
    assert abs(zoomed.width - fit.width) <= 3 and abs(zoomed.height - fit.height) <= 3
    xs, fit_xs = np.nonzero(red_pixels(zoomed))[1], np.nonzero(red_pixels(fit))[1]
    assert len(xs) > 100 and xs.max() - xs.min() > 2.5 * (fit_xs.max() - fit_xs.min())
