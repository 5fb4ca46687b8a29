"""The document model every stage works from: Document → Page → Line, with provenance.

Boxes are in PDF points with the origin at the page's top-left corner
(``x0, top, x1, bottom``), whether the line came from a text layer or from OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

BBox = tuple[float, float, float, float]


class ReadMethod(StrEnum):
    """How a page's text was obtained."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    TEXT_FILE = "text_file"

    @property
    def label(self) -> str:
        """How a person would say it: ``text layer``, ``OCR``, ``text file``."""
        return "OCR" if self is ReadMethod.OCR else self.value.replace("_", " ")


@dataclass
class Line:
    """One line of text in reading order.

    ``block`` numbers the paragraph (or table) the line belongs to on its page;
    ``raw`` keeps the text as read when the repair stage changed it.
    """

    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    block: int = 0
    raw: str | None = None


@dataclass
class Page:
    """One page: its size in points, how it was read, and its lines."""

    number: int
    width: float
    height: float
    method: ReadMethod
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The page text, a blank line between blocks."""
        return join_blocks(self.lines, lambda line: line.text)

    @property
    def raw_text(self) -> str:
        """The page text as read, before repair."""
        return join_blocks(self.lines, lambda line: line.raw if line.raw is not None else line.text)

    @property
    def confidence(self) -> float:
        """Mean line confidence (1.0 for an empty page)."""
        return sum(x.confidence for x in self.lines) / len(self.lines) if self.lines else 1.0


@dataclass
class Document:
    """A source file as read: identity, origin and pages."""

    source: Path
    content_hash: str
    pages: list[Page] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All pages' text, pages separated by a form feed."""
        return "\f".join(p.text for p in self.pages)


def join_blocks(lines: list[Line], text_of) -> str:
    out: list[str] = []
    previous: int | None = None
    for line in lines:
        if previous is not None and line.block != previous:
            out.append("")
        out.append(text_of(line))
        previous = line.block
    return "\n".join(out)
