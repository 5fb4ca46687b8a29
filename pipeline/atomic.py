"""Atomic writes: a file is either its old self or complete, never half-written (a full disk, a kill)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vnplan.models.errors import CannotWrite


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block succeeds,
    removed when it fails. The file gets the permissions a new file gets (``mkstemp`` makes it private);
    an OSError while writing (a full disk) becomes :class:`CannotWrite`, naming the file."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".part")
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from exc
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
