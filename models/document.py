"""The document model every stage works from, with provenance on every element.

    Document → Page → Block (heading, paragraph, list item, table, letterhead,
                             footnote, page header/footer) → Line → Word
                      Block.table: Table → Cell (row, col, row_span, col_span)

Boxes are ``(x0, top, x1, bottom)`` in PDF points from the page's top-left
corner, whether the element came from a text layer or from OCR. Confidence is
1.0 for a trusted text layer and Tesseract's word confidence for OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal, TypedDict

BBox = tuple[float, float, float, float]


class TokenChange(TypedDict):
    """A token diacritic restoration changed in a line or cell: where it starts in the text, what it was,
    what it became, how sure the restorer was. Stored and exported as this dict, keys in this order."""

    start: int
    original: str
    restored: str
    confidence: float


class ReadMethod(StrEnum):
    """How a page's text was obtained."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    RE_OCR = "re_ocr"  # a mangled text layer replaced by OCR of the page image
    TEXT_FILE = "text_file"
    WORD = "word"  # a Word file (.docx, or .doc/.rtf converted by LibreOffice)

    @property
    def label(self) -> str:
        """How a person would say it: ``text layer``, ``OCR``, ``re-OCR``, ``text file``, ``Word``."""
        return {"ocr": "OCR", "re_ocr": "re-OCR", "word": "Word"}.get(self.value, self.value.replace("_", " "))


#: A text layer's verdict: to be trusted, mangled (read again by OCR over a scan), or no text at all.
LayerStatus = Literal["good", "mangled", "missing"]


class BlockKind(StrEnum):
    """What a block is on the page."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    LETTERHEAD = "letterhead"
    FOOTNOTE = "footnote"
    PAGE_HEADER = "page_header"
    PAGE_FOOTER = "page_footer"


def union(boxes: list[BBox]) -> BBox | None:
    """The smallest box holding all ``boxes`` (None for none)."""
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Word:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0


@dataclass
class Line:
    """One line of text; ``raw`` keeps the text as read when the repair stage changed it, and
    ``changes`` the tokens diacritic restoration changed (start in ``text``, original, restored, confidence)."""

    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    words: list[Word] = field(default_factory=list)
    raw: str | None = None
    changes: list[TokenChange] = field(default_factory=list)


def box_of(item: Word | Line) -> BBox:
    """The box of a word or line placed on a page (read from a text layer or by OCR); a ValueError if it has none."""
    if item.bbox is None:
        raise ValueError(f"the {type(item).__name__.lower()} {item.text!r} has no box")
    return item.bbox


@dataclass
class Cell:
    """A table cell; a merged cell spans ``row_span`` rows and ``col_span`` columns."""

    row: int
    col: int
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    row_span: int = 1
    col_span: int = 1
    raw: str | None = None
    changes: list[TokenChange] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The cell as JSON-ready data: position, spans, text as repaired and as read, restored tokens, box."""
        return {
            "row": self.row,
            "col": self.col,
            "row_span": self.row_span,
            "col_span": self.col_span,
            "text": self.text,
            "raw": self.raw,
            "changes": self.changes or None,
            "bbox": list(self.bbox) if self.bbox else None,
            "confidence": self.confidence,
        }


@dataclass
class Table:
    """A ruled table: its cells and how many leading rows are its header."""

    n_rows: int
    n_cols: int
    cells: list[Cell] = field(default_factory=list)
    header_rows: int = 0

    def grid(self, raw: bool = False) -> list[list[str]]:
        """Cell texts row by row (as read, with ``raw``); a merged cell's text stands at its top-left position."""
        rows = [[""] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.raw if raw and cell.raw is not None else cell.text
        return rows

    def row_lines(self) -> list[Line]:
        """One line per row, cells left to right separated by tabs."""
        lines = []
        for r, texts in enumerate(self.grid()):
            cells = [c for c in self.cells if c.row == r]
            box = union([c.bbox for c in cells if c.bbox])
            conf = min((c.confidence for c in cells), default=1.0)
            lines.append(Line(text="\t".join(texts), bbox=box, confidence=conf))
        return lines


@dataclass
class Block:
    """A block in reading order. A letterhead keeps its two ``columns``; a table its ``table``."""

    kind: BlockKind
    lines: list[Line] = field(default_factory=list)
    table: Table | None = None
    columns: list[list[Line]] | None = None

    @property
    def bbox(self) -> BBox | None:
        return union([x.bbox for x in self.text_lines() if x.bbox])

    @property
    def confidence(self) -> float:
        lines = self.text_lines()
        return min((x.confidence for x in lines), default=1.0)

    def text_lines(self) -> list[Line]:
        """Lines in reading order: a table row by row, a letterhead left column first."""
        if self.table is not None:
            return self.table.row_lines()
        if self.columns is not None:
            return [line for column in self.columns for line in column]
        return self.lines

    @property
    def text(self) -> str:
        """A paragraph's lines joined into one (hard line breaks removed); table rows and columns one per line."""
        return self._join([x.text for x in self.text_lines()])

    @property
    def raw_text(self) -> str:
        """:attr:`text` as read, before repair."""
        if self.table is not None:
            return "\n".join("\t".join(row) for row in self.table.grid(raw=True))
        return self._join([x.raw if x.raw is not None else x.text for x in self.text_lines()])

    def _join(self, texts: list[str]) -> str:
        return "\n".join(texts) if self.table is not None or self.columns is not None else " ".join(texts)


@dataclass
class LayerVerdict:
    """Whether a page's text layer can be trusted, with the measure behind the decision."""

    status: LayerStatus
    marked_share: float = 0.0  # share of words carrying Vietnamese diacritics
    invalid_share: float = 0.0  # share of words that are no Vietnamese syllable or abbreviation
    words: int = 0

    @property
    def score(self) -> float:
        """One number for the layer's trustworthiness, 0 (mangled) to 1 (good)."""
        return round(min(1.0, self.marked_share / 0.6) * (1 - self.invalid_share), 4)


BODY_KINDS = frozenset(BlockKind) - {BlockKind.PAGE_HEADER, BlockKind.PAGE_FOOTER}


@dataclass
class Page:
    """One page: its size in points, how it was read, the layer verdict, and its blocks."""

    number: int
    width: float
    height: float
    method: ReadMethod
    blocks: list[Block] = field(default_factory=list)
    verdict: LayerVerdict | None = None
    restored_tokens: int = 0  # tokens diacritic restoration changed
    seal: bool = False  # a seal in red or blue ink was on the page image (dropped before OCR)
    ocr_engine: str | None = None  # the OCR engine that read the page (pipeline/ocr_engines.py); None if not OCRed

    @property
    def body(self) -> list[Block]:
        """The blocks without running page headers and footers."""
        return [b for b in self.blocks if b.kind in BODY_KINDS]

    @property
    def ocr_empty(self) -> bool:
        """True for a page OCR was asked to read and found no text on (flagged, never silently empty)."""
        return self.method in (ReadMethod.OCR, ReadMethod.RE_OCR) and not any(b.text.strip() for b in self.blocks)

    @property
    def text(self) -> str:
        """The page's body text in reading order, one block per line."""
        return "\n".join(b.text for b in self.body)

    @property
    def raw_text(self) -> str:
        """The page's body text as read, before repair."""
        return "\n".join(b.raw_text for b in self.body)

    @property
    def confidence(self) -> float:
        """Mean line confidence (1.0 for an empty page)."""
        lines = [x for b in self.blocks for x in b.text_lines()]
        return round(sum(x.confidence for x in lines) / len(lines), 4) if lines else 1.0


@dataclass
class Document:
    """A source file as read: identity, origin and pages."""

    source: Path
    content_hash: str
    pages: list[Page] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All pages' body text, pages separated by a form feed."""
        return "\f".join(p.text for p in self.pages)


def _box(bbox: BBox | None) -> list[float] | None:
    return [round(v, 2) for v in bbox] if bbox else None


def _line_dict(line: Line, page: int, method: str) -> dict:
    return {
        "page": page,
        "method": method,
        "text": line.text,
        "raw": line.raw,
        "changes": line.changes,
        "bbox": _box(line.bbox),
        "confidence": line.confidence,
        "words": [{"text": w.text, "bbox": _box(w.bbox), "confidence": w.confidence} for w in line.words],
    }


def document_to_dict(document: Document) -> dict:
    """The whole model as JSON-ready data; every element carries its page, box, confidence and read method."""
    pages = []
    for page in document.pages:
        method = str(page.method)
        blocks = []
        for block in page.blocks:
            item = {
                "kind": str(block.kind),
                "page": page.number,
                "method": method,
                "text": block.text,
                "bbox": _box(block.bbox),
                "confidence": block.confidence,
                "lines": [_line_dict(x, page.number, method) for x in block.lines],
            }
            if block.columns is not None:
                item["columns"] = [[_line_dict(x, page.number, method) for x in col] for col in block.columns]
            if block.table is not None:
                item["table"] = {
                    "n_rows": block.table.n_rows,
                    "n_cols": block.table.n_cols,
                    "header_rows": block.table.header_rows,
                    "cells": [
                        {**c.as_dict(), "bbox": _box(c.bbox), "page": page.number, "method": method}
                        for c in block.table.cells
                    ],
                }
            blocks.append(item)
        verdict = page.verdict
        pages.append(
            {
                "number": page.number,
                "width": page.width,
                "height": page.height,
                "method": method,
                "verdict": None
                if verdict is None
                else {
                    "status": verdict.status,
                    "score": verdict.score,
                    "marked_share": verdict.marked_share,
                    "invalid_share": verdict.invalid_share,
                    "words": verdict.words,
                },
                "confidence": page.confidence,
                "seal": page.seal,
                "blocks": blocks,
            }
        )
    return {"source": str(document.source), "content_hash": document.content_hash, "pages": pages}
