"""Repair stage: normalise every line and cell (NFC, one tone-mark convention), then restore the
diacritics of lines judged mangled, and on pages read by OCR the marks Tesseract misread (a tone,
a hat, breve or horn, the stroke of đ, a doubled vowel; a symbol written for a digit) where the
language model is far surer than the OCR channel (:mod:`vnplan.normalizers.restoration.ocr_channel`) alone.
What changed keeps its original in ``raw``; restored tokens
are listed in ``changes`` with their original and a confidence."""

from __future__ import annotations

from vnplan.models.document import Cell, Document, Line, Page, ReadMethod, TokenChange
from vnplan.normalizers.restoration.restore import Restorer, restorer
from vnplan.normalizers.text import clean_line
from vnplan.pipeline.options import PipelineOptions

#: A word Tesseract read with less confidence than this is doubtful: its marks are put right at a smaller
#: margin (:data:`vnplan.normalizers.restoration.restore.DOUBT_DISCOUNT`). On the tuning half of the real
#: pages (``benchmarks/ocr_pages.py``) 10.6% of such words had wrong marks, 0.3% of the rest.
DOUBTFUL_CONFIDENCE = 0.95


def repair(
    document: Document, options: PipelineOptions = PipelineOptions(), engine: Restorer | None = None
) -> Document:
    """Normalise and restore the text of every page in place (every line with ``options.restore.force``;
    ``engine``: the restorer, default the packaged one)."""
    for page in document.pages:
        items = text_items(page)
        for item in items:
            _replace(item, clean_line(item.text))
        restore_page(page, items, options.restore.force, engine)
    return document


def text_items(page: Page) -> list[Line | Cell]:
    """Every line and table cell of a page, in reading order."""
    items: list[Line | Cell] = []
    for block in page.blocks:
        items += block.table.cells if block.table is not None else block.text_lines()
    return items


def restore_page(page: Page, items: list[Line | Cell], force: bool = False, engine: Restorer | None = None) -> None:
    """Restore the mangled lines among ``items``, judged together so short lines follow the page;
    on a page Tesseract read, put right the marks it misread (with ``engine``, default the packaged restorer)."""
    lines: list[str] = []
    counts = []
    doubtful: list[tuple[int, int]] = []
    start = 0
    for item in items:
        parts = item.text.split("\n")
        lines += parts
        counts.append(len(parts))
        doubtful += [(start + a, start + b) for a, b in doubtful_spans(item)]
        start += len(item.text) + 1
    ocr = page.method in (ReadMethod.OCR, ReadMethod.RE_OCR)
    result = (engine or restorer()).restore("\n".join(lines), force, ocr, doubtful if ocr else ())
    if not result.changes:
        return
    restored = result.text.split("\n")
    changes = result.line_changes()
    line = 0
    for item, count in zip(items, counts, strict=True):
        offset = 0
        for k in range(line, line + count):  # an item of several lines: starts move by the lines before
            item.changes += [token_change(c, offset) for c in changes[k]]
            offset += len(restored[k]) + 1
        _replace(item, "\n".join(restored[line : line + count]))
        line += count
    page.restored_tokens = len(result.changes)


def doubtful_spans(item: Line | Cell) -> list[tuple[int, int]]:
    """Where in a line's text its words read with a confidence under :data:`DOUBTFUL_CONFIDENCE` are
    ((start, end), in order); none for a cell (its words are not kept)."""
    spans: list[tuple[int, int]] = []
    at = 0
    for word in item.words if isinstance(item, Line) else ():
        text = clean_line(word.text)
        found = item.text.find(text, at) if text else -1
        if found < 0:
            continue
        at = found + len(text)
        if word.confidence < DOUBTFUL_CONFIDENCE:
            spans.append((found, at))
    return spans


def token_change(change: dict, offset: int = 0) -> TokenChange:
    """A change as :meth:`~vnplan.normalizers.restoration.restore.Restoration.line_changes` lists it, its start
    moved by ``offset``."""
    return TokenChange(
        start=change["start"] + offset,
        original=change["original"],
        restored=change["restored"],
        confidence=change["confidence"],
    )


def _replace(item: Line | Cell, text: str) -> None:
    if text != item.text:
        item.raw = item.text if item.raw is None else item.raw
        item.text = text
