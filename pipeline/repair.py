"""Repair stage: normalise every line and cell (NFC, one tone-mark convention), keeping what was read."""

from __future__ import annotations

from models.document import Document
from normalizers.text import clean_line


def repair(document: Document) -> Document:
    """Normalise text in place; what changed keeps its original in ``raw``."""
    for page in document.pages:
        for block in page.blocks:
            items = block.table.cells if block.table is not None else block.text_lines()
            for item in items:
                cleaned = clean_line(item.text)
                if cleaned != item.text:
                    item.raw = item.text if item.raw is None else item.raw
                    item.text = cleaned
    return document
