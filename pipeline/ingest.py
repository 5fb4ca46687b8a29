"""Ingest files into the database: each document in its own transaction, failures recorded, batch goes on."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models import store
from models.database import connect, upgrade
from models.schema import IngestionRunRow
from pipeline import __version__, read
from pipeline.errors import InputError
from pipeline.process import process

SUPPORTED = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"}


@dataclass
class Outcome:
    """What happened to one input document."""

    path: Path
    status: str  # "ingested" | "skipped" | "failed"
    reason: str | None = None
    pages: int = 0
    read_methods: Counter[str] = field(default_factory=Counter)
    records: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Report:
    """The outcome of every document of one ingestion run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many documents ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)


def iter_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the supported files inside folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            yield path


def ingest(
    paths: Iterable[Path],
    db_url: str,
    on_outcome: Callable[[Outcome], None] | None = None,
    reprocess: bool = False,
) -> Report:
    """Read, repair, extract and store every input; a document already stored (same bytes) is skipped
    unless ``reprocess`` (see :func:`ingest_one`)."""
    engine = connect(db_url)
    upgrade(engine)
    report = Report()
    with Session(engine) as session:
        run = IngestionRunRow(pipeline_version=__version__)
        session.add(run)
        session.commit()
        for path in iter_inputs(paths):
            outcome = ingest_one(session, path, run.id, reprocess)
            report.outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        run.finished_at = datetime.now(UTC)
        run.ingested, run.skipped, run.failed = (report.count(s) for s in ("ingested", "skipped", "failed"))
        session.commit()
    engine.dispose()
    return report


def ingest_one(session: Session, path: Path, run_id: int, reprocess: bool = False) -> Outcome:
    """One document in one transaction: all of it is stored, or none of it and the reason why.

    Bytes already stored are skipped, unless ``reprocess`` or the stored extraction came from another
    pipeline version: then the machine records are replaced and reviewers' corrections applied again.
    """
    started = time.perf_counter()
    content_hash = None
    try:
        content_hash = read.content_hash(read.read_bytes(path))
        existing = store.find_document(session, content_hash)
        if existing and existing.pipeline_version == __version__ and not reprocess:
            return Outcome(path, "skipped", "already in the database", seconds=time.perf_counter() - started)
        document, extraction = process(path)
        note = None
        if existing:
            orphaned = store.replace_document(session, existing, document, extraction, __version__)
            note = f"re-extracted; corrections applied again, {len(orphaned)} whose task is gone kept as orphaned"
        else:
            store.add_document(session, document, extraction, __version__)
        session.commit()
    except Exception as exc:  # one bad document never stops the batch
        session.rollback()
        reason = str(exc) if isinstance(exc, InputError) else f"internal error: {type(exc).__name__}: {exc}"
        store.add_error(session, run_id, str(path), reason, content_hash)
        session.commit()
        return Outcome(path, "failed", reason, seconds=time.perf_counter() - started)
    meta = extraction.metadata
    found = sum(getattr(meta, f) is not None for f in meta.__dataclass_fields__)
    return Outcome(
        path,
        "ingested",
        note,
        pages=len(document.pages),
        read_methods=Counter(str(p.method) for p in document.pages),
        records={
            "metadata fields": found,
            "references": len(extraction.references),
            "tasks": len(extraction.tasks),
            "scores": len(extraction.scores),
            "items for review": len(extraction.review_items),
        },
        seconds=time.perf_counter() - started,
    )


def write_report(report: Report, path: Path) -> None:
    """One JSON object per input document: path, status, reason, pages, seconds."""
    rows = [
        {"path": str(o.path), "status": o.status, "reason": o.reason, "pages": o.pages, "seconds": round(o.seconds, 3)}
        for o in report.outcomes
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
