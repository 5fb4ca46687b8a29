"""PDF → database → export, scored against the hand-checked gold with shared/eval/score_extraction.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.export import export_json
from pipeline.ingest import ingest
from tests.conftest import GOLD_DOCS, SAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["born-digital", "scanned"])
def test_metadata_and_references_score_against_gold(kind: str, tmp_path: Path, shared: Path) -> None:
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    report = ingest([SAMPLES / kind / f"{doc}.pdf" for doc in GOLD_DOCS], db)
    assert [o.status for o in report.outcomes] == ["ingested", "ingested"]
    assert all(sum(o.read_methods.values()) == o.pages for o in report.outcomes)
    export_json(db, tmp_path / "out")
    scored = subprocess.run(
        [
            sys.executable,
            str(shared / "eval" / "score_extraction.py"),
            str(shared / "gold"),
            str(tmp_path / "out"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    overall = json.loads(scored.stdout)["overall"]
    assert overall["metadata"]["accuracy"] >= 0.9, scored.stdout
    assert overall["references"]["f1"] >= 0.9, scored.stdout
