"""What a reviewer works with: the queue of tasks most likely wrong (filtered, paged, in an order
that stays put while the reviewer works), one task's fields and context, the form read and
checked before anything is saved, saving, approving, undoing, and the approved records.

Every change goes through :mod:`vnplan.models.corrections`, so it is recorded (who, when, field,
old → new, note), shows in the task's history and is applied again after re-ingestion.
The panel (``vnplan/review.py``) only draws these with widgets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, select, text, update
from sqlalchemy.orm import Session

from vnplan.models import corrections, queries
from vnplan.models.schema import AgencyRow, CorrectionRow, DocumentRow, LineRow, PageRow, ReviewItemRow, TaskRow
from vnplan.models.task_record import row_bbox
from vnplan.normalizers.agencies import ALIASES, canonical
from vnplan.normalizers.dates import from_iso, iso_text, make_date
from vnplan.normalizers.numbers import parse_number
from vnplan.normalizers.text import fold, nfc, normalize_tone_marks

#: Why a task comes early in the queue, and how much each reason weighs.
WEIGHTS = {"budget": 3.0, "no_owner": 2.0, "confidence": 4.0, "restored": 1.5, "re_ocr": 1.0, "ocr": 0.5}
#: The reasons a queue can be filtered by, in words.
REASONS = {
    "budget": "budget does not add up",
    "no_owner": "no owner",
    "confidence": "low confidence",
    "restored": "page restored",
    "ocr": "read by OCR",
}
STATUSES = corrections.REVIEW_STATUSES
#: Below this confidence a task counts as doubtful (rules give text-layer tasks 0.85 to 0.9).
DOUBTFUL = 0.8
#: A total and its funding sources agree when they differ by at most this (the extractor's check).
BUDGET_TOLERANCE = 0.5
#: How far above and below a task's box its page's lines count as its context, in points.
CONTEXT_POINTS = 36.0
EXPORT_FORMATS = (".csv", ".json")
#: Tasks listed on one page of the queue.
PAGE_SIZE = 50
DAY_FIRST = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")
FIELD_NAMES = {
    "text": "task",
    "code": "code",
    "owners": "owners",
    "co_owners": "co-owners",
    "deadline": "deadline",
    "budget": "budget",
    "review_status": "status",
    "add": "added task",
}

#: Why a task is doubtful, each as a condition on ``tasks t`` and its page ``p`` (what REASONS say in words).
#: Owners and budgets are looked up by a subquery per task, through the indexes on their task ids.
REASON_SQL = {
    "budget": (
        "(ABS((SELECT MAX(b.amount) FROM budget_items b WHERE b.task_id = t.id AND b.source IS NULL)"
        " - (SELECT SUM(b.amount) FROM budget_items b WHERE b.task_id = t.id AND b.source IS NOT NULL))"
        f" > {BUDGET_TOLERANCE} OR EXISTS (SELECT 1 FROM review_items r WHERE r.document_id = t.document_id"
        " AND r.code = t.code AND r.status = 'open' AND r.kind <> 'budget_sources'))"
    ),
    "no_owner": "NOT EXISTS (SELECT 1 FROM task_agencies ta WHERE ta.task_id = t.id AND ta.role = 'owner')",
    "confidence": f"t.confidence < {DOUBTFUL}",
    "restored": "p.restored_tokens > 0",
    "ocr": "p.read_method IN ('re_ocr', 'ocr')",
}
#: What each reason adds to a task's priority.
WEIGHT_SQL = {
    "budget": f"{WEIGHTS['budget']}",
    "no_owner": f"{WEIGHTS['no_owner']}",
    "confidence": f"{WEIGHTS['confidence']} * (1 - t.confidence)",
    "restored": f"{WEIGHTS['restored']}",
    "ocr": f"CASE p.read_method WHEN 're_ocr' THEN {WEIGHTS['re_ocr']} ELSE {WEIGHTS['ocr']} END",
}
#: A task's priority, the sum of its reasons' weights (to 3 decimals, so that equal ones tie on both databases).
PRIORITY_SQL = (
    "ROUND(CAST("
    + " + ".join(f"CASE WHEN {REASON_SQL[k]} THEN {WEIGHT_SQL[k]} ELSE 0 END" for k in REASONS)
    + " AS NUMERIC), 3)"
)
TASKS_FROM = """
FROM tasks t
JOIN documents d ON d.id = t.document_id
LEFT JOIN pages p ON p.document_id = t.document_id AND p.number = t.page
"""
#: The queue's order: what a queue is built from, priority computed and sorted by the database.
ORDER_SQL = (
    "SELECT t.id, t.review_status"
    + TASKS_FROM
    + "{where} ORDER BY "
    + PRIORITY_SQL
    + " DESC, t.document_id, t.position"
)
#: What a queue entry shows, for the tasks ``:ids`` (the text cut to its first 120 characters; a label shows 70).
ROWS_SQL = (
    """
SELECT t.id AS task_id, d.id AS document_id, d.source_name, d.number AS document_number, d.province,
       t.position, t.code, substr(t.text, 1, 120) AS text, t.page, t.confidence, t.review_status,
       (SELECT MAX(b.amount) FROM budget_items b WHERE b.task_id = t.id AND b.source IS NULL) AS budget_total,
       (SELECT SUM(b.amount) FROM budget_items b WHERE b.task_id = t.id AND b.source IS NOT NULL) AS budget_sources,
       p.read_method, p.restored_tokens, """
    + PRIORITY_SQL
    + " AS priority, "
    + ", ".join(f"CASE WHEN {REASON_SQL[k]} THEN 1 ELSE 0 END AS is_{k}" for k in REASONS)
    + TASKS_FROM
    + "WHERE t.id IN :ids"
)
QUEUE_COLUMNS = [
    "task_id", "document_id", "source_name", "document_number", "province", "position", "code", "text", "page",
    "confidence", "review_status", "budget_total", "budget_sources", "read_method", "restored_tokens",
    "priority", "reasons", "reason_keys",
]  # fmt: skip
#: Open review items other than a row's own sources (those are checked on the task's budget as it is now).
ITEMS_SQL = (
    "SELECT document_id, code, message FROM review_items "
    "WHERE status = 'open' AND kind <> 'budget_sources' AND document_id IN :documents"
)


# the queue


@dataclass(frozen=True)
class QueueFilter:
    """Which tasks a queue lists: ``status`` one of STATUSES (None: all), ``reason`` a key of REASONS,
    ``owner`` an agency in any spelling, ``search`` words of the task text (accent-insensitive)."""

    status: str | None = "unreviewed"
    document_id: int | None = None
    province: str | None = None
    owner: str | None = None
    reason: str | None = None
    search: str | None = None


def review_queue(
    engine: Engine,
    include_reviewed: bool = False,
    document_id: int | None = None,
    limit: int | None = None,
    filters: QueueFilter | None = None,
) -> pd.DataFrame:
    """Tasks most likely wrong first: a budget that does not add up, no owner, low confidence,
    text restored or re-read by OCR on its page. One row per task (its text's first 120 characters)
    with ``priority``, ``reasons`` (in words) and ``reason_keys``; ``filters`` choose the tasks
    (``include_reviewed`` and ``document_id`` are shorthands for its status and document)."""
    filters = filters or QueueFilter(status=None if include_reviewed else "unreviewed", document_id=document_id)
    return pd.DataFrame([vars(row) for row in queue_rows(engine, filters, limit)], columns=QUEUE_COLUMNS)


def queue_rows(engine: Engine, filters: QueueFilter, limit: int | None = None) -> list[SimpleNamespace]:
    """The first ``limit`` (all when None) tasks ``filters`` choose, in queue order, each with its
    reasons (as :func:`review_queue`, without pandas)."""
    ids = [task_id for task_id, _ in queue_order(engine, filters)][:limit]
    found = {row.task_id: row for row in entries(engine, ids)}
    return [found[task_id] for task_id in ids if task_id in found]


def queue_order(engine: Engine, filters: QueueFilter) -> list[tuple[int, str]]:
    """(task id, review status) of the tasks ``filters`` choose, most doubtful first: one query, in
    which the database scores and sorts (ties in document order)."""
    where, params = _conditions(engine, filters)
    sql = ORDER_SQL.format(where=" WHERE " + " AND ".join(where) if where else "")
    with _queue_connection(engine) as conn:
        result = conn.execute(text(sql), params)
        rows = result.cursor.fetchall()  # the driver's tuples: SQLAlchemy's rows cost more than the query at 10,000
        result.close()
    return [(task_id, status) for task_id, status in rows]


def entries(engine: Engine, task_ids: list[int]) -> list[SimpleNamespace]:
    """What the queue shows of these tasks (in no order): their fields, ``priority``, ``reasons`` in
    words and ``reason_keys``."""
    if not task_ids:
        return []
    with _queue_connection(engine) as conn:
        rows = conn.execute(text(ROWS_SQL).bindparams(bindparam("ids", expanding=True)), {"ids": task_ids}).all()
        documents = sorted({row.document_id for row in rows})
        items = conn.execute(
            text(ITEMS_SQL).bindparams(bindparam("documents", expanding=True)), {"documents": documents}
        )
        notes: dict[tuple[int, str], list[str]] = {}
        for item in items:
            notes.setdefault((item.document_id, item.code), []).append(item.message)
    out = []
    for row in rows:
        entry = SimpleNamespace(**row._asdict())
        keys = frozenset(k for k in REASONS if getattr(entry, f"is_{k}"))
        for k in REASONS:
            delattr(entry, f"is_{k}")
        entry.priority = float(entry.priority)
        entry.reasons, entry.reason_keys = _reasons(entry, keys, notes.get((entry.document_id, entry.code), [])), keys
        out.append(entry)
    return out


@contextmanager
def _queue_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for the queue's queries. On PostgreSQL without JIT compilation: the planner's cost
    for a subquery per task passes JIT's threshold at a few thousand tasks, and compiling then took
    0.8 s of a 1.0 s query that runs in 0.15 s without it (EXPLAIN ANALYZE on 10,255 tasks)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL jit = off"))  # this transaction only: the connection is rolled back after
        yield conn


def _conditions(engine: Engine, filters: QueueFilter) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.status:
        if filters.status not in STATUSES:
            raise ValueError(f"a review status is one of {', '.join(STATUSES)}, not {filters.status!r}")
        where.append("t.review_status = :status")
        params["status"] = filters.status
    if filters.document_id is not None:
        where.append("t.document_id = :document_id")
        params["document_id"] = filters.document_id
    if filters.province:
        where.append("d.province = :province")
        params["province"] = filters.province
    if filters.owner and filters.owner.strip():
        where.append(
            "t.id IN (SELECT ta.task_id FROM task_agencies ta JOIN agencies a ON a.id = ta.agency_id "
            "WHERE a.key = :owner AND ta.role = 'owner')"
        )
        params["owner"] = fold(canonical(filters.owner))
    if filters.search and fold(filters.search):
        where.append(queries.search_condition(engine, filters.search, params))
    if filters.reason:
        if filters.reason not in REASONS:
            raise ValueError(f"a reason is one of {', '.join(REASONS)}, not {filters.reason!r}")
        where.append(REASON_SQL[filters.reason])
    return where, params


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def budget_mismatch(total: float | None, sources: float | None) -> str | None:
    """``total 0, funding sources add up to 200`` when a budget's sources miss its total, else None."""
    if total is None or sources is None or not (_present(total) and _present(sources)):
        return None
    if abs(total - sources) <= BUDGET_TOLERANCE:
        return None
    return f"total {_shown_amount(total)}, funding sources add up to {_shown_amount(sources)}"


def _reasons(row: Any, keys: frozenset[str], notes: list[str]) -> str:
    """The reasons (``keys``, as the database found them) in words, with their figures."""
    said = []
    if "budget" in keys:
        mismatch = budget_mismatch(row.budget_total, row.budget_sources)
        said.append(f"budget does not add up ({'; '.join([*([mismatch] if mismatch else []), *notes])})")
    if "no_owner" in keys:
        said.append("no owner")
    if "confidence" in keys:
        said.append(f"low confidence ({row.confidence:.2f})")
    if "restored" in keys:
        said.append(f"page restored ({int(row.restored_tokens)} words given their marks)")
    if "ocr" in keys:
        said.append("page re-read by OCR" if row.read_method == "re_ocr" else "read by OCR")
    return "; ".join(said)


def queue_label(row: Any) -> str:
    """One queue entry: status when reviewed, document, code, the task's first words, then why it
    is doubtful (never "nan" for what a task lacks)."""
    words = " ".join(str(row.text).split())
    words = words if len(words) <= 60 else words[:59] + "…"
    flag = f" [{row.reasons}]" if row.reasons else ""
    status = "" if row.review_status == "unreviewed" else f"({row.review_status}) "
    where = next((str(v) for v in (row.document_number, row.source_name) if _present(v) and str(v)), "")
    code = f" {row.code}" if _present(row.code) and str(row.code) else ""
    return f"{status}{where}{code}: {words}{flag}"


class ReviewQueue:
    """The tasks a filter selects, in the order of priority they had when it was built: saving,
    approving or undoing updates an entry where it stands, so the list never re-sorts or jumps.
    Build a new one (refresh) to pick up new tasks and drop reviewed ones. Only the order is read
    when it is built; an entry's label is read when its page is first shown."""

    def __init__(self, engine: Engine, filters: QueueFilter | None = None, page_size: int = PAGE_SIZE) -> None:
        self.engine = engine
        self.filters = filters or QueueFilter()
        self.page_size = page_size
        order = queue_order(engine, self.filters)
        self.ids: list[int] = [task_id for task_id, _ in order]
        self._at = {task_id: k for k, task_id in enumerate(self.ids)}
        self._status: dict[int, str] = dict(order)
        self._rows: dict[int, SimpleNamespace] = {}
        self._gone: set[int] = set()

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._at

    @property
    def pages(self) -> int:
        """How many pages the queue has (at least one, maybe empty)."""
        return max(1, math.ceil(len(self.ids) / self.page_size))

    def page_of(self, task_id: int) -> int:
        """The page (from 0) the task is listed on."""
        return self._at[task_id] // self.page_size

    def page(self, number: int) -> list[tuple[str, int]]:
        """(label, task id) of the tasks on page ``number`` (from 0)."""
        start = number * self.page_size
        listed = self.ids[start : start + self.page_size]
        self._read([t for t in listed if t not in self._rows and t not in self._gone])
        return [(self.label(task_id), task_id) for task_id in listed]

    def label(self, task_id: int) -> str:
        """The task's entry as it now stands."""
        if task_id not in self._rows and task_id not in self._gone:
            self._read([task_id])
        if task_id in self._gone:
            return f"(gone: re-ingested or deleted) task {task_id}"
        return queue_label(self._rows[task_id])

    def neighbour(self, task_id: int | None, step: int = 1) -> int | None:
        """The task ``step`` places after (before, when negative) ``task_id``; the first when None."""
        if not self.ids:
            return None
        if task_id not in self._at:
            return self.ids[0]
        at = self._at[task_id] + step
        return self.ids[at] if 0 <= at < len(self.ids) else None

    def update(self, task_ids: Iterable[int]) -> None:
        """Read these tasks' entries again (status, reasons) without moving them."""
        self._read([t for t in task_ids if t in self._at])

    def _read(self, task_ids: list[int]) -> None:
        found = {row.task_id: row for row in entries(self.engine, task_ids)}
        for task_id in task_ids:
            if task_id in found:
                self._rows[task_id] = found[task_id]
                self._status[task_id] = found[task_id].review_status
            else:
                self._gone.add(task_id)

    def progress(self) -> str:
        """How many of the listed tasks have been reviewed since the queue was built."""
        done = sum(1 for t in self.ids if t not in self._gone and self._status[t] != "unreviewed")
        return f"{done} of {len(self.ids)} reviewed"


def filter_choices(engine: Engine) -> dict[str, list[tuple[str, Any]]]:
    """What the queue's filters offer, as (label, value): documents (by number or file), provinces,
    statuses, reasons; the value "" means no filter."""
    with engine.connect() as conn:
        documents = conn.execute(text("SELECT id, number, source_name FROM documents ORDER BY number, id")).all()
        provinces = conn.scalars(
            text("SELECT DISTINCT province FROM documents WHERE province IS NOT NULL ORDER BY province")
        ).all()
    return {  # "" for no filter (a widget shows no label for an option whose value is None)
        "document": [("every document", "")] + [(number or source, doc_id) for doc_id, number, source in documents],
        "province": [("every province", "")] + [(p, p) for p in provinces],
        "status": [("unreviewed", "unreviewed"), ("approved", "approved"), ("rejected", "rejected"), ("any", "")],
        "reason": [("any reason", "")] + [(words, key) for key, words in REASONS.items()],
    }


# one task


@dataclass
class ContextLine:
    """A line of the task's page near it: its text now, and what restoration changed."""

    text: str
    raw_text: str | None
    changes: list[dict] = field(default_factory=list)


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
    """Everything the panel shows for one task."""
    task = _task(session, task_id)
    document = corrections.document_of(session, task)
    return TaskView(
        task_id=task.id,
        document_id=document.id,
        source_path=document.source_path,
        document_number=document.number,
        page=task.page,
        bbox=row_bbox(task),
        confidence=task.confidence,
        origin=task.origin,
        fields={name: corrections.task_value(task, name) for name in corrections.FIELDS},
        context=context_lines(session, task),
        history=corrections.history(session, task),
    )


def _task(session: Session, task_id: int) -> TaskRow:
    task = session.get(TaskRow, task_id)
    if task is None:
        raise corrections.CorrectionError(f"no task with id {task_id} (was the document re-ingested? press Refresh)")
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
        top, bottom = task.y0 - CONTEXT_POINTS, task.y1 + CONTEXT_POINTS
        near = [
            line for line in lines if line.y0 is not None and line.y1 is not None and line.y1 > top and line.y0 < bottom
        ]
    else:
        start = fold(" ".join(task.text.split()[:4]))
        hits = [k for k, line in enumerate(lines) if start and start in fold(line.text)]
        near = list(lines[max(hits[0] - 1, 0) : hits[-1] + 2]) if hits else []
    return [ContextLine(line.text, line.raw_text, list(line.changes or [])) for line in near]


# agencies


def agency_names(session: Session) -> list[str]:
    """Every agency name a reviewer can pick: those in the database and the alias table's canonical
    names, in the order of their folded spelling."""
    names = set(session.scalars(select(AgencyRow.name))) | set(ALIASES.values())
    return sorted(names, key=lambda name: (fold(name), name))


@dataclass
class AgencyIndex:
    """Known agencies for suggestions: canonical names, database names and every alias, by folded spelling."""

    names: list[str]
    spellings: dict[str, str]  # folded spelling → canonical name

    @classmethod
    def load(cls, session: Session) -> AgencyIndex:
        """The agencies in the database and the alias table."""
        names = agency_names(session)
        return cls(names, {**{fold(n): n for n in names}, **ALIASES})

    def known(self, name: str) -> str | None:
        """The canonical name when ``name`` (in any spelling, with or without marks) is a known agency."""
        return self.spellings.get(fold(name)) or self.spellings.get(fold(canonical(name)))

    def suggest(self, typed: str, limit: int = 8) -> list[str]:
        """Known agencies whose name or an alias holds every word typed, marks or not; those that
        start with it first, a province's bodies before the ministries of the same name."""
        words = fold(typed).split()
        if not words:
            return []
        phrase = " ".join(words)
        hits: dict[str, tuple[int, bool, int]] = {}
        for spelling, name in self.spellings.items():
            if all(w in spelling for w in words):
                ministry = name.startswith("Bộ ")  # reviewers read provincial plans: Sở Tài chính before Bộ Tài chính
                rank = (0 if spelling.startswith(phrase) else 1 if phrase in spelling else 2, ministry, len(name))
                hits[name] = min(hits.get(name, rank), rank)
        return sorted(hits, key=lambda n: (hits[n], fold(n)))[:limit]

    def check(self, owners: Iterable[str], confirmed_new: Iterable[str] = ()) -> list[str]:
        """Owners as canonical names; an unknown name is refused unless confirmed as a new agency."""
        confirmed = {fold(n) for n in confirmed_new}
        out = []
        for name in owners:
            if not name.strip():
                continue
            known = self.known(name)
            if known is None and fold(name) not in confirmed and fold(canonical(name)) not in confirmed:
                hint = self.suggest(name, 3)
                said = f" (did you mean {', '.join(hint)}?)" if hint else ""
                raise corrections.CorrectionError(
                    f"{name!r} is not a known agency{said}: pick a suggestion, or tick 'new agency' to add it"
                )
            out.append(known or canonical(typed(name)))
        return list(dict.fromkeys(out))

    def add(self, name: str) -> None:
        """Know ``name`` from now on (an agency confirmed as new and saved)."""
        if fold(name) not in self.spellings:
            self.spellings[fold(name)] = name
            self.names.append(name)


# the form


@dataclass
class Form:
    """What the reviewer typed, as text: read and checked by :func:`read_form` before anything is saved."""

    text: str = ""
    owners: list[str] = field(default_factory=list)
    co_owners: list[str] = field(default_factory=list)
    deadline_raw: str = ""
    deadline_start: str = ""
    deadline_end: str = ""
    recurrence: str = ""
    budget_total: str = ""
    budget_unit: str = ""
    budget_sources: str = ""


def typed(value: str) -> str:
    """Text as a reviewer typed it, as stored text is kept: NFC, tone marks in the hóa/thủy style, trimmed."""
    return normalize_tone_marks(nfc(value)).strip()


def day_first(value: str | date | None) -> str:
    """A date as a Vietnamese reader writes it (30/06/2025), from a date or its ISO text; '' for none."""
    if isinstance(value, str):
        value = from_iso(value)
    return value.strftime("%d/%m/%Y") if value else ""


def parse_day_first(typed: str, label: str = "date") -> date | None:
    """The date typed as dd/mm/yyyy, None when empty; a CorrectionError for anything else."""
    if not typed.strip():
        return None
    m = DAY_FIRST.match(typed)
    found = make_date(*m.groups()) if m else None
    if found is None:
        raise corrections.CorrectionError(
            f"{label}: {typed.strip()!r} is not a date: write day/month/year, e.g. 30/06/2025"
        )
    return found


def parse_amount(typed: str, label: str = "amount") -> float:
    """An amount as printed (1.500, 61,42); refused when it is no number or negative."""
    amount = parse_number(typed)
    if amount is None:
        raise corrections.CorrectionError(
            f"{label}: not an amount: {typed.strip()!r} (write it as printed, e.g. 1.500 or 61,42)"
        )
    if amount < 0:
        raise corrections.CorrectionError(f"{label}: an amount cannot be negative ({typed.strip()})")
    return amount


def _source_line(line: str) -> tuple[str, float]:
    source, colon, amount = line.rpartition(":")
    if not colon or not source.strip():
        raise corrections.CorrectionError(f"write each funding source as 'source: amount', not {line.strip()!r}")
    return typed(source), parse_amount(amount, source.strip())


def read_form(form: Form) -> tuple[dict[str, Any], list[str]]:
    """The form's fields in the shape corrections store, and warnings to show (a budget whose
    sources miss its total is saved but flagged). Raises CorrectionError, saving nothing, for a
    date that is no date, an end before its start, an amount that is no amount or negative."""
    start = parse_day_first(form.deadline_start, "deadline from")
    end = parse_day_first(form.deadline_end, "deadline to")
    if start and end and end < start:
        raise corrections.CorrectionError(f"the deadline ends ({day_first(end)}) before it starts ({day_first(start)})")
    deadline = None
    if form.deadline_raw.strip() or start or end:
        deadline = {
            "raw": typed(form.deadline_raw),
            "start": iso_text(start),
            "end": iso_text(end),
            "recurrence": form.recurrence or None,
        }
    sources: dict[str, float] = {}
    for line in form.budget_sources.splitlines():
        if line.strip():
            name, amount = _source_line(line)
            if name in sources:
                raise corrections.CorrectionError(f"the funding source {name!r} is listed twice")
            sources[name] = amount
    total = parse_amount(form.budget_total, "budget total") if form.budget_total.strip() else None
    budget = None
    if total is not None or sources:
        budget = {"total": total, "unit": typed(form.budget_unit) or None, "sources": sources}
    warnings = []
    mismatch = budget_mismatch(total, sum(sources.values()) if sources else None)
    if mismatch:
        warnings.append(f"budget flagged: {mismatch}")
    values = {
        "text": typed(form.text),
        "owners": list(form.owners),
        "co_owners": list(form.co_owners),
        "deadline": deadline,
        "budget": budget,
    }
    return values, warnings


def form_of(fields: dict[str, Any]) -> Form:
    """The form showing a task's fields (dates day first, amounts as printed)."""
    deadline = fields.get("deadline") or {}
    budget = fields.get("budget") or {}
    total = budget.get("total")
    return Form(
        text=fields.get("text") or "",
        owners=list(fields.get("owners") or []),
        co_owners=list(fields.get("co_owners") or []),
        deadline_raw=deadline.get("raw") or "",
        deadline_start=day_first(deadline.get("start")),
        deadline_end=day_first(deadline.get("end")),
        recurrence=deadline.get("recurrence") or "",
        budget_total="" if total is None else amount_text(total),
        budget_unit=budget.get("unit") or "",
        budget_sources="\n".join(f"{s}: {amount_text(a)}" for s, a in (budget.get("sources") or {}).items()),
    )


def amount_text(value: float) -> str:
    """An amount as the form shows it: no thousands dots, a decimal comma (as parse_number reads it)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).replace(".", ",")


def _shown_amount(value: float) -> str:
    return f"{value:,.10g}".replace(",", "\u202f") if float(value).is_integer() else f"{value:g}".replace(".", ",")


# saving


@contextmanager
def _one_transaction(session: Session) -> Iterator[None]:
    """Commit what the block did, or, on any error, roll all of it back and raise the error again."""
    try:
        yield
        session.commit()
    except Exception:
        session.rollback()
        raise


def save_fields(
    session: Session,
    task_id: int,
    values: dict[str, Any],
    reviewer: str,
    note: str | None = None,
    status: str | None = None,
) -> list[CorrectionRow]:
    """Record a correction for each field whose value differs from the task's (unchanged fields
    record nothing), then the new review ``status`` if one is given, in one transaction. Owner names
    are made canonical first; a budget that now adds up closes the extractor's review item on it.
    Commits; returns the corrections made. On any error nothing is kept."""
    with _one_transaction(session):
        task = _task(session, task_id)
        made = []
        for name, value in values.items():
            if name in ("owners", "co_owners"):
                value = list(dict.fromkeys(canonical(n) for n in value if n.strip()))
            if corrections.task_value(task, name) != value:
                made.append(corrections.correct_task(session, task, name, value, reviewer, note))
        if status is not None and task.review_status != status:
            made.append(corrections.correct_task(session, task, "review_status", status, reviewer, note))
        _close_review_items(session, task, approved=status == "approved")
    return made


def _close_review_items(session: Session, task: TaskRow, approved: bool) -> None:
    """Close the task's open budget items once its sources add up, and every one when it is approved."""
    budget = corrections.task_value(task, "budget") or {}
    sources = budget.get("sources") or {}
    fixed = not budget_mismatch(budget.get("total"), sum(sources.values()) if sources else None)
    kinds = None if approved else ("budget_sources",) if fixed else ()
    if kinds == ():
        return
    query = update(ReviewItemRow).where(
        ReviewItemRow.document_id == task.document_id, ReviewItemRow.code == task.code, ReviewItemRow.status == "open"
    )
    if kinds:
        query = query.where(ReviewItemRow.kind.in_(kinds))
    session.execute(query.values(status="resolved"))


def set_status(session: Session, task_id: int, status: str, reviewer: str, note: str | None = None) -> CorrectionRow:
    """Approve or reject a task, or return it to unreviewed (recorded as a correction of its review
    status). Commits."""
    made = save_fields(session, task_id, {}, reviewer, note, status=status)
    if not made:
        raise corrections.CorrectionError(f"the task is already {status}")
    return made[-1]


def set_status_many(
    session: Session, task_ids: Iterable[int], status: str, reviewer: str, note: str | None = None
) -> dict[int, CorrectionRow]:
    """Give many tasks one review status in one transaction (those already in it are left alone).
    Commits; returns the correction made to each task changed, by task id."""
    with _one_transaction(session):
        made = {}
        for task_id in task_ids:
            task = _task(session, task_id)
            if task.review_status != status:
                made[task_id] = corrections.correct_task(session, task, "review_status", status, reviewer, note)
                _close_review_items(session, task, approved=status == "approved")
    return made


def undo(session: Session, changes: list[tuple[int, list[int]]], reviewer: str) -> list[CorrectionRow]:
    """Undo, in one transaction, the corrections listed for each task (task id, correction ids), the
    last first; each undoing is recorded as a correction. Commits."""
    with _one_transaction(session):
        made = []
        for task_id, correction_ids in reversed(changes):
            task = _task(session, task_id)
            for correction_id in reversed(correction_ids):
                correction = session.get(CorrectionRow, correction_id)
                if correction is None:
                    raise corrections.CorrectionError(f"no correction {correction_id} to undo")
                made.append(corrections.undo(session, task, correction, reviewer))
    return made


def add_missed_task(
    session: Session, document_id: int, values: dict[str, Any], reviewer: str, note: str | None = None
) -> TaskRow:
    """Add a task the extractor missed to a document (``values`` may name its ``page``). Commits;
    returns the new task."""
    with _one_transaction(session):
        document = session.get(DocumentRow, document_id)
        if document is None:
            raise corrections.CorrectionError(f"no document with id {document_id}")
        values = {k: v for k, v in values.items() if v not in (None, [], "")}
        task = corrections.add_task(session, document, values, reviewer, note)
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


# history


def describe(name: str, value: Any) -> str:
    """A field's value in words, as the history shows it."""
    if value in (None, [], {}, ""):
        return "—"
    if name in ("owners", "co_owners"):
        return "; ".join(value)
    if name == "deadline":
        dates = " – ".join(d for d in (day_first(value.get("start")), day_first(value.get("end"))) if d)
        parts = [f"“{value['raw']}”" if value.get("raw") else "", dates, value.get("recurrence") or ""]
        return ", ".join(p for p in parts if p) or "—"
    if name == "budget":
        unit = f" {value['unit']}" if value.get("unit") else ""
        parts = [f"total {_shown_amount(value['total'])}{unit}"] if value.get("total") is not None else []
        parts += [f"{s}: {_shown_amount(a)}" for s, a in (value.get("sources") or {}).items()]
        return "; ".join(parts) or "—"
    if name == "add":
        return str(value.get("text", ""))
    return str(value)


def history_table(history: list[CorrectionRow]) -> pd.DataFrame:
    """The task's corrections as a table a person reads: when, who, what, from, to, note, status."""
    return pd.DataFrame(
        [
            {
                "when": c.made_at.strftime("%d/%m/%Y %H:%M") if c.made_at else "",
                "who": c.reviewer,
                "what": FIELD_NAMES.get(c.field, c.field),
                "from": describe(c.field, c.old_value),
                "to": describe(c.field, c.new_value),
                "note": c.note or "",
                "status": c.status,
            }
            for c in history
        ],
        columns=["when", "who", "what", "from", "to", "note", "status"],
    )


# for those who do not query SQL


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
