"""Reviewer corrections: recorded (who, when, field, old → new, note), applied, and applied again after re-extraction.

A correction names its task by the document's content hash, the task's code and its
folded text, never by row id: when a newer pipeline re-extracts the document, each
correction finds its task again (same code, text at least 80 % alike) and is applied
once more; one whose task is gone is kept and marked ``orphaned`` for a reviewer.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vnplan.models.schema import (
    AgencyRow,
    BudgetItemRow,
    CorrectionRow,
    DeadlineRow,
    DocumentRow,
    TaskAgencyRow,
    TaskRow,
)
from vnplan.models.task_record import task_record
from vnplan.models.vocabulary import REVIEW_STATUSES, Role
from vnplan.normalizers.agencies import aliases_of, canonical
from vnplan.normalizers.dates import from_iso
from vnplan.normalizers.text import fold

TEXT_FIELDS = ("text", "code", "section", "target")
FIELDS = (*TEXT_FIELDS, "owners", "co_owners", "deadline", "budget", "review_status")
#: A correction's task is found again when its text is at least this alike (Dice over syllables).
SAME_TASK = 0.8


class CorrectionError(ValueError):
    """A correction that cannot be made, with the reason."""


def task_value(task: TaskRow, field: str) -> Any:
    """The task's current value of ``field``, as JSON-ready data (as the JSON export writes it)."""
    if field == "review_status":
        return task.review_status
    if field in FIELDS:
        return task_record(task)[field]
    raise CorrectionError(f"no such task field: {field!r} (fields: {', '.join(FIELDS)})")


def document_of(session: Session, task: TaskRow) -> DocumentRow:
    """The stored document the task belongs to."""
    document = session.get(DocumentRow, task.document_id)
    if document is None:  # document_id is a foreign key: only a task never stored has none
        raise CorrectionError(f"task {task.id} belongs to no stored document")
    return document


def _agency(session: Session, name: str) -> AgencyRow:
    name = canonical(name)
    row = session.scalar(select(AgencyRow).where(AgencyRow.name == name))
    if row is None:
        row = AgencyRow(name=name, key=fold(name), aliases=aliases_of(name))
        session.add(row)
    return row


def _set(session: Session, task: TaskRow, field: str, value: Any) -> None:
    if field in TEXT_FIELDS:
        if field == "text" and not (value or "").strip():
            raise CorrectionError("a task's text cannot be empty")
        setattr(task, field, value)
        if field == "text":
            task.text_key = fold(value)
    elif field == "review_status":
        if value not in REVIEW_STATUSES:
            raise CorrectionError(f"review status is one of {', '.join(REVIEW_STATUSES)}, not {value!r}")
        task.review_status = value
    elif field in ("owners", "co_owners"):
        role: Role = "owner" if field == "owners" else "co_owner"
        keep = [link for link in task.agencies if link.role != role]
        # an agency the task keeps keeps its link row: a new row beside the old one's deletion would be
        # inserted first (the flush inserts before it deletes) and break the unique (task, agency, role)
        kept = {link.agency: link for link in task.agencies if link.role == role}
        agencies = [_agency(session, n) for n in dict.fromkeys(value or [])]
        new = [kept.get(a) or TaskAgencyRow(agency=a, role=role, position=0) for a in dict.fromkeys(agencies)]
        task.agencies = keep + new
        for k, link in enumerate(task.agencies):
            link.position = k
    elif field == "deadline":
        if not value:
            task.deadline = None
        else:  # updated in place: a task has one deadline row
            deadline = task.deadline or DeadlineRow()
            deadline.raw = value.get("raw") or ""
            deadline.start_date, deadline.end_date = from_iso(value.get("start")), from_iso(value.get("end"))
            deadline.recurrence = value.get("recurrence")
            task.deadline = deadline
    elif field == "budget":
        items = []
        if value:
            if value.get("total") is not None:
                items.append(BudgetItemRow(source=None, amount=float(value["total"]), unit=value.get("unit")))
            items += [
                BudgetItemRow(source=s, amount=float(a), unit=value.get("unit"))
                for s, a in (value.get("sources") or {}).items()
            ]
        task.budget_items = items
    else:
        raise CorrectionError(f"no such task field: {field!r} (fields: {', '.join(FIELDS)})")


def correct_task(
    session: Session,
    task: TaskRow,
    field: str,
    new_value: Any,
    reviewer: str,
    note: str | None = None,
    undoes: int | None = None,
) -> CorrectionRow:
    """Change one field of a task and record who changed what, from what, to what, and why
    (``undoes``: the id of the correction this one undoes)."""
    if not reviewer.strip():
        raise CorrectionError("a correction needs the reviewer's name")
    document = document_of(session, task)
    correction = CorrectionRow(
        content_hash=document.content_hash,
        target_code=task.code,
        target_key=task.text_key,
        field=field,
        old_value=task_value(task, field),
        new_value=new_value,
        reviewer=reviewer,
        note=note,
        status="applied",
        undoes=undoes,
    )
    _set(session, task, field, new_value)
    session.add(correction)
    session.flush()
    return correction


def add_task(
    session: Session, document: DocumentRow, values: dict[str, Any], reviewer: str, note: str | None = None
) -> TaskRow:
    """A task the extractor missed, added by a reviewer (recorded like any correction)."""
    if not reviewer.strip():
        raise CorrectionError("a correction needs the reviewer's name")
    task = _new_task(session, document, values)
    session.add(
        CorrectionRow(
            content_hash=document.content_hash,
            target_code=task.code,
            target_key=None,
            field="add",
            old_value=None,
            new_value=values,
            reviewer=reviewer,
            note=note,
            status="applied",
        )
    )
    session.flush()
    return task


def _new_task(session: Session, document: DocumentRow, values: dict[str, Any]) -> TaskRow:
    task = TaskRow(
        position=len(document.tasks),
        text="",
        text_key="",
        origin="reviewer",
        review_status="approved",
        page=values.get("page"),
    )
    document.tasks.append(task)
    for field in FIELDS:
        if field in values:
            _set(session, task, field, values[field])
    if not task.text:
        raise CorrectionError("a task's text cannot be empty")
    return task


def undo(session: Session, task: TaskRow, correction: CorrectionRow, reviewer: str) -> CorrectionRow:
    """Put the field back as it was before ``correction``, recorded as a correction that undoes it;
    refused when the field has changed again since."""
    if correction.status == "undone":
        raise CorrectionError(f"correction {correction.id} is already undone")
    if correction.field == "add":
        raise CorrectionError("a task a reviewer added cannot be undone: reject it instead")
    if task_value(task, correction.field) != correction.new_value:
        raise CorrectionError(f"the {correction.field} has changed since: undo the later change first")
    made = correct_task(
        session,
        task,
        correction.field,
        correction.old_value,
        reviewer,
        f"undo of correction {correction.id}",
        correction.id,
    )
    correction.status = "undone"
    return made


def _dice(a: str, b: str) -> float:
    x, y = Counter(a.split()), Counter(b.split())
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 0.0


def find_task(document: DocumentRow, code: str | None, key: str | None) -> TaskRow | None:
    """The document's task a correction was made to: same code, text at least 80 % alike."""
    best, score = None, SAME_TASK
    for task in document.tasks:
        if task.code != code or key is None:
            continue
        alike = _dice(task.text_key, key)
        if alike >= score:
            best, score = task, alike
    return best


def reapply(session: Session, document: DocumentRow) -> list[CorrectionRow]:
    """Apply the document's corrections again, oldest first; returns those whose task is gone (now orphaned)."""
    orphaned = []
    corrections = session.scalars(
        select(CorrectionRow).where(CorrectionRow.content_hash == document.content_hash).order_by(CorrectionRow.id)
    ).all()
    for correction in corrections:
        if correction.status == "undone" or correction.undoes is not None:
            continue  # a correction undone, and its undoing, cancel out
        if correction.field == "add":
            _new_task(session, document, correction.new_value)
            correction.status = "applied"
            continue
        task = find_task(document, correction.target_code, correction.target_key)
        if task is None:
            correction.status = "orphaned"
            orphaned.append(correction)
            continue
        _set(session, task, correction.field, correction.new_value)
        correction.status = "applied"
    return orphaned


def history(session: Session, task: TaskRow) -> list[CorrectionRow]:
    """The corrections made to a task, oldest first (what a reviewer sees as its history)."""
    document = document_of(session, task)
    rows = session.scalars(
        select(CorrectionRow).where(CorrectionRow.content_hash == document.content_hash).order_by(CorrectionRow.id)
    ).all()

    def concerns(c: CorrectionRow) -> bool:
        if c.target_code != task.code:
            return False
        if c.field == "add":
            return (c.new_value or {}).get("text") == task.text
        return _dice(task.text_key, c.target_key or "") >= SAME_TASK or (c.field == "text" and c.new_value == task.text)

    return [c for c in rows if concerns(c)]
