"""One document through the stages, in order: read → repair → extract."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors import extract
from models.document import Document
from models.records import Extraction
from pipeline.errors import InputError
from pipeline.read import read_data
from pipeline.repair import repair


def process_data(
    data: bytes,
    source: Path,
    jobs: int | None = None,
    max_pages: int | None = None,
    timeout: float | None = None,
) -> tuple[Document, Extraction]:
    """Read, repair and extract one document from its bytes; raises InputError for input that cannot be
    processed, that has more than ``max_pages`` pages, or that takes longer than ``timeout`` seconds."""
    with time_limit(timeout):
        document = repair(read_data(data, source, jobs, max_pages))
        return document, extract(document)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise InputError when the block runs longer than ``seconds`` (in a process's main thread;
    elsewhere the caller must enforce it)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame) -> None:
        raise InputError(f"gave up after {seconds:g} s (--timeout)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
