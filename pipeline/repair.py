"""Repair stage: normalise every line (NFC, one tone-mark convention), keeping what was read."""

from __future__ import annotations

from models.document import Document
from normalizers.text import clean_line


def repair(document: Document) -> Document:
    """Normalise each line in place; a changed line keeps its original in ``Line.raw``."""
    for page in document.pages:
        for line in page.lines:
            cleaned = clean_line(line.text)
            if cleaned != line.text:
                line.raw = line.text if line.raw is None else line.raw
                line.text = cleaned
    return document
