"""Where a benchmark's figures go: written as JSON to the ``--json`` path when one is given."""

from __future__ import annotations

import json
from pathlib import Path


def write_json(figures: object, path: Path | None) -> None:
    """Write ``figures`` to ``path`` as UTF-8 JSON (its folder made), when a path is given."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def report(figures: object, path: Path | None) -> None:
    """Print ``figures`` as JSON, and write them to ``path`` when one is given."""
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    write_json(figures, path)
