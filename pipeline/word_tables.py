"""Tables without full rules, found from where the words stand (text layer or OCR alike).

A plan's table is ruled only horizontally, or not at all, more often than one might hope. It still
has a header row naming its columns (STT, Nội dung, Cơ quan chủ trì …): a line of three or more
word groups set apart by wide gaps, most of them header words. The header gives the columns; the
column edges are put where the lines below leave the widest gutter; the body runs down while its
lines keep to the columns. A row starts at each number in the first column (STT), or, in a table
without one, at each horizontal rule or wide gap. Cells go to :func:`vnplan.pipeline.tables.build_table`,
like the cells of ruled tables.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from statistics import median

from vnplan.models.document import BBox, Word, box_of, union
from vnplan.normalizers.text import fold
from vnplan.pipeline.layout import group_words_into_lines
from vnplan.pipeline.tables import HEADER_WORDS, is_header_row

#: Words further apart than this many line heights are in different cells.
CELL_GAP = 0.9
MIN_COLUMNS = 3
#: A word reaching this far (points) past a column edge on both sides crosses it: prose, not a cell.
CROSSING = 2.0
#: The table ends at a vertical gap wider than this many line pitches.
END_GAP = 2.5
#: A row starts at a first-column cell like these: 1, 1.2, II, a), -.
ROW_MARK = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?|[a-zđ]\)|[-+•])$")
NUMBER = re.compile(r"[\d.,/%-]+")


@dataclass
class WordTable:
    """A table found from word positions: its box and its cells as (box, text, confidence); ``continued``
    when it carries on a table from the page before (its first rows are data, whatever they say)."""

    bbox: BBox
    cells: list[tuple[BBox, str, float]]
    words: list[Word]
    continued: bool = False


def _segments(line: list[Word]) -> list[list[Word]]:
    """A line's words grouped where the gap is wider than CELL_GAP line heights."""
    line = sorted(line, key=lambda w: box_of(w)[0])
    height = median(box_of(w)[3] - box_of(w)[1] for w in line)
    out = [[line[0]]]
    for previous, word in itertools.pairwise(line):
        if box_of(word)[0] - box_of(previous)[2] > CELL_GAP * height:
            out.append([])
        out[-1].append(word)
    return out


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _is_header(line: list[Word]) -> bool:
    segments = _segments(line)
    return len(segments) >= MIN_COLUMNS and is_header_row([_text(s) for s in segments])


def _columns(header: list[list[Word]]) -> list[tuple[float, float]]:
    """The header cells' x-extents, segments of the header's lines that overlap merged into one."""
    segments = [s for line in header for s in _segments(line)]
    spans = sorted((min(box_of(w)[0] for w in s), max(box_of(w)[2] for w in s)) for s in segments)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _header_edges(columns: list[tuple[float, float]]) -> list[float]:
    """Column edges halfway between the header's cells."""
    return [(a1 + b0) / 2 for (_, a1), (b0, _) in itertools.pairwise(columns)]


def _edges(columns: list[tuple[float, float]], body: list[Word]) -> list[float]:
    """Column edges: between two header cells, the middle of the widest gutter the body leaves."""
    edges = []
    for (a0, a1), (b0, b1) in itertools.pairwise(columns):
        low, high = (a0 + a1) / 2, (b0 + b1) / 2
        covered = sorted(
            (max(low, box[0]), min(high, box[2])) for box in map(box_of, body) if box[2] > low and box[0] < high
        )
        best, best_width, at = (a1 + b0) / 2, -1.0, low
        for x0, x1 in [*covered, (high, high)]:
            if x0 - at > best_width:
                best, best_width = (at + x0) / 2, x0 - at
            at = max(at, x1)
        edges.append(best)
    return edges


def _column_of(word: Word, edges: list[float]) -> int | None:
    """The column the word stands in; None when it crosses an edge."""
    if any(box_of(word)[0] < edge - CROSSING and box_of(word)[2] > edge + CROSSING for edge in edges):
        return None
    centre = (box_of(word)[0] + box_of(word)[2]) / 2
    return sum(centre > edge for edge in edges)


def _row_starts(lines: list[list[Word]], edges: list[float], rules: list[float]) -> list[bool]:
    """Which body lines start a row: a row mark in the first column, else a rule or a wide gap above."""
    first = [[w for w in line if _column_of(w, edges) == 0] for line in lines]
    marked = [bool(f) and bool(ROW_MARK.match(_text(f))) for f in first]
    if sum(marked) >= max(2, len(lines) // 4):
        return [k == 0 or m for k, m in enumerate(marked)]
    tops = [min(box_of(w)[1] for w in line) for line in lines]
    bottoms = [max(box_of(w)[3] for w in line) for line in lines]
    height = median(b - t for t, b in zip(tops, bottoms, strict=True))
    starts = [True]
    for k in range(1, len(lines)):
        ruled = any(bottoms[k - 1] <= y <= tops[k] + 1 for y in rules)
        starts.append(ruled or tops[k] - bottoms[k - 1] > 0.8 * height)
    return starts


def _body(lines: list[list[Word]], edges: list[float]) -> list[list[Word]]:
    """The lines under the header that keep to the columns."""
    body: list[list[Word]] = []
    pitch = median(max(box_of(w)[3] for w in line) - min(box_of(w)[1] for w in line) for line in lines) if lines else 0
    for line in lines:
        if body and min(box_of(w)[1] for w in line) - max(box_of(w)[3] for w in body[-1]) > END_GAP * pitch:
            break
        if sum(_column_of(w, edges) is None for w in line) >= 1:
            break
        body.append(line)
    return body


def find_word_tables(words: list[Word], rules: list[float] | None = None) -> list[WordTable]:
    """Tables among ``words`` (boxes in points), found by their header row and column gutters.
    ``rules`` are the heights of horizontal rules on the page, which separate rows when there are any."""
    lines = [sorted(line, key=lambda w: box_of(w)[0]) for line in group_words_into_lines(words)]
    lines.sort(key=lambda line: min(box_of(w)[1] for w in line))
    tables: list[WordTable] = []
    k = 0
    while k < len(lines):
        if not _is_header(lines[k]):
            k += 1
            continue
        header = [lines[k]]
        columns = _columns(header)
        # A header of wrapped cells runs on while its lines hold header words or sit in the header's
        # columns with no row mark in the first one.
        j = k + 1
        while j < len(lines) and _header_goes_on(lines[j], columns, header):
            header.append(lines[j])
            columns = _columns(header)
            j += 1
        below = lines[j:]
        # Edges first between the header's cells, then where the body's gutters are.
        body = _body(below, _header_edges(columns))
        edges = _edges(columns, [w for line in body for w in line])
        body = _body(below, edges)
        if len(body) < 2 or len(columns) < MIN_COLUMNS:
            k += 1
            continue
        tables.append(_table(header, body, edges, rules or []))
        k = j + len(body)
    return tables


def _header_goes_on(line: list[Word], columns: list[tuple[float, float]], header: list[list[Word]]) -> bool:
    """A line just under the header still belongs to it: it holds header words, or it keeps inside
    the header's cells with no row mark and no number."""
    gap = min(box_of(w)[1] for w in line) - max(box_of(w)[3] for w in header[-1])
    if gap > 0.8 * median(box_of(w)[3] - box_of(w)[1] for w in line):
        return False
    if HEADER_WORDS.search(fold(_text(line))):
        return True
    inside = all(_column_of(w, _header_edges(columns)) is not None for w in line)
    first = [w for w in line if box_of(w)[2] <= columns[0][1] + 2]
    numbers = any(NUMBER.fullmatch(w.text) for w in line)
    return inside and not numbers and not (first and ROW_MARK.match(_text(first)))


def _table(header: list[list[Word]], body: list[list[Word]], edges: list[float], rules: list[float]) -> WordTable:
    """Cells of a table: the header one row, then rows of the body; columns between the edges."""
    rows = [[w for line in header for w in line]]
    for line, starts in zip(body, _row_starts(body, edges, rules), strict=True):
        if starts:
            rows.append([])
        rows[-1].extend(line)
    words = [w for row in rows for w in row]
    box = union([box_of(w) for w in words])
    if box is None:
        raise ValueError("a table without words")  # its header has some: never reached
    x0, top, x1, bottom = box
    xs = [x0, *edges, x1]
    tops = [min(box_of(w)[1] for w in row) for row in rows]
    ys = [top, *((tops[r] + max(box_of(w)[3] for w in rows[r - 1])) / 2 for r in range(1, len(rows))), bottom]
    cells = []
    for r, row in enumerate(rows):
        for c in range(len(xs) - 1):
            inside = [w for w in row if _column_of(w, edges) == c]
            confidence = min((w.confidence for w in inside), default=1.0)
            cells.append(((xs[c], ys[r], xs[c + 1], ys[r + 1]), _text(inside), confidence))
    return WordTable((x0, top, x1, bottom), cells, words)
