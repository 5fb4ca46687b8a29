"""One options object from the command line down to each stage: its defaults are the CLI's, and what it
says reaches the stage that uses it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnplan.cli import app
from vnplan.models.errors import Category, InputError
from vnplan.pipeline import ingest as ingest_module
from vnplan.pipeline.ingest import Report
from vnplan.pipeline.options import Jobs, Limits, PipelineOptions, RestoreOptions
from vnplan.pipeline.process import process_data

THREE_PAGES = Path(__file__).parent / "bad_inputs" / "three_pages.pdf"
#: A good line with one word that lost its mark: restored only when every line is (``--force``).
ONE_SLIP = "Ủy ban nhân dân tỉnh ban hành kế hoach thực hiện nhiệm vụ năm 2021\n"


def options_of_ingest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *flags: str) -> PipelineOptions:
    """The options ``vnplan ingest`` hands to the pipeline for these flags."""
    seen: list[PipelineOptions] = []

    def recording(paths: object, db_url: str, options: PipelineOptions, **callbacks: object) -> Report:
        seen.append(options)
        return Report()

    monkeypatch.setattr(ingest_module, "ingest", recording)
    plan = tmp_path / "plan.txt"
    plan.write_text(ONE_SLIP, encoding="utf-8")
    done = CliRunner().invoke(app, ["ingest", str(plan), "--db", f"sqlite:///{tmp_path / 'p.db'}", *flags])
    assert done.exit_code == 0, done.output
    (options,) = seen
    return options


def test_the_command_line_defaults_are_the_options_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert options_of_ingest(monkeypatch, tmp_path) == PipelineOptions()


def test_each_ingest_flag_sets_its_field(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    flags = ["--workers", "3", "--scheduler", "tcp://host:8786", "--timeout", "0", "--max-pages", "9"]
    flags += ["--memory-limit", "512", "--reprocess", "--follow-links"]
    assert options_of_ingest(monkeypatch, tmp_path, *flags) == PipelineOptions(
        limits=Limits(max_pages=9, timeout=None, memory_mb=512),
        jobs=Jobs(workers=3, scheduler="tcp://host:8786"),
        reprocess=True,
        follow_links=True,
    )


def test_options_cannot_be_changed_once_made() -> None:
    options = PipelineOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.reprocess = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("jobs", "page_jobs"),
    [
        (Jobs(), None),  # one document at a time: its pages on every core
        (Jobs(workers=2), 1),  # documents side by side share the cores
        (Jobs(scheduler="tcp://host:8786"), 1),
        (Jobs(workers=2, page_jobs=2), 2),  # said outright
    ],
)
def test_pages_are_read_in_one_process_when_documents_run_side_by_side(jobs: Jobs, page_jobs: int | None) -> None:
    options = PipelineOptions(jobs=jobs, reprocess=True)
    each = options.for_each_document()
    assert each.jobs.page_jobs == page_jobs
    assert dataclasses.replace(each, jobs=jobs) == options  # nothing else changes


def test_the_page_limit_reaches_the_reader() -> None:
    data = THREE_PAGES.read_bytes()
    with pytest.raises(InputError, match="more than the limit of 2") as refused:
        process_data(data, THREE_PAGES, PipelineOptions(limits=Limits(max_pages=2)))
    assert refused.value.category == Category.TOO_MANY_PAGES
    document, _ = process_data(data, THREE_PAGES, PipelineOptions(limits=Limits(max_pages=3)))
    assert len(document.pages) == 3


def test_forced_restoration_reaches_repair() -> None:
    data = ONE_SLIP.encode()
    as_judged, _ = process_data(data, Path("plan.txt"))
    forced, _ = process_data(data, Path("plan.txt"), PipelineOptions(restore=RestoreOptions(force=True)))
    assert "kế hoach" in as_judged.text
    assert "kế hoạch" in forced.text
