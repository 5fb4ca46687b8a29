"""A table's pages put on one grid of columns, by where their cells stand.

A table found from word positions has, on each page, only the columns whose cells hold text there: a
page where no row has a "Nguồn xã hội hóa" amount has one column fewer. Its cells still stand where
the table's columns are, so the pages of one table are matched by their column boundaries (each at
the left of a column's cells) and each page is put on the finest grid any of them shows. Tables with
no boxes (read from text or Word files) keep their own grid.
"""

from __future__ import annotations

from statistics import median

from vnplan.models.document import Cell, Table

#: Column boundaries this close (points) are one.
SAME_EDGE = 3.0
#: Two pages are of one table when this share of the boundaries of the one with fewer columns agree.
AGREE = 0.75


def column_edges(table: Table) -> list[float] | None:
    """The x where each column after the first begins (its single cells' left edge); None without boxes."""
    if not table.cells or any(c.bbox is None for c in table.cells):
        return None
    edges = []
    for col in range(1, table.n_cols):
        starts = [c.bbox[0] for c in table.cells if c.col == col and c.col_span == 1 and c.bbox]
        if not starts:
            return None
        edges.append(median(starts))
    return edges


def _near(x: float, edges: list[float]) -> bool:
    return any(abs(x - e) <= SAME_EDGE for e in edges)


def compatible(a: list[float], b: list[float]) -> bool:
    """Two pages of one table: nearly every boundary of the one with fewer columns is one of the other's (a
    word reaching into the next column hides a boundary on one page)."""
    fewer, more = sorted((a, b), key=len)
    return len(fewer) >= 2 and sum(_near(x, more) for x in fewer) >= max(2, AGREE * len(fewer))


def merged_edges(a: list[float], b: list[float]) -> list[float]:
    """Both pages' boundaries, those that agree taken once."""
    out = list(a)
    for x in b:
        if not _near(x, out):
            out.append(x)
    return sorted(out)


def _column(x: float, edges: list[float]) -> int:
    return sum(x + SAME_EDGE > e for e in edges)


def regrid(table: Table, edges: list[float]) -> Table:
    """The table on the columns between ``edges``: a header cell spans the columns it stands over, any
    other cell goes to the column its left edge (where its text starts) is in."""
    if column_edges(table) == edges:
        return table
    cells: dict[tuple[int, int], Cell] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        assert cell.bbox is not None, "only tables with boxes have edges"
        first = _column(cell.bbox[0], edges)
        last = _column(cell.bbox[2] - 2 * SAME_EDGE, edges) if cell.row < table.header_rows else first
        key = (cell.row, first)
        if key in cells:  # two cells of a coarser page in one column: one text
            kept = cells[key]
            kept.text = " ".join(t for t in (kept.text, cell.text) if t)
            continue
        cells[key] = Cell(
            cell.row, first, cell.text, cell.bbox, cell.confidence, cell.row_span, max(1, last - first + 1), cell.raw
        )
    regridded = Table(n_rows=table.n_rows, n_cols=len(edges) + 1, cells=list(cells.values()))
    regridded.header_rows = table.header_rows
    return regridded
