"""Export stored documents as JSON in the shape of shared/spec/record.schema.json."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from models import store
from models.database import connect, upgrade
from models.schema import CitedDocumentRow, DocumentRow

FORMATS = ("json",)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _bbox(row: CitedDocumentRow) -> list[float] | None:
    box = (row.x0, row.y0, row.x1, row.y1)
    return [round(v, 2) for v in box] if None not in box else None


def document_record(row: DocumentRow) -> dict[str, Any]:
    """One document in the spec's record shape; ``doc`` is the source file's stem."""
    return {
        "doc": Path(row.source_name).stem,
        "metadata": {
            "doc_type": row.doc_type,
            "number": row.number,
            "issued_date": _iso(row.issued_date),
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
                "date": _iso(ref.date),
                "page": ref.page,
                "bbox": _bbox(ref),
                "confidence": ref.confidence,
            }
            for ref in row.references
        ],
        "tasks": [],
        "scores": [],
    }


def export_json(db_url: str, out_dir: Path) -> list[Path]:
    """Write ``out_dir/<stem>.json`` per document; documents sharing a stem go under their source folder's name."""
    engine = connect(db_url)
    upgrade(engine)
    written: list[Path] = []
    with Session(engine) as session:
        rows = store.all_documents(session)
        stems = Counter(Path(r.source_name).stem for r in rows)
        for row in rows:
            stem = Path(row.source_name).stem
            folder = out_dir / Path(row.source_path).parent.name if stems[stem] > 1 else out_dir
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{stem}.json"
            if target in written:  # same stem in same-named folders: keep both
                target = folder / f"{stem}.{row.content_hash[:12]}.json"
            target.write_text(json.dumps(document_record(row), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written.append(target)
    engine.dispose()
    return written
