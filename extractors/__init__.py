"""Extract stage: structured records from a repaired document."""

from __future__ import annotations

from extractors.body_tasks import extract_body_tasks
from extractors.metadata import extract_metadata
from extractors.passages import passages
from extractors.references import extract_references
from extractors.table_tasks import extract_table_records
from models.document import Document
from models.records import Extraction


def extract(document: Document) -> Extraction:
    """Metadata, cited documents, tasks and scores of ``document``."""
    blocks = passages(document)
    metadata = extract_metadata(blocks)
    references = extract_references(blocks, own_number=metadata.number, own_date=metadata.issued_date)
    table_tasks, scores = extract_table_records(document, metadata.year)
    tasks = extract_body_tasks(blocks, metadata.year) + table_tasks
    return Extraction(metadata=metadata, references=references, tasks=tasks, scores=scores)
