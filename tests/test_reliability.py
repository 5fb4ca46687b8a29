"""Nothing lost in silence: dependencies checked first, Tesseract failures reported, real time limits,
typed errors and exit codes, concurrent runs, safe names and writes (issue 18)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tests.conftest import SAMPLES, _postgres_url
from tests.test_batch import plans, stored
from tests.test_cli import VNPLAN, vnplan
from tests.test_store import PLAN
from vnplan.models import corrections, store
from vnplan.models.database import connect
from vnplan.models.errors import CannotWrite, Category, ExitCode, InputError
from vnplan.models.schema import DocumentRow, IngestionErrorRow, PageRow, TaskRow
from vnplan.models.version import EXTRACTION_VERSION
from vnplan.pipeline import isolation
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.options import Jobs, Limits, PipelineOptions

SCAN = SAMPLES / "scanned" / "004_4e2b9f1d4e06e14f.pdf"  # five pages of OCR: about a minute
TESSDATA = next(Path("/usr/share/tesseract-ocr").glob("*/tessdata"), None)


def run_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def blank_pdf(path: Path) -> Path:
    """A one-page PDF with nothing on its page: no text layer, so it is OCRed, and OCR finds nothing."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.showPage()
    c.save()
    return path


@pytest.mark.live  # real Tesseract: its processes, time and failures
def test_missing_language_data_stops_the_run_before_any_document(tmp_path: Path) -> None:
    empty = tmp_path / "tessdata"
    empty.mkdir()
    db = tmp_path / "plans.db"
    done = subprocess.run(
        [*VNPLAN, "ingest", str(SCAN), "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        env=run_env(TESSDATA_PREFIX=str(empty)),
        timeout=120,
    )
    assert done.returncode == ExitCode.MISSING_DEPENDENCY == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "vie" in lines[0] and "osd" in lines[0] and "apt-get install tesseract-ocr-vie tesseract-ocr-osd" in lines[0]
    assert not db.exists()  # nothing was started, so nothing is stored to be skipped later
    done = subprocess.run(
        [*VNPLAN, "ocr", str(SCAN)],
        capture_output=True,
        text=True,
        env=run_env(TESSDATA_PREFIX=str(empty)),
        timeout=120,
    )
    assert done.returncode == 3 and len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.live  # real Tesseract: its processes, time and failures
@pytest.mark.skipif(TESSDATA is None, reason="no Tesseract language data under /usr/share/tesseract-ocr")
def test_a_tesseract_failure_fails_the_document_with_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "tessdata"
    broken.mkdir()
    (broken / "vie.traineddata").write_bytes(b"not language data")  # listed, but cannot be loaded
    (broken / "osd.traineddata").symlink_to(TESSDATA / "osd.traineddata")
    blank = blank_pdf(tmp_path / "scan.pdf")
    good = plans(tmp_path / "in", 1)[0]
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    report = tmp_path / "report.json"
    env = run_env(TESSDATA_PREFIX=str(broken))
    args = [*VNPLAN, "ingest", str(blank), str(good), "--db", db, "--report", str(report)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == ExitCode.DOCUMENTS_FAILED, done.stderr
    rows = json.loads(report.read_text(encoding="utf-8"))
    assert rows[0]["status"] == "failed" and rows[0]["category"] == "ocr_failed", rows[0]
    assert "Tesseract failed on a page" in rows[0]["reason"] and "vie" in rows[0]["reason"]
    assert rows[1]["status"] == "ingested"
    again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert "0 ingested, 1 skipped, 1 failed" in again.stdout  # the failed one is tried again, not skipped


def test_a_page_where_ocr_found_nothing_is_flagged(tmp_path: Path) -> None:
    blank = blank_pdf(tmp_path / "blank.pdf")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    done = vnplan("ingest", str(blank), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "OCR found no text on page 1" in done.stdout
    assert "(1 by OCR, 1 where OCR found no text)" in done.stdout
    engine = connect(db)
    with Session(engine) as session:
        assert session.scalars(select(PageRow.ocr_empty)).all() == [True]
    engine.dispose()


@pytest.mark.live  # real Tesseract: its processes, time and failures
@pytest.mark.parametrize("mode", ["in-process", "workers", "dask"])
def test_timeout_bounds_each_documents_wall_time(mode: str, tmp_path: Path) -> None:
    quick = plans(tmp_path / "in", 1)[0]
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    options = PipelineOptions(limits=Limits(timeout=2), jobs=Jobs(workers=2 if mode == "workers" else 1))
    if mode == "dask":
        distributed = pytest.importorskip("distributed")
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c:
            options = replace(options, jobs=replace(options.jobs, scheduler=c.scheduler_address))
            started = time.monotonic()
            report = ingest([SCAN, quick], db, options=options)
            elapsed = time.monotonic() - started
    else:
        started = time.monotonic()
        report = ingest([SCAN, quick], db, options=options)
        elapsed = time.monotonic() - started
    slow, fast = report.outcomes if report.outcomes[0].path == str(SCAN) else reversed(report.outcomes)
    assert (slow.status, slow.category, fast.status) == ("failed", "timeout", "ingested")
    assert "gave up after 2 s" in slow.reason
    slack = 4 if mode == "dask" else 1.5  # a Dask worker imports the pipeline for its first task
    assert slow.seconds < 2 + slack, slow.seconds  # killed at its deadline, not when its pages were done
    assert elapsed < 2 + 8, elapsed


def spawn_and_wait(pid_file: str) -> None:
    """A document that starts a program of its own (as OCR starts tesseract) and never finishes."""
    child = subprocess.Popen(["sleep", "300"])
    Path(pid_file).write_text(str(child.pid))
    child.wait()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_timeout_ends_the_whole_process_tree(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(InputError) as failure:
        isolation.run(spawn_and_wait, (str(pid_file),), timeout=1)
    assert failure.value.category == Category.TIMEOUT and time.monotonic() - started < 2
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 2
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)


@pytest.mark.live  # real Tesseract: its processes, time and failures
def test_the_children_die_with_the_main_process(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    run = subprocess.Popen([*VNPLAN, "ingest", str(SCAN), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
    main = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    tree: list = []
    while time.monotonic() < deadline and not any(p.name() == "tesseract" for p in tree):
        time.sleep(0.2)
        try:
            tree = main.children(recursive=True)
        except psutil.NoSuchProcess:
            break
    assert any(p.name() == "tesseract" for p in tree), "tesseract never started"
    os.kill(run.pid, signal.SIGKILL)  # kill -9 of the main process
    run.wait()
    _, left = psutil.wait_procs(tree, timeout=5)
    assert not [p for p in left if p.status() != psutil.STATUS_ZOMBIE], left


def test_ingest_leaves_its_callers_options_alone(tmp_path: Path) -> None:
    options = PipelineOptions(reprocess=True)
    ingest(plans(tmp_path / "in", 1), f"sqlite:///{tmp_path / 'p.db'}", options=options)
    assert options == PipelineOptions(reprocess=True)


def test_omp_thread_limit_is_set_per_tesseract_call_not_at_import() -> None:
    code = "import os, vnplan.pipeline.ocr, vnplan.pipeline.tesseract as t; print('OMP_THREAD_LIMIT' in os.environ, t.environment()['OMP_THREAD_LIMIT'])"
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.split() == ["False", "1"], done.stderr


def test_an_internal_error_is_stored_with_its_traceback_and_has_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vnplan import cli

    def broken(*args, **kwargs):
        raise TypeError("a bug in the store")

    monkeypatch.setattr(store, "add_document", broken)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    report = tmp_path / "report.json"
    plan = plans(tmp_path / "in", 1)[0]
    monkeypatch.setattr(sys, "argv", ["vnplan", "ingest", str(plan), "--db", db, "--report", str(report)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == ExitCode.INTERNAL == 15
    (row,) = json.loads(report.read_text(encoding="utf-8"))
    assert row["category"] == "internal" and row["reason"] == "internal error: TypeError: a bug in the store"
    assert "Traceback" in row["traceback"] and "broken" in row["traceback"]
    assert "Traceback" in capsys.readouterr().err  # logged, with its traceback
    engine = connect(db)
    with Session(engine) as session:
        (error,) = session.scalars(select(IngestionErrorRow)).all()
        assert error.category == "internal" and "a bug in the store" in error.detail
    engine.dispose()


def test_an_unreachable_scheduler_is_one_line_and_exit_4(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    done = vnplan("ingest", str(plans(tmp_path, 1)[0]), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--scheduler",
                  "tcp://127.0.0.1:9", "--scheduler-timeout", "1")  # fmt: skip
    assert done.returncode == ExitCode.UNREACHABLE == 4
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the scheduler tcp://127.0.0.1:9" in lines[0], done.stderr


def test_documents_of_an_older_extraction_version_are_extracted_again(tmp_path: Path) -> None:
    from tests.test_extraction import PLAN as TASKS_PLAN

    plan = tmp_path / "045_plan.txt"
    plan.write_text(TASKS_PLAN, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    assert vnplan("ingest", str(plan), "--db", db).returncode == 0
    engine = connect(db)
    with Session(engine) as session:
        task = session.scalars(select(TaskRow).order_by(TaskRow.id)).first()
        corrections.correct_task(session, task, "text", "Sửa bởi người duyệt", reviewer="Lan")
        session.execute(update(DocumentRow).values(extraction_version=EXTRACTION_VERSION - 1))
        session.commit()
    done = vnplan("ingest", str(plan), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "1 documents: 0 ingested, 1 re-extracted, 0 skipped, 0 failed" in done.stdout
    assert "  re-extracted  " in done.stdout
    with Session(engine) as session:
        assert session.scalar(select(DocumentRow.extraction_version)) == EXTRACTION_VERSION
        texts = session.scalars(select(TaskRow.text)).all()
        assert "Sửa bởi người duyệt" in texts  # the reviewer's correction applied again
    engine.dispose()
    again = vnplan("ingest", str(plan), "--db", db)
    assert "1 documents: 0 ingested, 0 skipped" not in again.stdout and "1 skipped" in again.stdout


def test_database_urls_and_paths_are_checked_before_any_work(tmp_path: Path) -> None:
    plan = plans(tmp_path / "in", 1)[0]
    done = vnplan("ingest", str(plan), "--db", "sqlite:///")
    assert done.returncode == 2 and "names no file" in done.stderr and "ingested" not in done.stdout
    missing = tmp_path / "no-such.db"
    for args in (["export", "--out", str(tmp_path / "out")], ["search", "so noi vu"]):
        done = vnplan(*args, "--db", f"sqlite:///{missing}")
        assert done.returncode == 2 and f"no database at {missing}" in done.stderr, done.stderr
        assert not missing.exists()
    db = tmp_path / "plans.db"
    done = vnplan("ingest", str(plan), "--db", f"sqlite:///{db}", "--report", str(tmp_path / "no" / "r.json"))
    assert done.returncode == 2 and "--report: no such folder" in done.stderr
    assert not db.exists()  # refused before the work started
    assert vnplan("ingest", str(plan), "--db", f"sqlite:///{db}").returncode == 0
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    done = vnplan("export", "--db", f"sqlite:///{db}", "--out", str(blocked / "out"))
    assert done.returncode == 2 and "--out: cannot make the folder" in done.stderr, done.stderr


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    done = vnplan("ingest", str(plans(tmp_path, 1)[0]), "--db", f"sqlite:///{tmp_path}/no/such/folder/p.db")
    assert done.returncode == ExitCode.UNREACHABLE
    lines = done.stderr.strip().splitlines()
    assert lines == ["vnplan: error: the database cannot be used: unable to open database file"], done.stderr


def concurrent_runs(folders: list[Path], db: str) -> list[subprocess.CompletedProcess]:
    runs = [
        subprocess.Popen(
            [*VNPLAN, "ingest", str(folder), "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for folder in folders
    ]
    return [subprocess.CompletedProcess(r.args, r.wait(timeout=600), *r.communicate()) for r in runs]


def disjoint_plans(tmp_path: Path) -> list[Path]:
    """Two folders of six plans each, all different, all naming the same agencies."""
    folders = [tmp_path / "a", tmp_path / "b"]
    for k, folder in enumerate(folders):
        folder.mkdir()
        for n in range(6):
            (folder / f"plan_{k}_{n}.txt").write_text(f"{PLAN}\nBản số {k}-{n}.\n", encoding="utf-8")
    return folders


def test_two_runs_on_a_fresh_sqlite_file_store_every_document_once(tmp_path: Path) -> None:
    folders = disjoint_plans(tmp_path)
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    done = concurrent_runs(folders, db)
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert len(stored(db)) == 12
    assert sum(d.stdout.count("  ingested  ") for d in done) == 12


def test_two_runs_on_postgresql_with_different_documents_store_all_of_them(tmp_path: Path) -> None:
    for url in _postgres_url():
        done = concurrent_runs(disjoint_plans(tmp_path), url)
        assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
        assert len(stored(url)) == 12
        assert sum(d.stdout.count("  ingested  ") for d in done) == 12


def test_any_file_name_is_read_and_reported_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = PLAN.encode("utf-8")
    names = [b"ke hoach \xff.txt", b"new\nline.txt", b"-dash.txt", "kế hoạch số 1.txt".encode()]
    for k, name in enumerate(names):
        (folder / os.fsdecode(name)).write_bytes(text + f"\nBản {k}.\n".encode())
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    done = vnplan("ingest", str(folder), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "4 documents: 4 ingested" in done.stdout
    lines = done.stdout.splitlines()
    assert len(lines) == 5  # one per document and the summary: the newline forged nothing
    assert any("ke hoach \\xff.txt" in x for x in lines) and any("new\\nline.txt" in x for x in lines)


def test_export_names_are_safe_bounded_and_inside_out(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    long_name = "k" * 300 + ".txt"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(long_name, PLAN)
    (tmp_path / "x").mkdir()
    climbing = tmp_path / "x" / ".." / "plan.txt"  # its folder's name is ".."
    climbing.write_text(PLAN + "\nkhác\n", encoding="utf-8")
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "plan.txt").write_text(PLAN + "\nkhác nữa\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    assert vnplan("ingest", str(archive), str(climbing), str(tmp_path / "z"), "--db", db).returncode == 0
    out = tmp_path / "out"
    done = vnplan("export", "--db", db, "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) == 3
    assert all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert all(len(p.name.encode()) <= 125 for p in written)
    assert not list(out.rglob(".*.part"))  # nothing half-written left behind


def test_an_atomic_write_that_fails_leaves_the_old_file(tmp_path: Path) -> None:
    from vnplan.pipeline.atomic import write_text, write_with

    target = tmp_path / "tasks.csv"
    write_text(target, "old\n")

    def half_then_full_disk(path: Path) -> None:
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(CannotWrite, match=f"cannot write {target}: No space left on device"):
        write_with(target, half_then_full_disk)
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["tasks.csv"]


def limit_file_size(size: int) -> Callable[[], None]:
    """For ``preexec_fn``: files may grow to ``size`` bytes (past it, a write fails as on a full disk), and
    new files are readable by all (umask 022)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        os.umask(0o022)

    return limit


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_an_export_on_a_full_disk_is_one_line_and_leaves_the_old_files_whole(tmp_path: Path, fmt: str) -> None:
    from tests.test_extraction import PLAN as TASKS_PLAN

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "045_plan.txt").write_text(TASKS_PLAN * 20, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    assert ingest([tmp_path / "in"], db).count("ingested") == 1
    out = tmp_path / "out"
    command = [*VNPLAN, "export", "--db", db, "--format", fmt, "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, preexec_fn=limit_file_size(2**30))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in out.iterdir())  # not the temporary file's 0600
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=limit_file_size(4096))
    assert done.returncode == ExitCode.CANNOT_WRITE == 5, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"vnplan: error: cannot write {out}/") and "File too large" in line, line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, nothing left over


def test_a_fifo_or_a_device_named_as_an_argument_fails_alone_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = plans(tmp_path / "in", 1)[0]
    started = time.monotonic()
    done = vnplan("ingest", str(fifo), "/dev/zero", str(good), "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert time.monotonic() - started < 60
    assert done.returncode == ExitCode.DOCUMENTS_FAILED
    assert done.stdout.count("not a regular file") == 2 and "1 ingested" in done.stdout


def test_a_lost_postgresql_connection_is_retried_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL

    name = f"vnplan_lost_{os.getpid()}"
    real_add = store.add_document
    calls = []

    def terminate_then_add(session, *args):  # the backend dies mid-transaction, as in a restart
        calls.append(1)
        if len(calls) == 2:
            admin = create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :n"),
                    {"n": name},
                )
            admin.dispose()
        return real_add(session, *args)

    monkeypatch.setattr(store, "add_document", terminate_then_add)
    for url in _postgres_url():
        url = f"{url}&application_name={name}"
        report = ingest(plans(tmp_path / "in", 4), url)
        assert report.count("ingested") == 4, [o.reason for o in report.outcomes]
        assert len(stored(url)) == 4 and len(calls) == 5  # the second document was stored again


def virtual_mb() -> int:
    """This process's address space in MB (a forked child starts with the same)."""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmSize:"))
    return int(line.split()[1]) // 1024


def test_a_document_over_its_memory_limit_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnplan.pipeline import ingest as ingest_module

    real = ingest_module.process_data

    def hungry(data, source, *args):  # a runaway document: wants 4 GB
        if "hog" in source.name:
            return bytearray(4 * 2**30)
        return real(data, source, *args)

    monkeypatch.setattr(ingest_module, "process_data", hungry)
    hog = tmp_path / "in" / "hog.txt"
    paths = plans(tmp_path / "in", 1)
    hog.write_text(PLAN + "\nkhác\n", encoding="utf-8")
    options = PipelineOptions(limits=Limits(memory_mb=virtual_mb() + 1024))
    report = ingest([hog, *paths], f"sqlite:///{tmp_path / 'p.db'}", options=options)
    assert [(o.status, o.category) for o in report.outcomes] == [("failed", "too_large"), ("ingested", None)]
    assert "ran out of its memory limit" in report.outcomes[0].reason


def test_a_migration_killed_half_way_leaves_no_half_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from vnplan.models import database

    real = command.upgrade

    def dies_after_creating_tables(cfg, revision):  # as kill -9 would, after the DDL and before the commit
        real(cfg, revision)
        raise KeyboardInterrupt

    engine = database.connect(f"sqlite:///{tmp_path / 'plans.db'}")
    monkeypatch.setattr(command, "upgrade", dies_after_creating_tables)
    with pytest.raises(KeyboardInterrupt):
        database.upgrade(engine)
    assert inspect(engine).get_table_names() == []
    monkeypatch.setattr(command, "upgrade", real)
    database.upgrade(engine)  # the same command again finishes it
    assert "documents" in inspect(engine).get_table_names()
    engine.dispose()


def test_grouping_words_into_lines_grows_with_the_words_not_their_square() -> None:
    from vnplan.models.document import Word
    from vnplan.pipeline.layout import group_words_into_lines

    def one_line(n: int) -> list[Word]:
        return [Word("từ", (k * 0.05, 100 + (k % 3) * 0.1, k * 0.05 + 3, 110)) for k in range(n)]

    seconds = {}
    for n in (1000, 10000):
        started = time.perf_counter()
        lines = group_words_into_lines(one_line(n))
        seconds[n] = time.perf_counter() - started
        assert [len(x) for x in lines] == [n]
    assert seconds[10000] < 2, seconds  # it took 9 s for 5,000 words when each word rescanned its line


def test_reading_a_zips_members_grows_with_their_number_not_its_square(tmp_path: Path) -> None:
    from vnplan.pipeline.sources import archive_members

    seconds = {}
    for n in (1000, 5000):
        archive = tmp_path / f"many_{n}.zip"
        with zipfile.ZipFile(archive, "w") as out:
            for k in range(n):
                out.writestr(f"d/{k:05d}.txt", f"văn bản {k}\n")
        times = []
        for _ in range(3):  # the best of three: a loaded machine stalls some runs
            started = time.perf_counter()
            assert sum(len(s.read()) > 0 for s in archive_members(archive)) == n
            times.append(time.perf_counter() - started)
        seconds[n] = min(times)
    # each member re-read the member list before: 7.7 s for 1,000 members, minutes for 10,000. Five times the
    # members cost five times the time when linear, twenty-five when quadratic
    assert seconds[5000] < 12 * seconds[1000], seconds


def test_kill_9_with_two_workers_then_the_same_command_again_equals_a_clean_run(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    plans(folder, 8)
    args = [*VNPLAN, "ingest", str(folder), "--db", db_url, "--workers", "2"]
    for moment in (0, 1):  # early (start-up or schema creation, by timing), then after a document is stored
        run = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, start_new_session=True)
        if moment:
            for line in run.stdout:
                if line.strip().startswith("ingested"):
                    break
        else:
            time.sleep(2.5)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest([folder], clean)
    assert counts(db_url) == counts(clean)
    assert counts(db_url)[:3] == (8, 8, 8)


def counts(db_url: str) -> tuple[int, int, int, int]:
    """Documents, pages, documents with pages, tasks."""
    engine = connect(db_url)
    with Session(engine) as session:
        documents = session.scalar(select(func.count()).select_from(DocumentRow))
        pages = session.scalar(select(func.count()).select_from(PageRow))
        with_pages = session.scalar(select(func.count(func.distinct(PageRow.document_id))))
        tasks = session.scalar(select(func.count()).select_from(TaskRow))
    engine.dispose()
    return documents, pages, with_pages, tasks


#: Runs the command given after it; prints its exit code and the peak resident set of all its processes (KB).
PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout)"
)


def test_a_200_mb_text_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "ke-hoach-200mb.txt"
    with big.open("wb") as out:
        line = (PLAN.replace("\n", " ") + "\n").encode()
        for _ in range(200 * 2**20 // len(line)):
            out.write(line)
    good = plans(tmp_path / "in", 1)[0]
    db = f"sqlite:///{tmp_path / 'p.db'}"
    command = [*VNPLAN, "ingest", str(big), str(good), "--db", db]
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, text=True, timeout=300)
    first, *output = done.stdout.splitlines()
    code, peak_kb = map(int, first.split())
    assert code == ExitCode.DOCUMENTS_FAILED, done.stdout
    assert any("ke-hoach-200mb.txt: the file is 200 MB, more than the 8 MB limit for a text" in x for x in output)
    assert "2 documents: 1 ingested, 0 skipped, 1 failed" in done.stdout
    assert peak_kb < 600 * 1024, peak_kb  # what the pipeline's imports take; the file is never held in memory


def test_a_zip_of_thousands_of_members_is_read_member_by_member(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for k in range(2000):
            out.writestr(f"2021/{k:04d}.txt", PLAN)  # the same plan: one stored, the rest skipped by hash
    started = time.monotonic()
    done = vnplan("ingest", str(archive), "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert done.returncode == 0, done.stderr
    assert "2000 documents: 1 ingested, 1999 skipped" in done.stdout
    assert time.monotonic() - started < 90


def test_the_postgresql_backend_terminated_mid_run_is_met_by_reconnecting(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL

    for url in _postgres_url():
        name = f"vnplan_cli_{os.getpid()}"
        folder = tmp_path / "in"
        plans(folder, 6)
        args = [*VNPLAN, "ingest", str(folder), "--db", f"{url}&application_name={name}"]
        run = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = [run.stdout.readline()]  # the first document is stored: its backend is now terminated
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            killed = conn.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"),
                {"n": name},
            ).scalar()
        admin.dispose()
        out, err = run.communicate(timeout=300)
        assert killed >= 1 and run.returncode == 0, err
        assert "6 documents: 6 ingested" in out, [*lines, out]
        assert len(stored(url)) == 6
        engine = connect(url)
        with Session(engine) as session:  # nothing half-written: every document has its page
            assert session.scalar(select(func.count(func.distinct(PageRow.document_id)))) == 6
        engine.dispose()
        again = vnplan("ingest", str(folder), "--db", url)
        assert again.returncode == 0 and "6 documents: 0 ingested, 6 skipped" in again.stdout


def many_pages_pdf(path: Path, count: int) -> Path:
    """A PDF of ``count`` pages, each its own page object sharing one line of text (14.5 MB for 100,000)."""
    content = b"BT /F1 14 Tf 72 760 Td (Trang) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(count))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, count),
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 3 0 R/Resources<</Font<</F1 4 0 R>>>>>>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number in range(1, 5 + count):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number - 1] if number <= len(objects) else page)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_100000_page_pdf_stops_at_its_timeout(tmp_path: Path) -> None:
    pdf = many_pages_pdf(tmp_path / "100000-trang.pdf", 100_000)
    good = plans(tmp_path / "in", 1)[0]
    report = tmp_path / "report.json"
    db = f"sqlite:///{tmp_path / 'p.db'}"
    done = vnplan("ingest", str(pdf), str(good), "--db", db, "--timeout", "5", "--report", str(report))
    assert done.returncode == ExitCode.DOCUMENTS_FAILED, done.stderr
    slow, fast = json.loads(report.read_text(encoding="utf-8"))
    assert (slow["status"], slow["category"], slow["reason"]) == ("failed", "timeout", "gave up after 5 s (--timeout)")
    assert slow["seconds"] < 5 + 2 and fast["status"] == "ingested"


#: ``vnplan`` with its own process killed by SIGKILL right after the migrations' DDL, before their commit.
KILLED_IN_MIGRATION = """
import os, signal, sys
from alembic import command
from vnplan import cli

real = command.upgrade

def upgrade_then_die(cfg, revision):
    real(cfg, revision)
    os.kill(os.getpid(), signal.SIGKILL)

command.upgrade = upgrade_then_die
sys.argv = ["vnplan", *sys.argv[1:]]
cli.main()
"""


def test_kill_9_during_schema_creation_then_the_same_command_finishes(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    plans(folder, 2)
    args = ["ingest", str(folder), "--db", db_url]
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_MIGRATION, *args], capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = vnplan(*args)  # the same command again
    assert done.returncode == 0, done.stderr
    assert "2 documents: 2 ingested" in done.stdout
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest([folder], clean)
    assert counts(db_url) == counts(clean) and counts(db_url)[:3] == (2, 2, 2)
