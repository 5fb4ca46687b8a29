"""Extraction benchmark: the scorer's figures per document and per input kind, and the extract stage's cost.

Two sets, each ingested into a fresh SQLite database, exported, and scored with
shared/eval/score_extraction.py (used from here, never copied):

- the corpus documents with gold in shared/gold, as born-digital samples, born-digital PDFs of another
  producer (LibreOffice, ``benchmarks/producers.py``, with tables ruled fully, only between rows, and not
  at all), scanned samples and text files;
- the real documents annotated in benchmarks/gold/ (sources in ../shared/real), grouped by what they are
  (born-digital PDF, scan, Word file). The four held back in benchmarks/gold/holdout.txt are left out,
  unless ``--holdout``, which scores only them (done once, at the end of a change to the rules).

The extract stage is timed alone (documents already read and repaired) against the read and repair
stages, per page.

    python benchmarks/extract_bench.py [--shared ../shared] [--json results.json] [--holdout] [--no-samples]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.producers import libreoffice_pdf  # noqa: E402
from benchmarks.results import write_json  # noqa: E402
from vnplan.extractors import extract  # noqa: E402
from vnplan.extractors.nlp import verb_follows  # noqa: E402
from vnplan.models.errors import InputError  # noqa: E402
from vnplan.pipeline.export import export_json  # noqa: E402
from vnplan.pipeline.ingest import ingest  # noqa: E402
from vnplan.pipeline.read import read  # noqa: E402
from vnplan.pipeline.repair import repair  # noqa: E402

FIELDS = ("tasks", "owners", "co_owners", "deadlines", "budgets", "references", "scores")
GOLD = ROOT / "benchmarks" / "gold"
#: Where a real document's source lives, by its folder in ../shared/real.
REAL_KINDS = {"digital": "born-digital", "scanned": "scan", "office": "Word file"}


def sample_inputs(kind: str, docs: list[str], shared: Path, tmp: Path) -> list[Path]:
    """The sample files of the corpus documents that have gold; ``libreoffice``: PDFs made by another producer."""
    if kind.startswith("libreoffice"):
        rules = {"libreoffice": "grid", "libreoffice rows": "rows", "libreoffice unruled": "none"}[kind]
        return [libreoffice_pdf(shared / "corpus" / f"{doc}.txt", tmp, rules) for doc in docs]
    if kind == "text":
        for doc in docs:
            shutil.copy(shared / "corpus" / f"{doc}.txt", tmp)
        return [tmp / f"{doc}.txt" for doc in docs]
    return [ROOT / "samples" / kind / f"{doc}.pdf" for doc in docs]


def real_documents(shared: Path, holdout: bool) -> dict[str, list[tuple[Path, Path]]]:
    """(source, gold file) of each annotated real document, by kind; the held-back ones only with ``holdout``."""
    held = set((GOLD / "holdout.txt").read_text(encoding="utf-8").split())
    kinds: dict[str, list[tuple[Path, Path]]] = {}
    for gold in sorted(GOLD.glob("*.json")):
        record = json.loads(gold.read_text(encoding="utf-8"))
        if (record["doc"] in held) != holdout:
            continue
        source = shared / "real" / record["source"].split("real/", 1)[1]
        kinds.setdefault(REAL_KINDS[source.parent.name], []).append((source, gold))
    return kinds


def score(gold: Path, out: Path, shared: Path) -> dict:
    """The scorer's JSON for the exported records in ``out`` against ``gold`` (a file or folder)."""
    run = subprocess.run(
        [sys.executable, str(shared / "eval" / "score_extraction.py"), str(gold), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def figures(scored: dict) -> dict:
    """Overall, metadata and each field's F1 from the scorer's overall block."""
    overall = scored["overall"]
    return {
        "overall": overall["overall"],
        "metadata": overall["metadata"]["accuracy"],
        **{f: overall[f]["f1"] for f in FIELDS},
    }


def timed_stages(paths: list[Path]) -> tuple[int, float, float]:
    """Pages, seconds to read and repair, seconds to extract over ``paths`` (one pass, as ingestion runs it)."""
    started = time.perf_counter()
    documents = []
    for path in paths:
        try:
            documents.append(repair(read(path)))
        except InputError as exc:  # scored as missed; said once by the ingest summary
            print(f"  cannot read {path.name}: {exc}")
    reading = time.perf_counter() - started
    verb_follows("Sở Nội vụ chủ trì thực hiện", 0)  # underthesea's tagger loads once a process (0.4 s), not a page
    started = time.perf_counter()
    for document in documents:
        extract(document)
    extracting = time.perf_counter() - started
    return max(1, sum(len(d.pages) for d in documents)), reading, extracting


def run_set(name: str, paths: list[Path], gold: Path, shared: Path, per_document: bool) -> dict:
    """Ingest, export and score one set of inputs; time its stages."""
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/plans.db"
        ingest(paths, db)
        (Path(tmp) / "out").mkdir()
        export_json(db, Path(tmp) / "out")
        scored = score(gold, Path(tmp) / "out", shared)
    pages, reading, extracting = timed_stages(paths)
    result = {
        **figures(scored),
        "documents": len(paths),
        "pages": pages,
        "read_s_per_page": round(reading / pages, 4),
        "extract_s_per_page": round(extracting / pages, 4),
        "extract_share_of_read": round(extracting / reading, 4),
    }
    if per_document:
        result["per_document"] = {
            doc: {"overall": r["overall"], **{f: r[f]["f1"] for f in ("tasks", "owners", "co_owners", "deadlines")}}
            for doc, r in scored["documents"].items()
        }
    print(
        f"{name:24s} {result['overall']:7.4f}  {result['metadata']:8.4f}  "
        + "  ".join(f"{result[f]:9.4f}" for f in FIELDS)
        + f"  {100 * result['extract_share_of_read']:6.1f}%"
    )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--holdout", action="store_true", help="score only the held-back real documents")
    ap.add_argument("--no-samples", action="store_true", help="leave out the corpus samples")
    ap.add_argument("--kind", action="append", help="only these sample kinds (born-digital, libreoffice, …, text)")
    ap.add_argument("--no-real", action="store_true", help="leave out the real annotated documents")
    args = ap.parse_args()
    header = f"{'input':24s} overall  metadata  " + "  ".join(f"{f[:9]:>9s}" for f in FIELDS) + "  extract/read"
    results: dict[str, dict] = {}
    if not args.no_samples and not args.holdout:
        print("corpus documents with gold in shared/gold")
        print(header)
        docs = sorted(p.stem for p in (args.shared / "gold").glob("*.json"))
        for kind in ("born-digital", "libreoffice", "libreoffice rows", "libreoffice unruled", "scanned", "text"):
            if args.kind and kind not in args.kind:
                continue
            if kind.startswith("libreoffice") and shutil.which("soffice") is None:
                print(f"{kind}: skipped, soffice is not installed")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                paths = sample_inputs(kind, docs, args.shared, Path(tmp))
                results[f"samples {kind}"] = run_set(kind, paths, args.shared / "gold", args.shared, True)
                print(
                    "  "
                    + ", ".join(
                        f"{d[:3]} {r['overall']:.4f}" for d, r in results[f"samples {kind}"]["per_document"].items()
                    )
                )
    real = {} if args.no_real else real_documents(args.shared, args.holdout)
    if not real and not args.no_real:
        print(f"no annotated real documents with their sources under {args.shared / 'real'}: skipped")
    elif real:
        print("\nreal documents annotated in benchmarks/gold" + (" (held back)" if args.holdout else ""))
        print(header)
        with tempfile.TemporaryDirectory() as tmp:
            everything = Path(tmp) / "all"
            everything.mkdir()
            all_paths = []
            for kind, pairs in sorted(real.items()):
                gold_dir = Path(tmp) / kind
                gold_dir.mkdir()
                for _, gold in pairs:
                    shutil.copy(gold, gold_dir)
                    shutil.copy(gold, everything)
                paths = [source for source, _ in pairs]
                all_paths += paths
                results[f"real {kind}"] = run_set(kind, paths, gold_dir, args.shared, True)
            results["real all"] = run_set("all", all_paths, everything, args.shared, True)
        print("\nper document (real, all)")
        for doc, r in results["real all"]["per_document"].items():
            print(
                f"  {doc:50s} overall {r['overall']:.4f}  tasks {r['tasks']:.4f}  owners {r['owners']:.4f}"
                f"  co-owners {r['co_owners']:.4f}  deadlines {r['deadlines']:.4f}"
            )
    write_json(results, args.json)


if __name__ == "__main__":
    main()
