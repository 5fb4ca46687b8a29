"""Extract stage: structured records from a repaired document."""

from __future__ import annotations

from vnplan.extractors.body_tasks import extract_body_tasks
from vnplan.extractors.local_names import expand_short_names
from vnplan.extractors.metadata import addressed_province, extract_metadata
from vnplan.extractors.passages import passages
from vnplan.extractors.prose_scores import extract_prose_scores
from vnplan.extractors.references import extract_references
from vnplan.extractors.table_tasks import extract_table_records
from vnplan.models.document import Document
from vnplan.models.records import Extraction, Metadata
from vnplan.normalizers.agencies import (
    LOCAL_TIER,
    PROVINCE_BODIES,
    SHORT_NAMES,
    ProvinceBodies,
    defined_short_names,
)

#: The year from which provinces have one local tier (the 2025 reform ended the districts).
ONE_LOCAL_TIER_FROM = 2025


def extract(document: Document) -> Extraction:
    """Metadata, cited documents, tasks, scores, and the budget mismatches a reviewer should see."""
    blocks = passages(document)
    metadata = extract_metadata(blocks)
    one_tier = LOCAL_TIER.set("UBND cấp xã" if metadata.year and metadata.year >= ONE_LOCAL_TIER_FROM else None)
    short_names = SHORT_NAMES.set(defined_short_names([b.text for b in blocks]))
    central = metadata.province is None and metadata.issuer is not None  # a ministry's, the Government's
    provinces = PROVINCE_BODIES.set(ProvinceBodies(addressed_province(blocks)) if central else None)
    try:
        return _records(document, blocks, metadata)
    finally:
        PROVINCE_BODIES.reset(provinces)
        SHORT_NAMES.reset(short_names)
        LOCAL_TIER.reset(one_tier)


def _records(document: Document, blocks: list, metadata: Metadata) -> Extraction:
    references = extract_references(blocks, own_number=metadata.number, own_date=metadata.issued_date)
    table_tasks, scores, review_items = extract_table_records(document, metadata.year)
    tasks = expand_short_names(extract_body_tasks(blocks, metadata.year, metadata.doc_type) + table_tasks)
    in_tables = {s.code for s in scores}
    scores += [s for s in extract_prose_scores(blocks) if s.code not in in_tables]
    return Extraction(metadata, references, tasks, scores, review_items)
