"""Reading real scanned pages, and realistic variants of pages, side by side with plain Tesseract.

Real pages: each transcript in ``benchmarks/real_pages/`` (listed in its README with the source PDF
under ``../shared/real/scanned/`` and the page) is scored against

- vnplan: the page read (``ocr_pdf_pages``, one process) and repaired, all its blocks;
- plain ``tesseract IMG - -l vie --psm 3`` (``OMP_THREAD_LIMIT=1``) on the page's own image, as
  embedded (turned upright, at its stated resolution), or the 300 dpi rendering when the page is
  not one image;

with ``shared/eval/score_text.py``: CER and syllable accuracy, and the CPU seconds each took
(this process and its children, so Tesseract's own time counts for both).

Born-digital variants: ``digital_variants.py`` makes task tables ruled only horizontally or not at
all (and the unruled one as a scan), TCVN3 and VNI text layers and letter-spaced headings of a
plan page; each is read by vnplan and, rendered at 300 dpi, by plain Tesseract; its tasks are
counted against those its reference (a fully ruled table, a Unicode layer) gives.

Variants: ``real_variants.py`` makes a photocopy, a phone photo, skews of 5° and 8° and a seal
overlay of a clean page; the page itself and each variant image is read by vnplan (``read`` + ``repair``, and the tasks
``extract`` finds) and by plain Tesseract, scored against the page's transcript.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from benchmarks.digital_variants import make_digital_variants
from benchmarks.real_variants import make_variants
from vnplan.extractors import extract
from vnplan.models.document import Document, Page
from vnplan.normalizers.restoration.restore import restorer
from vnplan.pipeline.ocr import ocr_pdf_pages, render_pdf_page
from vnplan.pipeline.options import Jobs, OcrOptions, PipelineOptions
from vnplan.pipeline.page_scan import page_scan
from vnplan.pipeline.read import read
from vnplan.pipeline.repair import repair
from vnplan.pipeline.tesseract import check_installed

ROOT = Path(__file__).resolve().parent.parent
#: Pages read in this process.
ONE_PROCESS = PipelineOptions(jobs=Jobs(page_jobs=1))
REAL_PAGES = ROOT / "benchmarks" / "real_pages"
ROW = re.compile(
    r"^\|\s*`(?P<txt>[^`]+\.txt)`\s*\|\s*`(?P<pdf>[^`]+\.pdf)`\s*\|\s*(?P<page>\d+)\s*\|\s*(?P<kind>[^|]*)\|"
)


@dataclass
class RealPage:
    """A transcribed page: its transcript, the PDF it is from, its 1-based page number, what it is."""

    transcript: Path
    pdf: Path
    page: int
    kind: str


def real_pages(shared: Path) -> tuple[list[RealPage], list[str]]:
    """The transcribed pages whose PDF is present, and a reason for each one skipped."""
    readme = REAL_PAGES / "README.md"
    if not readme.exists():
        return [], [f"no {readme.relative_to(ROOT)}"]
    pages, skipped = [], []
    for line in readme.read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if not found:
            continue
        pdf = shared / "real" / "scanned" / found["pdf"]
        transcript = REAL_PAGES / found["txt"]
        if not pdf.exists():
            skipped.append(f"{found['txt']}: {pdf} is absent")
        elif not transcript.exists():
            skipped.append(f"{found['txt']}: the transcript is absent")
        else:
            pages.append(RealPage(transcript, pdf, int(found["page"]), found["kind"].strip()))
    return pages, skipped


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def plain_tesseract(image: Path) -> tuple[str, float]:
    """``tesseract IMG - -l vie --psm 3`` with one thread: its text and its CPU seconds."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    before = cpu_seconds()
    out = subprocess.run(
        ["tesseract", str(image), "-", "-l", "vie", "--psm", "3"], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout, cpu_seconds() - before


def page_image(pdf: Path, page: int, out: Path) -> Path:
    """Write the page's own image (upright, its resolution stated) as a PNG, or its 300 dpi rendering."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        scan = page_scan(doc[page - 1])
        if scan is not None:
            dpi = round(scan.placement.dpi)
            Image.fromarray(scan.pixels).save(out, dpi=(dpi, dpi))
        else:
            dpi = OcrOptions().dpi
            Image.fromarray(render_pdf_page(pdf.read_bytes(), page - 1, colour=True)).save(out, dpi=(dpi, dpi))
    finally:
        doc.close()
    return out


def page_text(page: Page) -> str:
    """Everything read on the page, running heads and page numbers too (the transcripts keep them)."""
    return "\n".join(block.text for block in page.blocks)


def _once_per_process() -> None:
    """What a run does once, before any document, not once per page, so not timed: the language model
    loaded, and the Tesseract installation checked (``vnplan ingest`` does it first; it imports
    pytesseract, 0.3 s of CPU that the first page timed would carry)."""
    restorer().load()
    check_installed()


def score_real_pages(scorer, shared: Path) -> dict:
    """The real-pages table: per page and overall, vnplan against plain Tesseract."""
    pages, skipped = real_pages(shared)
    rows = []
    _once_per_process()
    with tempfile.TemporaryDirectory() as tmp:
        for real in pages:
            truth = real.transcript.read_text(encoding="utf-8")
            image = page_image(real.pdf, real.page, Path(tmp) / f"{real.transcript.stem}.png")
            plain, plain_cpu = plain_tesseract(image)
            before = cpu_seconds()
            (page,) = ocr_pdf_pages(real.pdf.read_bytes(), [real.page - 1], jobs=1)
            doc = repair(Document(real.pdf, "", [page]))
            ours_cpu = cpu_seconds() - before
            ours, theirs = scorer.score(truth, page_text(doc.pages[0])), scorer.score(truth, plain)
            rows.append(
                {
                    "page": real.transcript.stem,
                    "kind": real.kind,
                    "vnplan_cer": ours["cer"],
                    "vnplan_syllable_accuracy": ours["syllable_accuracy"],
                    "tesseract_cer": theirs["cer"],
                    "tesseract_syllable_accuracy": theirs["syllable_accuracy"],
                    "vnplan_cpu_s": round(ours_cpu, 2),
                    "tesseract_cpu_s": round(plain_cpu, 2),
                    "seal": doc.pages[0].seal,
                }
            )
    total = {}
    if rows:
        n = len(rows)
        for key in ("vnplan_cer", "vnplan_syllable_accuracy", "tesseract_cer", "tesseract_syllable_accuracy"):
            total[key] = round(sum(r[key] for r in rows) / n, 5)
        total["cpu_vs_tesseract"] = round(
            sum(r["vnplan_cpu_s"] for r in rows) / sum(r["tesseract_cpu_s"] for r in rows), 3
        )
    return {"pages": rows, "mean": total, "skipped": skipped}


def sample_page_truth(pdf: Path, page: int) -> str:
    """A sample page's text from its born-digital twin's text layer (the scanned sample's source)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return doc.pages[page - 1].extract_text()


def score_variants(scorer, bases: list[tuple[str, Image.Image, str]]) -> list[dict]:
    """Each variant of each (name, clean page image, transcript) read by vnplan and plain Tesseract."""
    rows = []
    _once_per_process()
    with tempfile.TemporaryDirectory() as tmp:
        for name, image, truth in bases:
            original = Path(tmp) / f"{name}_original.png"
            image.save(original, dpi=image.info.get("dpi", (OcrOptions().dpi,) * 2))
            for variant, path in {"original": original, **make_variants(image, Path(tmp), name)}.items():
                plain, plain_cpu = plain_tesseract(path)
                before = cpu_seconds()
                doc = repair(read(path, ONE_PROCESS))
                ours_cpu = cpu_seconds() - before
                ours, theirs = (
                    scorer.score(truth, "\n".join(page_text(p) for p in doc.pages)),
                    scorer.score(truth, plain),
                )
                rows.append(
                    {
                        "page": name,
                        "variant": variant,
                        "vnplan_cer": ours["cer"],
                        "vnplan_syllable_accuracy": ours["syllable_accuracy"],
                        "tesseract_cer": theirs["cer"],
                        "tesseract_syllable_accuracy": theirs["syllable_accuracy"],
                        "vnplan_tasks": len(extract(doc).tasks),
                        "vnplan_cpu_s": round(ours_cpu, 2),
                        "tesseract_cpu_s": round(plain_cpu, 2),
                    }
                )
    return rows


def score_digital_variants(scorer) -> list[dict]:
    """Each born-digital variant (``digital_variants.py``) read by vnplan (``read`` + ``repair``,
    the tasks ``extract`` finds, against those its reference variant gives) and by plain Tesseract
    on its 300 dpi rendering (on the image itself for a scan)."""
    rows = []
    _once_per_process()
    with tempfile.TemporaryDirectory() as tmp:
        variants = make_digital_variants(Path(tmp))
        tasks: dict[str, int] = {}
        for name, variant in variants.items():
            image = variant.path
            if image.suffix == ".pdf":
                image = page_image(variant.path, 1, Path(tmp) / f"{name}.png")
            plain, plain_cpu = plain_tesseract(image)
            before = cpu_seconds()
            doc = repair(read(variant.path, ONE_PROCESS))
            ours_cpu = cpu_seconds() - before
            tasks[name] = len(extract(doc).tasks)
            ours = scorer.score(variant.truth, "\n".join(page_text(p) for p in doc.pages))
            theirs = scorer.score(variant.truth, plain)
            rows.append(
                {
                    "page": "digital",
                    "variant": name,
                    "vnplan_cer": ours["cer"],
                    "vnplan_syllable_accuracy": ours["syllable_accuracy"],
                    "tesseract_cer": theirs["cer"],
                    "tesseract_syllable_accuracy": theirs["syllable_accuracy"],
                    "vnplan_tasks": tasks[name],
                    "reference_tasks": tasks[variant.reference],
                    "vnplan_cpu_s": round(ours_cpu, 2),
                    "tesseract_cpu_s": round(plain_cpu, 2),
                }
            )
    return rows


def print_real_pages(result: dict) -> None:
    """The real-pages table as text."""
    print(f"\n{'real page':58s} vnplan CER  syl.acc | tesseract CER  syl.acc | CPU s vnplan/tess  seal")
    for r in result["pages"]:
        print(
            f"{r['page'][:58]:58s} {r['vnplan_cer']:10.4f} {r['vnplan_syllable_accuracy']:8.4f} | "
            f"{r['tesseract_cer']:13.4f} {r['tesseract_syllable_accuracy']:8.4f} | "
            f"{r['vnplan_cpu_s']:6.1f} / {r['tesseract_cpu_s']:5.1f}  {r['seal']}"
        )
    if result["mean"]:
        m = result["mean"]
        print(
            f"{'mean':58s} {m['vnplan_cer']:10.4f} {m['vnplan_syllable_accuracy']:8.4f} | "
            f"{m['tesseract_cer']:13.4f} {m['tesseract_syllable_accuracy']:8.4f} | "
            f"CPU {m['cpu_vs_tesseract']}x tesseract's"
        )
    for reason in result["skipped"]:
        print(f"skipped: {reason}")


def print_variants(rows: list[dict]) -> None:
    """The variants table as text."""
    print(f"\n{'variant':40s} vnplan CER  syl.acc  tasks | tesseract CER  syl.acc | CPU s vnplan/tess")
    for r in rows:
        tasks = f"{r['vnplan_tasks']}/{r['reference_tasks']}" if "reference_tasks" in r else str(r["vnplan_tasks"])
        print(
            f"{r['page'][:28] + ' ' + r['variant']:40s} {r['vnplan_cer']:10.4f} {r['vnplan_syllable_accuracy']:8.4f} "
            f"{tasks:>6s} | {r['tesseract_cer']:13.4f} {r['tesseract_syllable_accuracy']:8.4f} | "
            f"{r['vnplan_cpu_s']:6.1f} / {r['tesseract_cpu_s']:5.1f}"
        )
