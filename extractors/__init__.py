"""Extract stage: structured records from a repaired document."""

from __future__ import annotations

from extractors.metadata import extract_metadata
from extractors.passages import passages
from extractors.references import extract_references
from models.document import Document
from models.records import Extraction


def extract(document: Document) -> Extraction:
    """Metadata and cited documents of ``document`` (tasks, owners, budgets and scores come later)."""
    blocks = passages(document)
    metadata = extract_metadata(blocks)
    references = extract_references(blocks, own_number=metadata.number, own_date=metadata.issued_date)
    return Extraction(metadata=metadata, references=references)
