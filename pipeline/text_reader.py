"""Plain-text input: one page; paragraphs at blank lines, Markdown marks dropped, tab and pipe tables kept."""

from __future__ import annotations

import re
import string
import unicodedata

from vnplan.models.document import Block, Cell, Line, Page, ReadMethod, Table
from vnplan.models.errors import Category, InputError
from vnplan.pipeline.layout import PlacedLine, make_blocks
from vnplan.pipeline.tables import count_header_rows, table_block

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
EMPHASIS = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
ASCII_LETTERS = frozenset(string.ascii_letters)
PIPE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
#: The largest text file read: some 4,000 pages, 150 times the longest plan of the corpus (53 KB). Reading,
#: repairing, extracting and storing cost about 80 MB of memory and 20 to 50 s per MB of text (8 MB: 848 MB
#: at its peak; benchmarks/limits_bench.py), so a larger file is refused before it is read.
MAX_TEXT_BYTES = 8 * 2**20


def strip_markdown(line: str) -> str:
    """Drop converter marks (``**bold**``, ``*italic*``, ``# heading``, links) but keep the words."""
    return EMPHASIS.sub("", LINK.sub(r"\1", HEADING.sub("", line)))


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row written with tabs or Markdown pipes, None for other lines."""
    if PIPE_ROW.match(line):
        return [c.strip() for c in line.strip().strip("|").split("|")]
    cells = [c.strip() for c in line.split("\t")]
    return cells if sum(bool(c) for c in cells) >= 2 else None


def make_table(rows: list[list[str]]) -> Block:
    width = max(len(r) for r in rows)
    cells = [Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row) if text]
    table = Table(n_rows=len(rows), n_cols=width, cells=cells)
    table.header_rows = count_header_rows(table)
    return table_block(table)


def decode(data: bytes) -> str:
    """The text of a UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1258 file, in NFC; an InputError
    for anything else. Windows-1258 writes tones as combining marks: NFC joins them to their letters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise InputError("a UTF-16 text file that does not decode", Category.DAMAGED) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        vietnamese = _windows_1258(data)
        if vietnamese is None:
            raise InputError(
                "not a PDF, an image, a Word or RTF file, or text in UTF-8, UTF-16 or Windows-1258",
                Category.UNSUPPORTED_TYPE,
            ) from exc
        text = vietnamese
    if "\x00" in text:
        raise InputError(
            "not a PDF, an image, a Word or RTF file, or UTF-8 text (binary data)", Category.UNSUPPORTED_TYPE
        )
    return text


def _windows_1258(data: bytes) -> str | None:
    """The text of a Windows-1258 (Vietnamese Windows) file, or None when the bytes are not such text:
    controls other than tabs and line ends, or too few of its letters carrying Vietnamese marks."""
    if any(b < 0x20 and b not in (0x09, 0x0A, 0x0D) for b in data[:65536]):
        return None
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    letters = [c for c in text[:65536] if c.isalpha()]
    marked = sum(c not in ASCII_LETTERS for c in letters)
    return text if letters and marked >= 0.05 * len(letters) and "\ufffd" not in text else None


def cell_per_line_tables(lines: list[str]) -> list[str]:
    """Rewrite tables written one cell per line (tab-indented cells, rows split by blank lines) as tab rows.

    A run of at least two such groups with the same number (at least three) of cells is a table.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        groups, j = [], i
        while j < len(lines) and lines[j].startswith("\t"):
            group = []
            while j < len(lines) and lines[j].startswith("\t"):
                group.append(lines[j].strip() or "")
                j += 1
            groups.append(group)
            while j < len(lines) and not lines[j].strip():
                j += 1
        if len(groups) >= 2 and len(groups[0]) >= 3 and all(len(g) == len(groups[0]) for g in groups):
            out += ["\t".join(g) for g in groups]
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def read_text(data: bytes) -> list[Page]:
    """Decode UTF-8 text into a single page of blocks; an InputError for text over ``MAX_TEXT_BYTES``."""
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            f"the text is {len(data) / 2**20:,.0f} MB, more than the {MAX_TEXT_BYTES // 2**20} MB limit for a text",
            Category.TOO_LARGE,
        )
    text = decode(data)
    blocks: list[Block] = []
    placed: list[PlacedLine] = []
    rows: list[list[str]] = []
    paragraph = 0

    def flush_text() -> None:
        nonlocal placed
        if placed:
            blocks.extend(make_blocks(placed, 0.0, first_page=False))
            placed = []

    for raw in cell_per_line_tables(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if not raw.strip():
            paragraph += 1
            continue
        if PIPE_RULE.match(raw):
            continue
        cells = table_cells(raw)
        if cells is not None:
            flush_text()
            rows.append([strip_markdown(c).strip() for c in cells])
            continue
        if rows:
            blocks.append(make_table(rows))
            rows = []
        placed.append(PlacedLine(Line(text=strip_markdown(raw).strip()), paragraph))
    flush_text()
    if rows:
        blocks.append(make_table(rows))
    return [Page(number=1, width=0.0, height=0.0, method=ReadMethod.TEXT_FILE, blocks=blocks)]
