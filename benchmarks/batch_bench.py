"""Batch benchmark: the whole pipeline (read, repair, extract, store) over an archive, with 1 and 2 workers,
against ocrmypdf (OCR only) over the same scanned PDFs with the same parallelism, in one run.

The archive is built from the samples: every page of every scanned sample as a one-page PDF, and every
page of every born-digital sample as one-page PDFs in three copies that differ only in their title (so
each is a document of its own): 204 documents, a quarter of them scans.

    python benchmarks/batch_bench.py [--json results.json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import report  # noqa: E402
from vnplan.pipeline.ingest import ingest  # noqa: E402
from vnplan.pipeline.options import Jobs, PipelineOptions  # noqa: E402

SAMPLES = ROOT / "samples"
BORN_COPIES = 3


def build_archive(folder: Path) -> tuple[list[Path], list[Path]]:
    """(scanned one-page PDFs, born-digital one-page PDFs) written into ``folder``."""
    scanned, born = [], []
    for kind, copies, out in (("scanned", 1, scanned), ("born-digital", BORN_COPIES, born)):
        for source in sorted((SAMPLES / kind).glob("*.pdf")):
            with pikepdf.open(source) as pdf:
                for k, page in enumerate(pdf.pages):
                    for copy in range(copies):
                        single = pikepdf.new()
                        single.pages.append(page)
                        single.docinfo["/Title"] = f"{source.stem} page {k + 1} copy {copy + 1}"
                        path = folder / kind / f"{source.stem}_p{k + 1:02d}_c{copy + 1}.pdf"
                        path.parent.mkdir(parents=True, exist_ok=True)
                        single.save(path)
                        out.append(path)
    return scanned, born


def run_pipeline(paths: list[Path], workers: int, db: Path) -> dict:
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    report = ingest(paths, f"sqlite:///{db}", options=PipelineOptions(jobs=Jobs(workers=workers)))
    seconds = time.perf_counter() - started
    pages = sum(o.pages for o in report.outcomes)
    assert report.count("ingested") == len(paths), [o.reason for o in report.outcomes if o.status != "ingested"]
    return {
        "documents": len(paths),
        "pages": pages,
        "seconds": round(seconds, 1),
        "pages_per_minute": round(60 * pages / seconds, 1),
    }


def run_ocrmypdf(paths: list[Path], parallel: int, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)

    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    options = ["-q", "-l", "vie", "--jobs", "1", "--output-type", "pdf", "--rasterizer", "pypdfium"]
    options += ["--force-ocr", "--optimize", "0"]

    def one(path: Path) -> None:
        subprocess.run([exe, *options, str(path), str(out / path.name)], check=True, capture_output=True, env=env)

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, paths))
    seconds = time.perf_counter() - started
    return {
        "documents": len(paths),
        "pages": len(paths),
        "seconds": round(seconds, 1),
        "pages_per_minute": round(60 * len(paths) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scanned, born = build_archive(folder)
        archive = scanned + born
        results = {
            "archive": {"documents": len(archive), "scanned": len(scanned), "born_digital": len(born)},
            "vnplan 1 worker": run_pipeline(archive, 1, folder / "one.db"),
            "vnplan 2 workers": run_pipeline(archive, 2, folder / "two.db"),
            "vnplan 2 workers, scans only": run_pipeline(scanned, 2, folder / "scans.db"),
            "ocrmypdf 2 at a time, scans only": run_ocrmypdf(scanned, 2, folder / "ocrmypdf"),
        }
    one, two = results["vnplan 1 worker"], results["vnplan 2 workers"]
    results["speed-up 2 workers"] = round(one["seconds"] / two["seconds"], 2)
    scans, ocr = results["vnplan 2 workers, scans only"], results["ocrmypdf 2 at a time, scans only"]
    results["scans: vnplan pages/min ÷ ocrmypdf pages/min"] = round(
        scans["pages_per_minute"] / ocr["pages_per_minute"], 2
    )
    report(results, args.json)


if __name__ == "__main__":
    main()
