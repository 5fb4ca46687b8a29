"""Records extracted from a document, as the extraction spec (shared/spec) defines them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from vnplan.models.document import BBox
from vnplan.models.vocabulary import ReviewItemKind


@dataclass
class Provenance:
    """Where a record was found: 1-based page, box in points, and confidence in [0, 1]."""

    page: int | None = None
    bbox: BBox | None = None
    confidence: float = 1.0


@dataclass
class Metadata:
    """Document metadata (spec section 1)."""

    doc_type: str | None = None
    number: str | None = None
    issued_date: date | None = None
    province: str | None = None
    issuer: str | None = None
    title: str | None = None
    signer: str | None = None
    year: int | None = None


@dataclass
class Reference:
    """A document cited by number (spec section 2)."""

    kind: str | None
    number: str
    date: date | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass
class Deadline:
    """When a task is due (spec section 4): the phrase as printed, start, end and recurrence."""

    raw: str
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None


@dataclass
class Budget:
    """What a task costs: total and per funding source, in the table's ``unit``."""

    total: float | None
    unit: str | None = None
    sources: dict[str, float] = field(default_factory=dict)


@dataclass
class Task:
    """One unit of work the document assigns (spec section 3)."""

    text: str
    code: str | None = None
    section: str | None = None
    owners: list[str] = field(default_factory=list)
    co_owners: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    budget: Budget | None = None
    target: str | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass
class Score:
    """A PAR-index criterion with its points (spec section 6)."""

    code: str
    name: str | None = None
    max_points: float | None = None
    achieved_points: float | None = None
    lost_points: float | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass
class ReviewItem:
    """Something a reviewer should look at, such as a budget that does not add up; never silently fixed."""

    kind: ReviewItemKind
    message: str
    code: str | None = None
    expected: float | None = None
    found: float | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    metadata: Metadata = field(default_factory=Metadata)
    references: list[Reference] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    review_items: list[ReviewItem] = field(default_factory=list)
