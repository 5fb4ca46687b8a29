"""The vnplan command as other tools call it: ingest, export, ocr, and its errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import SAMPLES
from tests.helpers import SHORT_PLAN

VNPLAN = [sys.executable, "-m", "vnplan"]


def vnplan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNPLAN, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_ingest_then_export_matches_the_record_schema(tmp_path: Path, shared: Path) -> None:
    plan = tmp_path / "in" / "012_plan.txt"
    plan.parent.mkdir()
    plan.write_text(SHORT_PLAN, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    done = vnplan("ingest", str(plan.parent), str(SAMPLES / "born-digital" / "004_4e2b9f1d4e06e14f.pdf"), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "2 documents: 2 ingested, 0 skipped, 0 failed" in done.stdout
    assert "5 pages (text layer 5)" in done.stdout
    done = vnplan("export", "--db", db, "--format", "json", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    schema = json.loads((shared / "spec" / "record.schema.json").read_text(encoding="utf-8"))
    files = sorted((tmp_path / "out").glob("*.json"))
    assert [f.name for f in files] == ["004_4e2b9f1d4e06e14f.json", "012_plan.json"]
    for f in files:
        record = json.loads(f.read_text(encoding="utf-8"))
        jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())
        assert record["doc"] == f.stem
    directive = json.loads(files[0].read_text(encoding="utf-8"))
    assert directive["metadata"]["number"] == "14/CT-UBND" and directive["metadata"]["doc_type"] == "CT"


def test_failed_documents_make_exit_status_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    good = tmp_path / "plan.txt"
    good.write_text(SHORT_PLAN, encoding="utf-8")
    report = tmp_path / "report.json"
    done = vnplan("ingest", str(bad), str(good), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--report", str(report))
    assert done.returncode == 1
    rows = json.loads(report.read_text(encoding="utf-8"))
    assert [(r["path"], r["status"]) for r in rows] == [(str(bad), "failed"), (str(good), "ingested")]
    assert rows[0]["reason"] == "named .pdf but is not a PDF file" and rows[1]["pages"] == 1
    assert all(r["seconds"] >= 0 for r in rows)
    assert "failed    " in done.stdout and "named .pdf but is not a PDF file" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/no/such/file.pdf"], "no such file or folder: /no/such/file.pdf"),
        (["ingest", "samples/truth", "--db", "mysql+nodriver://x"], "not a database URL this tool can use"),
        (["ocr", "/no/such/file.pdf"], "no such file: /no/such/file.pdf"),
    ],
)
def test_errors_are_one_line_without_traceback(args: list[str], message: str) -> None:
    done = vnplan(*args, cwd=SAMPLES.parent)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_ocr_prints_text_and_the_document_model() -> None:
    born = SAMPLES / "born-digital" / "002_1f5460d5dbdbbf5b.pdf"
    text = vnplan("ocr", str(born))
    assert text.returncode == 0
    assert "KHẮC PHỤC NHỮNG TỒN TẠI" in text.stdout
    assert "1.1.2\tMức độ hoàn thành kế hoạch CCHC\t1\t0,9111\t0,889" in text.stdout
    model = vnplan("ocr", str(born), "--format", "json")
    doc = json.loads(model.stdout)
    assert len(doc["pages"]) == 10 and doc["pages"][0]["method"] == "text_layer"
    first = doc["pages"][0]["blocks"][0]
    assert first["page"] == 1 and first["method"] == "text_layer" and first["bbox"] and first["confidence"] == 1.0
    assert first["lines"][0]["words"][0]["bbox"]
    table = next(b["table"] for p in doc["pages"] for b in p["blocks"] if b["kind"] == "table")
    assert table["n_cols"] == 10 and table["header_rows"] == 1


#: Every command, with the options its help must list (README and docs/architecture.md name them).
COMMANDS = {
    "ingest": ("--db", "--workers", "--scheduler", "--scheduler-timeout", "--timeout", "--max-pages", "--reprocess", "--memory-limit",
               "--follow-links", "--report"),
    "export": ("--out", "--db", "--format"),
    "ocr": ("--format",),
    "restore": ("--diff", "--force"),
    "search": ("--db", "--limit"),
    "review": ("--db", "--reviewer", "--no-browser"),
    "db upgrade": ("--db",),
}


def test_help_lists_every_command() -> None:
    done = vnplan("--help")
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("Commands:")[1]
    assert re.findall(r"^  (\S+) ", listed, re.M) == ["ingest", "export", "ocr", "restore", "search", "review", "db"]


@pytest.mark.parametrize(("command", "options"), COMMANDS.items(), ids=list(COMMANDS))
def test_every_command_explains_itself_and_its_options(command: str, options: tuple[str, ...]) -> None:
    done = vnplan(*command.split(), "--help")
    assert done.returncode == 0, done.stderr
    usage, description = done.stdout.split("\n\n")[:2]
    assert f" {command} [OPTIONS]" in usage and len(description.split()) >= 4, done.stdout
    shown = set(re.findall(r"^\s+(--[a-z-]+)", done.stdout, re.M))
    assert shown == {*options, "--help"}, done.stdout
