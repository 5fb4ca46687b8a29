"""What a reviewer works with: the queue of tasks most likely wrong, one task's fields and context,
saving edits as corrections, and the approved records for those who do not query SQL.

Every change goes through :mod:`models.corrections`, so it is recorded (who, when, field,
old → new, note), shows in the task's history and is applied again after re-ingestion.
The notebook (``notebooks/review.ipynb``) only wires widgets to these functions.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from models import corrections
from models.schema import AgencyRow, CorrectionRow, DocumentRow, LineRow, PageRow, TaskRow
from normalizers.agencies import ALIASES, canonical
from normalizers.text import fold

#: Why a task comes early in the queue, and how much each reason weighs.
WEIGHTS = {"budget": 3.0, "no_owner": 2.0, "confidence": 4.0, "restored": 1.5, "re_ocr": 1.0, "ocr": 0.5}
#: Below this confidence a task counts as doubtful (rules give text-layer tasks 0.85 to 0.9).
DOUBTFUL = 0.8
#: How far above and below a task's box its page's lines count as its context, in points.
CONTEXT_POINTS = 36.0
EXPORT_FORMATS = (".csv", ".json")

QUEUE_SQL = """
SELECT t.id AS task_id, d.id AS document_id, d.source_name, d.number AS document_number,
       t.position, t.code, t.text, t.page, t.confidence, t.review_status,
       (SELECT COUNT(*) FROM task_agencies ta WHERE ta.task_id = t.id AND ta.role = 'owner') AS owner_count,
       (SELECT COUNT(*) FROM review_items r
         WHERE r.document_id = t.document_id AND r.code = t.code AND r.status = 'open') AS budget_issues,
       p.read_method, p.restored_tokens
FROM tasks t
JOIN documents d ON d.id = t.document_id
LEFT JOIN pages p ON p.document_id = t.document_id AND p.number = t.page
"""


def review_queue(
    engine: Engine, include_reviewed: bool = False, document_id: int | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Tasks most likely wrong first: a budget that does not add up, no owner, low confidence,
    text restored or re-read by OCR on its page. One row per task with ``priority`` and ``reasons``."""
    where, params = [], {}
    if not include_reviewed:
        where.append("t.review_status = 'unreviewed'")
    if document_id is not None:
        where.append("t.document_id = :document_id")
        params["document_id"] = document_id
    sql = QUEUE_SQL + (" WHERE " + " AND ".join(where) if where else "")
    with engine.connect() as conn:
        rows = pd.read_sql(text(sql), conn, params=params)
    scored = [_score(row) for row in rows.itertuples()]
    rows["priority"] = [p for p, _ in scored]
    rows["reasons"] = [r for _, r in scored]
    rows = rows.sort_values(["priority", "document_id", "position"], ascending=[False, True, True], kind="stable")
    rows = rows.reset_index(drop=True)
    return rows.head(limit) if limit else rows


def _score(row: Any) -> tuple[float, str]:
    reasons: list[tuple[float, str]] = []
    if row.budget_issues:
        reasons.append((WEIGHTS["budget"], "budget does not add up"))
    if not row.owner_count:
        reasons.append((WEIGHTS["no_owner"], "no owner"))
    if pd.notna(row.confidence) and row.confidence < DOUBTFUL:
        reasons.append((WEIGHTS["confidence"] * (1 - row.confidence), f"confidence {row.confidence:.2f}"))
    if pd.notna(row.restored_tokens) and row.restored_tokens > 0:
        reasons.append((WEIGHTS["restored"], f"page restored ({int(row.restored_tokens)} words)"))
    if row.read_method in ("re_ocr", "ocr"):
        reasons.append((WEIGHTS[row.read_method], "page re-read by OCR" if row.read_method == "re_ocr" else "OCR"))
    return round(sum(w for w, _ in reasons), 3), "; ".join(r for _, r in reasons)


@dataclass
class ContextLine:
    """A line of the task's page near it: its text now, and what restoration changed."""

    text: str
    raw_text: str | None
    changes: list[dict] = field(default_factory=list)

    def as_html(self) -> str:
        """The line with each restored word marked, the OCR's original in its tooltip."""
        if not self.changes:
            return html.escape(self.text)
        out, at = [], 0
        for change in sorted(self.changes, key=lambda c: c["start"]):
            start, end = change["start"], change["start"] + len(change["restored"])
            out.append(html.escape(self.text[at:start]))
            was = html.escape(change["original"], quote=True)
            out.append(f'<mark title="OCR read: {was}">{html.escape(self.text[start:end])}</mark><sub>{was}</sub>')
            at = end
        out.append(html.escape(self.text[at:]))
        return "".join(out)


@dataclass
class TaskView:
    """One task as the reviewer sees it: its fields, where it is, the text around it, its history."""

    task_id: int
    document_id: int
    source_path: str
    document_number: str | None
    page: int | None
    bbox: tuple[float, float, float, float] | None
    confidence: float | None
    origin: str
    fields: dict[str, Any]
    context: list[ContextLine]
    history: list[CorrectionRow]


def task_view(session: Session, task_id: int) -> TaskView:
    """Everything the notebook shows for one task."""
    task = _task(session, task_id)
    document = session.get(DocumentRow, task.document_id)
    box = (task.x0, task.y0, task.x1, task.y1)
    return TaskView(
        task_id=task.id,
        document_id=document.id,
        source_path=document.source_path,
        document_number=document.number,
        page=task.page,
        bbox=box if None not in box else None,
        confidence=task.confidence,
        origin=task.origin,
        fields={name: corrections.task_value(task, name) for name in corrections.FIELDS},
        context=context_lines(session, task),
        history=corrections.history(session, task),
    )


def _task(session: Session, task_id: int) -> TaskRow:
    task = session.get(TaskRow, task_id)
    if task is None:
        raise corrections.CorrectionError(f"no task with id {task_id} (was the document re-ingested?)")
    return task


def context_lines(session: Session, task: TaskRow) -> list[ContextLine]:
    """The lines of the task's page around its box; without boxes (text files), the lines that
    share the task's first words, with one line either side."""
    if task.page is None:
        return []
    lines = session.scalars(
        select(LineRow)
        .join(PageRow, PageRow.id == LineRow.page_id)
        .where(PageRow.document_id == task.document_id, PageRow.number == task.page)
        .order_by(LineRow.position)
    ).all()
    if task.y0 is not None and task.y1 is not None:
        near = [
            line
            for line in lines
            if line.y0 is not None and line.y1 > task.y0 - CONTEXT_POINTS and line.y0 < task.y1 + CONTEXT_POINTS
        ]
    else:
        start = fold(" ".join(task.text.split()[:4]))
        hits = [k for k, line in enumerate(lines) if start and start in fold(line.text)]
        near = lines[max(hits[0] - 1, 0) : hits[-1] + 2] if hits else []
    return [ContextLine(line.text, line.raw_text, list(line.changes or [])) for line in near]


def agency_names(session: Session) -> list[str]:
    """Every agency name a reviewer can pick: those in the database and the alias table's canonical
    names, in the order of their folded spelling."""
    names = set(session.scalars(select(AgencyRow.name))) | set(ALIASES.values())
    return sorted(names, key=lambda name: (fold(name), name))


def save_fields(
    session: Session, task_id: int, values: dict[str, Any], reviewer: str, note: str | None = None
) -> list[CorrectionRow]:
    """Record a correction for each field whose value differs from the task's; unchanged fields
    record nothing. Owner names are made canonical first. Commits; returns the corrections made."""
    task = _task(session, task_id)
    made = []
    for name, value in values.items():
        if name in ("owners", "co_owners"):
            value = list(dict.fromkeys(canonical(n) for n in value if n.strip()))
        if corrections.task_value(task, name) != value:
            made.append(corrections.correct_task(session, task, name, value, reviewer, note))
    session.commit()
    return made


def set_status(session: Session, task_id: int, status: str, reviewer: str, note: str | None = None) -> CorrectionRow:
    """Approve or reject a task (recorded as a correction of its review status). Commits."""
    made = corrections.correct_task(session, _task(session, task_id), "review_status", status, reviewer, note)
    session.commit()
    return made


def add_missed_task(
    session: Session, document_id: int, values: dict[str, Any], reviewer: str, note: str | None = None
) -> TaskRow:
    """Add a task the extractor missed to a document. Commits; returns the new task."""
    document = session.get(DocumentRow, document_id)
    if document is None:
        raise corrections.CorrectionError(f"no document with id {document_id}")
    task = corrections.add_task(session, document, values, reviewer, note)
    session.commit()
    return task


def merge_owners(owners: list[str], chosen: list[str], into: str) -> list[str]:
    """Owners with the ``chosen`` ones replaced by ``into``, where the first of them stood."""
    if not into.strip():
        raise corrections.CorrectionError("name the agency the owners are merged into")
    if not chosen:
        raise corrections.CorrectionError("choose the owners to merge")
    first = min(owners.index(name) for name in chosen)
    kept = [name for name in owners if name not in chosen]
    kept.insert(min(first, len(kept)), canonical(into.strip()))
    return list(dict.fromkeys(kept))


def split_owner(owners: list[str], chosen: str, parts: list[str]) -> list[str]:
    """Owners with ``chosen`` replaced by the agencies it really names, in its place."""
    parts = [canonical(p.strip()) for p in parts if p.strip()]
    if len(parts) < 2:
        raise corrections.CorrectionError("a split needs at least two agency names")
    at = owners.index(chosen)
    return list(dict.fromkeys([*owners[:at], *parts, *owners[at + 1 :]]))


def approved_tasks(engine: Engine) -> pd.DataFrame:
    """Approved tasks as the task overview shows them (document, owners, deadline, budget)."""
    sql = (
        "SELECT o.* FROM task_overview o JOIN tasks t ON t.id = o.task_id "
        "WHERE t.review_status = 'approved' ORDER BY o.document_id, o.task_id"
    )
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


def export_approved(engine: Engine, path: Path) -> int:
    """Write the approved tasks to ``path`` (.csv, or .json as a list of records); returns how many."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ValueError(f"export to a .csv or .json file, not {path.name!r}")
    frame = approved_tasks(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_json(path, orient="records", force_ascii=False, indent=2, date_format="iso")
    return len(frame)
