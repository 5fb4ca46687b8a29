"""Layout: words → lines → blocks in reading order, for text-layer and OCR pages alike.

A line with a wide gap between words is split into segments (columns). The
opening lines of a document that stand in two columns form its letterhead, read
left column first. Blocks are classified by what their first line looks like;
running page headers, footers and page numbers are recognised across pages.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from vnplan.models.document import Block, BlockKind, Line, Page, Word, box_of, union

#: A gap wider than this share of the page width splits a line into columns.
COLUMN_GAP = 0.05
#: Where a letterhead's gutter between its columns may lie: this share of the text's width from
#: its left edge to this share.
LETTERHEAD_GUTTER = (0.3, 0.7)
#: A line whose centre is this close (a share of the text's width) to the text's middle is a
#: title under the letterhead, not one of its columns.
TITLE_CENTRE = 0.08
#: A letter's "Kính gửi:" line, under the subject in the left column, starts the body: it is no letterhead.
ADDRESSEES = re.compile(r"^\W*K[íi]nh\s*g[ửu]i\b", re.IGNORECASE)
#: A vertical gap larger than this many line heights starts a new paragraph.
PARAGRAPH_GAP = 0.45
#: Running headers and footers live in this share of the page at its top and bottom.
MARGIN_BAND = 0.08
SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
#: What OCR makes of a small superscript digit opening a footnote.
OCR_SUPERSCRIPTS = "!'`*"
LIST_MARK = re.compile(r"^(?:[-+•*–]\s|[a-zđ]\)\s?)")
HEADING_MARK = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.)\s")
PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–])?$", re.IGNORECASE)


@dataclass
class PlacedLine:
    """A line with the paragraph it came in (from the OCR engine, or from vertical gaps)."""

    line: Line
    paragraph: int
    size: float = 0.0  # font size or glyph height, in points


def line_from_words(words: list[Word]) -> Line:
    """A line of words in left-to-right order."""
    words = sorted(words, key=lambda w: box_of(w)[0])
    return Line(
        text=" ".join(w.text for w in words),
        bbox=union([box_of(w) for w in words]),
        confidence=round(sum(w.confidence for w in words) / len(words), 4),
        words=words,
    )


def split_columns(words: list[Word], page_width: float) -> list[list[Word]]:
    """Split one line's words where the gap between neighbours is wider than a column gap."""
    words = sorted(words, key=lambda w: box_of(w)[0])
    segments = [[words[0]]]
    for previous, word in itertools.pairwise(words):
        if box_of(word)[0] - box_of(previous)[2] > COLUMN_GAP * page_width:
            segments.append([])
        segments[-1].append(word)
    return segments


def group_words_into_lines(words: list[Word]) -> list[list[Word]]:
    """Cluster words whose vertical centres fall within one another's line (text-layer pages).

    Each line's extent is kept as words join it, so the cost is n log n in the words (the sort),
    not quadratic in a line's length."""
    lines: list[list[Word]] = []
    extents: list[list[float]] = []  # each line's [top, bottom]
    for word in sorted(words, key=lambda w: (box_of(w)[1], box_of(w)[0])):
        _, top, _, bottom = box_of(word)
        centre = (top + bottom) / 2
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):  # the last three lines, newest first
            extent = extents[k]
            if extent[0] <= centre <= extent[1]:
                lines[k].append(word)
                extent[0], extent[1] = min(extent[0], top), max(extent[1], bottom)
                break
        else:
            lines.append([word])
            extents.append([top, bottom])
    return lines


def paragraphs_by_gap(lines: list[Line], sizes: list[float]) -> list[int]:
    """Paragraph numbers for lines in reading order: a new one after a wide gap or a change of size."""
    numbers: list[int] = []
    paragraph = 0
    for k, line in enumerate(lines):
        if k:
            above = box_of(lines[k - 1])
            height = max(1.0, above[3] - above[1])
            gap = box_of(line)[1] - above[3]
            resized = sizes[k] and sizes[k - 1] and abs(sizes[k] - sizes[k - 1]) > 0.15 * sizes[k - 1]
            if gap > PARAGRAPH_GAP * height or gap < -height or resized:
                paragraph += 1
        numbers.append(paragraph)
    return numbers


def _without(free: list[tuple[float, float]], x0: float, x1: float) -> list[tuple[float, float]]:
    """The intervals of ``free`` left once ``x0``–``x1`` is taken out of them."""
    out = []
    for lo, hi in free:
        if x1 <= lo or x0 >= hi:
            out.append((lo, hi))
            continue
        out += [(a, b) for a, b in ((lo, x0), (x1, hi)) if b > a]
    return out


def take_letterhead(placed: list[PlacedLine], page_width: float) -> tuple[Block | None, list[PlacedLine]]:
    """The leading lines standing in two columns form the letterhead: as long as a gutter, somewhere
    in the middle of the text's width (``LETTERHEAD_GUTTER``), is crossed by none of them and no
    line is centred as a title is, until a letter's "Kính gửi:". The text
    is seldom centred on the page (the left margin is the wider), so the gutter is looked for, not
    taken to be the page's middle."""
    if not placed:
        return None, placed
    boxes = [box_of(item.line) for item in placed]
    lo, hi = min(b[0] for b in boxes), max(b[2] for b in boxes)
    slack = 0.02 * page_width  # a line may reach this far into the gutter
    free = [(lo + LETTERHEAD_GUTTER[0] * (hi - lo), lo + LETTERHEAD_GUTTER[1] * (hi - lo))]
    run = 0
    for item, (x0, _, x1, _) in zip(placed, boxes, strict=True):
        if ADDRESSEES.match(item.line.text):
            break
        left = _without(free, x0 + slack, x1 - slack)
        if not left or abs((x0 + x1) / 2 - (lo + hi) / 2) < TITLE_CENTRE * (hi - lo):  # a title, centred
            break
        free, run = left, run + 1
    if not run:
        return None, placed
    gutter = max(free, key=lambda f: f[1] - f[0])
    split = (gutter[0] + gutter[1]) / 2
    lines = [item.line for item in placed[:run]]
    left_column = [x for x in lines if (box_of(x)[0] + box_of(x)[2]) / 2 < split]
    right_column = [x for x in lines if (box_of(x)[0] + box_of(x)[2]) / 2 >= split]
    if not left_column or not right_column:
        return None, placed
    by_top = lambda x: box_of(x)[1]  # noqa: E731
    block = Block(BlockKind.LETTERHEAD, columns=[sorted(left_column, key=by_top), sorted(right_column, key=by_top)])
    return block, placed[run:]


def classify(block: Block, body_size: float, sizes: list[float]) -> BlockKind:
    """What a text block is, from its first line's marks and its size."""
    first = block.lines[0].text
    small = bool(sizes) and body_size > 0 and median(sizes) < 0.85 * body_size
    if first[:1] in SUPERSCRIPT_DIGITS or (small and (first[:1].isdigit() or first[:1] in OCR_SUPERSCRIPTS)):
        return BlockKind.FOOTNOTE
    if LIST_MARK.match(first):
        return BlockKind.LIST_ITEM
    text = block.text
    letters = [c for c in text if c.isalpha()]
    if HEADING_MARK.match(first) and len(text) < 160:
        return BlockKind.HEADING
    if letters and all(c.isupper() for c in letters) and len(text) < 200:
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def make_blocks(placed: list[PlacedLine], page_width: float, first_page: bool) -> list[Block]:
    """Blocks in reading order from placed lines: letterhead, then paragraphs split at item marks."""
    blocks: list[Block] = []
    if first_page and placed:
        letterhead, placed = take_letterhead(placed, page_width)
        if letterhead:
            blocks.append(letterhead)
    sized = [p.size for p in placed if p.size]
    body_size = median(sized) if sized else 0.0
    groups: list[list[PlacedLine]] = []
    for item in placed:
        text = item.line.text
        starts = bool(LIST_MARK.match(text) or HEADING_MARK.match(text)) or text[:1] in SUPERSCRIPT_DIGITS
        if not groups or item.paragraph != groups[-1][-1].paragraph or starts:
            groups.append([])
        groups[-1].append(item)
    for group in groups:
        block = Block(BlockKind.PARAGRAPH, lines=[p.line for p in group])
        block.kind = classify(block, body_size, [p.size for p in group if p.size])
        blocks.append(block)
    return blocks


def insert_by_position(blocks: list[Block], extra: list[Block]) -> list[Block]:
    """Put ``extra`` blocks (tables) among ``blocks`` by their top edge, keeping ``blocks``' order."""
    out = list(blocks)
    for block in sorted(extra, key=lambda b: b.bbox[1] if b.bbox else 0):
        top = block.bbox[1] if block.bbox else 0
        at = next(
            (k for k, b in enumerate(out) if b.bbox and b.bbox[1] > top and b.kind != BlockKind.LETTERHEAD), len(out)
        )
        out.insert(at, block)
    return out


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def mark_running_heads(pages: list[Page]) -> None:
    """Mark page numbers and text repeated at the top or bottom of several pages as page header/footer."""
    candidates: list[tuple[Page, Block, BlockKind]] = []
    for page in pages:
        text_blocks = [
            (b, box) for b in page.blocks if b.kind not in (BlockKind.TABLE, BlockKind.LETTERHEAD) and (box := b.bbox)
        ]
        if not text_blocks or page.height <= 0:
            continue
        (first, first_box), (last, last_box) = text_blocks[0], text_blocks[-1]
        if first_box[3] < MARGIN_BAND * page.height:
            candidates.append((page, first, BlockKind.PAGE_HEADER))
        if last is not first and last_box[1] > (1 - MARGIN_BAND) * page.height:
            candidates.append((page, last, BlockKind.PAGE_FOOTER))
    repeats = Counter(_shape(b.text) for _, b, _ in candidates)
    for _, block, kind in candidates:
        if PAGE_NUMBER.match(block.text.strip()) or (len(pages) > 2 and repeats[_shape(block.text)] >= 3):
            block.kind = kind
