"""Extraction benchmark: the scorer's figures for each input kind, and the extract stage's speed.

For born-digital PDFs, scanned PDFs and the corpus text files of the documents that
have gold (shared/gold), in one run: ingest into a fresh SQLite database, export,
score with shared/eval/score_extraction.py; and time the extract stage alone
(documents already read and repaired) in pages per second.

    python benchmarks/extract_bench.py [--shared ../shared] [--json results.json]
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

from extractors import extract  # noqa: E402
from pipeline.export import export_json  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.read import read  # noqa: E402
from pipeline.repair import repair  # noqa: E402

FIELDS = ("tasks", "owners", "co_owners", "deadlines", "budgets", "references", "scores")


def inputs(kind: str, docs: list[str], shared: Path, tmp: Path) -> list[Path]:
    if kind == "text":
        for doc in docs:
            shutil.copy(shared / "corpus" / f"{doc}.txt", tmp)
        return [tmp / f"{doc}.txt" for doc in docs]
    return [ROOT / "samples" / kind / f"{doc}.pdf" for doc in docs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    docs = sorted(p.stem for p in (args.shared / "gold").glob("*.json"))
    results = {}
    for kind in ("born-digital", "scanned", "text"):
        with tempfile.TemporaryDirectory() as tmp:
            paths = inputs(kind, docs, args.shared, Path(tmp))
            db = f"sqlite:///{tmp}/plans.db"
            ingest(paths, db)
            export_json(db, Path(tmp) / "out")
            scored = subprocess.run(
                [
                    sys.executable,
                    str(args.shared / "eval" / "score_extraction.py"),
                    str(args.shared / "gold"),
                    f"{tmp}/out",
                    "--json",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            overall = json.loads(scored.stdout)["overall"]
            documents = [repair(read(p)) for p in paths]
            pages = sum(len(d.pages) for d in documents)
            rounds = 5
            started = time.perf_counter()
            for _ in range(rounds):
                for document in documents:
                    extract(document)
            seconds = (time.perf_counter() - started) / rounds
        results[kind] = {
            "overall": overall["overall"],
            "metadata": overall["metadata"]["accuracy"],
            **{f: overall[f]["f1"] for f in FIELDS},
            "extract_pages_per_s": round(pages / seconds, 1),
        }
    print(f"{'input':13s} overall  metadata  " + "  ".join(f"{f[:9]:>9s}" for f in FIELDS) + "  extract pages/s")
    for kind, r in results.items():
        print(
            f"{kind:13s} {r['overall']:7.4f}  {r['metadata']:8.4f}  "
            + "  ".join(f"{r[f]:9.4f}" for f in FIELDS)
            + f"  {r['extract_pages_per_s']:10.1f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
