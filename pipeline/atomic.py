"""Atomic writes: a file is either its old self or complete, never half-written (a full disk, a kill)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block succeeds,
    removed when it fails."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically, flushed to disk before the rename."""
    write_with(path, lambda target: _write_synced(target, text.encode("utf-8")))


def write_with(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` produce the file at a temporary path, then rename it over ``path``."""
    with replacing(path) as temporary:
        write(temporary)


def _write_synced(target: Path, data: bytes) -> None:
    with open(target, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
