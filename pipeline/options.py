"""How to run the pipeline: one frozen, typed options object passed from the CLI down to each stage.

Operator-tunable settings live here, each with its default and what it does. Layout heuristics (gaps,
shares, thresholds found by measurement) stay named constants beside the code that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


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

    max_pages: int | None = None  # a longer document fails with "too many pages"; None for no limit
    #: Seconds of wall time per document (its whole process tree is killed then); None for no limit.
    #: A 100-page scan takes about 20 minutes on one loaded core; a document past an hour is a runaway
    #: (60,000 tiny words, a page-tree loop).
    timeout: float | None = 3600.0
    memory_mb: int | None = None  # address space of each document's processes, in MB; None for no cap


@dataclass(frozen=True)
class Jobs:
    """Where documents and pages are processed."""

    workers: int = 1  # documents at once, each in its own process group
    scheduler: str | None = None  # a Dask scheduler (tcp://host:8786) instead of local workers
    scheduler_timeout: float = 10.0  # seconds to wait for the scheduler to answer before giving up
    #: Processes reading one document's pages (text layers and OCR). None: one per core when documents
    #: are read one at a time, one when they run side by side (several workers, or a cluster).
    page_jobs: int | None = None


@dataclass(frozen=True)
class PipelineOptions:
    """Everything one run of read → repair → extract → store needs to know."""

    ocr: OcrOptions = field(default_factory=OcrOptions)
    restore: RestoreOptions = field(default_factory=RestoreOptions)
    limits: Limits = field(default_factory=Limits)
    jobs: Jobs = field(default_factory=Jobs)
    reprocess: bool = False  # re-extract documents already stored, keeping reviewers' corrections
    follow_links: bool = False  # read files that links in an input folder point to outside it

    def for_each_document(self) -> PipelineOptions:
        """The options one document is processed with: unless ``jobs.page_jobs`` is set, its pages are
        read in one process when documents run side by side, so that documents share the cores."""
        jobs = self.jobs
        if jobs.page_jobs is not None or (jobs.workers == 1 and jobs.scheduler is None):
            return self
        return replace(self, jobs=replace(jobs, page_jobs=1))
