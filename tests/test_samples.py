"""The sample generator is deterministic and its ground truth matches the committed samples."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

DOC = "004_4e2b9f1d4e06e14f"  # short, and the one that also gets an English-model layer


def generate(corpus: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), str(corpus), str(out)], check=True, capture_output=True
    )


@pytest.mark.slow
@pytest.mark.live  # the generator runs Tesseract (eng) itself for the English-model layer
def test_generator_is_deterministic(tmp_path: Path, shared: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(shared / "corpus" / f"{DOC}.txt", corpus)
    with ThreadPoolExecutor(max_workers=2) as pool:  # two runs at once, one per core
        list(pool.map(generate, [corpus, corpus], [tmp_path / "a", tmp_path / "b"]))
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert {str(p.parent) for p in files} == {"born-digital", "scanned", "truth", "bad-layer"}
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert (tmp_path / "a" / "truth" / f"{DOC}.txt").read_text() == (SAMPLES / "truth" / f"{DOC}.txt").read_text()


def test_every_corpus_document_has_its_samples(shared: Path) -> None:
    stems = sorted(p.stem for p in (shared / "corpus").glob("[0-9][0-9][0-9]_*.txt"))
    for kind, suffix in (("born-digital", ".pdf"), ("scanned", ".pdf"), ("truth", ".txt")):
        assert sorted(p.stem for p in (SAMPLES / kind).glob(f"*{suffix}")) == stems
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*.pdf"))
    assert size < 26 * 2**20, f"samples take {size / 2**20:.1f} MiB"
