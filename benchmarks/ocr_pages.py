"""The hand-transcribed real pages the OCR correction is measured on, each read two ways, cached.

Pages: the PDF pages of ``benchmarks/real_pages/`` (its README) and the PNG pages of
``shared/real/scanned/nomvn-gt/`` with a transcript in ``benchmarks/real_pages/png/``. A page of a
document held back for the final score (``benchmarks/gold/holdout.txt``) is left out.

Halves: all the pages' names in alphabetical order, held-back ones included, the 1st, 3rd, 5th, …
are the *tuning* half (thresholds are chosen on it) and the 2nd, 4th, … the *held-out* half (only
reported). The split was fixed before any threshold was chosen on it.

Each page is read

- by plain ``tesseract -l vie --psm 3`` (``OMP_THREAD_LIMIT=1``) on the page's own image, as
  ``read_bench.py`` gives it, and
- by vnplan's reader (``ocr_pdf_pages`` or the image reader, one process), before repair: what
  the repair stage is given.

Reads are kept in ``benchmarks/results/ocr_reads/`` between runs. A plain read's key is the image's
bytes and Tesseract's version; a vnplan read's key is the source file's bytes, the page, Tesseract's
version and the source of the reading modules (``pipeline/`` but ``repair.py``), so a change to the
reader reads the pages again.
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from benchmarks.real_pages import ONE_PROCESS, page_image, plain_tesseract, real_pages
from vnplan.models.document import Page

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "results" / "ocr_reads"
PNG_PAGES = Path("real") / "scanned" / "nomvn-gt"
PNG_TRANSCRIPTS = ROOT / "benchmarks" / "real_pages" / "png"
HOLDOUT = ROOT / "benchmarks" / "gold" / "holdout.txt"
#: Modules whose change does not change what the reader gives the repair stage.
NOT_READING = ("repair.py",)
TUNING, HELD_OUT = "tuning", "held out"


@dataclass
class OcrPage:
    """A transcribed page: its name, half, transcript, plain Tesseract's text and vnplan's read page."""

    name: str
    half: str
    truth: str
    plain: str
    read: Page


def halves(names: list[str]) -> dict[str, str]:
    """Each name's half: the odd ones in alphabetical order (1st, 3rd, …) tune, the even ones are held out."""
    return {name: TUNING if k % 2 == 0 else HELD_OUT for k, name in enumerate(sorted(names))}


def held_back() -> set[str]:
    """The stems of the documents held back for the final score."""
    return {line.strip() for line in HOLDOUT.read_text(encoding="utf-8").splitlines() if line.strip()}


def _png_pages(shared: Path) -> list[tuple[str, Path, Path]]:
    """(name, image, transcript) of each transcribed PNG page whose image is present."""
    out = []
    for transcript in sorted(PNG_TRANSCRIPTS.glob("*.gt.txt")):
        name = transcript.name.removesuffix(".gt.txt")
        image = shared / PNG_PAGES / f"{name}.png"
        if image.exists():
            out.append((name, image, transcript))
    return out


def ocr_pages(shared: Path) -> tuple[list[OcrPage], list[str]]:
    """Every transcribed page present and not held back, read both ways; and why pages were left out."""
    pdfs, skipped = real_pages(shared)
    pngs = _png_pages(shared)
    half = halves([p.transcript.stem for p in pdfs] + [name for name, _, _ in pngs])
    withheld = held_back()
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for real in pdfs:
            name = real.transcript.stem
            if real.pdf.stem in withheld:
                skipped.append(f"{name}: its document is held back (benchmarks/gold/holdout.txt)")
                continue
            image = page_image(real.pdf, real.page, Path(tmp) / f"{name}.png")
            key = ("vnplan", _digest(real.pdf.read_bytes()), real.page, _reader_source())
            read = _cached(key, partial(_read_pdf_page, real.pdf, real.page))
            pages.append(OcrPage(name, half[name], real.transcript.read_text(encoding="utf-8"), _plain(image), read))
        for name, image, transcript in pngs:
            read = _cached(("vnplan", _digest(image.read_bytes()), 1, _reader_source()), partial(_read_image, image))
            pages.append(OcrPage(name, half[name], transcript.read_text(encoding="utf-8"), _plain(image), read))
    return sorted(pages, key=lambda p: p.name), skipped


def _plain(image: Path) -> str:
    key = ("tesseract psm 3", _digest(image.read_bytes()), _tesseract_version())
    return _cached(key, lambda: plain_tesseract(image)[0])


def _read_pdf_page(pdf: Path, page: int) -> Page:
    from vnplan.pipeline.ocr import ocr_pdf_pages

    (read,) = ocr_pdf_pages(pdf.read_bytes(), [page - 1], jobs=1)
    return read


def _read_image(image: Path) -> Page:
    from vnplan.pipeline.ocr import ocr_image_file

    (read,) = ocr_image_file(image.read_bytes(), options=ONE_PROCESS.ocr)
    return read


def _cached(key: tuple, compute):
    """The value kept under ``key``, computed and kept when there is none."""
    path = CACHE / f"{_digest(repr(key).encode())}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = compute()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _reader_source() -> str:
    files = sorted(p for p in (ROOT / "pipeline").glob("*.py") if p.name not in NOT_READING)
    return _digest(b"".join(p.read_bytes() for p in files))


@cache
def _tesseract_version() -> str:
    return subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
