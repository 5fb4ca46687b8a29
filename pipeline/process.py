"""One document through the stages, in order: read → repair → extract."""

from __future__ import annotations

from pathlib import Path

from extractors import extract
from models.document import Document
from models.records import Extraction
from pipeline import isolation
from pipeline.read import read_data
from pipeline.repair import repair


def process_data(
    data: bytes,
    source: Path,
    jobs: int | None = None,
    max_pages: int | None = None,
) -> tuple[Document, Extraction]:
    """Read, repair and extract one document from its bytes; raises InputError for input that cannot be
    processed or that has more than ``max_pages`` pages."""
    document = repair(read_data(data, source, jobs, max_pages))
    return document, extract(document)


def process_isolated(
    data: bytes,
    source: Path,
    jobs: int | None = None,
    max_pages: int | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> tuple[Document, Extraction]:
    """:func:`process_data` in a child process whose whole process tree is killed after ``timeout``
    seconds (an InputError then), its memory capped at ``memory_mb``; how a Dask task runs a document."""
    return isolation.run(process_data, (data, source, jobs, max_pages), timeout, memory_mb)
