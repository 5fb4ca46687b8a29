"""Batch ingestion: folders, zips, the bad-input corpus, workers, resume after kill -9, Dask, concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SAMPLES, _postgres_url
from tests.helpers import SHORT_PLAN
from tests.test_cli import VNPLAN, vnplan
from vnplan.models.database import connect
from vnplan.models.schema import DocumentRow, IngestionErrorRow, PageRow
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.options import Jobs, Limits, PipelineOptions

BAD = Path(__file__).parent / "bad_inputs"


def plans(folder: Path, count: int) -> list[Path]:
    """``count`` small plans with different bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        path = folder / f"plan_{k:02d}.txt"
        path.write_text(f"{SHORT_PLAN}\nNơi nhận: lưu bản số {k + 1}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def stored(db_url: str) -> list[str]:
    engine = connect(db_url)
    with Session(engine) as session:
        names = list(session.scalars(select(DocumentRow.source_path)))
    engine.dispose()
    return names


def short(name: str) -> str:
    """``archive.zip!member`` or the file's name, without folders."""
    archive, bang, member = name.partition("!")
    return Path(archive).name + bang + member


def special_files(folder: Path) -> Path:
    """A folder with what cannot be committed: a FIFO, a link loop, a dangling link, a link to a folder."""
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop_a.txt").symlink_to(folder / "loop_b.txt")
    (folder / "loop_b.txt").symlink_to(folder / "loop_a.txt")
    (folder / "gone.pdf").symlink_to(folder / "never-was.pdf")
    (folder / "here").symlink_to(folder)
    return folder


#: What each input of the corpus (and of :func:`special_files`) ends as: status, category, the reason's words.
CORPUS = {
    "corrupt.pdf": ("failed", "damaged", "damaged"),
    "encrypted.pdf": ("failed", "encrypted", "encrypted"),
    "no_pages.pdf": ("failed", "empty", "no pages"),
    "not_a_pdf.pdf": ("failed", "unsupported_type", "not a PDF"),
    "empty.txt": ("failed", "empty", "empty"),
    "bomb.png": ("failed", "too_large", "too large"),
    "huge_page.pdf": ("failed", "too_large", "page 1 is too large to be a page (60,000 × 60,000 pixels"),
    "image_bomb.pdf": ("failed", "too_large", "image is too large to be a page (100,000 × 100,000 pixels"),
    "three_pages.pdf": ("failed", "too_many_pages", "3 pages, more than the limit of 2"),
    "zip_slip.zip!../escape.txt": ("failed", "unsafe_archive_member", "zip slip"),
    "zip_slip.zip!/etc/absolute.txt": ("failed", "unsafe_archive_member", "zip slip"),
    "windows_paths.zip!C:\\Windows\\ke-hoach.txt": ("failed", "unsafe_archive_member", "zip slip"),
    "windows_paths.zip!..\\ke-hoach.txt": ("failed", "unsafe_archive_member", "zip slip"),
    "nested.zip!inner.zip": ("failed", "unsafe_archive_member", "inside a zip"),
    "damaged.zip": ("failed", "damaged", "damaged"),
    "zip_version.zip": ("failed", "unsupported_type", "zip file version 10.8"),
    "encrypted.zip!ke-hoach-mat.txt": ("failed", "encrypted", "encrypted and needs a password"),
    "bomb.zip!ke-hoach.txt": ("failed", "too_large", "larger than 512 MB"),
    "text_bomb.zip!ke-hoach.txt": ("failed", "too_large", "64 MB, more than the 8 MB limit for a text"),
    "lying_bomb.zip!ke-hoach.txt": ("failed", "damaged", "Bad CRC-32"),
    "truncated.tif": ("failed", "damaged", "the image is damaged"),
    "bzip2_member.zip!ke-hoach.txt": ("failed", "unsupported_type", "compressed with bzip2 or LZMA"),
    "given.tar.gz": ("failed", "unsupported_type", "a .tar.gz archive: vnplan opens zip archives only"),
    "nul_bytes.txt": ("failed", "unsupported_type", "binary data"),
    "unreadable.pdf": ("failed", "unreadable", "cannot read"),
    "loop_a.txt": ("failed", "unreadable", "Too many levels of symbolic links"),
    "loop_b.txt": ("failed", "unreadable", "Too many levels of symbolic links"),
    "gone.pdf": ("failed", "unreadable", "No such file"),
    "zip_slip.zip!ke-hoach.txt": ("ingested", None, None),
    "windows_paths.zip!thu-muc\\ke-hoach.txt": ("ingested", None, None),
    "bad_utf8_name.zip!ke-hoach-\\xff.txt": ("ingested", None, None),
    "empty_password.pdf": ("ingested", None, None),
    "broken_xref.pdf": ("ingested", None, None),  # its cross-reference table rebuilt by pdfium
    "pdf_named.txt": ("ingested", None, None),
    "image_named.pdf": ("ingested", None, None),
    "utf16.txt": ("ingested", None, None),
    "windows1258.txt": ("ingested", None, None),
    "claims_100000_pages.pdf": ("ingested", None, None),
    "gigantic_mediabox.pdf": ("ingested", None, None),  # its text layer is read: nothing is rendered
    "page_loop.pdf": ("ingested", None, None),
    "make.py": ("skipped", "unsupported_type", "(.py files;"),
    "archive.tar.gz": ("skipped", "unsupported_type", "a .tar.gz archive: vnplan opens zip archives only"),
    "pipe.txt": ("skipped", None, "not a regular file"),
    "here": ("skipped", None, "a link to a folder: not followed"),
}


def test_every_bad_input_fails_alone_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "unreadable.pdf").symlink_to(tmp_path / "gone.pdf")
    (tmp_path / "given.tar.gz").write_bytes((BAD / "archive.tar.gz").read_bytes())  # named as an argument
    specials = special_files(tmp_path / "specials")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    report = tmp_path / "report.json"
    args = [str(BAD), str(tmp_path / "unreadable.pdf"), str(tmp_path / "given.tar.gz"), str(specials)]
    args += ["--max-pages", "2", "--workers", "2"]  # it crashed with EBADF 3 runs in 4 before the selector fix
    done = vnplan("ingest", *args, "--db", db, "--report", str(report))
    assert done.returncode == 1, done.stderr
    rows = {short(r["path"]): r for r in json.loads(report.read_text())}
    same = [r for r in json.loads(report.read_text()) if "same_names.zip" in r["path"]]
    assert [r["status"] for r in same] == ["ingested", "ingested"]  # two members of one name, two documents
    assert len(rows) == len(CORPUS) + 1, sorted(set(rows) ^ set(CORPUS))
    for name, (status, category, words) in CORPUS.items():
        row = rows[name]
        assert row["status"] == status and (status == "skipped" or row["category"] == category), row
        assert words is None or words in row["reason"], row
        assert "\n" not in (row["reason"] or "") and "Traceback" not in (row["reason"] or "")
    engine = connect(db)
    with Session(engine) as session:
        errors = session.execute(select(IngestionErrorRow.source_path, IngestionErrorRow.category)).all()
        failed = {(n, c) for n, (status, c, _) in CORPUS.items() if status == "failed"}
        assert sorted((short(p), c) for p, c in errors) == sorted(failed)
        same_stored = session.scalars(select(DocumentRow.source_name).where(DocumentRow.source_path.like("%same_n%")))
        assert list(same_stored) == ["same_names.zip!ke-hoach.txt"] * 2
        ingested = session.scalar(select(func.count()).select_from(DocumentRow))
    engine.dispose()
    assert ingested == sum(status == "ingested" for status, _, _ in CORPUS.values()) + len(same)


def test_zip_members_are_documents_named_inside_their_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in plans(tmp_path / "src", 2):
            out.write(path, f"2021/{path.name}")
        out.writestr("notes.xlsx", b"not a supported kind: skipped, saying why")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    report = ingest([archive], db)
    assert [(o.path, o.status) for o in report.outcomes] == [
        (f"{archive}!2021/plan_00.txt", "ingested"),
        (f"{archive}!2021/plan_01.txt", "ingested"),
        (f"{archive}!notes.xlsx", "skipped"),
    ]
    assert "not a kind of file vnplan reads (.xlsx files" in report.outcomes[2].reason
    assert sorted(stored(db)) == [f"{archive}!2021/plan_00.txt", f"{archive}!2021/plan_01.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.zip", "plans.db", "src"]  # nothing unpacked


def test_workers_store_each_document_once(db_url: str, tmp_path: Path) -> None:
    paths = plans(tmp_path / "in", 4)
    (tmp_path / "in" / "copy.txt").write_bytes(paths[0].read_bytes())
    report = ingest([tmp_path / "in"], db_url, options=PipelineOptions(jobs=Jobs(workers=2)))
    assert report.count("ingested") == 4 and report.count("skipped") == 1
    again = ingest([tmp_path / "in"], db_url, options=PipelineOptions(jobs=Jobs(workers=2)))
    assert again.count("skipped") == 5
    assert len(stored(db_url)) == 4


@pytest.mark.live  # real Tesseract: its processes, time and failures
def test_a_document_over_its_time_limit_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    slow = SAMPLES / "scanned" / "004_4e2b9f1d4e06e14f.pdf"  # five pages of OCR: several seconds
    quick = plans(tmp_path / "in", 1)[0]
    report = ingest([slow, quick], f"sqlite:///{tmp_path / 'plans.db'}", options=PipelineOptions(limits=Limits(timeout=1)))
    assert [o.status for o in report.outcomes] == ["failed", "ingested"]
    assert "gave up after 1 s" in report.outcomes[0].reason
    assert report.outcomes[0].seconds < 1 + 1.5  # stopped at its deadline (the whole scan takes ~1 min)


def test_a_killed_run_finishes_when_run_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    plans(folder, 8)
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    run = subprocess.Popen(
        [*VNPLAN, "ingest", str(folder), "--db", db], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    for line in run.stdout:
        if line.strip().startswith("ingested"):
            break
    os.killpg(run.pid, signal.SIGKILL)  # kill -9, mid-run
    run.wait()
    first = stored(db)
    assert 1 <= len(first) < 8
    done = vnplan("ingest", str(folder), "--db", db)
    assert done.returncode == 0, done.stderr
    assert f"{len(first)} skipped" in done.stdout
    names = stored(db)
    assert sorted(names) == sorted(str(p) for p in folder.iterdir())  # all of them, each once
    engine = connect(db)
    with Session(engine) as session:  # no half-written document: each has its pages
        with_pages = session.scalar(select(func.count(func.distinct(PageRow.document_id))))
    engine.dispose()
    assert with_pages == 8


def test_the_same_work_runs_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    paths = plans(tmp_path / "in", 3)
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = ingest([tmp_path / "in"], db, options=PipelineOptions(jobs=Jobs(scheduler=cluster.scheduler_address)))
    assert report.count("ingested") == 3
    assert sorted(stored(db)) == sorted(str(p) for p in paths)


def test_two_runs_writing_to_postgresql_at_once_store_each_document_once(tmp_path: Path) -> None:
    for url in _postgres_url():
        plans(tmp_path / "in", 6)
        runs = [
            subprocess.Popen(
                [*VNPLAN, "ingest", str(tmp_path / "in"), "--db", url, "--workers", "2"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [r.communicate(timeout=600) for r in runs]
        assert [r.returncode for r in runs] == [0, 0], outputs
        assert len(stored(url)) == 6
        ingested = sum(out.count("  ingested  ") for out, _ in outputs)
        assert ingested == 6, outputs


def test_a_link_out_of_an_input_folder_is_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = plans(tmp_path / "elsewhere", 2)[1]  # other bytes than the plan inside
    folder = tmp_path / "in"
    plans(folder, 1)
    (folder / "link.txt").symlink_to(outside)
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    report = {o.path: o for o in ingest([folder], db).outcomes}
    link = report[str(folder / "link.txt")]
    assert link.status == "skipped" and "outside the folder" in link.reason
    assert sorted(Path(p).name for p in stored(db)) == ["plan_00.txt"]
    again = ingest([folder], f"sqlite:///{tmp_path / 'followed.db'}", options=PipelineOptions(follow_links=True))
    assert {Path(o.path).name: o.status for o in again.outcomes} == {"plan_00.txt": "ingested", "link.txt": "ingested"}
