"""Review benchmark: the reviewer's panel driven as a reviewer drives it, on a database of 10,000+ tasks.

Ingests the born-digital samples (real PDF pages, so every task shown draws its page), then copies
their documents (pages, lines, tasks, owners, deadlines, budgets, review items) until the database
holds ``--tasks`` tasks, in a fresh SQLite file and, with ``--postgres``, a fresh PostgreSQL schema.
Then, on a ReviewPanel, as the buttons and boxes are used:

- seconds from pressing "Approve ▸ next" to the next task shown (fields, history, page picture),
  ``--runs`` times: median and 95th percentile (target: median ≤ 0.5 s);
- seconds to filter the queue by each filter (search without marks, owner, reason, province,
  document, status), to clear the filters again (each a full rebuild of the queue) and to press
  Refresh, ``--filter-runs`` times each: median and slowest (target: ≤ 1 s each);
- seconds to run the notebook from top to bottom on a fresh kernel (Run All), on that database.

    python benchmarks/review_bench.py [--tasks 10000] [--runs 40] [--filter-runs 5] [--postgres URL] [--json out.json]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import report  # noqa: E402
from vnplan.models.database import connect  # noqa: E402
from vnplan.models.schema import Base  # noqa: E402
from vnplan.pipeline.ingest import ingest  # noqa: E402
from vnplan.review import ReviewPanel  # noqa: E402

SAMPLES = sorted((ROOT / "samples" / "born-digital").glob("*.pdf"))
#: The tables a copied document takes with it, parents first, and the columns that point at a copied parent.
COPIED = [
    ("documents", {}),
    ("pages", {"document_id": "documents"}),
    ("lines", {"page_id": "pages"}),
    ("tasks", {"document_id": "documents"}),
    ("task_agencies", {"task_id": "tasks"}),
    ("deadlines", {"task_id": "tasks"}),
    ("budget_items", {"task_id": "tasks"}),
    ("review_items", {"document_id": "documents"}),
]


def build(url: str, tasks: int) -> dict:
    """Ingest the samples into ``url`` and copy their documents until it holds ``tasks`` tasks."""
    started = time.perf_counter()
    report = ingest(SAMPLES, url)
    assert all(o.status == "ingested" for o in report.outcomes), [o.reason for o in report.outcomes]
    engine = connect(url)
    with engine.begin() as conn:
        base = conn.scalar(text("SELECT COUNT(*) FROM tasks"))
        top = {table: conn.scalar(text(f"SELECT MAX(id) FROM {table}")) or 0 for table, _ in COPIED}
        copies = -(-tasks // base) - 1
        for k in range(1, copies + 1):
            for table, parents in COPIED:
                columns = [c.name for c in Base.metadata.tables[table].columns]
                chosen = []
                for name in columns:
                    if name == "id":
                        chosen.append(f"id + {k * top[table]}")
                    elif name in parents:
                        chosen.append(f"{name} + {k * top[parents[name]]}")
                    elif table == "documents" and name == "content_hash":
                        chosen.append(f"substr(content_hash, 1, 56) || 'copy{k:04d}'")
                    else:
                        chosen.append(name)
                conn.execute(
                    text(
                        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(chosen)} FROM {table} "
                        f"WHERE id <= {top[table]}"
                    )
                )
        if engine.dialect.name == "postgresql":  # the copies took ids past the sequences
            for table, _ in COPIED:
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
                )
        total = conn.scalar(text("SELECT COUNT(*) FROM tasks"))
        documents = conn.scalar(text("SELECT COUNT(*) FROM documents"))
    engine.dispose()
    return {"tasks": total, "documents": documents, "build_seconds": round(time.perf_counter() - started, 1)}


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def drive(url: str, runs: int, filter_runs: int) -> dict:
    """Open the panel, approve-and-next ``runs`` times, then filter by each filter ``filter_runs`` times."""
    opened = time.perf_counter()
    panel = ReviewPanel(url, reviewer="Benchmark")
    open_seconds = time.perf_counter() - opened
    first = panel.queue.options[0][1]
    panel.queue.value = (first,)
    shown = []
    for _ in range(runs):
        before = panel.task_id
        shown.append(timed(panel.approve_next.click))
        assert panel.task_id != before and "approved" in panel.status.value, panel.status.value
        assert panel.picture.value[:2] == b"\xff\xd8" and panel.text.value, "the next task is not shown"
    filters = {
        "search 'cai cach hanh chinh'": lambda: setattr(panel.search, "value", "cai cach hanh chinh"),
        "clear search": lambda: setattr(panel.search, "value", ""),
        "owner 'so noi vu'": lambda: setattr(panel.owner_filter, "value", "so noi vu"),
        "clear owner": lambda: setattr(panel.owner_filter, "value", ""),
        "reason: budget": lambda: setattr(panel.reason_filter, "value", "budget"),
        "reason: no owner": lambda: setattr(panel.reason_filter, "value", "no_owner"),
        "clear reason": lambda: setattr(panel.reason_filter, "value", ""),
        "province": lambda: setattr(panel.province_filter, "value", panel.province_filter.options[1][1]),
        "clear province": lambda: setattr(panel.province_filter, "value", ""),
        "document": lambda: setattr(panel.document_filter, "value", panel.document_filter.options[1][1]),
        "clear document": lambda: setattr(panel.document_filter, "value", ""),
        "status: any": lambda: setattr(panel.status_filter, "value", ""),
        "status: approved": lambda: setattr(panel.status_filter, "value", "approved"),
        "status: unreviewed": lambda: setattr(panel.status_filter, "value", "unreviewed"),
        "refresh": panel.refresh.click,
    }
    seconds: dict[str, list[float]] = {name: [] for name in filters}
    listed = {}
    for _ in range(filter_runs):  # the sequence ends where it began: unreviewed, no other filter
        for name, action in filters.items():
            seconds[name].append(timed(action))
            listed[name] = len(panel._queue)
            assert "color:#b00020" not in panel.status.value, panel.status.value
    filtering = {
        name: {
            "median seconds": round(statistics.median(times), 3),
            "slowest seconds": round(max(times), 3),
            "tasks listed": listed[name],
        }
        for name, times in seconds.items()
    }
    panel.close()
    ordered = sorted(shown)
    return {
        "panel open seconds": round(open_seconds, 2),
        "approve to next shown, median seconds": round(statistics.median(shown), 3),
        "approve to next shown, p95 seconds": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "approve to next shown, runs": runs,
        "filter seconds, slowest": max(f["slowest seconds"] for f in filtering.values()),
        "filter seconds, slowest median": max(f["median seconds"] for f in filtering.values()),
        "filter runs": filter_runs,
        "filters": filtering,
    }


def run_all(url: str) -> float:
    """Seconds to run the reviewer notebook from top to bottom on a fresh kernel (as Run All does)."""
    notebook = nbformat.read(ROOT / "notebooks" / "review.ipynb", as_version=4)
    os.environ["VNPLAN_DB"], os.environ["VNPLAN_REVIEWER"] = url, "Benchmark"
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    seconds = time.perf_counter() - started
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    return round(seconds, 2)


def measure(url: str, args: argparse.Namespace) -> dict:
    """The database built, the panel driven, the notebook run: every figure for one database."""
    return {**build(url, args.tasks), **drive(url, args.runs, args.filter_runs), "run all seconds": run_all(url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--filter-runs", type=int, default=5)
    parser.add_argument("--postgres", help="also run on a fresh schema of this PostgreSQL database")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'review.db'}"
        results["sqlite"] = measure(url, args)
    if args.postgres:
        schema = f"vnplan_review_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = f"{args.postgres}?options=-csearch_path%3D{schema}"
            results["postgresql"] = measure(url, args)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    report(results, args.json)


if __name__ == "__main__":
    main()
