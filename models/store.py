"""Persistence of documents and their records: one transaction per document, idempotent by content hash."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from vnplan.models import corrections
from vnplan.models.document import BBox, Document, Page
from vnplan.models.records import Extraction, Provenance, Task
from vnplan.models.schema import (
    AgencyRow,
    BlockRow,
    BudgetItemRow,
    CitedDocumentRow,
    CorrectionRow,
    DeadlineRow,
    DocumentRow,
    IngestionErrorRow,
    LineRow,
    PageRow,
    ReviewItemRow,
    ScoreRow,
    TaskAgencyRow,
    TaskRow,
)
from vnplan.models.version import EXTRACTION_VERSION
from vnplan.normalizers.agencies import aliases_of
from vnplan.normalizers.text import fold


def find_document(session: Session, content_hash: str) -> DocumentRow | None:
    """The stored document with these bytes, if any."""
    return session.scalar(select(DocumentRow).where(DocumentRow.content_hash == content_hash))


def _box(bbox: BBox | None) -> dict[str, float | None]:
    x0, y0, x1, y1 = bbox if bbox else (None, None, None, None)
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}


def _provenance(provenance: Provenance) -> dict[str, float | int | None]:
    """The provenance columns every record table has: page, box and confidence."""
    return {"page": provenance.page, "confidence": provenance.confidence, **_box(provenance.bbox)}


def add_document(session: Session, document: Document, extraction: Extraction, pipeline_version: str) -> DocumentRow:
    """Add a read document, its pages and lines, and its extracted records to the session."""
    row = DocumentRow(content_hash=document.content_hash)
    fill_document(session, row, document, extraction, pipeline_version)
    session.add(row)
    return row


def replace_document(
    session: Session, row: DocumentRow, document: Document, extraction: Extraction, pipeline_version: str
) -> list[CorrectionRow]:
    """Replace a stored document's machine extraction with a new one and apply its reviewers' corrections again.

    Returns the corrections whose task no longer exists (marked orphaned, kept for a reviewer).
    """
    for collection in (row.pages, row.references, row.tasks, row.scores, row.review_items):
        collection.clear()
    session.flush()
    fill_document(session, row, document, extraction, pipeline_version)
    session.flush()
    return corrections.reapply(session, row)


def fill_document(
    session: Session, row: DocumentRow, document: Document, extraction: Extraction, pipeline_version: str
) -> None:
    """Set a document row's metadata and records from a read document and its extraction."""
    meta = extraction.metadata
    row.source_name = document.source.name
    row.source_path = str(Path(document.source).absolute())  # reviewers' notebooks find the page there
    row.pipeline_version = pipeline_version
    row.extraction_version = EXTRACTION_VERSION
    row.page_count = len(document.pages)
    row.doc_type, row.number, row.issued_date = meta.doc_type, meta.number, meta.issued_date
    row.province, row.issuer, row.title = meta.province, meta.issuer, meta.title
    row.signer, row.year = meta.signer, meta.year
    for page in document.pages:
        row.pages.append(page_row(page))
    row.references = [
        CitedDocumentRow(
            position=k,
            kind=ref.kind,
            number=ref.number,
            date=ref.date,
            **_provenance(ref.provenance),
        )
        for k, ref in enumerate(extraction.references)
    ]
    agencies = AgencyCache(session)
    row.tasks = [task_row(k, task, agencies) for k, task in enumerate(extraction.tasks)]
    row.scores = [
        ScoreRow(
            position=k,
            code=score.code,
            name=score.name,
            max_points=score.max_points,
            achieved_points=score.achieved_points,
            lost_points=score.lost_points,
            **_provenance(score.provenance),
        )
        for k, score in enumerate(extraction.scores)
    ]
    row.review_items = [
        ReviewItemRow(
            position=k,
            kind=item.kind,
            message=item.message,
            code=item.code,
            expected=item.expected,
            found=item.found,
            status="open",
            **_provenance(item.provenance),
        )
        for k, item in enumerate(extraction.review_items)
    ]


class AgencyCache:
    """Agencies by canonical name: found in the database, or added once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[str, AgencyRow] = {}

    def get(self, name: str) -> AgencyRow:
        if name not in self.known:
            row = self.session.scalar(select(AgencyRow).where(AgencyRow.name == name))
            if row is None:
                row = AgencyRow(name=name, key=fold(name), aliases=aliases_of(name))
                self.session.add(row)
            self.known[name] = row
        return self.known[name]


def task_row(position: int, task: Task, agencies: AgencyCache) -> TaskRow:
    """A task with its owners and co-owners, deadline and budget items."""
    row = TaskRow(
        position=position,
        code=task.code,
        section=task.section,
        text=task.text,
        text_key=fold(task.text),
        target=task.target,
        origin="machine",
        **_provenance(task.provenance),
    )
    links = [("owner", name) for name in task.owners] + [("co_owner", name) for name in task.co_owners]
    row.agencies = [
        TaskAgencyRow(agency=agencies.get(name), role=role, position=k) for k, (role, name) in enumerate(links)
    ]
    if task.deadline:
        d = task.deadline
        row.deadline = DeadlineRow(raw=d.raw, start_date=d.start, end_date=d.end, recurrence=d.recurrence)
    if task.budget:
        b = task.budget
        items = [BudgetItemRow(source=None, amount=b.total, unit=b.unit)] if b.total is not None else []
        items += [BudgetItemRow(source=name, amount=amount, unit=b.unit) for name, amount in b.sources.items()]
        row.budget_items = items
    return row


def page_row(page: Page) -> PageRow:
    """A page with its verdict, blocks (tables with their cells) and lines."""
    row = PageRow(
        number=page.number,
        width=page.width,
        height=page.height,
        read_method=str(page.method),
        layer_verdict=page.verdict.status if page.verdict else None,
        layer_score=page.verdict.score if page.verdict else None,
        raw_text=page.raw_text,
        text=page.text,
        confidence=page.confidence,
        restored_tokens=page.restored_tokens,
        ocr_empty=page.ocr_empty,
        ocr_engine=page.ocr_engine,
        seal=page.seal,
    )
    for k, block in enumerate(page.blocks):
        cells = [c.as_dict() for c in block.table.cells] if block.table is not None else None
        row.blocks.append(
            BlockRow(
                position=k,
                kind=str(block.kind),
                text=block.text,
                raw_text=block.raw_text,
                confidence=block.confidence,
                table_cells=cells,
                header_rows=block.table.header_rows if block.table is not None else None,
                **_box(block.bbox),
            )
        )
        row.lines.extend(
            LineRow(
                position=len(row.lines),
                block=k,
                text=line.text,
                raw_text=line.raw,
                changes=line.changes or None,
                confidence=line.confidence,
                **_box(line.bbox),
            )
            for line in block.text_lines()
        )
    return row


def add_error(
    session: Session,
    run_id: int,
    source_path: str,
    reason: str,
    content_hash: str | None,
    category: str = "internal",
    detail: str | None = None,
) -> None:
    """Record why a document failed: the reason in one line, its category, and for a bug its traceback."""
    session.add(
        IngestionErrorRow(
            run_id=run_id,
            source_path=source_path,
            reason=reason,
            content_hash=content_hash,
            category=category,
            detail=detail,
        )
    )


def all_documents(session: Session) -> list[DocumentRow]:
    """Every stored document, oldest first."""
    return list(session.scalars(select(DocumentRow).order_by(DocumentRow.id)))
