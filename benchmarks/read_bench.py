"""Reading benchmark: accuracy and speed of the read stage on the bundled samples, side by side.

In one run, on the scanned samples:
- CER and syllable accuracy of the recovered text against samples/truth, with
  shared/eval/score_text.py (whole text, and body text without tables);
- the share of table cells read exactly;
- pages per minute of vnplan's read stage, of the plain ``tesseract`` CLI on the
  same page images (rendered beforehand, not timed), and of ``ocrmypdf`` on the
  same PDFs, all with the same number of parallel jobs;
and on the born-digital samples, pages per second of the read stage.

    python benchmarks/read_bench.py [--shared ../shared] [--jobs 2] [--json results.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from benchmarks.real_pages import (  # noqa: E402
    page_image,
    print_real_pages,
    print_variants,
    real_pages,
    sample_page_truth,
    score_digital_variants,
    score_real_pages,
    score_variants,
)
from benchmarks.results import write_json  # noqa: E402
from vnplan.models.document import BlockKind, Document  # noqa: E402
from vnplan.pipeline.read import read  # noqa: E402
from vnplan.pipeline.repair import repair  # noqa: E402

SAMPLES = ROOT / "samples"


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_text", shared / "eval" / "score_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def body_and_cells(doc: Document) -> tuple[str, Counter]:
    body, cells = [], Counter()
    for page in doc.pages:
        for block in page.body:
            if block.kind is BlockKind.TABLE:
                cells.update(" ".join(c.text.split()) for c in block.table.cells if c.text.strip())
            else:
                body.append(block.text)
    return "\n".join(body), cells


def truth_body_and_cells(truth: str) -> tuple[str, Counter]:
    body = [line for line in truth.splitlines() if "\t" not in line]
    cells = Counter(" ".join(c.split()) for line in truth.splitlines() if "\t" in line for c in line.split("\t"))
    cells.pop("", None)
    return "\n".join(body), cells


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def time_tesseract(pdfs: list[Path], jobs: int) -> tuple[float, int]:
    """Plain ``tesseract IMAGE out -l vie`` on 300 dpi page images, ``jobs`` at a time."""
    with tempfile.TemporaryDirectory() as tmp:
        images = []
        for pdf in pdfs:
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), f"{tmp}/{pdf.stem}"], check=True)
        images = sorted(Path(tmp).glob("*.png"))
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

        def one(image: Path) -> None:
            subprocess.run(
                ["tesseract", str(image), str(image.with_suffix("")), "-l", "vie"],
                check=True,
                capture_output=True,
                env=env,
            )

        started = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, images))
        return time.perf_counter() - started, len(images)


def time_ocrmypdf(pdfs: list[Path], jobs: int) -> float | None:
    """``ocrmypdf -l vie --jobs N`` over the same PDFs (None when ocrmypdf is not installed)."""
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    if not Path(exe).exists():
        return None
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        for pdf in pdfs:
            subprocess.run(
                [
                    exe,
                    "-q",
                    "-l",
                    "vie",
                    "--jobs",
                    str(jobs),
                    "--output-type",
                    "pdf",
                    "--rasterizer",
                    "pypdfium",
                    "--force-ocr",
                    "--optimize",
                    "0",
                    str(pdf),
                    f"{tmp}/{pdf.name}",
                ],
                check=True,
                capture_output=True,
                env=env,
            )
        return time.perf_counter() - started


def variant_bases(shared: Path) -> list[tuple[str, Image.Image, str]]:
    """Clean pages to make variants of: page 4 of sample 000 (a page of tasks) as scanned, its text
    from the born-digital twin, and the clean real page bca_CV-5689 p1 at its own resolution (its
    transcript)."""
    sample = SAMPLES / "scanned" / "000_b004f501ec34ffc6.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        image = Image.open(page_image(sample, 4, Path(tmp) / "s.png")).copy()
    bases = [("sample000_p4", image, sample_page_truth(SAMPLES / "born-digital" / sample.name, 4))]
    pages, _ = real_pages(shared)
    clean = next((p for p in pages if p.transcript.stem.startswith("bca_CV-5689")), None)
    if clean is not None:
        with tempfile.TemporaryDirectory() as tmp:
            image = Image.open(page_image(clean.pdf, clean.page, Path(tmp) / "r.png")).copy()
        bases.append((clean.transcript.stem, image, clean.transcript.read_text(encoding="utf-8")))
    return bases


def real_pages_and_variants(scorer, shared: Path) -> dict:
    """The real-pages table and the variants table, printed, as figures."""
    real = score_real_pages(scorer, shared)
    print_real_pages(real)
    variants = score_variants(scorer, variant_bases(shared)) + score_digital_variants(scorer)
    print_variants(variants)
    return {"real_pages": real, "variants": variants}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--real-only", action="store_true", help="only the real pages and the variants")
    args = ap.parse_args()
    scorer = load_scorer(args.shared)
    real = real_pages_and_variants(scorer, args.shared)
    if args.real_only:
        write_json(real, args.json)
        return
    scanned = sorted((SAMPLES / "scanned").glob("*.pdf"))
    rows, totals = [], Counter()
    started = time.perf_counter()
    for pdf in scanned:
        truth = (SAMPLES / "truth" / f"{pdf.stem}.txt").read_text(encoding="utf-8")
        t0 = time.perf_counter()
        doc = repair(read(pdf))
        seconds = time.perf_counter() - t0
        whole = scorer.score(truth, doc.text.replace("\f", "\n"))
        body, cells = body_and_cells(doc)
        t_body, t_cells = truth_body_and_cells(truth)
        body_score = scorer.score(t_body, body)
        exact = sum((cells & t_cells).values())
        totals.update({"cells": sum(t_cells.values()), "exact": exact, "pages": len(doc.pages)})
        rows.append(
            {
                "doc": pdf.stem,
                "pages": len(doc.pages),
                "seconds": round(seconds, 2),
                "cer": whole["cer"],
                "syllable_accuracy": whole["syllable_accuracy"],
                "body_cer": body_score["cer"],
                "body_syllable_accuracy": body_score["syllable_accuracy"],
                "table_cells": sum(t_cells.values()),
                "cells_exact": exact,
            }
        )
    ours = time.perf_counter() - started
    clean = [r for r in rows if not r["doc"].startswith("001_")]  # 001 is printed mangled: its truth is the mangle
    tess_seconds, tess_pages = time_tesseract(scanned, args.jobs)
    omp = time_ocrmypdf(scanned, args.jobs)
    born = sorted((SAMPLES / "born-digital").glob("*.pdf"))
    t0 = time.perf_counter()
    born_pages = sum(len(read(p).pages) for p in born)
    born_seconds = time.perf_counter() - t0
    pages = totals["pages"]
    result = {
        "documents": rows,
        "scanned_pages": pages,
        "body_cer": round(sum(r["body_cer"] * r["pages"] for r in clean) / sum(r["pages"] for r in clean), 5),
        "body_syllable_accuracy": round(
            sum(r["body_syllable_accuracy"] * r["pages"] for r in clean) / sum(r["pages"] for r in clean), 5
        ),
        "table_cells_exact": round(totals["exact"] / max(1, totals["cells"]), 4),
        "vnplan_pages_per_min": round(pages / ours * 60, 1),
        "tesseract_pages_per_min": round(tess_pages / tess_seconds * 60, 1),
        "time_vs_tesseract": round(ours / tess_seconds * tess_pages / pages, 3),
        "ocrmypdf_pages_per_min": round(pages / omp * 60, 1) if omp else None,
        "time_vs_ocrmypdf": round(ours / omp, 3) if omp else None,
        "born_digital_pages_per_s": round(born_pages / born_seconds, 1),
        "jobs": args.jobs,
        **real,
    }
    print(f"{'document':28s} pages  seconds   CER    syl.acc  body CER  cells exact")
    for r in rows:
        print(
            f"{r['doc']:28s} {r['pages']:5d} {r['seconds']:8.1f} {r['cer']:7.4f} {r['syllable_accuracy']:8.4f} "
            f"{r['body_cer']:8.4f}  {r['cells_exact']}/{r['table_cells']}"
        )
    print(
        f"\nbody text (clean documents): CER {result['body_cer']:.4f}, syllable accuracy "
        f"{result['body_syllable_accuracy']:.4f}; table cells exact {result['table_cells_exact']:.1%}"
    )
    print(
        f"scanned, {args.jobs} jobs: vnplan {result['vnplan_pages_per_min']} pages/min, plain tesseract "
        f"{result['tesseract_pages_per_min']} pages/min (vnplan takes {result['time_vs_tesseract']}x its time), "
        f"ocrmypdf {result['ocrmypdf_pages_per_min']} pages/min (vnplan takes {result['time_vs_ocrmypdf']}x)"
    )
    print(f"born-digital: {result['born_digital_pages_per_s']} pages/s")
    write_json(result, args.json)


if __name__ == "__main__":
    main()
