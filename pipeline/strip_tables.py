"""Tables whose rows are set apart by white space, their cells wrapped and centred in their rows.

Producers that lay a table out cell by cell (LibreOffice, Word) leave no line of text running across
it: a cell's text wraps inside its column and sits, often centred, in a row as tall as its tallest
cell, so a header of wrapped cells never stands on one line. What stays is geometry:

- a **strip** is a run of words with no band of white across it taller than ``ROW_GAP`` word heights
  (nor a horizontal rule): a table row, or a paragraph;
- a strip's **column boundaries** are the vertical gutters no word of it covers: a gutter wider than a
  word space, or a narrow one where the words to its right start at one x on three lines or more
  (left-aligned cells set close together);
- a **header** is a strip cut by its gutters into three or more cells that name columns (STT, Nội
  dung, Kinh phí …); header strips under it join it;
- the **body** is the strips below whose words cross none of the gutters the table's body leaves, nor
  cover a gap between header cells; each strip is one row. A page that opens (under its number) with
  such strips, two or more of them holding words in two columns, and no header carries on a table
  from the page before (``continued``).

The cells go to :func:`vnplan.pipeline.tables.build_table`, like those of ruled tables.
"""

from __future__ import annotations

import itertools
from statistics import median

from vnplan.models.document import BBox, Word, box_of, union
from vnplan.pipeline.layout import PAGE_NUMBER
from vnplan.pipeline.tables import is_header_row
from vnplan.pipeline.word_tables import MIN_COLUMNS, WordTable

#: A white band taller than this many word heights ends a strip.
ROW_GAP = 0.6
#: A gutter at least this many word heights wide separates columns; a narrower one only where words line up.
WIDE_GUTTER = 0.45
#: Words whose left edges are this close (points) start at one x.
ALIGNED = 1.0
#: A narrow gutter separates columns when words start at its right side on this many lines.
MIN_ALIGNED = 3
#: A word reaching this far (points) past a boundary on both sides crosses it.
CROSSING = 1.0
#: The table ends at a white band this many times the widest band between its strips (or word heights).
END_GAP = 2.0
#: A table without a header (a page's continuation) needs this many rows with words in two columns.
MIN_CONTINUED_ROWS = 2


def _height(words: list[Word]) -> float:
    return median(box_of(w)[3] - box_of(w)[1] for w in words)


def strips(words: list[Word], rules: list[float]) -> list[list[Word]]:
    """Words in runs down the page with no white band taller than ``ROW_GAP`` word heights, nor a rule, inside."""
    if not words:
        return []
    gap = ROW_GAP * _height(words)
    out: list[list[Word]] = []
    bottom = 0.0
    for word in sorted(words, key=lambda w: box_of(w)[1]):
        top = box_of(word)[1]
        ruled = any(bottom - 1 <= y <= top + 1 for y in rules)
        if out and top - bottom <= gap and not (top > bottom and ruled):
            out[-1].append(word)
            bottom = max(bottom, box_of(word)[3])
        else:
            out.append([word])
            bottom = box_of(word)[3]
    return out


def _covered(words: list[Word]) -> list[tuple[float, float]]:
    """The x-intervals the words cover, overlapping ones merged, left to right."""
    merged: list[list[float]] = []
    for x0, x1 in sorted((box_of(w)[0], box_of(w)[2]) for w in words):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _starts_cell(word: Word, words: list[Word], space: float) -> bool:
    """No word stands just left of this one on its line: it starts its cell's line, not one after a space."""
    x0, top, _, bottom = box_of(word)
    return not any(
        x0 - space < box_of(w)[2] <= x0 and box_of(w)[1] < bottom and box_of(w)[3] > top for w in words if w is not word
    )


def gutters(words: list[Word]) -> list[tuple[float, float]]:
    """The gutters between columns of ``words``: white x-intervals no word covers, wide ones and narrow
    ones whose right side starts words on ``MIN_ALIGNED`` lines or more, one of them with no word just left
    of it (a cell repeating "Sở Nội vụ" down a column lines up its second word too)."""
    height = _height(words)
    covered = _covered(words)
    out = []
    for (_, end), (start, _) in itertools.pairwise(covered):
        if start - end >= WIDE_GUTTER * height:
            out.append((end, start))
            continue
        aligned = [w for w in words if abs(box_of(w)[0] - start) <= ALIGNED]
        lines = {round(box_of(w)[1]) for w in aligned}
        if len(lines) >= MIN_ALIGNED and any(_starts_cell(w, words, WIDE_GUTTER * height) for w in aligned):
            out.append((end, start))
    return out


def _crosses(word: Word, gutter: tuple[float, float]) -> bool:
    """The word covers the whole gutter (a boundary is its middle, a gap between header cells all of it)."""
    x0, _, x1, _ = box_of(word)
    return x0 < gutter[0] - CROSSING and x1 > gutter[1] + CROSSING


def _cells(strip: list[Word], edges: list[float]) -> list[list[Word]]:
    """The strip's words in each column between ``edges``, in reading order."""
    columns: list[list[Word]] = [[] for _ in range(len(edges) + 1)]
    for word in sorted(strip, key=lambda w: (round(box_of(w)[1] / 2), box_of(w)[0])):
        centre = (box_of(word)[0] + box_of(word)[2]) / 2
        columns[sum(centre > e for e in edges)].append(word)
    return columns


def _middles(found: list[tuple[float, float]]) -> list[float]:
    return [(a + b) / 2 for a, b in found]


def _header_cells(strip: list[Word]) -> list[str]:
    return [" ".join(w.text for w in cell) for cell in _cells(strip, _middles(gutters(strip)))]


def is_header_strip(strip: list[Word]) -> bool:
    """Three or more cells, cut at the strip's own gutters, most of them naming columns."""
    cells = [c for c in _header_cells(strip) if c]
    return len(cells) >= MIN_COLUMNS and is_header_row(cells)


def _fits(strip: list[Word], body: list[Word], header_gaps: list[tuple[float, float]]) -> bool:
    """The strip keeps to the table's columns: no word of it covers a gap between header cells, and every
    gutter the body leaves is still (at least in part) a gutter once the strip is added."""
    if any(_crosses(w, gap) for w in strip for gap in header_gaps):
        return False
    after = gutters([*body, *strip])
    return all(any(a < g1 and b > g0 for a, b in after) for g0, g1 in (gutters(body) if body else []))


def _edges(found: list[tuple[float, float]], header_gaps: list[tuple[float, float]]) -> list[float]:
    """Column boundaries at the right end of each gutter, where the next column's text starts (so a page
    of the table puts them where the others do); where a gap of the header overlaps the gutter, at the
    right end of the overlap."""
    edges = []
    for a, b in found:
        overlaps = [min(b, d) for c, d in header_gaps if c < b and d > a]
        edges.append(min(overlaps, default=b) - CROSSING / 2)
    return edges


def _band(upper: list[Word], lower: list[Word]) -> float:
    return min(box_of(w)[1] for w in lower) - max(box_of(w)[3] for w in upper)


def _body(rest: list[list[Word]], above: list[Word], header_gaps: list[tuple[float, float]]) -> list[list[Word]]:
    """The strips under ``above`` (the header, or nothing) that keep to its columns, down to a wide white band."""
    body: list[list[Word]] = []
    widest = END_GAP * _height(rest[0]) if rest else 0.0
    last = above
    for strip in rest:
        band = _band(last, strip) if last else 0.0
        if last and band > END_GAP * widest:
            break
        flat = [w for s in body for w in s]
        if not _fits(strip, flat, header_gaps):
            break
        if body:
            widest = max(widest, band)
        body.append(strip)
        last = strip
    return body


def _table(header: list[list[Word]], body: list[list[Word]]) -> WordTable | None:
    """The table's cells: columns between the body's gutters (a header alone: its own), and where a wide gap
    between header cells meets no word of the body (a column empty on this page); one row per strip."""
    header_gaps = [g for s in header for g in gutters(s)]
    body_words = [w for s in body for w in s]
    edges = _edges(gutters(body_words or [w for s in header for w in s]), header_gaps)
    for a, b in header_gaps:
        edge = b - CROSSING / 2
        clear = not any(_crosses(w, (edge, edge)) for w in body_words)
        if b - a >= WIDE_GUTTER * _height(header[0]) and clear and all(abs(edge - e) > 2 * ALIGNED for e in edges):
            edges.append(edge)
    edges.sort()
    if len(edges) + 1 < MIN_COLUMNS:
        return None
    rows = [*header, *body]
    words = [w for s in rows for w in s]
    box = union([box_of(w) for w in words])
    assert box is not None, "a table has words"
    x0, top, x1, bottom = box
    xs = [x0, *edges, x1]
    ys = [
        top,
        *((max(box_of(w)[3] for w in a) + min(box_of(w)[1] for w in b)) / 2 for a, b in itertools.pairwise(rows)),
        bottom,
    ]
    cells: list[tuple[BBox, str, float]] = []
    for r, strip in enumerate(rows):
        columns = _cells(strip, edges)
        if r < len(header):
            cells += _spanning_cells(strip, xs, (ys[r], ys[r + 1]))
            continue
        for c, inside in enumerate(columns):
            confidence = min((w.confidence for w in inside), default=1.0)
            cells.append(((xs[c], ys[r], xs[c + 1], ys[r + 1]), " ".join(w.text for w in inside), confidence))
    return WordTable((x0, top, x1, bottom), cells, words)


def _spanning_cells(strip: list[Word], xs: list[float], band: tuple[float, float]) -> list[tuple[BBox, str, float]]:
    """A header strip's cells (cut at its own gutters), each spanning the body columns it stands over;
    header cells over the same column join, and a column no header cell stands over has an empty one."""
    edges = xs[1:-1]
    spans: list[list] = []  # [first column, last column, text, confidence]
    for inside in _split(_cells(strip, _middles(gutters(strip))), edges):
        first = sum(min(box_of(w)[0] for w in inside) + CROSSING > e for e in edges)
        last = sum(max(box_of(w)[2] for w in inside) - CROSSING > e for e in edges)
        text, confidence = " ".join(w.text for w in inside), min(w.confidence for w in inside)
        if spans and first <= spans[-1][1]:
            spans[-1][1:] = [max(last, spans[-1][1]), f"{spans[-1][2]} {text}", min(confidence, spans[-1][3])]
        else:
            spans.append([first, max(first, last), text, confidence])
    out: list[tuple[BBox, str, float]] = []
    taken = 0
    for first, last, text, confidence in [*spans, [len(xs) - 1, len(xs) - 1, "", 1.0]]:
        out += [((xs[c], band[0], xs[c + 1], band[1]), "", 1.0) for c in range(taken, first)]
        if first < len(xs) - 1:
            out.append(((xs[first], band[0], xs[last + 1], band[1]), text, confidence))
        taken = last + 1
    return out


def _split(cells: list[list[Word]], edges: list[float]) -> list[list[Word]]:
    """Header cells cut again at the body's column boundaries that none of their words cross (header cells
    of close columns, wrapped, leave no gutter of their own between them)."""
    out = []
    for inside in cells:
        inner = [e for e in edges if not any(_crosses(w, (e, e)) for w in inside)]
        parts = _cells(inside, inner)
        out += [p for p in parts if p]
    return out


def _spread_rows(body: list[list[Word]], table: WordTable) -> int:
    """How many of the rows hold words in two columns or more."""
    edges = [box[0] for box, *_ in table.cells if box[1] == table.cells[0][0][1]][1:]
    return sum(sum(bool(cell) for cell in _cells(strip, edges)) >= 2 for strip in body)


def find_strip_tables(words: list[Word], rules: list[float] | None = None, continued: bool = False) -> list[WordTable]:
    """Tables among ``words`` laid out cell by cell: a header strip and the strips that keep to its columns.
    With ``continued``, strips opening the page that keep to common columns are a table carried on
    from the page before, header or not."""
    runs = strips(words, rules or [])
    tables: list[WordTable] = []
    k = 1 if runs and PAGE_NUMBER.match(" ".join(w.text for w in runs[0])) else 0  # a page number above
    if continued and k < len(runs) and not is_header_strip(runs[k]):
        body = _body(runs[k:], [], [])
        table = _table([], body) if len(body) >= MIN_CONTINUED_ROWS else None
        if table is not None and _spread_rows(body, table) >= MIN_CONTINUED_ROWS:
            table.continued = True
            tables.append(table)
            k += len(body)
    while k < len(runs):
        if not is_header_strip(runs[k]):
            k += 1
            continue
        header = [runs[k]]
        while k + len(header) < len(runs) and is_header_strip(runs[k + len(header)]):
            header.append(runs[k + len(header)])
        gaps = [g for s in header for g in gutters(s)]
        body = _body(runs[k + len(header) :], header[-1], gaps)
        # A header with no row under it is one the page ends with: its rows are on the next page.
        ends_page = k + len(header) == len(runs)
        table = _table(header, body) if body or ends_page else None
        if table is None:
            k += 1
            continue
        tables.append(table)
        k += len(header) + len(body)
    return tables
