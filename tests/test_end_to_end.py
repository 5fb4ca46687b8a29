"""File → database → export, scored against the hand-checked gold with shared/eval/score_extraction.py.

Thresholds sit a little under the figures measured on the samples (README, "What is extracted").
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.export import export_json
from pipeline.ingest import ingest
from tests.conftest import GOLD_DOCS, SAMPLES

#: kind → minimum figures: overall, metadata accuracy, then F1 of references, tasks, owners, deadlines, budgets
FLOORS = {
    "born-digital": {
        "overall": 0.94,
        "metadata": 0.95,
        "references": 0.95,
        "tasks": 0.95,
        "owners": 0.94,
        "deadlines": 0.9,
        "budgets": 0.88,
        "scores": 0.95,
    },
    "scanned": {
        "overall": 0.9,
        "metadata": 0.95,
        "references": 0.9,
        "tasks": 0.94,
        "owners": 0.9,
        "deadlines": 0.85,
        "budgets": 0.88,
        "scores": 0.8,
    },
    "text": {
        "overall": 0.93,
        "metadata": 0.95,
        "references": 0.95,
        "tasks": 0.95,
        "owners": 0.88,
        "deadlines": 0.9,
        "budgets": 0.88,
        "scores": 0.95,
    },
}


def documents(kind: str, shared: Path) -> list[str]:
    """Every document with gold, read from text and born-digital PDF; the OCR-costly scans of two of them."""
    return list(GOLD_DOCS) if kind == "scanned" else sorted(p.stem for p in (shared / "gold").glob("*.json"))


def inputs(kind: str, docs: list[str], shared: Path, tmp_path: Path) -> list[Path]:
    if kind == "text":  # the corpus text itself, as archives hold converter output
        for doc in docs:
            shutil.copy(shared / "corpus" / f"{doc}.txt", tmp_path)
        return [tmp_path / f"{doc}.txt" for doc in docs]
    return [SAMPLES / kind / f"{doc}.pdf" for doc in docs]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["born-digital", "scanned", "text"])
def test_extraction_scores_against_gold(kind: str, tmp_path: Path, shared: Path) -> None:
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    docs = documents(kind, shared)
    report = ingest(inputs(kind, docs, shared, tmp_path), db)
    assert [o.status for o in report.outcomes] == ["ingested"] * len(docs)
    assert all(sum(o.read_methods.values()) == o.pages for o in report.outcomes)
    export_json(db, tmp_path / "out")
    gold = tmp_path / "gold"
    gold.mkdir()
    for doc in docs:
        shutil.copy(shared / "gold" / f"{doc}.json", gold)
    scored = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score_extraction.py"),
            str(gold),
            str(tmp_path / "out"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    overall = json.loads(scored.stdout)["overall"]
    got = {k: (v["accuracy"] if k == "metadata" else v["f1"]) if isinstance(v, dict) else v for k, v in overall.items()}
    low = {k: (got[k], floor) for k, floor in FLOORS[kind].items() if got[k] < floor}
    assert not low, f"{kind}: below the floor: {low}"
