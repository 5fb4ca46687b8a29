"""The SQL schema: what downstream systems query. Changes go through Alembic migrations.

Every record table carries provenance (page, box in PDF points from the page's
top-left corner, confidence). Rows of a document cascade with it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from vnplan.models import limits  # noqa: F401  (checks VARCHAR lengths before every flush, on both databases)
from vnplan.models.vocabulary import CorrectionStatus, Origin, ReviewItemKind, ReviewItemStatus, ReviewStatus, Role

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class BoxMixin:
    """Provenance columns shared by every extracted record."""

    page: Mapped[int | None] = mapped_column(Integer)
    x0: Mapped[float | None] = mapped_column(Float)
    y0: Mapped[float | None] = mapped_column(Float)
    x1: Mapped[float | None] = mapped_column(Float)
    y1: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)


class DocumentRow(Base):
    """One ingested source file, identified by the SHA-256 of its bytes."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    pipeline_version: Mapped[str] = mapped_column(String(40))
    extraction_version: Mapped[int | None] = mapped_column(Integer)  # models/version.py; None: before 0011
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    page_count: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(Text, index=True)
    issued_date: Mapped[date | None] = mapped_column(Date)
    province: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    signer: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)

    pages: Mapped[list[PageRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="PageRow.number"
    )
    references: Mapped[list[CitedDocumentRow]] = relationship(
        cascade="all, delete-orphan", order_by="CitedDocumentRow.position"
    )
    tasks: Mapped[list[TaskRow]] = relationship(cascade="all, delete-orphan", order_by="TaskRow.position")
    scores: Mapped[list[ScoreRow]] = relationship(cascade="all, delete-orphan", order_by="ScoreRow.position")
    review_items: Mapped[list[ReviewItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewItemRow.position"
    )

    __table_args__ = (Index("ix_documents_province_year", "province", "year"),)


class PageRow(Base):
    """A page: how it was read, the verdict on its text layer, its raw and repaired text."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    read_method: Mapped[str] = mapped_column(String(20))
    layer_verdict: Mapped[str | None] = mapped_column(String(20))
    layer_score: Mapped[float | None] = mapped_column(Float)
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    restored_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ocr_empty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # OCR found nothing
    ocr_engine: Mapped[str | None] = mapped_column(String(40))  # the OCR engine that read it; NULL if not OCRed
    seal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # a seal was on the image

    document: Mapped[DocumentRow] = relationship(back_populates="pages")
    blocks: Mapped[list[BlockRow]] = relationship(cascade="all, delete-orphan", order_by="BlockRow.position")
    lines: Mapped[list[LineRow]] = relationship(cascade="all, delete-orphan", order_by="LineRow.position")

    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_pages_document_number"),)


class BlockRow(Base):
    """A block in reading order: its kind, text and box; a table keeps its cells (with spans) as JSON."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    raw_text: Mapped[str] = mapped_column(Text)
    x0: Mapped[float | None] = mapped_column(Float)
    y0: Mapped[float | None] = mapped_column(Float)
    x1: Mapped[float | None] = mapped_column(Float)
    y1: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    table_cells: Mapped[list[dict] | None] = mapped_column(JSON)
    header_rows: Mapped[int | None] = mapped_column(Integer)


class LineRow(Base):
    """A line in reading order, with its box; ``block`` is its block's position on the page. ``changes``
    lists the tokens diacritic restoration changed: start in ``text``, original, restored, confidence."""

    __tablename__ = "lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    block: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    raw_text: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[list[dict] | None] = mapped_column(JSON)
    x0: Mapped[float | None] = mapped_column(Float)
    y0: Mapped[float | None] = mapped_column(Float)
    x1: Mapped[float | None] = mapped_column(Float)
    y1: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)


class CitedDocumentRow(BoxMixin, Base):
    """A document cited by number."""

    __tablename__ = "cited_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str] = mapped_column(Text, index=True)
    date: Mapped[date | None] = mapped_column(Date)


class AgencyRow(Base):
    """An agency by canonical name; ``key`` is the accent-free, lower-case lookup form."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class TaskRow(BoxMixin, Base):
    """One unit of work a document assigns."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(Text, index=True)
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    #: ``text`` without marks, lower case: what accent-insensitive search runs on (FTS5 / tsvector)
    text_key: Mapped[str] = mapped_column(Text, server_default="")
    target: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[Origin] = mapped_column(String(20), default="machine")
    review_status: Mapped[ReviewStatus] = mapped_column(String(20), server_default="unreviewed")

    agencies: Mapped[list[TaskAgencyRow]] = relationship(
        cascade="all, delete-orphan", order_by="TaskAgencyRow.position"
    )
    deadline: Mapped[DeadlineRow | None] = relationship(cascade="all, delete-orphan")
    #: the total (no source) first, then the sources, as stored
    budget_items: Mapped[list[BudgetItemRow]] = relationship(cascade="all, delete-orphan", order_by="BudgetItemRow.id")


class TaskAgencyRow(Base):
    """Links a task to an agency as ``owner`` or ``co_owner``."""

    __tablename__ = "task_agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    role: Mapped[Role] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)

    agency: Mapped[AgencyRow] = relationship()

    __table_args__ = (
        UniqueConstraint("task_id", "agency_id", "role", name="uq_task_agencies_task_agency_role"),
        Index("ix_task_agencies_agency_role_task", "agency_id", "role", "task_id"),
    )


class DeadlineRow(Base):
    """A task's deadline: the phrase as printed and its start, end and recurrence."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), unique=True)
    raw: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    recurrence: Mapped[str | None] = mapped_column(String(20))


class BudgetItemRow(Base):
    """An amount for a task: the total (``source`` is NULL) or one funding source's share."""

    __tablename__ = "budget_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(Text)


class ScoreRow(BoxMixin, Base):
    """A PAR-index criterion with its points."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    max_points: Mapped[float | None] = mapped_column(Float)
    achieved_points: Mapped[float | None] = mapped_column(Float)
    lost_points: Mapped[float | None] = mapped_column(Float)


class ReviewItemRow(BoxMixin, Base):
    """Something for a reviewer to check, such as a budget that does not add up (never silently fixed)."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ReviewItemKind] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[float | None] = mapped_column(Float)
    found: Mapped[float | None] = mapped_column(Float)
    status: Mapped[ReviewItemStatus] = mapped_column(String(20), default="open")


class CorrectionRow(Base):
    """A reviewer's change to an extracted record: who, when, which record and field, old → new, why.

    Keyed by the document's content hash and the task's code and folded text (not by row ids),
    so that corrections outlive re-extraction and are applied again to the new records.
    """

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    target_code: Mapped[str | None] = mapped_column(Text)
    target_key: Mapped[str | None] = mapped_column(Text)  # the folded text the record had when corrected
    field: Mapped[str] = mapped_column(String(40))
    #: JSON as :func:`vnplan.models.corrections.task_value` gives it (for ``add``, the new task's fields); NULL for none
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reviewer: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[CorrectionStatus] = mapped_column(String(20), default="applied")
    #: the correction this one undid (then it is not applied again after re-extraction)
    undoes: Mapped[int | None] = mapped_column(Integer)


class IngestionRunRow(Base):
    """One ``vnplan ingest`` invocation."""

    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pipeline_version: Mapped[str] = mapped_column(String(40))
    extraction_version: Mapped[int | None] = mapped_column(Integer)
    ingested: Mapped[int] = mapped_column(Integer, default=0)
    re_extracted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class IngestionErrorRow(Base):
    """A document that failed, and why, in words a person can act on."""

    __tablename__ = "ingestion_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingestion_runs.id", ondelete="CASCADE"), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40), default="internal", server_default="internal")
    detail: Mapped[str | None] = mapped_column(Text)  # the traceback of an internal error
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
