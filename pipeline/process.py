"""One document through the stages, in order: read → repair → extract."""

from __future__ import annotations

from pathlib import Path

from vnplan.extractors import extract
from vnplan.models.document import Document
from vnplan.models.records import Extraction
from vnplan.pipeline import isolation
from vnplan.pipeline.options import PipelineOptions
from vnplan.pipeline.read import read_data
from vnplan.pipeline.repair import repair


def process_data(
    data: bytes, source: Path, options: PipelineOptions = PipelineOptions()
) -> tuple[Document, Extraction]:
    """Read, repair and extract one document from its bytes; raises InputError for input that cannot be
    processed or that has more pages than ``options.limits.max_pages``."""
    document = repair(read_data(data, source, options), options)
    return document, extract(document)


def process_isolated(
    data: bytes, source: Path, options: PipelineOptions = PipelineOptions()
) -> tuple[Document, Extraction]:
    """:func:`process_data` in a child process whose whole process tree is killed after
    ``options.limits.timeout`` seconds (an InputError then), its memory capped at
    ``options.limits.memory_mb``; how a Dask task runs a document."""
    limits = options.limits
    return isolation.run(process_data, (data, source, options), limits.timeout, limits.memory_mb)
