"""Ingest documents into the database: each in its own transaction, failures recorded, the batch goes on.

Each document is read, repaired and extracted in a child process of its own that can be stopped
(``pipeline/isolation.py``): at ``options.limits.timeout`` its whole process tree is killed, and the
next document takes its place. ``options.jobs.workers`` children run at once on this machine, or the
same work goes to a Dask cluster (``options.jobs.scheduler``), where each task forks its child the
same way. This process alone writes to the database, one transaction per document. A document
whose bytes are already stored by this extraction version (``models/version.py``) is skipped,
which makes a killed run resumable: run the same command again and it finishes the rest; one
stored by an older version is re-extracted, and its reviewers' corrections applied again."""

from __future__ import annotations

import json
import logging
import selectors
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from vnplan.models import store
from vnplan.models.database import connect, upgrade
from vnplan.models.document import Document
from vnplan.models.errors import Category, InputError, Unreachable, VnplanError, category_of
from vnplan.models.records import Extraction
from vnplan.models.schema import IngestionRunRow
from vnplan.models.version import EXTRACTION_VERSION
from vnplan.pipeline import __version__, isolation
from vnplan.pipeline.options import PipelineOptions
from vnplan.pipeline.process import process_data, process_isolated
from vnplan.pipeline.read import content_hash
from vnplan.pipeline.sources import Source, find_sources
from vnplan.pipeline.tesseract import check_installed

log = logging.getLogger(__name__)

#: Times a document is stored again after an integrity error that is not its own hash (two runs
#: adding the same new agency at once: the second attempt finds the agency the other run stored).
STORE_ATTEMPTS = 3
#: Seconds to wait before storing again after the database connection was lost.
RECONNECT_PAUSE = 1.0


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
    category: str | None = None  # a failure's kind (vnplan.models.errors.Category)
    detail: str | None = None  # the traceback of an internal error
    re_extracted: bool = False  # stored before by an older extraction version (or --reprocess)
    empty_pages: list[int] = field(default_factory=list)  # pages where OCR found no text


@dataclass
class Report:
    """The outcome of every document of one ingestion run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many documents ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def re_extracted(self) -> int:
        """How many of the ingested documents were stored before and extracted again."""
        return sum(o.re_extracted for o in self.outcomes if o.status == "ingested")

    @property
    def internal_errors(self) -> int:
        """How many documents failed because of a bug rather than their input."""
        return sum(o.category == Category.INTERNAL for o in self.outcomes if o.status == "failed")


def ingest(
    paths: Iterable[Path],
    db_url: str,
    options: PipelineOptions = PipelineOptions(),
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Report:
    """Read, repair, extract and store every document under ``paths`` (files, folders, zip archives).

    A document already stored (same bytes) is skipped unless ``options.reprocess`` or it was stored
    by an older extraction version: then its machine records are replaced and reviewers'
    corrections applied again. Tesseract and its languages are checked first (MissingDependency).
    ``on_start`` gets the number of documents, ``on_outcome`` each outcome as it is known.
    """
    check_installed(options.ocr)
    engine = connect(db_url)
    upgrade(engine)
    sources = list(find_sources(paths, options.follow_links))
    log.info("%d documents to ingest into %s", len(sources), engine.url.render_as_string(hide_password=True))
    if on_start:
        on_start(len(sources))
    report = Report()

    def finish(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        log.info("%s %s: %s", outcome.status, outcome.path, outcome.reason or f"{outcome.pages} pages")
        if on_outcome:
            on_outcome(outcome)

    with Session(engine) as session, Workers(options) as workers:
        run = IngestionRunRow(pipeline_version=__version__, extraction_version=EXTRACTION_VERSION)
        session.add(run)
        session.commit()

        def collect() -> None:
            for (source, digest, started), result in workers.wait_any():
                finish(_store(session, run.id, result, source, digest, started, options.reprocess))

        for source in sources:
            started = time.perf_counter()
            if source.skip:
                kind = Category.UNSUPPORTED_TYPE
                finish(Outcome(source.name, "skipped", source.skip, unsupported=True, category=kind))
                continue
            try:
                data = source.read()
            except InputError as exc:
                finish(_failed(session, run.id, source.name, exc, None, started))
                continue
            digest = content_hash(data)
            if _already_stored(session, digest, options.reprocess):
                finish(Outcome(source.name, "skipped", "already in the database", seconds=_since(started)))
                continue
            workers.submit(data, source.name, (source, digest, started))
            while workers.busy >= workers.window:
                collect()
        while workers.busy:
            collect()
        run.finished_at = datetime.now(UTC)
        run.ingested, run.skipped, run.failed = (report.count(s) for s in ("ingested", "skipped", "failed"))
        run.re_extracted = report.re_extracted
        session.commit()
    engine.dispose()
    return report


class Workers:
    """Where documents are processed: in child processes of this one (``options.jobs.workers`` at
    once), or on a Dask cluster; either way each document in a child process killed at its deadline."""

    def __init__(self, options: PipelineOptions) -> None:
        self.options = options
        self.document_options = options.for_each_document()
        self.client: Any = None
        self.window = max(1, options.jobs.workers)
        self.children: dict[int, tuple[isolation.Child, Any]] = {}  # by pipe
        self.futures: dict[Any, Any] = {}  # Dask futures and their keys
        self.selector = selectors.DefaultSelector()

    def __enter__(self) -> Workers:
        scheduler = self.options.jobs.scheduler
        if scheduler:
            try:
                from distributed import Client
            except ImportError as exc:
                raise InputError("--scheduler needs Dask: pip install 'vnplan[cluster]'", Category.USAGE) from exc
            try:
                self.client = Client(scheduler, timeout=f"{self.options.jobs.scheduler_timeout}s")
            except OSError as exc:  # Dask's connection errors and timeouts are OSErrors
                raise Unreachable(f"cannot reach the scheduler {scheduler}: {exc}") from exc
            self.window = 2 * max(1, sum(self.client.nthreads().values()))
        return self

    def __exit__(self, *exc: object) -> None:
        for child, _ in self.children.values():
            child.kill()
        self.children.clear()
        self.selector.close()
        if self.client is not None:
            for future in self.futures:
                future.cancel()
            self.client.close()

    @property
    def busy(self) -> int:
        """Documents submitted and not yet collected."""
        return len(self.children) + len(self.futures)

    def submit(self, data: bytes, name: str, key: Any) -> None:
        """Start processing one document (with :meth:`PipelineOptions.for_each_document`)."""
        options = self.document_options
        if self.client is not None:
            future = self.client.submit(process_isolated, data, Path(name), options, pure=False)
            self.futures[future] = key
            return
        limits = options.limits
        child = isolation.start(process_data, (data, Path(name), options), limits.timeout, limits.memory_mb)
        self.children[child.fd] = (child, key)
        self.selector.register(child.fd, selectors.EVENT_READ)

    def wait_any(self) -> list[tuple[Any, Callable[[], tuple[Document, Extraction]]]]:
        """Some finished documents: (key, a call that gives the result or raises why there is none)."""
        if self.client is not None:
            from distributed import wait as dask_wait

            done = dask_wait(list(self.futures), return_when="FIRST_COMPLETED").done
            return [(self.futures.pop(f), f.result) for f in done]
        finished: list[tuple[int, Any, Callable[[], Any]]] = []
        while not finished:
            now = time.monotonic()
            deadlines = [c.deadline for c, _ in self.children.values() if c.deadline is not None]
            wait = max(0.0, min(deadlines) - now) if deadlines else None
            for selected, _ in self.selector.select(wait):
                child, key = self.children[selected.fd]
                if isolation.read_some(child):
                    # unregistered before its pipe is closed: epoll would keep reporting a closed pipe
                    # that a later child inherited, under the number a new pipe reuses (EBADF)
                    self.selector.unregister(selected.fd)
                    finished.append((selected.fd, key, _deferred(isolation.outcome, child)))
            now = time.monotonic()
            for fd, (child, key) in self.children.items():
                if child.deadline is not None and child.deadline <= now and all(f != fd for f, _, _ in finished):
                    self.selector.unregister(fd)
                    error = isolation.timed_out(child, self.options.limits.timeout or 0)
                    finished.append((fd, key, _raiser(error)))
            for fd, _, _ in finished:
                del self.children[fd]
        return [(key, result) for _, key, result in finished]


def _deferred(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    outcome: list = []
    try:
        outcome.append(function(*args))
    except BaseException as exc:  # raised again when the result is asked for
        error = exc

        def fail() -> Any:
            raise error

        return fail
    return lambda: outcome[0]


def _raiser(error: BaseException) -> Callable[[], Any]:
    def fail() -> Any:
        raise error

    return fail


def _already_stored(session: Session, digest: str, reprocess: bool) -> bool:
    existing = store.find_document(session, digest)
    found = existing is not None and existing.extraction_version == EXTRACTION_VERSION and not reprocess
    session.rollback()  # a read: the connection goes back to the pool (checked there before its next use)
    return found


def _since(started: float) -> float:
    return time.perf_counter() - started


def _failed(
    session: Session, run_id: int, name: str, error: BaseException, digest: str | None, started: float
) -> Outcome:
    """Record a failed document: its one-line reason and category, and for a bug its traceback."""
    category = category_of(error)
    if isinstance(error, VnplanError):
        reason = " ".join(str(error).split())
    else:
        reason = " ".join(f"internal error: {type(error).__name__}: {error}".split())
    detail = getattr(error, "detail", None)
    if category == Category.INTERNAL:
        detail = detail or "".join(traceback.format_exception(error))
        log.error("%s: %s\n%s", name, reason, detail)
    store.add_error(session, run_id, name, reason, digest, str(category), detail)
    session.commit()
    return Outcome(name, "failed", reason, seconds=_since(started), category=str(category), detail=detail)


def _store(
    session: Session,
    run_id: int,
    result: Callable[[], tuple[Document, Extraction]],
    source: Source,
    digest: str,
    started: float,
    reprocess: bool,
) -> Outcome:
    """Store one processed document in one transaction: all of it, or none of it and the reason why.

    Whether it is already stored is decided in the transaction that stores it; an integrity error
    is "stored by another run" only when a document with these bytes is there afterwards, and any
    other (two runs adding one new agency) is met by storing again. So is a lost connection."""
    try:
        document, extraction = result()
    except Exception as exc:  # one bad document never stops the batch
        return _failed(session, run_id, source.name, exc, digest, started)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            existing = store.find_document(session, digest)
            if existing and existing.extraction_version == EXTRACTION_VERSION and not reprocess:
                session.rollback()
                return Outcome(source.name, "skipped", "already in the database", seconds=_since(started))
            note = None
            if existing:
                orphaned = store.replace_document(session, existing, document, extraction, __version__)
                note = f"re-extracted; corrections applied again, {len(orphaned)} whose task is gone kept as orphaned"
            else:
                store.add_document(session, document, extraction, __version__)
            session.commit()
            break
        except IntegrityError as exc:
            session.rollback()
            if store.find_document(session, digest) is not None and not existing:
                session.rollback()
                return Outcome(source.name, "skipped", "already in the database (stored by another run)")
            log.info("%s: integrity error on attempt %d, storing again: %s", source.name, attempt, exc.orig)
            if attempt == STORE_ATTEMPTS:
                return _failed(session, run_id, source.name, exc, digest, started)
        except DBAPIError as exc:
            session.rollback()
            if not exc.connection_invalidated or attempt == STORE_ATTEMPTS:
                return _failed(session, run_id, source.name, exc, digest, started)
            log.warning("%s: the database connection was lost (%s); storing again", source.name, exc.orig)
            time.sleep(RECONNECT_PAUSE)
        except Exception as exc:  # one bad document never stops the batch
            session.rollback()
            return _failed(session, run_id, source.name, exc, digest, started)
    meta = extraction.metadata
    found = sum(getattr(meta, f) is not None for f in meta.__dataclass_fields__)
    empty = [p.number for p in document.pages if p.ocr_empty]
    if empty:
        note = "; ".join(
            filter(
                None, [note, f"OCR found no text on page{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))}"]
            )
        )
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
        re_extracted=existing is not None,
        empty_pages=empty,
    )


def report_rows(report: Report) -> list[dict[str, Any]]:
    """One JSON object per input document: path, status, reason, category, pages, seconds; a
    re-extracted document's ``re_extracted``, the pages where OCR found no text, a bug's traceback."""
    rows = []
    for o in report.outcomes:
        row: dict[str, Any] = {
            "path": o.path,
            "status": o.status,
            "reason": o.reason,
            "category": o.category,
            "pages": o.pages,
        }
        row["seconds"] = round(o.seconds, 3)
        row |= {"re_extracted": True} if o.re_extracted else {}
        row |= {"ocr_empty_pages": o.empty_pages} if o.empty_pages else {}
        row |= {"traceback": o.detail} if o.detail else {}
        rows.append(row)
    return rows


def write_report(report: Report, path: Path) -> None:
    """Write :func:`report_rows` to ``path`` atomically (a temporary file beside it, then renamed)."""
    from vnplan.pipeline.atomic import write_text

    write_text(path, json.dumps(report_rows(report), ensure_ascii=False, indent=1) + "\n")
