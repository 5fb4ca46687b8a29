"""Word input (.docx) through python-docx: one page of blocks in body order.

Paragraphs keep their automatic numbering as printed (``word_numbering.py``), text boxes
follow the paragraph they are anchored in, tables
become the Table model with their merged cells (``gridSpan``, ``vMerge``), page headers and
footers become page header and footer blocks, a paragraph
set wholly in bold is a heading, and a two-column table opening the document that
holds the national motto is the letterhead. Text typed in the legacy TCVN3 and VNI
fonts is converted run by run, each font judged on all of its text
(``normalizers/legacy_encoding.py``). Word files have no page geometry: boxes are None.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import XMLSyntaxError, _Element

from vnplan.models.document import Block, BlockKind, Cell, Line, Page, ReadMethod, Table
from vnplan.models.errors import InputError
from vnplan.normalizers.legacy_encoding import Reading, decode, readings_by_font
from vnplan.normalizers.text import fold
from vnplan.pipeline.layer_check import judge_text_layer
from vnplan.pipeline.layout import classify
from vnplan.pipeline.tables import count_header_rows, table_block
from vnplan.pipeline.word_numbering import Numbering

#: Words of the national motto that mark the right column of a letterhead.
MOTTO = re.compile(r"cong hoa xa hoi chu nghia|doc lap\s*[-–]\s*tu do")
#: A run of tabs splits a line into segments, as a column gap does on a PDF page.
TABS = re.compile(r"\t+")
#: What separates the two columns of a letterhead typed as paragraphs: tabs, or a run of spaces.
COLUMN_GAP = re.compile(r"\t+| {4,}")
MAX_LETTERHEAD_PARAGRAPHS = 6
#: What the right column of a letterhead holds: the state's name and motto, the place and date.
RIGHT_COLUMN = re.compile(r"cong hoa|doc lap|ngay .*thang")
#: Longest paragraph that may be a bold heading.
MAX_HEADING = 200
#: Elements whose text is not part of the paragraph's own flow (text boxes, drawings).
SKIPPED = {qn("w:txbxContent"), qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:del"), qn("w:rPr"), qn("w:pPr")}
TEXTBOX = qn("w:txbxContent")
#: A drawing's fallback copy for old readers (the same text boxes again, as VML).
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
FALSE = {"0", "false", "off", "none"}


@dataclass
class Run:
    text: str
    font: str | None
    bold: bool = False
    caps: bool = False


@dataclass
class Para:
    runs: list[Run] = field(default_factory=list)
    label: str | None = None  # the automatic number, as printed ("1.", "a) ", "- ")


@dataclass
class TableItem:
    #: per row, per cell: (grid column, columns spanned, starts a vertical merge, continues one, paragraphs)
    rows: list[list[tuple[int, int, bool, bool, list[Para]]]]


def read_docx(data: bytes) -> list[Page]:
    """Read a .docx file into one page of blocks."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise InputError(f"the Word file is damaged and cannot be opened ({type(exc).__name__})") from exc
    styles = Styles(document)
    try:
        numbering_root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_root = None
    reader = _BodyReader(styles, Numbering.from_part(numbering_root))
    items = list(reader.items(document.element.body))
    heads, feet = _running(document, reader)
    readings = readings_by_font((r.text, r.font) for r in _all_runs(items + heads + feet))
    blocks = _blocks(items, readings)
    blocks = (
        _as(_blocks(heads, readings), BlockKind.PAGE_HEADER)
        + blocks
        + _as(_blocks(feet, readings), BlockKind.PAGE_FOOTER)
    )
    page = Page(number=1, width=0.0, height=0.0, method=ReadMethod.WORD, blocks=blocks)
    page.verdict = judge_text_layer(page.text)
    return [page]


def _running(document: docx.document.Document, reader: _BodyReader) -> tuple[list, list]:
    """The items of every distinct page header and footer of the document's sections."""
    seen: set[int] = set()
    heads: list[Para | TableItem] = []
    feet: list[Para | TableItem] = []
    for section in document.sections:
        for kind, out in (("header", heads), ("footer", feet)):
            for name in (kind, f"first_page_{kind}", f"even_page_{kind}"):
                part = getattr(section, name)
                if part.is_linked_to_previous or id(part.part) in seen:
                    continue
                seen.add(id(part.part))
                out += reader.items(part._element)
    return heads, feet


def _as(blocks: list[Block], kind: BlockKind) -> list[Block]:
    for block in blocks:
        block.kind = kind
    return blocks


class Styles:
    """Effective run properties from a document's styles: font, bold, all caps."""

    def __init__(self, document: docx.document.Document) -> None:
        root = document.styles.element
        self.styles = {s.get(qn("w:styleId")): s for s in root.iterfind(qn("w:style"))}
        paragraph_defaults = [
            sid
            for sid, s in self.styles.items()
            if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
        ]
        self.default_paragraph = paragraph_defaults[0] if paragraph_defaults else None
        self.defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")

    def chain(self, style_id: str | None) -> Iterator[_Element]:
        """The style and those it is based on, nearest first."""
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def numbering(self, style_id: str | None) -> _Element | None:
        """The w:numPr a paragraph style gives its paragraphs."""
        for style in self.chain(style_id):
            num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num is not None:
                return num
        return None

    def run_property(self, run_pr: _Element | None, char_style: str | None, para_style: str | None, tag: str):
        """The nearest element ``tag`` among the run's properties, its character style, its paragraph's
        style and the document defaults."""
        sources = [run_pr] if run_pr is not None else []
        sources += [s.find(qn("w:rPr")) for s in self.chain(char_style)]
        sources += [s.find(qn("w:rPr")) for s in self.chain(para_style or self.default_paragraph)]
        sources.append(self.defaults)
        for rpr in sources:
            if rpr is not None and (el := rpr.find(qn(tag))) is not None:
                return el
        return None


def _on(el: _Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "1").lower() not in FALSE


class _BodyReader:
    """Walks the body in order, numbering paragraphs as it goes (list counters follow document order)."""

    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering

    def items(self, container: _Element) -> Iterator[Para | TableItem]:
        """Paragraphs and tables in order; a text box's content follows the paragraph it is anchored in."""
        for child in container:
            if child.tag == qn("w:p"):
                yield self.paragraph(child)
                for box in _textboxes(child):
                    yield from self.items(box)
            elif child.tag == qn("w:tbl"):
                yield self.table(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from self.items(content)

    def paragraph(self, p: _Element) -> Para:
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = style_el.get(qn("w:val")) if style_el is not None else None
        para = Para(label=self.label(ppr, style))
        for r in _runs(p):
            rpr = r.find(qn("w:rPr"))
            rstyle_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
            rstyle = rstyle_el.get(qn("w:val")) if rstyle_el is not None else None

            def prop(tag: str, rpr=rpr, rstyle=rstyle) -> _Element | None:
                return self.styles.run_property(rpr, rstyle, style, tag)

            if _on(prop("w:vanish")):
                continue
            text = _run_text(r)
            if not text:
                continue
            fonts = prop("w:rFonts")
            font = None if fonts is None else fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))
            para.runs.append(Run(text, font, bold=_on(prop("w:b")), caps=_on(prop("w:caps"))))
        return para

    def label(self, ppr: _Element | None, style: str | None) -> str | None:
        """The paragraph's automatic number: its own w:numPr, or what its style gives, level by level."""
        own = ppr.find(qn("w:numPr")) if ppr is not None else None
        inherited = self.styles.numbering(style)

        def get(tag: str) -> str | None:
            for num_pr in (own, inherited):
                el = num_pr.find(qn(tag)) if num_pr is not None else None
                if el is not None:
                    return el.get(qn("w:val"))
            return None

        num_id = get("w:numId")
        return None if num_id is None else self.numbering.next_label(num_id, int(get("w:ilvl") or 0))

    def table(self, tbl: _Element) -> TableItem:
        rows = []
        for tr in tbl.iterfind(qn("w:tr")):
            trpr = tr.find(qn("w:trPr"))
            before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
            col = int(before.get(qn("w:val"), "0")) if before is not None else 0
            row = []
            for tc in tr.iterfind(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
                span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                restart = vmerge is not None and vmerge.get(qn("w:val")) == "restart"
                cont = vmerge is not None and not restart
                paras = [item for item in self.items(tc) for item in _flatten(item)]
                row.append((col, span, restart, cont, paras))
                col += span
            rows.append(row)
        return TableItem(rows)


def _flatten(item: Para | TableItem) -> list[Para]:
    """A nested table's paragraphs, row by row, as paragraphs of the cell that holds it."""
    if isinstance(item, Para):
        return [item]
    return [p for row in item.rows for *_, paras in row for p in paras]


def _runs(element: _Element) -> Iterator[_Element]:
    """The paragraph's runs in order (in hyperlinks, fields, insertions), not those of text boxes."""
    for child in element:
        if child.tag == qn("w:r"):
            yield child
        elif child.tag not in SKIPPED:
            yield from _runs(child)


def _textboxes(element: _Element) -> Iterator[_Element]:
    """The text boxes drawn in a paragraph (not their fallback copies, not boxes inside boxes)."""
    for child in element:
        if child.tag == TEXTBOX:
            yield child
        elif child.tag != FALLBACK:
            yield from _textboxes(child)


def _run_text(r: _Element) -> str:
    """A run's text as Word lays it out: tabs, line breaks, soft hyphens (TCVN3's ư) kept."""
    parts = []
    for el in r:
        tag = el.tag
        if tag == qn("w:t"):
            parts.append(el.text or "")
        elif tag in (qn("w:tab"), qn("w:ptab")):
            parts.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif tag == qn("w:softHyphen"):
            parts.append("\u00ad")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _all_runs(items: list[Para | TableItem]) -> Iterator[Run]:
    for item in items:
        for para in _flatten(item):
            yield from para.runs


def _text(para: Para, readings: dict[str | None, Reading]) -> str:
    """The paragraph's text in Unicode, its number in front."""
    parts = []
    for run in para.runs:
        text = decode(run.text, readings[run.font])
        parts.append(text.upper() if run.caps else text)
    body = "".join(parts)
    if para.label and body.strip():
        body = para.label + body.lstrip()
    return body


def _lines(text: str) -> list[Line]:
    """Lines of a paragraph: at its line breaks and at runs of tabs (the columns tab stops make)."""
    return [Line(text=seg.strip()) for part in text.split("\n") for seg in TABS.split(part) if seg.strip()]


def _bold(para: Para) -> bool:
    runs = [r for r in para.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _blocks(items: list[Para | TableItem], readings: dict[str | None, Reading]) -> list[Block]:
    blocks: list[Block] = []
    letterhead, taken = _tabbed_letterhead(items, readings)
    if letterhead is not None:
        blocks.append(letterhead)
    for index, item in enumerate(items):
        if index < taken:
            continue
        if isinstance(item, Para):
            lines = _lines(_text(item, readings))
            if not lines:
                continue
            block = Block(BlockKind.PARAGRAPH, lines=lines)
            block.kind = classify(block, 0.0, [])
            if block.kind is BlockKind.PARAGRAPH and _bold(item) and len(block.text) < MAX_HEADING:
                block.kind = BlockKind.HEADING
            blocks.append(block)
            continue
        opening = not any(b.kind is not BlockKind.LETTERHEAD for b in blocks) and index < 4
        letterhead = _letterhead(item, readings) if opening else None
        if letterhead is not None:
            blocks.append(letterhead)
            continue
        table = _table(item, readings)
        if table.n_rows == 1 and table.n_cols == 1:  # a box drawn round text: its paragraphs
            blocks += _blocks([p for row in item.rows for *_, paras in row for p in paras], readings)
        elif table.cells:
            blocks.append(table_block(table))
    return blocks


def _table(item: TableItem, readings: dict[str | None, Reading]) -> Table:
    cells: list[Cell] = []
    open_at: dict[int, Cell] = {}  # a vertically merged cell still taking rows, by its column
    width = 0
    for r, row in enumerate(item.rows):
        for col, span, restart, cont, paras in row:
            width = max(width, col + span)
            if cont and col in open_at:
                open_at[col].row_span += 1
                continue
            text = " ".join(" ".join(x.text for x in _lines(_text(p, readings))) for p in paras).strip()
            cell = Cell(r, col, text, row_span=1, col_span=span)
            cells.append(cell)
            if restart:
                open_at[col] = cell
            else:
                open_at.pop(col, None)
    table = Table(n_rows=len(item.rows), n_cols=max(1, width), cells=[c for c in cells if c.text])
    table.header_rows = count_header_rows(table)
    return table


def _tabbed_letterhead(items: list[Para | TableItem], readings: dict[str | None, Reading]) -> tuple[Block | None, int]:
    """Opening paragraphs laid out in two columns with tabs or runs of spaces, the national motto on the
    right: the letterhead, and how many items it took."""
    columns: list[list[Line]] = [[], []]
    taken = 0
    for index, item in enumerate(items[:MAX_LETTERHEAD_PARAGRAPHS]):
        if not isinstance(item, Para):
            break
        lines = [x for x in _text(item, readings).split("\n") if x.strip()]
        if not lines:
            taken = index + 1
            continue
        if not all(COLUMN_GAP.search(x.rstrip()) for x in lines):
            break
        for left, right in map(_two_columns, lines):
            columns[0] += [Line(text=left)] if left else []
            columns[1] += [Line(text=right)] if right else []
        taken = index + 1
    right = fold(" ".join(x.text for x in columns[1]))
    if not columns[0] or not MOTTO.search(right):
        return None, 0
    return Block(BlockKind.LETTERHEAD, columns=columns), taken


def _two_columns(line: str) -> tuple[str, str]:
    """A letterhead line cut at its widest gap; a line standing alone (indented) goes to the right
    column when it is the state's name, the motto or the place and date, else to the left."""
    text = line.strip()
    gaps = list(COLUMN_GAP.finditer(text))
    if not gaps:
        return ("", text) if RIGHT_COLUMN.search(fold(text)) else (text, "")
    widest = max(gaps, key=lambda m: len(m.group().expandtabs(8)))
    left, right = text[: widest.start()], text[widest.end() :]
    return " ".join(left.split()), " ".join(right.split())


def _letterhead(item: TableItem, readings: dict[str | None, Reading]) -> Block | None:
    """A small two-column table with the national motto on its right: the letterhead, left column first."""
    if len(item.rows) > 6 or any(len(row) != 2 for row in item.rows):
        return None
    columns: list[list[Line]] = [[], []]
    for row in item.rows:
        for k, (*_, paras) in enumerate(row):
            for para in paras:
                columns[k] += _lines(_text(para, readings))
    right = fold(" ".join(x.text for x in columns[1]))
    if not columns[0] or not MOTTO.search(right):
        return None
    return Block(BlockKind.LETTERHEAD, columns=columns)
