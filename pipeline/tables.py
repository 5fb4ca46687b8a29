"""Build the Table model from cell rectangles, whoever found them (pdfplumber or the scan grid)."""

from __future__ import annotations

import re
from bisect import bisect_left

from vnplan.models.document import BBox, Block, BlockKind, Cell, Table
from vnplan.normalizers.text import fold

#: Words that mark a header row of a plan's table.
HEADER_WORDS = re.compile(
    r"\b(stt|noi dung|giai phap|co quan|chu tri|phoi hop|thuc hien|thoi gian|kinh phi|"
    r"diem|tieu chi|linh vuc|ket qua|ghi chu|nguon|tong|trong do|phan cong|san pham|tai lieu)\b"
)
NUMBER_CELL = re.compile(r"^[\d.,/%\s-]+$")


def _snap(values: list[float], tolerance: float) -> list[float]:
    """Merge coordinates closer than ``tolerance`` into one."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    k = bisect_left(edges, value)
    if k == len(edges) or (k > 0 and value - edges[k - 1] < edges[k] - value):
        k -= 1
    return k


def build_table(rects: list[tuple[BBox, str, float]], tolerance: float = 2.0) -> Table:
    """A table from (box, text, confidence) cells; spans come from where the edges fall."""
    xs = _snap([v for (x0, _, x1, _), _, _ in rects for v in (x0, x1)], tolerance)
    ys = _snap([v for (_, top, _, bottom), _, _ in rects for v in (top, bottom)], tolerance)
    cells = []
    for bbox, text, confidence in rects:
        col, col_end = _index(xs, bbox[0]), _index(xs, bbox[2])
        row, row_end = _index(ys, bbox[1]), _index(ys, bbox[3])
        if col_end <= col or row_end <= row:
            continue
        cells.append(Cell(row, col, text, bbox, confidence, row_span=row_end - row, col_span=col_end - col))
    table = Table(n_rows=max(1, len(ys) - 1), n_cols=max(1, len(xs) - 1), cells=cells)
    table.header_rows = count_header_rows(table)
    return table


def is_header_row(row: list[str]) -> bool:
    """Short cells naming columns (STT, Nội dung, Kinh phí …), and none that is only a number."""
    cells = [c for c in row if c.strip()]
    named = sum(len(c) <= 60 and bool(HEADER_WORDS.search(fold(c))) for c in cells)
    enough = max(min(2, len(cells)), (len(cells) + 1) // 2)
    return bool(cells) and named >= enough and not any(NUMBER_CELL.match(c) for c in cells)


def count_header_rows(table: Table) -> int:
    """How many leading rows form the header (a header cell spanning down takes its rows along)."""
    count = 0
    for row in table.grid():
        if not is_header_row(row):
            break
        count += 1
    spans = [c.row + c.row_span for c in table.cells if c.row < count]
    return max([count, *spans]) if count else 0


def table_block(table: Table) -> Block:
    """A table as a block of the page."""
    return Block(BlockKind.TABLE, table=table)
