"""Passages: a page's blocks as searchable strings that map back to their lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vnplan.models.document import BlockKind, Document, Line, union
from vnplan.models.records import Provenance


@dataclass
class Passage:
    """One block of a page: its lines joined (a space within a paragraph, a newline between table rows)."""

    page: int
    width: float
    text: str
    kind: BlockKind
    lines: list[Line]
    starts: list[int]

    def provenance(self, start: int, end: int) -> Provenance:
        """Page, union box and lowest confidence of the lines covering ``text[start:end]``."""
        covered = [
            line
            for line, s, e in zip(self.lines, self.starts, [*self.starts[1:], len(self.text) + 1], strict=True)
            if s < end and e > start
        ] or self.lines[:1]
        bbox = union([x.bbox for x in covered if x.bbox])
        return Provenance(self.page, bbox, min(x.confidence for x in covered) if covered else 1.0)


def passages(document: Document) -> list[Passage]:
    """Every block of every page, in reading order."""
    return list(_iter_passages(document))


def _iter_passages(document: Document) -> Iterator[Passage]:
    for page in document.pages:
        for block in page.body:
            lines = block.text_lines()
            if lines:
                separator = "\n" if block.table is not None or block.columns is not None else " "
                yield _make(page.number, page.width, lines, separator, block.kind)


def _make(page: int, width: float, lines: list[Line], separator: str, kind: BlockKind) -> Passage:
    starts, parts, pos = [], [], 0
    for line in lines:
        starts.append(pos)
        parts.append(line.text)
        pos += len(line.text) + len(separator)
    return Passage(page, width, separator.join(parts), kind, lines, starts)
