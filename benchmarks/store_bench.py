"""Store benchmark: a synthetic archive in SQLite and PostgreSQL, bulk-load rate and query latency.

Builds an archive of ``--documents`` documents with ``--tasks`` tasks each (default 100,000 and
20: two million tasks) with owners, co-owners, deadlines and budgets, in a fresh SQLite file and
a fresh PostgreSQL schema, in one run; reports rows per second of the bulk load and the median
and 95th-percentile latency of every query in docs/schema.md (with varied parameters) and of
the accent-insensitive search.

    python benchmarks/store_bench.py [--documents 100000] [--tasks 20] [--runs 30] [--json out.json]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import write_json  # noqa: E402
from vnplan.models import queries  # noqa: E402
from vnplan.models.database import connect, upgrade  # noqa: E402
from vnplan.models.schema import (  # noqa: E402
    AgencyRow,
    BudgetItemRow,
    DeadlineRow,
    DocumentRow,
    TaskAgencyRow,
    TaskRow,
)
from vnplan.normalizers.agencies import BODIES, DEPARTMENTS  # noqa: E402
from vnplan.normalizers.text import fold  # noqa: E402

#: Vietnam's 63 provinces and cities, over which the synthetic archive is spread.
PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cần Thơ",
    "Cao Bằng",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]
VERBS = ["Rà soát", "Tổ chức", "Triển khai", "Xây dựng", "Kiểm tra", "Tăng cường", "Nâng cao", "Hoàn thiện"]
OBJECTS = [
    "thủ tục hành chính",
    "văn bản quy phạm pháp luật",
    "dịch vụ công trực tuyến",
    "cơ chế một cửa",
    "đội ngũ cán bộ, công chức",
    "hệ thống quản lý chất lượng",
    "chỉ số cải cách hành chính",
    "công tác tuyên truyền",
    "phần mềm quản lý văn bản",
    "tinh giản biên chế",
]
PLACES = ["trên địa bàn tỉnh", "tại các sở, ban, ngành", "ở cấp huyện", "ở cấp xã", "theo quy định"]
SOURCES = ["Nguồn ngân sách tỉnh", "Nguồn sự nghiệp đào tạo", "Nguồn xã hội hóa"]
RECURRENCES = [None, None, None, "yearly", "quarterly", "continuous"]
CHUNK = 20000


def agency_names() -> list[str]:
    return [f"Sở {name}" for name in DEPARTMENTS] + list(BODIES)


def load(engine, documents: int, tasks_per_document: int, seed: int = 7) -> dict:
    """Bulk-load the synthetic archive; returns counts and seconds."""
    rng = random.Random(seed)
    names = agency_names()
    started = time.perf_counter()
    rows = 0
    with engine.begin() as conn:
        conn.execute(
            insert(AgencyRow), [{"id": k + 1, "name": n, "key": fold(n), "aliases": []} for k, n in enumerate(names)]
        )
    task_id = 0
    for first in range(0, documents, CHUNK // tasks_per_document or 1):
        last = min(documents, first + max(1, CHUNK // tasks_per_document))
        docs, tasks, links, deadlines, budgets = [], [], [], [], []
        for d in range(first + 1, last + 1):
            year = 2015 + d % 11
            docs.append(
                {
                    "id": d,
                    "content_hash": uuid.UUID(int=rng.getrandbits(128)).hex * 2,
                    "source_name": f"{d:06d}.pdf",
                    "source_path": f"/archive/{d:06d}.pdf",
                    "pipeline_version": "bench",
                    "status": "ingested",
                    "page_count": 10,
                    "doc_type": "KH",
                    "number": f"{d}/KH-UBND",
                    "issued_date": date(year - 1, 12, 1),
                    "province": PROVINCES[d % len(PROVINCES)],
                    "issuer": "UBND tỉnh",
                    "title": "Kế hoạch",
                    "signer": "Nguyễn Văn A",
                    "year": year,
                }
            )
            for k in range(tasks_per_document):
                task_id += 1
                words = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} năm {year}"
                tasks.append(
                    {
                        "id": task_id,
                        "document_id": d,
                        "position": k,
                        "code": f"{k // 5 + 1}.{k % 5 + 1}",
                        "section": "II. NHIỆM VỤ",
                        "text": words,
                        "text_key": fold(words),
                        "origin": "machine",
                        "review_status": "unreviewed",
                        "page": 1 + k // 4,
                        "confidence": 0.9,
                    }
                )
                owners = rng.sample(range(1, len(names) + 1), 1 + rng.randrange(3))
                links += [
                    {"task_id": task_id, "agency_id": a, "role": "owner" if i == 0 else "co_owner", "position": i}
                    for i, a in enumerate(owners)
                ]
                if rng.random() < 0.5:
                    recurrence = rng.choice(RECURRENCES)
                    quarter = rng.randrange(4)
                    deadlines.append(
                        {
                            "task_id": task_id,
                            "raw": "Quý",
                            "recurrence": recurrence,
                            "start_date": None if recurrence else date(year, 3 * quarter + 1, 1),
                            "end_date": None if recurrence else date(year, 3 * quarter + 3, 28),
                        }
                    )
                if rng.random() < 0.3:
                    amount = float(rng.randrange(10, 5000))
                    budgets += [
                        {"task_id": task_id, "source": None, "amount": amount, "unit": "triệu đồng"},
                        {"task_id": task_id, "source": rng.choice(SOURCES), "amount": amount, "unit": "triệu đồng"},
                    ]
        with engine.begin() as conn:
            for table, batch in (
                (DocumentRow, docs),
                (TaskRow, tasks),
                (TaskAgencyRow, links),
                (DeadlineRow, deadlines),
                (BudgetItemRow, budgets),
            ):
                if batch:
                    conn.execute(insert(table), batch)
                    rows += len(batch)
    seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return {
        "documents": documents,
        "tasks": task_id,
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "documents_per_s": round(documents / seconds),
    }


def documented_queries() -> list[str]:
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", doc, re.S)


def vary(sql: str, rng: random.Random) -> str:
    """The documented query with other, realistic parameters (another agency, province, year, dates)."""
    year = rng.randrange(2015, 2026)
    agency = rng.choice(agency_names()).replace("'", "''")
    sql = sql.replace("'Sở Tư pháp'", f"'{agency}'").replace("'Hà Giang'", f"'{rng.choice(PROVINCES)}'")
    sql = re.sub(r"year = \d{4}", f"year = {year}", sql)
    return sql.replace("'2020-07-01' AND '2020-12-31'", f"'{year}-07-01' AND '{year}-09-30'")


def time_queries(engine, runs: int, seed: int = 11) -> dict[str, dict]:
    rng = random.Random(seed)
    out = {}
    cases = [(f"q{k}", sql) for k, sql in enumerate(documented_queries(), start=1)]
    for name, sql in cases:
        samples = []
        with engine.connect() as conn:
            for _ in range(runs):
                query = vary(sql, rng)
                t0 = time.perf_counter()
                conn.execute(text(query)).fetchall()
                samples.append((time.perf_counter() - t0) * 1000)
        out[name] = _stats(samples)
    # Search phrases of three rarities: in 1 task of 80, in 1 of 400, in none (words in the wrong order).
    phrases = {
        "search": lambda: f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
        "search (rarer)": lambda: f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}",
        "search (none)": lambda: f"{rng.choice(OBJECTS)} {rng.choice(VERBS)}",
    }
    for name, phrase in phrases.items():
        samples = []
        for _ in range(runs):
            words = phrase()
            t0 = time.perf_counter()
            queries.tasks(engine, search=words, limit=100)
            samples.append((time.perf_counter() - t0) * 1000)
        out[name] = _stats(samples)
    return out


def _stats(samples: list[float]) -> dict:
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--tasks", type=int, default=20, help="tasks per document")
    ap.add_argument("--runs", type=int, default=30, help="runs of each query")
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--databases", default="sqlite,postgresql", help="which to build, comma-separated")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        wanted = set(args.databases.split(","))
        targets = {"sqlite": f"sqlite:///{tmp}/bench.db"} if "sqlite" in wanted else {}
        schema = f"vnplan_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        try:
            if "postgresql" in wanted:
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                targets["postgresql"] = f"{args.pg}?options=-csearch_path%3D{schema}"
        except Exception as exc:
            print(f"PostgreSQL skipped: {str(exc).splitlines()[0]}")
        try:
            for name, url in targets.items():
                engine = connect(url)
                upgrade(engine)
                loaded = load(engine, args.documents, args.tasks)
                timings = time_queries(engine, args.runs)
                engine.dispose()
                results[name] = {"load": loaded, "queries": timings}
                print(
                    f"{name}: loaded {loaded['documents']:,} documents, {loaded['tasks']:,} tasks, "
                    f"{loaded['rows']:,} rows in {loaded['seconds']} s ({loaded['rows_per_s']:,} rows/s)"
                )
                for q, t in timings.items():
                    flag = "" if t["p95_ms"] < 50 else "  over 50 ms"
                    print(f"  {q:14s} median {t['median_ms']:8.1f} ms   p95 {t['p95_ms']:8.1f} ms{flag}")
        finally:
            if "postgresql" in targets:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    write_json(results, args.json)


if __name__ == "__main__":
    main()
