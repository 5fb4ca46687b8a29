"""A stored task as JSON-ready data in the shape of shared/spec/record.schema.json: what the JSON export
writes and what reviewers' corrections record as a field's old and new value."""

from __future__ import annotations

from typing import Any

from vnplan.models.document import BBox
from vnplan.models.schema import BoxMixin, BudgetItemRow, DeadlineRow, TaskRow
from vnplan.models.vocabulary import Role
from vnplan.normalizers.dates import iso_text


def task_record(task: TaskRow) -> dict[str, Any]:
    """A task in the spec's shape: owners, co-owners, deadline and budget by funding source, page and box."""
    return {
        "code": task.code,
        "section": task.section,
        "text": task.text,
        "owners": agency_names(task, "owner"),
        "co_owners": agency_names(task, "co_owner"),
        "deadline": deadline_record(task.deadline),
        "budget": budget_record(task.budget_items),
        "target": task.target,
        "page": task.page,
        "bbox": row_box(task),
        "confidence": task.confidence,
    }


def agency_names(task: TaskRow, role: Role) -> list[str]:
    """The canonical names of the task's agencies in ``role``, in their stored order."""
    return [link.agency.name for link in task.agencies if link.role == role]


def deadline_record(deadline: DeadlineRow | None) -> dict[str, Any] | None:
    """``{"raw", "start", "end", "recurrence"}`` with ISO dates, or None for no deadline."""
    if deadline is None:
        return None
    return {
        "raw": deadline.raw,
        "start": iso_text(deadline.start_date),
        "end": iso_text(deadline.end_date),
        "recurrence": deadline.recurrence,
    }


def budget_record(items: list[BudgetItemRow]) -> dict[str, Any] | None:
    """``{"total", "unit", "sources"}``, or None for no amounts.

    The spec gives a budget one unit, the table's, which its total and every source are in; the store
    writes it on each item. Should items ever disagree, the total's unit is the budget's (as the
    ``task_overview`` view's ``budget_unit``); without a total, the first source's."""
    if not items:
        return None
    total = next((b for b in items if b.source is None), None)
    return {
        "total": total.amount if total else None,
        "unit": (total or items[0]).unit,
        "sources": {b.source: b.amount for b in items if b.source is not None},
    }


def row_bbox(row: BoxMixin) -> BBox | None:
    """A stored record's box ``(x0, top, x1, bottom)``, or None when it has none."""
    if row.x0 is None or row.y0 is None or row.x1 is None or row.y1 is None:
        return None
    return (row.x0, row.y0, row.x1, row.y1)


def row_box(row: BoxMixin) -> list[float] | None:
    """A stored record's box as exported: ``[x0, top, x1, bottom]`` rounded to 0.01 pt, or None."""
    box = row_bbox(row)
    return [round(v, 2) for v in box] if box else None
