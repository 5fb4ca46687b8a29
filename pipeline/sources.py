"""What to ingest: files, folders (recursively) and zip archives, one :class:`Source` per document.

Zip members are read straight from the archive, never unpacked to disk. A member
that cannot be read safely (a path leaving the archive, a zip inside the zip, a
member larger than any document) becomes a source with a ``problem``: it fails
alone, with that reason, and the batch goes on. A file of a kind vnplan does not
read, in a folder or a zip, becomes a source with a ``skip`` reason: it is reported
as skipped, never silently dropped.
"""

from __future__ import annotations

import functools
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from models.errors import Category, InputError
from pipeline.read import read_bytes

SUPPORTED = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".docx", ".doc", ".rtf"}
ARCHIVES = {".zip"}
#: No document is bigger; a member claiming or unpacking to more is refused (a zip bomb).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
UNSAFE, TOO_LARGE = Category.UNSAFE_ARCHIVE_MEMBER, Category.TOO_LARGE


@dataclass(frozen=True)
class Source:
    """One input document: a file, or a member of a zip archive (``archive.zip!member.pdf``)."""

    path: Path  # the file; for a member, its archive
    member: str | None = None
    problem: str | None = None  # why it cannot be read, found when the archive was listed
    category: Category = Category.DAMAGED  # the problem's kind
    index: int | None = None  # a member's place in the archive: members may share a name
    skip: str | None = None  # why it is not read at all (a kind of file vnplan does not read)

    @property
    def name(self) -> str:
        """How reports name it: the path, or ``archive.zip!member``; bytes of a file name that are
        not UTF-8 are shown as ``\\xff`` escapes."""
        path = os.fsencode(self.path).decode("utf-8", "backslashreplace")
        return f"{path}!{self.member}" if self.member is not None else path

    @classmethod
    def from_name(cls, name: str) -> Source:
        """The source a :attr:`name` stands for (a file whose own name has ``.zip!`` stays a file)."""
        path = Path(name)
        if not path.exists() and ".zip!" in name:
            archive, member = name.split(".zip!", 1)
            return cls(Path(archive + ".zip"), member)
        return cls(path)

    def read(self) -> bytes:
        """The document's bytes; an InputError saying why they cannot be had."""
        if self.problem:
            raise InputError(self.problem, self.category)
        if self.member is None:
            return read_bytes(self.path)
        try:
            archive = open_archive(self.path)
            entry = archive.infolist()[self.index] if self.index is not None else self.member
            with archive.open(entry) as handle:
                data = handle.read(MAX_MEMBER_BYTES + 1)
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise InputError(f"the archive member cannot be read: {exc}", Category.ENCRYPTED) from exc
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise InputError(f"the archive member is damaged and cannot be unpacked ({exc})") from exc
        except NotImplementedError as exc:  # a compression method or zip version zipfile does not know
            raise InputError(f"the archive member cannot be unpacked: {exc}", Category.UNSUPPORTED_TYPE) from exc
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(
                f"the archive member unpacks to more than {MAX_MEMBER_BYTES // 2**20} MB (a zip bomb?)", TOO_LARGE
            )
        return data


def open_archive(path: Path) -> zipfile.ZipFile:
    """The zip archive at ``path``, opened once for all its members (its member list is read once,
    not once per member); opened again when the file changed."""
    stat = path.stat()
    return _open_archive(path.absolute(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _open_archive(path: Path, mtime_ns: int, size: int) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def find_sources(paths: Iterable[Path], follow_links: bool = False) -> Iterator[Source]:
    """Every document under ``paths``: files as given, files and archives inside folders (recursively,
    sorted), and the members of zip archives; files of other kinds in folders and zips come with a ``skip``,
    and so do links in a folder to files outside it, unless ``follow_links``."""
    for path in paths:
        if path.is_dir():
            inside = path.resolve()
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                reason = unsupported(file.name)
                if file.is_symlink() and not follow_links and not file.resolve().is_relative_to(inside):
                    yield Source(file, skip="a link to a file outside the folder: not followed (--follow-links)")
                elif reason:
                    yield Source(file, skip=reason)
                else:
                    yield from _sources_of(file)
        else:
            yield from _sources_of(path)


def unsupported(name: str) -> str | None:
    """Why a file found in a folder or a zip is not read, or None when it is a kind vnplan reads."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if base.startswith("~$"):
        return "an Office lock file, not a document"
    suffix = PurePosixPath(base).suffix.lower()
    if suffix in SUPPORTED | ARCHIVES:
        return None
    kind = f"{suffix} files" if suffix else "files without an extension"
    return f"not a kind of file vnplan reads ({kind}; it reads PDF, PNG/JPEG/TIFF, .txt, .docx, .doc, .rtf, .zip)"


def _sources_of(path: Path) -> Iterator[Source]:
    if path.suffix.lower() in ARCHIVES:
        yield from archive_members(path)
    else:
        yield Source(path)


def archive_members(path: Path) -> Iterator[Source]:
    """The documents inside a zip archive; members of other kinds come with a ``skip`` reason, as in folders."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [(k, i) for k, i in enumerate(archive.infolist()) if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        yield Source(path, problem=f"the zip archive is damaged or not a zip archive ({exc})")
        return
    except UnicodeDecodeError as exc:  # zipfile cannot list an archive with such a name
        bad = exc.object[max(0, exc.start - 20) : exc.end + 20].decode("utf-8", "backslashreplace")
        yield Source(path, problem=f"a member's name is marked as UTF-8 but is not (…{bad}…); the archive is not read")
        return
    except NotImplementedError as exc:  # a zip version or feature zipfile does not know
        yield Source(path, problem=f"the zip archive cannot be read: {exc}", category=Category.UNSUPPORTED_TYPE)
        return
    for index, info in infos:
        suffix = PurePosixPath(info.filename).suffix.lower()
        if unsafe_member(info.filename):
            yield Source(
                path, info.filename, "the archive member's path leaves the archive (zip slip); not read", UNSAFE
            )
        elif suffix in ARCHIVES:
            yield Source(path, info.filename, "a zip archive inside a zip archive is not read; unpack it first", UNSAFE)
        elif info.file_size > MAX_MEMBER_BYTES:
            yield Source(
                path, info.filename, f"the archive member is larger than {MAX_MEMBER_BYTES // 2**20} MB", TOO_LARGE
            )
        elif reason := unsupported(info.filename):
            yield Source(path, info.filename, skip=reason, index=index)
        else:
            yield Source(path, info.filename, index=index)


def unsafe_member(name: str) -> bool:
    """True for a member name that is absolute or climbs out of the archive (``../``, ``C:\\``)."""
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.drive or pure.root or ".." in pure.parts:
            return True
    return False
