"""One task-to-JSON function (models/task_record.py): the spec's shape, the budget's one unit, and the
values reviewers' corrections record being the ones the export writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema

from vnplan.models import corrections
from vnplan.models.schema import AgencyRow, BudgetItemRow, DeadlineRow, TaskAgencyRow, TaskRow
from vnplan.models.task_record import budget_record, task_record


def a_task(budget: list[BudgetItemRow]) -> TaskRow:
    """A task as stored (not in any session): two owners, a co-owner, a deadline, a box, these budget items."""
    links = [
        TaskAgencyRow(agency=AgencyRow(name=name), role=role, position=k)
        for k, (role, name) in enumerate([("owner", "Sở Tư pháp"), ("co_owner", "Sở Nội vụ"), ("owner", "UBND tỉnh")])
    ]
    return TaskRow(
        code="1",
        section="I. CẢI CÁCH THỂ CHẾ",
        text="Tập huấn pháp chế",
        target="5 lớp",
        page=2,
        x0=10.004,
        y0=20.0,
        x1=300.456,
        y1=40.5,
        confidence=0.9,
        review_status="unreviewed",
        agencies=links,
        deadline=DeadlineRow(raw="Quý IV/2019", start_date=date(2019, 10, 1), end_date=date(2019, 12, 31)),
        budget_items=budget,
    )


def test_a_task_in_the_specs_shape(shared: Path) -> None:
    task = a_task([BudgetItemRow(source=None, amount=300, unit="triệu đồng")])
    record = task_record(task)
    assert record == {
        "code": "1",
        "section": "I. CẢI CÁCH THỂ CHẾ",
        "text": "Tập huấn pháp chế",
        "owners": ["Sở Tư pháp", "UBND tỉnh"],
        "co_owners": ["Sở Nội vụ"],
        "deadline": {"raw": "Quý IV/2019", "start": "2019-10-01", "end": "2019-12-31", "recurrence": None},
        "budget": {"total": 300, "unit": "triệu đồng", "sources": {}},
        "target": "5 lớp",
        "page": 2,
        "bbox": [10.0, 20.0, 300.46, 40.5],
        "confidence": 0.9,
    }
    schema = json.loads((shared / "spec" / "record.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema["properties"]["tasks"]["items"])


def test_a_budget_has_one_unit_its_totals() -> None:
    assert budget_record([]) is None
    sources_only = [
        BudgetItemRow(source="Nguồn sự nghiệp", amount=100, unit="triệu đồng"),
        BudgetItemRow(source="Nguồn ngân sách tỉnh", amount=150, unit="triệu đồng"),
    ]
    assert budget_record(sources_only) == {
        "total": None,
        "unit": "triệu đồng",
        "sources": {"Nguồn sự nghiệp": 100, "Nguồn ngân sách tỉnh": 150},
    }
    # items that disagree (never written so by the store): the total's unit, wherever the total comes
    mixed = [BudgetItemRow(source="Nguồn sự nghiệp", amount=0.1, unit="tỷ đồng"), BudgetItemRow(amount=250, unit="triệu đồng")]
    assert budget_record(mixed) == {"total": 250, "unit": "triệu đồng", "sources": {"Nguồn sự nghiệp": 0.1}}


def test_corrections_record_the_values_the_export_writes() -> None:
    task = a_task([BudgetItemRow(amount=300, unit="triệu đồng"), BudgetItemRow(source="Nguồn sự nghiệp", amount=100)])
    record = task_record(task)
    for field in corrections.FIELDS:
        expected = task.review_status if field == "review_status" else record[field]
        assert corrections.task_value(task, field) == expected, field
    assert task_record(a_task([]))["budget"] is None
