"""Tasks and scores from tables (spec sections 3.1 and 6), columns mapped by what their headers say.

A table that continues on the next page (no header of its own, as many columns)
is read as one with the table before it. Group rows (LĨNH VỰC I, a criterion with
no solution, an activity whose sub-rows carry the budgets) give the section of
the rows under them; every other row with work in it is a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from vnplan.extractors.table_columns import column_edges, compatible, merged_edges, regrid
from vnplan.models.document import BBox, BlockKind, Document, Table, union
from vnplan.models.records import Budget, Deadline, Provenance, ReviewItem, Score, Task
from vnplan.normalizers.agencies import is_generic, split_agency_list
from vnplan.normalizers.deadlines import parse_deadline
from vnplan.normalizers.numbers import parse_number
from vnplan.normalizers.text import fold

#: Column roles and the header words that name them, tried in this order.
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("stt", "so tt", "ma so")),
    ("deadline", ("thoi gian", "tien do", "thoi han")),
    ("owner_co", ("chu tri/phoi hop", "chu tri / phoi hop", "chu tri, phoi hop", "chu tri va phoi hop")),
    ("co_owner", ("phoi hop",)),
    ("owner", ("chu tri", "thuc hien", "don vi thuc hien", "co quan thuc hien")),
    ("max_points", ("diem chuan", "diem toi da")),
    ("achieved_points", ("diem tham dinh", "diem dat", "diem tu cham", "diem danh gia")),
    ("lost_points", ("diem bi mat", "diem mat", "diem bi tru")),
    ("total", ("tong kinh phi", "tong so", "tong cong", "tong")),
    ("source", ("nguon",)),
    ("budget", ("kinh phi",)),
    ("solution", ("giai phap",)),
    ("text", ("noi dung", "hoat dong", "nhiem vu", "ten nhiem vu", "linh vuc", "tieu chi")),
    ("target", ("chi so", "ket qua", "muc tieu", "san pham")),
    ("note", ("ghi chu", "tai lieu kiem chung")),
)
UNIT = re.compile(r"đơn vị tính\s*:?\s*(nghìn đồng|triệu đồng|tỷ đồng|đồng)", re.IGNORECASE)
CRITERION = re.compile(r"^\d+(?:\.\d+)*\.?$")
GROUP_CODE = re.compile(r"^(?:lĩnh vực|phần|chương)\b|^[IVX]+\.?$", re.IGNORECASE)
TABLE_CONFIDENCE = 0.9
#: Amounts closer than this are equal (rounding in the printed table).
TOLERANCE = 0.5


class TableRow(NamedTuple):
    """One printed row: its cells' text, its page, the box around its cells and its lowest confidence."""

    cells: list[str]
    page: int
    box: BBox | None
    confidence: float


@dataclass
class LogicalTable:
    """A table with its continuations on later pages, its header roles and where it stands."""

    roles: dict[int, str]
    source_names: list[str]
    rows: list[TableRow] = field(default_factory=list)
    title: str | None = None
    unit: str | None = None


def _has(text: str, keys: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{k}\b", text) for k in keys)


def column_roles(tables: list[Table]) -> tuple[dict[int, str], list[str]]:
    """The role of each column from all header text above it (a merged header cell covers its span), in
    the header rows of ``tables``: a table and, when it ends a page with its header, the header rows
    the next page carries on with.

    Funding-source names are given to the source columns in the order they are printed, so a
    header row shifted by a cell (as converters leave them) still names the right columns.
    """
    words: dict[int, list[str]] = {c: [] for c in range(tables[0].n_cols)}
    for table in tables:
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            if cell.row < table.header_rows and cell.text:
                for c in range(cell.col, min(cell.col + cell.col_span, table.n_cols)):
                    words[c].append(cell.text)
    roles = {
        col: next((role for role, keys in ROLES if _has(fold(" ".join(texts)), keys)), "other")
        for col, texts in words.items()
    }
    names: list[str] = []
    for col in sorted(words):
        for text in words[col]:
            name = " ".join(text.split())
            if _has(fold(name), ("nguon",)) and name not in names:
                names.append(name)
    return roles, names


def realign(row: list[str], roles: dict[int, str]) -> list[str]:
    """A row whose agency names slid left into an amount column, moved back right by one cell."""
    for col in sorted(roles):
        if (
            roles[col] in ("source", "total")
            and row[col]
            and parse_number(row[col]) is None
            and split_agency_list(row[col])
            and (not row[-1])
        ):
            return [*row[:col], "", *row[col:-1]]
    return row


@dataclass
class TableRun:
    """A table and the tables carrying it on over the next pages, each with its page, before their rows are
    read; ``edges`` are the columns they share (None for tables without boxes)."""

    parts: list[tuple[Table, int]]
    edges: list[float] | None
    title: str | None
    unit: str | None

    def joins(self, table: Table) -> bool:
        """The table carries this one on: no header of its own (or one naming no content column), and the
        same columns (by where they stand, or as many)."""
        roles, _ = column_roles([table])
        if not _continues(table, roles):
            return False
        edges = column_edges(table)
        same_places = self.edges is not None and edges is not None and compatible(self.edges, edges)
        return same_places or self.parts[-1][0].n_cols == table.n_cols

    def add(self, table: Table, page: int) -> None:
        """A continuation: the run's columns become those both show, when they stand in the same places."""
        edges = column_edges(table)
        same_places = self.edges is not None and edges is not None and compatible(self.edges, edges)
        self.edges = merged_edges(self.edges, edges) if same_places and self.edges and edges else None
        self.parts.append((table, page))

    def logical(self) -> LogicalTable:
        """The run as one table on its shared columns. Parts that are all header (a header the page ends
        with) and the header rows of the part after them make its header; every other row is data."""
        parts = [(regrid(t, self.edges) if self.edges is not None else t, page) for t, page in self.parts]
        header = 1
        while header < len(parts) and parts[header - 1][0].header_rows >= parts[header - 1][0].n_rows:
            header += 1
        roles, names = column_roles([t for t, _ in parts[:header]])
        logical = LogicalTable(roles, names, title=self.title, unit=self.unit)
        for k, (table, page) in enumerate(parts):
            skip = table.header_rows if k < header else 0
            if k > header - 1 and logical.rows and _rest_of_row(table, skip, roles):
                _join_row(logical, table, skip)
                skip += 1
            _add_rows(logical, table, page, skip)
        return logical


def logical_tables(document: Document) -> list[LogicalTable]:
    """The document's tables, continuations joined, each with the heading and unit printed above it."""
    runs: list[TableRun] = []
    last_heading: str | None = None
    unit: str | None = None
    for page in document.pages:
        for block in page.body:
            table = block.table
            if block.kind is not BlockKind.TABLE or table is None:
                if block.kind is BlockKind.HEADING and not runs:
                    last_heading = block.text.split("\n")[0]
                if m := UNIT.search(block.text):
                    unit = m.group(1).lower()
                continue
            if runs and runs[-1].joins(table):
                runs[-1].add(table, page.number)  # a continuation: its first rows are data, whatever they look like
            else:
                runs.append(TableRun([(table, page.number)], column_edges(table), last_heading, unit))
    out = [run.logical() for run in runs]
    for logical in out:
        _find_code_column(logical)
        _find_source_columns(logical)
    return out


def _find_source_columns(table: LogicalTable) -> None:
    """Unheaded columns of amounts right after a funding source are sources too (no merged header cells)."""
    for col in sorted(table.roles):
        if table.roles[col] == "other" and table.roles.get(col - 1) == "source":
            values = [cells[col] for cells, *_ in table.rows if col < len(cells) and cells[col]]
            if values and all(parse_number(v) is not None for v in values):
                table.roles[col] = "source"


def source_columns(table: LogicalTable) -> dict[int, str]:
    """Funding-source name of each source column, names given in printed order."""
    columns = [c for c in sorted(table.roles) if table.roles[c] == "source"]
    names = table.source_names
    if len(names) != len(columns):
        names = [f"Nguồn {k + 1}" for k in range(len(columns))] if len(names) < len(columns) else names[: len(columns)]
    return dict(zip(columns, names, strict=True))


def _find_code_column(table: LogicalTable) -> None:
    """A misread header ("SIT" for STT) still has a code column: the first one whose cells look like codes."""
    if "code" in table.roles.values() or not table.rows:
        return
    first = [cells[0] for cells, *_ in table.rows if cells and cells[0]]
    codes = sum(bool(CRITERION.match(c) or re.match(r"^hoạt động\b", c, re.IGNORECASE)) for c in first)
    if first and codes >= 0.6 * len(first):
        table.roles[0] = "code"


def _continues(table: Table, roles: dict[int, str]) -> bool:
    """A table that carries on the one before it: no header, or a "header" naming no content column
    (a group row such as "LĨNH VỰC I … Nguồn dự toán" that the header test took for one)."""
    return table.header_rows == 0 or not any(r in roles.values() for r in ("text", "solution"))


def _rest_of_row(table: Table, first: int, roles: dict[int, str]) -> bool:
    """The first row of a page's part is the rest of the row the page before ended with (a row broken over
    the page): it has no code of its own and no amount, only words."""
    if first >= table.n_rows or not table.cells or any(c.bbox is None for c in table.cells):
        return False
    row = table.grid()[first]
    code = next((c for c, r in roles.items() if r == "code"), 0)
    filled = [text for text in row if text.strip()]
    return not row[code].strip() and bool(filled) and all(parse_number(text) is None for text in filled)


def _join_row(logical: LogicalTable, table: Table, r: int) -> None:
    """The row's words added to the last row of the table, cell by cell."""
    last = logical.rows[-1]
    rest = [" ".join(x.split()) for x in table.grid()[r]]
    cells = [" ".join(t for t in (a, b) if t) for a, b in zip(last.cells, rest, strict=False)]
    logical.rows[-1] = last._replace(cells=cells + last.cells[len(cells) :])


def _add_rows(logical: LogicalTable, table: Table, page: int, skip: int) -> None:
    grid = table.grid()
    for r, row in enumerate(grid[skip:], start=skip):
        cells = [c for c in table.cells if c.row == r]
        box = union([c.bbox for c in cells if c.bbox])
        conf = min((c.confidence for c in cells), default=1.0)
        logical.rows.append(TableRow([" ".join(x.split()) for x in row], page, box, conf))


def _get(row: list[str], roles: dict[int, str], role: str) -> str:
    return " ".join(row[c] for c, r in roles.items() if r == role and c < len(row) and row[c]).strip()


#: Column roles that make a table one of work (tasks or scores) rather than, say, a list of contacts.
WORK_ROLES = ("owner", "owner_co", "solution", "total", "budget", "achieved_points")
POINTS = ("max_points", "achieved_points", "lost_points")


def extract_table_records(
    document: Document, plan_year: int | None
) -> tuple[list[Task], list[Score], list[ReviewItem]]:
    """Tasks (one per activity or solution row), scores (criterion rows with points), and budget mismatches."""
    tasks: list[Task] = []
    scores: list[Score] = []
    reviews: list[ReviewItem] = []
    for table in logical_tables(document):
        if not any(r in table.roles.values() for r in WORK_ROLES):
            continue
        walk = TableWalk(table, plan_year)
        walk.read()
        tasks += walk.tasks
        scores += walk.scores
        reviews += walk.reviews
    return tasks, scores, reviews


@dataclass
class TableWalk:
    """One work table read row by row, with what the rows above left open: the enclosing group rows,
    their printed totals, and the agencies of activities whose sub-rows follow."""

    table: LogicalTable
    plan_year: int | None
    tasks: list[Task] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)
    groups: list[tuple[int, str]] = field(default_factory=list)  # (depth, title) of enclosing group rows
    group_code: str | None = None
    totals: GroupTotals = field(default_factory=lambda: GroupTotals())
    inherited: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)  # parent row → its agencies

    def read(self) -> None:
        """Every row in turn: a score where it has points, then a group row or a task."""
        roles = self.table.roles
        rows = [row._replace(cells=realign(row.cells, roles)) for row in self.table.rows]
        parent_of = sub_rows(rows, roles)
        for i, row in enumerate(rows):
            code = _get(row.cells, roles, "code")
            text = _get(row.cells, roles, "text")
            provenance = Provenance(row.page, row.box, round(TABLE_CONFIDENCE * row.confidence, 4))
            if score := _score(row.cells, roles, code, text, provenance):
                self.scores.append(score)
            owners, co_owners, is_group = self._agencies(i, row.cells, parent_of)
            if is_group:
                section_level = bool(GROUP_CODE.match(code)) or (not code and i not in parent_of.values())
                self._group(row.cells, code, text, provenance, section_level)
            else:
                self._task(row.cells, code, text, owners, co_owners, provenance)
        self.reviews += self.totals.close_all()

    def _agencies(self, i: int, cells: list[str], parent_of: dict[int, int]) -> tuple[list[str], list[str], bool]:
        """The row's owners and co-owners, and whether it is a group row rather than a task."""
        roles = self.table.roles
        owners = split_agency_list(_get(cells, roles, "owner"))
        co_owners = [c for c in split_agency_list(_get(cells, roles, "co_owner")) if not is_generic(c)]
        if joint := split_agency_list(_get(cells, roles, "owner_co")):  # "Đơn vị chủ trì/phối hợp": the first leads
            owners, co_owners = owners or joint[:1], co_owners or joint[1:]
        if i in parent_of:  # a sub-row: the parent's agencies where it names none
            parent_owners, parent_co = self.inherited.get(parent_of[i], ([], []))
            return owners or parent_owners, co_owners or parent_co, False
        if i in parent_of.values():  # an activity whose sub-rows carry the money
            self.inherited[i] = (owners, co_owners)
            return owners, co_owners, True
        if "solution" in roles.values():
            return owners, co_owners, not _get(cells, roles, "solution")
        return owners, co_owners, not owners and not co_owners

    def _group(self, cells: list[str], code: str, text: str, provenance: Provenance, section_level: bool) -> None:
        """A group row: the grand total, or a group that gives the section of the rows under it."""
        budget = _budget(cells, self.table)
        total = budget.total if budget else None
        if GRAND_TOTAL.match(fold(code or text)):
            self.reviews += self.totals.grand_total(total, provenance)
            return
        self.reviews += self.totals.open(code or text, total, provenance, section_level)
        depth = code.count(".") if CRITERION.match(code) else 0
        self.groups = [g for g in self.groups if g[0] < depth]
        title = f"{code} {text}".strip() if CRITERION.match(code) else f"{code}. {text}".strip(". ")
        if code or text:
            self.groups.append((depth, title))
            self.group_code = code or self.group_code

    def _task(
        self, cells: list[str], code: str, text: str, owners: list[str], co_owners: list[str], provenance: Provenance
    ) -> None:
        """A task row (none when it has no words of work), with the budget checks it takes part in."""
        roles = self.table.roles
        task_text = _get(cells, roles, "solution") or re.sub(r"^[-–+•]\s*|^\d+/\s*", "", text)
        if not task_text:
            return
        if CRITERION.match(code):
            depth = code.count(".")
            self.groups = [g for g in self.groups if g[0] < depth]
        section = " > ".join([t for t in [self.table.title] if t] + [t for _, t in self.groups]) or None
        target = _get(cells, roles, "target") or None
        task = Task(
            text=task_text,
            code=(code.rstrip(".") if code else self.group_code) or None,
            section=section,
            owners=owners,
            co_owners=[c for c in co_owners if c not in owners],
            deadline=_deadline(_get(cells, roles, "deadline"), task_text, target, self.plan_year),
            budget=_budget(cells, self.table),
            target=target,
            provenance=provenance,
        )
        self.tasks.append(task)
        self.reviews += self.totals.add(task, has_own_code=bool(code))
        self.reviews += _check_sources(task)


def _score(cells: list[str], roles: dict[int, str], code: str, text: str, provenance: Provenance) -> Score | None:
    """A criterion row with points, as a score; None for any other row."""
    points = {k: parse_number(_get(cells, roles, k)) for k in POINTS}
    if CRITERION.match(code) and any(v is not None for v in points.values()):
        return Score(code.rstrip("."), text or None, **points, provenance=provenance)
    return None


def _deadline(deadline_text: str, task_text: str, target: str | None, plan_year: int | None) -> Deadline | None:
    """The time column's deadline; without one, a due date in the task's words or its target."""
    if deadline_text:
        return parse_deadline(deadline_text, plan_year)
    return parse_deadline(f"{task_text}. {target or ''}", plan_year, running_text=True, recurrence_anywhere=True)


GRAND_TOTAL = re.compile(r"^(?:tong cong|tong so|tong kinh phi|cong)\b")
SUB_ROW = re.compile(r"^(?:[-–+•]|\d+/)\s*")


def sub_rows(rows: list[TableRow], roles: dict[int, str]) -> dict[int, int]:
    """Rows with no code of their own that list parts ("- …", "1/ …") of the coded row above: index → parent."""
    parent_of: dict[int, int] = {}
    parent: int | None = None
    for i, (cells, *_) in enumerate(rows):
        code, text = _get(cells, roles, "code"), _get(cells, roles, "text")
        if code:
            parent = None if GROUP_CODE.match(code) else i
        elif parent is not None and SUB_ROW.match(text):
            parent_of[i] = parent
    return parent_of


@dataclass
class GroupTotal:
    """A group row's printed total and the amounts of the rows under it."""

    label: str
    total: float | None
    provenance: Provenance
    section_level: bool
    amounts: list[float] = field(default_factory=list)

    def check(self) -> ReviewItem | None:
        """A review item when the rows under the group do not add up to its printed total."""
        if self.total is None or not self.amounts or abs(sum(self.amounts) - self.total) <= TOLERANCE:
            return None
        found = sum(self.amounts)
        message = f"{self.label}: printed total {self.total:g}, its rows add up to {found:g}"
        return ReviewItem("budget_group_total", message, self.label, self.total, found, self.provenance)


class GroupTotals:
    """Open group rows: a section group (LĨNH VỰC I) and, inside it, an activity whose sub-rows hold the money."""

    def __init__(self) -> None:
        self.stack: list[GroupTotal] = []
        self.sections: list[float] = []  # totals of the closed section groups, for the grand total

    def _close(self, keep: int) -> list[ReviewItem]:
        reviews = []
        while len(self.stack) > keep:
            group = self.stack.pop()
            if item := group.check():
                reviews.append(item)
            if group.total is not None:
                (self.stack[-1].amounts if self.stack else self.sections).append(group.total)
        return reviews

    def grand_total(self, total: float | None, provenance: Provenance) -> list[ReviewItem]:
        """The table's grand-total row: all groups end, and their totals should add up to it."""
        reviews = self._close(0)
        grand = GroupTotal("Tổng cộng", total, provenance, True, self.sections)
        self.sections = []
        return reviews + [item for item in [grand.check()] if item]

    def open(self, label: str, total: float | None, provenance: Provenance, section_level: bool) -> list[ReviewItem]:
        """A group row starts: it closes the groups it cannot sit inside."""
        reviews = self._close(0 if section_level else sum(g.section_level for g in self.stack[:1]))
        self.stack.append(GroupTotal(label, total, provenance, section_level))
        return reviews

    def add(self, task: Task, has_own_code: bool) -> list[ReviewItem]:
        """A task row: a row with its own code ends an activity group; its amount goes to the innermost group."""
        reviews = (
            self._close(len(self.stack) - 1) if has_own_code and self.stack and not self.stack[-1].section_level else []
        )
        if self.stack and task.budget:
            budget = task.budget
            self.stack[-1].amounts.append(budget.total if budget.total is not None else sum(budget.sources.values()))
        return reviews

    def close_all(self) -> list[ReviewItem]:
        return self._close(0)


def _check_sources(task: Task) -> list[ReviewItem]:
    """A row whose funding sources do not add up to its total."""
    budget = task.budget
    if budget is None or budget.total is None or not budget.sources:
        return []
    found = sum(budget.sources.values())
    if abs(found - budget.total) <= TOLERANCE:
        return []
    label = task.code or task.text[:60]
    message = f"{label}: total {budget.total:g}, funding sources add up to {found:g}"
    return [ReviewItem("budget_sources", message, task.code, budget.total, found, task.provenance)]


def _budget(cells: list[str], table: LogicalTable) -> Budget | None:
    """Total and per-source amounts of a row, in the table's unit; None when the row has no amount."""
    total_text = _get(cells, table.roles, "total") or _get(cells, table.roles, "budget")
    total = parse_number(total_text) if total_text else None
    sources = {}
    for col, name in source_columns(table).items():
        amount = parse_number(cells[col]) if col < len(cells) and cells[col] else None
        if amount is not None:
            sources[name] = amount
    if total is None and not sources:
        return None
    return Budget(total=total, unit=table.unit, sources=sources)
