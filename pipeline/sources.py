"""What to ingest: files, folders (recursively) and zip archives, one :class:`Source` per document.

Zip members are read straight from the archive, never unpacked to disk. A member
that cannot be read safely (a path leaving the archive, a zip inside the zip, a
member larger than any document) becomes a source with a ``problem``: it fails
alone, with that reason, and the batch goes on. A member name marked as UTF-8 that
is not is read with its bytes escaped (``ke-hoach-\\xff.txt``). No file or member is
read past the size of the largest document (text has a smaller limit, checked on its
first bytes), so neither a 200 MB text file nor a zip bomb is ever held in memory. A file of a kind vnplan does not
read, in a folder or a zip, becomes a source with a ``skip`` reason: it is reported
as skipped, never silently dropped.
"""

from __future__ import annotations

import bisect
import functools
import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from vnplan.models.errors import Category, InputError
from vnplan.pipeline.read import kind_of, read_bytes
from vnplan.pipeline.text_reader import MAX_TEXT_BYTES

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SUPPORTED = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".docx", ".doc", ".rtf"}
ARCHIVES = {".zip"}
#: Archives vnplan does not open, longest first (``.tar.gz`` before ``.gz``).
OTHER_ARCHIVES = (".tar.bz2", ".tar.gz", ".tar.xz", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".rar")
#: No document is bigger; a file or member claiming or unpacking to more is refused (a zip bomb).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
#: Compression methods whose unpacking zipfile bounds as it reads (bzip2 and LZMA unpack a whole block at once:
#: a few hundred bytes can become gigabytes in one call).
BOUNDED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
UNBOUNDED = (
    "the archive member is compressed with bzip2 or LZMA, which vnplan cannot unpack in bounded memory; re-zip it"
)
#: The first bytes of a file or member, enough to tell what kind of document it is (text or not).
HEAD_BYTES = 4096
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
        """The document's bytes; an InputError saying why they cannot be had. Nothing past the size
        limit of its kind (:func:`size_limit`) is read."""
        if self.problem:
            raise InputError(self.problem, self.category)
        if self.member is None:
            _refuse_a_large_file(self.path)
            return read_bytes(self.path)
        try:
            archive = open_archive(self.path)
            entry = archive.infolist()[self.index] if self.index is not None else _named(archive, self.member)
            with archive.open(entry) as handle:
                head = handle.read(HEAD_BYTES)
                limit, kind = size_limit(head)
                if entry.file_size > limit:
                    raise InputError(_too_large("the archive member", entry.file_size, limit, kind), TOO_LARGE)
                data = head + handle.read(limit + 1 - len(head))
        except RuntimeError as exc:  # zipfile's word for an encrypted member
            raise InputError("the archive member is encrypted and needs a password", Category.ENCRYPTED) from exc
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise InputError(f"the archive member is damaged and cannot be unpacked ({exc})") from exc
        except NotImplementedError as exc:  # a compression method or zip version zipfile does not know
            raise InputError(f"the archive member cannot be unpacked: {exc}", Category.UNSUPPORTED_TYPE) from exc
        if len(data) > limit:  # more than its header claimed
            raise InputError(f"the archive member unpacks to more than {limit // 2**20} MB (a zip bomb?)", TOO_LARGE)
        return data


def _named(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The first member shown as ``name`` (names that are not UTF-8 are shown escaped, as listed)."""
    found = next((info for info in archive.infolist() if info.filename == name), None)
    if found is None:
        raise InputError(f"the archive has no member {name}", Category.UNREADABLE)
    return found


def size_limit(head: bytes) -> tuple[int, str]:
    """The most bytes a document starting with ``head`` may have, and the kind it reads as: text
    (``MAX_TEXT_BYTES``: reading costs far more memory per byte) or any other document."""
    if kind_of(head) == "text" and not head.startswith(b"PK\x03\x04"):
        return MAX_TEXT_BYTES, "text"
    return MAX_MEMBER_BYTES, "document"


def _too_large(what: str, size: int, limit: int, kind: str) -> str:
    return f"{what} is {size / 2**20:,.0f} MB, more than the {limit // 2**20} MB limit for a {kind}; not read"


def _refuse_a_large_file(path: Path) -> None:
    """Raise an InputError for a regular file over its kind's limit, having read only its first bytes;
    anything else (a FIFO, a file that cannot be opened) is left to :func:`read_bytes` to report."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size <= MAX_TEXT_BYTES:
            return
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return
    limit, kind = size_limit(head)
    if info.st_size > limit:
        raise InputError(_too_large("the file", info.st_size, limit, kind), TOO_LARGE)


def open_archive(path: Path) -> zipfile.ZipFile:
    """The zip archive at ``path``, opened once for all its members (its member list is read once,
    not once per member); opened again when the file changed."""
    stat = path.stat()
    return _open_archive(path.absolute(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _open_archive(path: Path, mtime_ns: int, size: int) -> zipfile.ZipFile:
    return open_zip(path)


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip archive at ``path``. Member names marked as UTF-8 that are not (zipfile refuses the whole
    archive for one) are read with their bytes escaped: ``ke-hoach-\\xff.txt``. Raises UnicodeDecodeError
    when such an archive's central directory cannot be found (a zip64 archive)."""
    try:
        return zipfile.ZipFile(path)
    except UnicodeDecodeError:
        flags, names = _misnamed_members(path)
        if not flags:
            raise
    archive = zipfile.ZipFile(io.BufferedReader(_FlagsCleared(path, flags)))
    infos = archive.infolist()
    for index, name in names.items():
        infos[index].filename = name  # how it is shown; orig_filename still matches its local header
    return archive


#: The bit of a zip entry's flags that says its name is UTF-8 (bit 11: 0x08 in the flags' second byte).
UTF8_NAME_BIT = 0x08


def _misnamed_members(path: Path) -> tuple[list[int], dict[int, str]]:
    """Where the UTF-8 flag sits (central and local header) for each member whose name is marked as UTF-8
    but is not, and those members' escaped names by their place in the archive; nothing when the central
    directory is not where a plain (not zip64) archive keeps it."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        tail_start = handle.seek(max(0, size - 22 - 65535))  # the end record, and a comment of up to 64 KB
        tail = handle.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + 22 > len(tail):
            return [], {}
        directory_size, directory_offset = struct.unpack("<II", tail[end + 12 : end + 20])
        start = tail_start + end - directory_size
        shift = start - directory_offset  # bytes before the archive (a self-extracting stub)
        handle.seek(start)
        directory = handle.read(directory_size)
    flags: list[int] = []
    names: dict[int, str] = {}
    at, index = 0, 0
    while directory[at : at + 4] == b"PK\x01\x02" and at + 46 <= len(directory):
        (bits,) = struct.unpack("<H", directory[at + 8 : at + 10])
        name_length, extra_length, comment_length = struct.unpack("<HHH", directory[at + 28 : at + 34])
        (local,) = struct.unpack("<I", directory[at + 42 : at + 46])
        name = directory[at + 46 : at + 46 + name_length]
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            if bits & 0x800:
                flags += [start + at + 9, shift + local + 7]
                names[index] = name.decode("utf-8", "backslashreplace")
        at += 46 + name_length + extra_length + comment_length
        index += 1
    return sorted(flags), names


class _FlagsCleared(io.RawIOBase):
    """A file read with the UTF-8 name bit cleared in the bytes at ``flags``: zipfile then decodes those
    names as cp437 (every byte is a character), and compares local and central names alike."""

    def __init__(self, path: Path, flags: list[int]) -> None:
        super().__init__()
        self._file = path.open("rb")
        self._flags = flags

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: WriteableBuffer) -> int:
        start = self._file.tell()
        count = self._file.readinto(buffer)
        view = memoryview(buffer).cast("B")
        for at in self._flags[bisect.bisect_left(self._flags, start) :]:
            if at >= start + count:
                break
            view[at - start] &= ~UTF8_NAME_BIT & 0xFF
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def find_sources(paths: Iterable[Path], follow_links: bool = False) -> Iterator[Source]:
    """Every document under ``paths``: files as given, files and archives inside folders (recursively,
    sorted), and the members of zip archives. In folders, files of other kinds, special files (FIFOs,
    devices), links to folders and, unless ``follow_links``, links to files outside the folder come with
    a ``skip``; a link that leads nowhere (dangling, a loop) is a source that fails as unreadable."""
    for path in paths:
        if path.is_dir():
            inside = path.resolve()
            for file in sorted(p for p in path.rglob("*") if p.is_symlink() or not p.is_dir()):
                yield from _in_folder(file, inside, follow_links)
        else:
            yield from _sources_of(path)


def _in_folder(file: Path, inside: Path, follow_links: bool) -> Iterator[Source]:
    if file.is_symlink():
        if file.is_dir():
            yield Source(file, skip="a link to a folder: not followed (give the folder itself)")
            return
        try:
            target = file.resolve(strict=True)
        except (OSError, RuntimeError):  # dangling, or a loop: read, it fails saying why
            yield Source(file)
            return
        if not follow_links and not target.is_relative_to(inside):
            yield Source(file, skip="a link to a file outside the folder: not followed (--follow-links)")
            return
    if file.exists() and not file.is_file():
        yield Source(file, skip="not a regular file (a FIFO, a socket or a device): not read")
    elif reason := unsupported(file.name):
        yield Source(file, skip=reason)
    else:
        yield from _sources_of(file)


def unsupported(name: str) -> str | None:
    """Why a file found in a folder or a zip is not read, or None when it is a kind vnplan reads."""
    base = PurePosixPath(name.replace("\\", "/")).name
    if base.startswith("~$"):
        return "an Office lock file, not a document"
    if archive := other_archive(base):
        return archive
    suffix = PurePosixPath(base).suffix.lower()
    if suffix in SUPPORTED | ARCHIVES:
        return None
    kind = f"{suffix} files" if suffix else "files without an extension"
    return f"not a kind of file vnplan reads ({kind}; it reads PDF, PNG/JPEG/TIFF, .txt, .docx, .doc, .rtf, .zip)"


def other_archive(name: str) -> str | None:
    """Why an archive of another kind than zip (``.tar.gz``, ``.7z``, ``.rar``) is not read, or None."""
    lower = name.lower()
    kind = next((k for k in OTHER_ARCHIVES if lower.endswith(k)), None)
    return f"a {kind} archive: vnplan opens zip archives only (unpack it first)" if kind else None


def _sources_of(path: Path) -> Iterator[Source]:
    if path.suffix.lower() in ARCHIVES:
        yield from archive_members(path)
    elif reason := other_archive(path.name):
        yield Source(path, problem=reason, category=Category.UNSUPPORTED_TYPE)
    else:
        yield Source(path)


def archive_members(path: Path) -> Iterator[Source]:
    """The documents inside a zip archive; members of other kinds come with a ``skip`` reason, as in folders."""
    try:
        infos = [(k, i) for k, i in enumerate(open_archive(path).infolist()) if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        yield Source(path, problem=f"the zip archive is damaged or not a zip archive ({exc})")
        return
    except UnicodeDecodeError as exc:  # a zip64 archive with such a name: zipfile cannot list it
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
        elif info.compress_type not in BOUNDED_METHODS:
            yield Source(path, info.filename, UNBOUNDED, Category.UNSUPPORTED_TYPE)
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
