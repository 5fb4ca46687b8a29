"""Records extracted from a document, as the extraction spec (shared/spec) defines them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.document import BBox


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
class Extraction:
    """Everything extracted from one document."""

    metadata: Metadata = field(default_factory=Metadata)
    references: list[Reference] = field(default_factory=list)
