"""How to run the pipeline: one frozen, typed options object passed from the CLI down to each stage.

Operator-tunable settings live here, each with its default and what it does. Layout heuristics (gaps,
shares, thresholds found by measurement) stay named constants beside the code that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages and images are read."""

    language: str = "vie"  # Tesseract language; "vie+eng" measured worse than "vie" alone
    dpi: int = 300  # resolution at which a PDF page without an embedded scan is rendered for OCR
    call_timeout: float = 180.0  # seconds for one Tesseract call before it is killed
    max_pixels: int = 120_000_000  # a page or image larger than this is refused before it is rendered
    # The OCR engine (pipeline/ocr_engines.py): "tesseract"; "replay", the answers recorded in `recordings`
    # (the test suite's); "record", Tesseract with its answers saved there. None: $VNPLAN_OCR_ENGINE, read
    # when a document is OCRed (it travels to child processes), else "tesseract".
    engine: str | None = None
    # The folder of recorded answers for "replay" and "record"; None: $VNPLAN_OCR_RECORDINGS.
    recordings: str | None = None


@dataclass(frozen=True)
class RestoreOptions:
    """How damaged text is repaired."""

    force: bool = False  # restore every text layer, not only the ones judged mangled


@dataclass(frozen=True)
class Limits:
    """What one document may cost before it fails alone."""

    max_pages: int | None = None  # a longer document fails with "too many pages"
    timeout: float | None = 3600.0  # seconds of wall time per document; None for no limit
    memory_mb: int | None = None  # address space of each document's process, in MB


@dataclass(frozen=True)
class Jobs:
    """Where documents and pages are processed."""

    workers: int = 1  # documents at once, each in its own process group
    scheduler: str | None = None  # a Dask scheduler (tcp://host:8786) instead of local workers
    page_jobs: int | None = None  # OCR processes per document; None for one per core


@dataclass(frozen=True)
class PipelineOptions:
    """Everything one run of read → repair → extract → store needs to know."""

    ocr: OcrOptions = field(default_factory=OcrOptions)
    restore: RestoreOptions = field(default_factory=RestoreOptions)
    limits: Limits = field(default_factory=Limits)
    jobs: Jobs = field(default_factory=Jobs)
    reprocess: bool = False  # re-extract documents already stored, keeping reviewers' corrections
    follow_links: bool = False  # read files that links in an input folder point to outside it
