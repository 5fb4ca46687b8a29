"""Ingest documents into the database: each in its own transaction, failures recorded, the batch goes on.

Documents are read, repaired and extracted in worker processes on this machine
(``workers``), or on a Dask cluster (``scheduler``); this process alone writes
to the database, one transaction per document, so any number of workers write
correctly. A document whose bytes are already stored is skipped, which makes a
killed run resumable: run the same command again and it finishes the rest.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import store
from models.database import connect, upgrade
from models.document import Document
from models.records import Extraction
from models.schema import IngestionRunRow
from pipeline import __version__
from pipeline.errors import InputError
from pipeline.process import process_data
from pipeline.read import content_hash
from pipeline.sources import Source, find_sources


@dataclass
class Outcome:
    """What happened to one input document; ``path`` names a zip member as ``archive.zip!member``."""

    path: str
    status: str  # "ingested" | "skipped" | "failed"
    reason: str | None = None
    pages: int = 0
    read_methods: Counter[str] = field(default_factory=Counter)
    records: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    unsupported: bool = False  # skipped because vnplan does not read that kind of file


@dataclass
class Report:
    """The outcome of every document of one ingestion run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many documents ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)


@dataclass
class Options:
    """How to run: worker processes or a Dask scheduler, and the limits per document."""

    workers: int = 1
    scheduler: str | None = None  # tcp://host:8786
    timeout: float | None = None  # seconds per document
    max_pages: int | None = None
    reprocess: bool = False


def ingest(
    paths: Iterable[Path],
    db_url: str,
    on_outcome: Callable[[Outcome], None] | None = None,
    reprocess: bool = False,
    options: Options | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Report:
    """Read, repair, extract and store every document under ``paths`` (files, folders, zip archives).

    A document already stored (same bytes) is skipped unless ``reprocess`` or it was stored by another
    pipeline version: then its machine records are replaced and reviewers' corrections applied again.
    ``on_start`` gets the number of documents, ``on_outcome`` each outcome as it is known.
    """
    options = options or Options()
    options.reprocess = options.reprocess or reprocess
    engine = connect(db_url)
    upgrade(engine)
    sources = list(find_sources(paths))
    if on_start:
        on_start(len(sources))
    report = Report()

    def finish(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    with Session(engine) as session, Workers(options) as workers:
        run = IngestionRunRow(pipeline_version=__version__)
        session.add(run)
        session.commit()
        pending: dict[Future, tuple[Source, str, float]] = {}
        for source in sources:
            started = time.perf_counter()
            if source.skip:
                finish(Outcome(source.name, "skipped", source.skip, unsupported=True))
                continue
            try:
                data = source.read()
            except InputError as exc:
                finish(_failed(session, run.id, source.name, str(exc), None, started))
                continue
            digest = content_hash(data)
            if _already_stored(session, digest, options.reprocess):
                finish(Outcome(source.name, "skipped", "already in the database", seconds=_since(started)))
                continue
            pending[workers.submit(data, source.name)] = (source, digest, started)
            while len(pending) >= workers.window:
                for future in workers.wait_any(pending):
                    finish(_store(session, run.id, workers.result(future), *pending.pop(future), options.reprocess))
        while pending:
            for future in workers.wait_any(pending):
                finish(_store(session, run.id, workers.result(future), *pending.pop(future), options.reprocess))
        run.finished_at = datetime.now(UTC)
        run.ingested, run.skipped, run.failed = (report.count(s) for s in ("ingested", "skipped", "failed"))
        session.commit()
    engine.dispose()
    return report


class Workers:
    """Where documents are processed: in this process, in local worker processes, or on a Dask cluster."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.pool: ProcessPoolExecutor | None = None
        self.client = None
        self.window = 1
        self.expired: set = set()

    def __enter__(self) -> Workers:
        if self.options.scheduler:
            from distributed import Client

            self.client = Client(self.options.scheduler, timeout="10s")
            self.window = 2 * max(1, sum(self.client.nthreads().values()))
        elif self.options.workers > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.options.workers)
            self.window = 2 * self.options.workers
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.client is not None:
            self.client.close()

    def submit(self, data: bytes, name: str) -> Future:
        """Start processing one document; its pages are read in parallel only when documents are not."""
        o = self.options
        if self.client is not None:
            return self.client.submit(process_data, data, Path(name), 1, o.max_pages, o.timeout, pure=False)
        if self.pool is not None:
            return self.pool.submit(process_data, data, Path(name), 1, o.max_pages, o.timeout)
        future: Future = Future()
        try:
            future.set_result(process_data(data, Path(name), None, o.max_pages, o.timeout))
        except Exception as exc:  # the failure is reported with its outcome
            future.set_exception(exc)
        return future

    def wait_any(self, pending: dict) -> set:
        """Some finished futures among ``pending``; on Dask, one past its time limit counts as finished."""
        if self.client is None:
            return wait(pending, return_when=FIRST_COMPLETED)[0]
        from distributed import wait as dask_wait

        done = dask_wait(list(pending), timeout=self.options.timeout, return_when="FIRST_COMPLETED").done
        if not done:  # nothing finished within the limit: the oldest document has run too long
            oldest = next(iter(pending))
            self.expired.add(oldest)
            done = {oldest}
        return done

    def result(self, future: Future) -> Callable[[], tuple[Document, Extraction]]:
        """A call that gives the processed document, or raises why there is none."""

        def get() -> tuple[Document, Extraction]:
            if future in self.expired:
                future.cancel()
                raise InputError(f"gave up after {self.options.timeout:g} s (--timeout)")
            return future.result()

        return get


def _already_stored(session: Session, digest: str, reprocess: bool) -> bool:
    existing = store.find_document(session, digest)
    return existing is not None and existing.pipeline_version == __version__ and not reprocess


def _since(started: float) -> float:
    return time.perf_counter() - started


def _failed(session: Session, run_id: int, name: str, reason: str, digest: str | None, started: float) -> Outcome:
    store.add_error(session, run_id, name, reason, digest)
    session.commit()
    return Outcome(name, "failed", reason, seconds=_since(started))


def _store(
    session: Session,
    run_id: int,
    result: Callable[[], tuple[Document, Extraction]],
    source: Source,
    digest: str,
    started: float,
    reprocess: bool,
) -> Outcome:
    """Store one processed document in one transaction: all of it, or none of it and the reason why."""
    try:
        document, extraction = result()
        existing = store.find_document(session, digest)
        note = None
        if existing and existing.pipeline_version == __version__ and not reprocess:
            return Outcome(source.name, "skipped", "already in the database", seconds=_since(started))
        if existing:
            orphaned = store.replace_document(session, existing, document, extraction, __version__)
            note = f"re-extracted; corrections applied again, {len(orphaned)} whose task is gone kept as orphaned"
        else:
            store.add_document(session, document, extraction, __version__)
        session.commit()
    except IntegrityError:  # another run stored the same bytes meanwhile
        session.rollback()
        return Outcome(source.name, "skipped", "already in the database (stored by another run)")
    except Exception as exc:  # one bad document never stops the batch
        session.rollback()
        reason = str(exc) if isinstance(exc, InputError) else f"internal error: {type(exc).__name__}: {exc}"
        return _failed(session, run_id, source.name, reason, digest, started)
    meta = extraction.metadata
    found = sum(getattr(meta, f) is not None for f in meta.__dataclass_fields__)
    return Outcome(
        source.name,
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
        seconds=_since(started),
    )


def write_report(report: Report, path: Path) -> None:
    """One JSON object per input document: path, status, reason, pages, seconds."""
    rows = [
        {"path": o.path, "status": o.status, "reason": o.reason, "pages": o.pages, "seconds": round(o.seconds, 3)}
        for o in report.outcomes
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
