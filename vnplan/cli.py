"""The ``vnplan`` command: ingest, export, ocr, restore, search, review, db."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vnplan.models.database import DEFAULT_URL
from vnplan.models.document import ReadMethod, TokenChange
from vnplan.models.errors import ExitCode, InputError, VnplanError
from vnplan.pipeline import __version__
from vnplan.pipeline.options import PipelineOptions

if TYPE_CHECKING:
    from vnplan.pipeline.ingest import Outcome, Report

log = logging.getLogger(__name__)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn Vietnamese plans and directives (PDF, images, Word, text) into a SQL database of who must do what.",
)

#: The defaults of every option that tunes the pipeline, in one place (``pipeline/options.py``).
DEFAULTS = PipelineOptions()

DbOption = Annotated[str, typer.Option("--db", help="Database URL: sqlite:///plans.db or postgresql://user@host/db.")]


class TextFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    parquet = "parquet"


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> typer.Exit:
    """Print one clear line to stderr and return the exit to raise."""
    typer.echo(f"vnplan: error: {one_line(message)}", err=True)
    return typer.Exit(code)


def one_line(text: str) -> str:
    """``text`` on one line, newlines shown as ``\\n``: a file name cannot forge a line of output."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def writable_folder(path: Path, what: str) -> None:
    """Fail before any work unless files can be written into the folder ``path``."""
    if not path.is_dir():
        raise fail(f"{what}: no such folder: {path}")
    if not os.access(path, os.W_OK | os.X_OK):
        raise fail(f"{what}: cannot write into {path}")


def show(name: str) -> str:
    """A document's name relative to the working folder where it lies below it."""
    archive, bang, member = name.partition("!")
    try:
        shown = str(Path(archive).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # outside the working folder, or a link loop
        shown = archive
    return shown + bang + member


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="PDF, image, Word (.docx, .doc), .rtf or .txt files, folders, zip archives.")
    ],
    db: DbOption = DEFAULT_URL,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Documents processed at once, each in its own process.")
    ] = DEFAULTS.jobs.workers,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Process on a Dask cluster instead: tcp://HOST:8786.")
    ] = DEFAULTS.jobs.scheduler,
    scheduler_timeout: Annotated[
        float,
        typer.Option("--scheduler-timeout", min=0.1, help="Seconds to wait for the Dask scheduler to answer."),
    ] = DEFAULTS.jobs.scheduler_timeout,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0, help="Give up on a document after this many seconds of wall time (0: never)."),
    ] = DEFAULTS.limits.timeout or 0,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Refuse documents with more pages than this.")
    ] = DEFAULTS.limits.max_pages,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Extract stored documents again; reviewers' corrections are kept.")
    ] = DEFAULTS.reprocess,
    memory_limit: Annotated[
        int | None,
        typer.Option("--memory-limit", min=64, help="Cap each document's processes at this many MB of memory."),
    ] = DEFAULTS.limits.memory_mb,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Read files that links in a folder point to outside it.")
    ] = DEFAULTS.follow_links,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", help="Also write what happened to each document to this JSON file."),
    ] = None,
) -> None:
    """Read, repair, extract and store documents; documents already stored are skipped
    (re-extracted when stored by an older extraction version, or with --reprocess). A killed run
    resumes when run again."""
    from vnplan.pipeline.ingest import ingest as run_ingest
    from vnplan.pipeline.ingest import write_report

    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(map(str, missing))}")
    if report_file is not None:
        writable_folder(report_file.absolute().parent, "--report")
    options = replace(
        DEFAULTS,
        limits=replace(DEFAULTS.limits, max_pages=max_pages, timeout=timeout or None, memory_mb=memory_limit),
        jobs=replace(DEFAULTS.jobs, workers=workers, scheduler=scheduler, scheduler_timeout=scheduler_timeout),
        reprocess=reprocess,
        follow_links=follow_links,
    )
    started = time.perf_counter()
    with IngestProgress() as progress:
        report = run_ingest(paths, db, options, on_outcome=progress.outcome, on_start=progress.start)
    if report_file is not None:
        write_report(report, report_file)
    typer.echo(f"{summary(report)} in {time.perf_counter() - started:.1f} s → {db}")
    if report.internal_errors:
        raise typer.Exit(ExitCode.INTERNAL)
    if report.count("failed"):
        raise typer.Exit(ExitCode.DOCUMENTS_FAILED)


class IngestProgress:
    """While documents are ingested: a line per document, and on a terminal a progress bar (documents
    done, pages per second, time left) on stderr, the lines printed above it."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("documents"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
            transient=True,
        )
        self.task = self.bar.add_task("ingest", total=None, rate="")
        self.started = time.perf_counter()
        self.pages = 0

    def __enter__(self) -> IngestProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, documents: int) -> None:
        """The number of documents to ingest is known."""
        self.bar.update(self.task, total=documents)

    def outcome(self, outcome: Outcome) -> None:
        """One document is done: its line, and the bar moves on."""
        line = outcome_line(outcome)
        if self.bar.disable:
            typer.echo(line)
        else:  # above the live progress bar
            self.bar.console.print(line, markup=False, highlight=False)
        self.pages += outcome.pages
        rate = self.pages / max(time.perf_counter() - self.started, 1e-9)
        self.bar.update(self.task, advance=1, rate=f"{rate:.1f} pages/s")


def outcome_line(outcome: Outcome) -> str:
    """One document's line: how its pages were read and what was found, or why it was skipped or failed."""
    if outcome.status != "ingested":
        return one_line(f"  {outcome.status:8s}  {show(outcome.path)}: {outcome.reason}")
    methods = ", ".join(f"{ReadMethod(m).label} {n}" for m, n in sorted(outcome.read_methods.items()))
    records = ", ".join(f"{n} {k}" for k, n in outcome.records.items())
    extra = f" ({outcome.reason})" if outcome.reason else ""
    status = "re-extracted" if outcome.re_extracted else "ingested"
    return one_line(f"  {status}  {show(outcome.path)}: {outcome.pages} pages ({methods}); {records}{extra}")


def summary(report: Report) -> str:
    """The run in one line: documents by outcome, pages by how they were read."""
    methods: Counter[str] = Counter()
    for o in report.outcomes:
        methods.update(o.read_methods)
    how = ", ".join(f"{n} by {ReadMethod(m).label}" for m, n in sorted(methods.items())) or "none read"
    unsupported = sum(o.unsupported for o in report.outcomes)
    not_read = f" ({unsupported} of a kind vnplan does not read)" if unsupported else ""
    again = report.re_extracted
    stored = f"{report.count('ingested') - again} ingested" + (f", {again} re-extracted" if again else "")
    empty = sum(len(o.empty_pages) for o in report.outcomes)
    empty_note = f", {empty} where OCR found no text" if empty else ""
    pages = sum(o.pages for o in report.outcomes)
    return (
        f"{len(report.outcomes)} documents: {stored}, {report.count('skipped')} skipped{not_read}, "
        f"{report.count('failed')} failed; {pages} pages ({how}{empty_note})"
    )


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write one <source stem>.json per document into.")],
    db: DbOption = DEFAULT_URL,
    format: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.json,
) -> None:
    """Export every stored document: JSON in the extraction spec's record shape (one file per document),
    or CSV/Parquet tables of tasks, documents, references and scores."""
    from vnplan.pipeline.export import export_json, export_tables

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"--out: cannot make the folder {out}: {exc.strerror or exc}") from exc
    writable_folder(out, "--out")
    written = export_json(db, out) if format is ExportFormat.json else export_tables(db, out, format.value)
    typer.echo(f"wrote {len(written)} {format.value} files to {out}")


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="A PDF, image, Word (.docx, .doc), .rtf or text file.")],
    format: Annotated[TextFormat, typer.Option("--format", help="text: reading order; json: the document model.")] = (
        TextFormat.text
    ),
) -> None:
    """Print the recovered text of a file in reading order (table rows as tab-separated cells)."""
    import json

    from vnplan.models.document import document_to_dict
    from vnplan.pipeline.read import read
    from vnplan.pipeline.repair import repair
    from vnplan.pipeline.tesseract import check_installed

    if not file.is_file():
        raise fail(f"no such file: {file}")
    try:
        check_installed()
        document = repair(read(file))
    except InputError as exc:
        raise fail(f"{file}: {exc}") from exc
    if format is TextFormat.json:
        typer.echo(json.dumps(document_to_dict(document), ensure_ascii=False, indent=1))
    else:
        for page in document.pages:
            typer.echo(page.text)
            if page is not document.pages[-1]:
                typer.echo("\f")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A text file, or a PDF or image to read first.")],
    diff: Annotated[bool, typer.Option("--diff", help="Show only the changed lines: as read, then restored.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Restore every line but one naming a file, not only those judged mangled.")
    ] = DEFAULTS.restore.force,
) -> None:
    """Print the text with the diacritics of mangled lines restored ("Chi s6 cai cach" → "Chỉ số cải cách")."""
    from vnplan.pipeline.read import kind_of, read
    from vnplan.pipeline.repair import repair, text_items, token_change
    from vnplan.pipeline.text_reader import decode

    if not file.is_file():
        raise fail(f"no such file: {file}")
    options = replace(DEFAULTS, restore=replace(DEFAULTS.restore, force=force))
    data = file.read_bytes()
    pairs: list[tuple[str, str, list[TokenChange]]] = []  # (as read, restored, changes) per line
    if kind_of(data) == "text":
        from vnplan.normalizers.restoration.restore import restore_text

        text = decode(data)
        result = restore_text(text, force=options.restore.force)
        lines = zip(text.split("\n"), result.text.split("\n"), result.line_changes(), strict=True)
        pairs += [(before, after, [token_change(c) for c in changes]) for before, after, changes in lines]
    else:
        try:
            document = read(file, options)
        except InputError as exc:
            raise fail(f"{file}: {exc}") from exc
        for page in repair(document, options).pages:
            pairs += [(x.raw if x.raw is not None else x.text, x.text, x.changes) for x in text_items(page)]
    for before, after, changes in pairs:
        if not diff:
            typer.echo(after)
        elif changes:
            typer.echo(f"- {before}\n+ {after}")
            typer.echo("  " + ", ".join(f"{c['original']} → {c['restored']} ({c['confidence']:.2f})" for c in changes))


db_app = typer.Typer(help="Database housekeeping.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = DEFAULT_URL) -> None:
    """Create the schema, or bring it up to this version's (Alembic migrations)."""
    from vnplan.models.database import connect, upgrade

    engine = connect(db)
    upgrade(engine)
    engine.dispose()
    typer.echo(f"{db}: schema up to date")


@app.command()
def search(
    words: Annotated[str, typer.Argument(help="Words of a task, with or without marks: 'so noi vu'.")],
    db: DbOption = DEFAULT_URL,
    limit: Annotated[int, typer.Option("--limit", help="At most this many tasks.")] = 20,
) -> None:
    """Find tasks by their words, accent-insensitively; prints document, code, owners and text."""
    from vnplan import tasks
    from vnplan.models.database import connect

    connect(db, must_exist=True).dispose()
    found = tasks(db, search=words, limit=limit)
    for row in found.itertuples():
        owners = row.owners or "-"
        typer.echo(f"{row.document_number or row.source_name}\t{row.code or ''}\t{owners}\t{row.text}")
    typer.echo(f"{len(found)} tasks", err=True)


@app.command()
def review(
    db: DbOption = DEFAULT_URL,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Your name, recorded with every change.")] = "",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Start the server without opening a browser.")] = (
        False
    ),
) -> None:
    """Open the reviewer notebook on DB in JupyterLab (needs the extra: pip install 'vnplan[review]')."""
    import importlib.util
    import shutil

    from vnplan.models.database import absolute_url

    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which("jupyter")
    missing = [name for name in ("jupyterlab", "ipywidgets", "anywidget") if importlib.util.find_spec(name) is None]
    if jupyter is None or missing:
        raise fail(f"{', '.join(missing) or 'jupyter'} not installed: pip install 'vnplan[review]' (or make review)")
    working = working_notebook()
    env = {**os.environ, "VNPLAN_DB": absolute_url(db), "VNPLAN_REVIEWER": reviewer}
    command = [jupyter, "lab", str(working), f"--ServerApp.root_dir={working.parent}"]
    command += ["--no-browser"] if no_browser else []
    command += ["--allow-root"] if os.geteuid() == 0 else []  # containers and CI machines run as root
    os.execve(jupyter, command, env)


def working_notebook() -> Path:
    """A fresh copy of the packaged reviewer notebook, in the user's data folder ($XDG_DATA_HOME/vnplan).

    JupyterLab saves outputs into the notebook it opens; opening a copy keeps the packaged one (and the
    repository's) clean, so it never shows another database's state."""
    folder = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "vnplan"
    folder.mkdir(parents=True, exist_ok=True)
    working = folder / "review.ipynb"
    working.write_bytes(resources.files("vnplan.notebooks").joinpath("review.ipynb").read_bytes())
    return working


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"vnplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what happens to stderr, with tracebacks of internal errors.")
    ] = False,
) -> None:
    """Turn Vietnamese plans and directives (PDF, images, text) into a SQL database of who must do what."""
    configure_logging(verbose)


def configure_logging(verbose: bool) -> None:
    """Log to stderr: warnings and errors (an internal error with its traceback); with ``verbose``,
    everything vnplan's own modules say."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("vnplan: %(levelname)s: %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.getLogger("vnplan").setLevel(logging.DEBUG if verbose else logging.WARNING)


def database_error(exc: Exception) -> str:
    """One line naming a database problem, without SQLAlchemy's wrapping ("unable to open database file")."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return f"the database cannot be used: {first}"


def main() -> None:
    """Entry point: a bad input or a missing dependency is one line on stderr with its exit code (every
    command's ``VnplanError`` ends here); a bug is logged with its traceback and ends with exit code 15."""
    from sqlalchemy.exc import DBAPIError

    try:
        app()
    except KeyboardInterrupt:
        typer.echo("vnplan: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except VnplanError as exc:
        typer.echo(f"vnplan: error: {one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except DBAPIError as exc:
        typer.echo(f"vnplan: error: {one_line(database_error(exc))}", err=True)
        sys.exit(ExitCode.UNREACHABLE)
    except Exception as exc:
        log.critical("internal error: %s: %s", type(exc).__name__, exc, exc_info=True)
        typer.echo(f"vnplan: internal error: {type(exc).__name__}: {one_line(str(exc))}", err=True)
        sys.exit(ExitCode.INTERNAL)
