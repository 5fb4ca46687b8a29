"""Golden outputs: the exports of the shared corpus's text documents, recorded with the extraction
version that made them. Output that changes while ``models/version.py``'s EXTRACTION_VERSION stays
the same fails: bump the version (stored documents are then re-extracted) and record again with

    .venv/bin/pytest tests/test_golden.py --update-golden     # or VNPLAN_UPDATE_GOLDEN=1

Recording refuses to overwrite changed outputs under an unchanged version.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnplan.models.version import EXTRACTION_VERSION
from vnplan.pipeline.export import export_json
from vnplan.pipeline.ingest import ingest

GOLDEN = Path(__file__).parent / "data" / "golden"
VERSION_FILE = GOLDEN / "EXTRACTION_VERSION"


def current_outputs(corpus: list[Path], tmp_path: Path) -> dict[str, str]:
    db = f"sqlite:///{tmp_path / 'golden.db'}"
    report = ingest(corpus, db)
    assert report.count("ingested") == len(corpus), [o.reason for o in report.outcomes]
    written = export_json(db, tmp_path / "out")
    return {p.name: p.read_text(encoding="utf-8") for p in written}


def recorded_outputs() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.json"))}


def test_exports_match_the_golden_outputs_of_this_extraction_version(
    shared: Path, tmp_path: Path, update_golden: bool
) -> None:
    corpus = sorted((shared / "corpus").glob("00*.txt"))
    if not corpus:
        pytest.skip(f"no text documents 00*.txt in {shared / 'corpus'}")
    outputs = current_outputs(corpus, tmp_path)
    recorded = recorded_outputs()
    recorded_version = int(VERSION_FILE.read_text()) if VERSION_FILE.exists() else None
    changed = sorted(n for n in outputs.keys() | recorded.keys() if outputs.get(n) != recorded.get(n))
    if update_golden:
        if changed and recorded and recorded_version == EXTRACTION_VERSION:
            pytest.fail(
                f"the output of {', '.join(changed)} changed but EXTRACTION_VERSION is still {EXTRACTION_VERSION}: "
                "bump it in models/version.py, then record again"
            )
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in GOLDEN.glob("*.json"):
            stale.unlink()
        for name, text in outputs.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
        VERSION_FILE.write_text(f"{EXTRACTION_VERSION}\n")
        return
    if not recorded:
        pytest.fail(f"no golden outputs in {GOLDEN}: record them with --update-golden")
    if not changed:
        assert recorded_version == EXTRACTION_VERSION, (
            f"golden outputs were recorded with extraction version {recorded_version}, this is "
            f"{EXTRACTION_VERSION}: record them again with --update-golden"
        )
        return
    first = changed[0]
    detail = _first_difference(recorded.get(first, ""), outputs.get(first, ""))
    if recorded_version == EXTRACTION_VERSION:
        pytest.fail(
            f"the export of {', '.join(changed)} changed without a bump of EXTRACTION_VERSION "
            f"(still {EXTRACTION_VERSION}, models/version.py); {first}: {detail}. If the change is meant, "
            "bump the version (stored documents are re-extracted) and record again with --update-golden"
        )
    pytest.fail(
        f"EXTRACTION_VERSION is {EXTRACTION_VERSION}, the golden outputs are of version {recorded_version}: "
        f"record them again with --update-golden ({first}: {detail})"
    )


def _first_difference(before: str, after: str) -> str:
    old, new = before.splitlines(), after.splitlines()
    for k, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return f"line {k + 1} was {a.strip()!r}, is {b.strip()!r}"
    return f"{len(old)} lines before, {len(new)} now"


def test_golden_outputs_are_json() -> None:
    for name, text in recorded_outputs().items():
        assert json.loads(text)["doc"] == Path(name).stem
