"""Shared fixtures: the ../shared folder, the samples, databases (SQLite and PostgreSQL), and the OCR engine.

OCR is replayed from tests/data/ocr/ (Tesseract's answers, recorded): every process the tests start
(the CLI, isolated documents, page pools, Dask workers) inherits ``VNPLAN_OCR_ENGINE=replay``. Tests
marked ``live`` run real Tesseract. ``--live-ocr`` (``make test-all``) runs every test on Tesseract;
``--record-ocr`` (``make record-ocr``) runs them on Tesseract and records its answers.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from vnplan.pipeline.ocr_engines import ENGINE_VARIABLE, RECORDINGS_VARIABLE

if TYPE_CHECKING:
    from vnplan.models.document import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("VNPLAN_SHARED", ROOT.parent / "shared"))
PG_URL = os.environ.get("VNPLAN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GOLD_DOCS = ("000_b004f501ec34ffc6", "002_1f5460d5dbdbbf5b")
OCR_RECORDINGS = ROOT / "tests" / "data" / "ocr"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="record tests/data/golden/ again from this version's output (or set VNPLAN_UPDATE_GOLDEN=1)",
    )
    ocr = parser.getgroup(
        "vnplan OCR", "which OCR engine the tests run (default: answers replayed from tests/data/ocr)"
    )
    ocr.addoption("--live-ocr", action="store_true", help="run every test on real Tesseract (make test-all)")
    ocr.addoption(
        "--record-ocr",
        action="store_true",
        help="run the tests on real Tesseract and record its answers in tests/data/ocr (make record-ocr)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """The OCR engine of the whole run, in the environment so that every process the tests start has it."""
    if config.getoption("--live-ocr"):
        engine = "tesseract"
    elif config.getoption("--record-ocr"):
        engine = "record"
    else:
        engine = "replay"
    os.environ[ENGINE_VARIABLE] = engine
    os.environ[RECORDINGS_VARIABLE] = str(OCR_RECORDINGS)


@pytest.fixture(autouse=True)
def live_ocr(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test marked ``live`` runs real Tesseract, whatever the run's engine."""
    if request.node.get_closest_marker("live") is not None:
        monkeypatch.setenv(ENGINE_VARIABLE, "tesseract")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the golden-output test records the outputs instead of comparing them."""
    return bool(request.config.getoption("--update-golden") or os.environ.get("VNPLAN_UPDATE_GOLDEN"))


@functools.cache
def read_sample(path: Path) -> Document:
    """A sample file read and repaired once per test run: tests/test_layout.py checks what was read,
    tests/test_end_to_end.py what is extracted from it."""
    from vnplan.pipeline.read import read
    from vnplan.pipeline.repair import repair

    return repair(read(path))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared corpus, spec, gold and eval folder; tests needing it skip where it is absent."""
    if not (SHARED / "spec" / "record.schema.json").exists():
        pytest.skip(f"../shared is not beside the project (looked in {SHARED})")
    return SHARED


def _postgres_url() -> Iterator[str]:
    schema = f"vnplan_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"no PostgreSQL server answers at {PG_URL}: {str(exc).splitlines()[0]}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.db'}"
    else:
        yield from _postgres_url()


@pytest.fixture
def plan(db_url: str, tmp_path: Path) -> tuple[str, Path]:
    """A database holding one ingested plan (tests.test_extraction.PLAN), and the plan's file."""
    from tests.test_extraction import PLAN
    from vnplan.pipeline.ingest import ingest

    path = tmp_path / "045_plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    ingest([path], db_url)
    return db_url, path
