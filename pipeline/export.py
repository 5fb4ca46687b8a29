"""Export stored documents as JSON in the shape of shared/spec/record.schema.json, or as flat
CSV/Parquet tables; every file written atomically, inside the folder asked for."""

from __future__ import annotations

import json
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from vnplan.models import store
from vnplan.models.database import connect, upgrade
from vnplan.models.schema import DocumentRow
from vnplan.models.task_record import row_box, task_record
from vnplan.normalizers.dates import iso_text
from vnplan.pipeline.atomic import write_text, write_with

#: Flat tables written by the CSV and Parquet exports, and the SQL behind each.
TABLES = {
    "tasks": "SELECT * FROM task_overview ORDER BY document_id, task_id",
    "documents": "SELECT id AS document_id, source_name, content_hash, doc_type, number, issued_date, province, "
    "issuer, title, signer, year, page_count, pipeline_version, ingested_at FROM documents ORDER BY id",
    "references": "SELECT document_id, kind, number, date, page, confidence FROM cited_documents "
    "ORDER BY document_id, position",
    "scores": "SELECT document_id, code, name, max_points, achieved_points, lost_points, page, confidence "
    "FROM scores ORDER BY document_id, position",
}


def document_record(row: DocumentRow) -> dict[str, Any]:
    """One document in the spec's record shape; ``doc`` is the source file's stem."""
    return {
        "doc": Path(row.source_name).stem,
        "metadata": {
            "doc_type": row.doc_type,
            "number": row.number,
            "issued_date": iso_text(row.issued_date),
            "province": row.province,
            "issuer": row.issuer,
            "title": row.title,
            "signer": row.signer,
            "year": row.year,
        },
        "references": [
            {
                "kind": ref.kind,
                "number": ref.number,
                "date": iso_text(ref.date),
                "page": ref.page,
                "bbox": row_box(ref),
                "confidence": ref.confidence,
            }
            for ref in row.references
        ],
        "tasks": [task_record(task) for task in row.tasks],
        "scores": [
            {
                "code": score.code,
                "name": score.name,
                "max_points": score.max_points,
                "achieved_points": score.achieved_points,
                "lost_points": score.lost_points,
                "page": score.page,
                "confidence": score.confidence,
            }
            for score in row.scores
        ],
    }


#: Longest file or folder name written (bytes of UTF-8): file systems allow 255.
MAX_NAME_BYTES = 120


def safe_name(name: str, digest: str) -> str:
    """``name`` as one file name: no folder separators, no ``..``, no control characters, at most
    :data:`MAX_NAME_BYTES` bytes (a long name is cut and made unique with the document's hash)."""
    cleaned = "".join("_" if c in '/\\:' or ord(c) < 32 else c for c in name).strip(". ") or "document"
    if len(cleaned.encode("utf-8")) <= MAX_NAME_BYTES:
        return cleaned
    cut = cleaned.encode("utf-8")[: MAX_NAME_BYTES - 13].decode("utf-8", "ignore")
    return f"{cut}-{digest[:12]}"


def export_json(db_url: str, out_dir: Path) -> list[Path]:
    """Write ``out_dir/<stem>.json`` per document; documents sharing a stem go under their source
    folder's name. Names are made safe (:func:`safe_name`), so every file lies inside ``out_dir``;
    each is written atomically."""
    engine = connect(db_url, must_exist=True)
    upgrade(engine)
    written: list[Path] = []
    with Session(engine) as session:
        rows = store.all_documents(session)
        stems = Counter(Path(r.source_name).stem for r in rows)
        for row in rows:
            stem = safe_name(Path(row.source_name).stem, row.content_hash)
            shared = stems[Path(row.source_name).stem] > 1
            folder = out_dir / safe_name(Path(row.source_path).parent.name, row.content_hash) if shared else out_dir
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{stem}.json"
            if target in written:  # same stem in same-named folders: keep both
                target = folder / f"{stem}.{row.content_hash[:12]}.json"
            write_text(target, json.dumps(document_record(row), ensure_ascii=False, indent=1) + "\n")
            written.append(target)
    engine.dispose()
    return written


def export_tables(db_url: str, out_dir: Path, fmt: str) -> list[Path]:
    """Write tasks, documents, references and scores as flat ``csv`` (UTF-8) or ``parquet`` files."""
    engine = connect(db_url, must_exist=True)
    upgrade(engine)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with engine.connect() as conn:
        for name, sql in TABLES.items():
            frame = pd.read_sql(text(sql), conn)
            target = out_dir / f"{name}.{fmt}"
            if fmt == "csv":
                write_with(target, partial(frame.to_csv, index=False, encoding="utf-8"))
            else:
                write_with(target, partial(frame.to_parquet, index=False))
            written.append(target)
    engine.dispose()
    return written
