"""One document through the stages, in order: read → repair → extract."""

from __future__ import annotations

from pathlib import Path

from extractors import extract
from models.document import Document
from models.records import Extraction
from pipeline.read import read
from pipeline.repair import repair


def process(path: Path) -> tuple[Document, Extraction]:
    """Read, repair and extract one file; raises InputError for input that cannot be processed."""
    document = repair(read(path))
    return document, extract(document)
