"""Errors a person can act on: one line saying what is wrong with which input, a category that
says what kind of failure it is (stored with the failure, in the database and the JSON report),
and the exit status of ``vnplan`` when the error ends the command."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """The exit status of ``vnplan`` (documented in the README)."""

    OK = 0
    #: some documents failed (each with its reason in the summary, the report and ``ingestion_errors``)
    DOCUMENTS_FAILED = 1
    #: the command could not run: a bad argument, a missing file, an unusable database URL
    BAD_INPUT = 2
    #: a program or data the pipeline needs (Tesseract, its ``vie`` or ``osd`` language) is missing
    MISSING_DEPENDENCY = 3
    #: the database or the Dask scheduler cannot be reached or opened
    UNREACHABLE = 4
    #: an export or the report cannot be written (a full disk, no permission); any older file is left whole
    CANNOT_WRITE = 5
    #: a bug: an error the pipeline did not expect (logged with its traceback)
    INTERNAL = 15
    #: stopped by Ctrl-C
    INTERRUPTED = 130


class Category(StrEnum):
    """What kind of failure: stored in ``ingestion_errors.category`` and the report's ``category``."""

    DAMAGED = "damaged"  # the bytes cannot be parsed or decoded
    ENCRYPTED = "encrypted"  # needs a password
    EMPTY = "empty"  # no bytes, or no pages
    TOO_MANY_PAGES = "too_many_pages"  # over --max-pages
    TOO_LARGE = "too_large"  # an image or page over the pixel budget, a member over the size limit
    TIMEOUT = "timeout"  # past --timeout, or a Tesseract call past its own limit
    UNSAFE_ARCHIVE_MEMBER = "unsafe_archive_member"  # zip slip, a zip inside a zip
    UNSUPPORTED_TYPE = "unsupported_type"  # not a kind of file vnplan reads
    UNREADABLE = "unreadable"  # the file cannot be opened (permissions, a dangling link)
    OCR_FAILED = "ocr_failed"  # Tesseract failed on a page
    WORKER_DIED = "worker_died"  # the process reading the document died (out of memory, killed)
    MISSING_DEPENDENCY = "missing_dependency"
    DATABASE = "database"
    USAGE = "usage"  # a bad argument
    UNWRITABLE = "unwritable"  # an export or report cannot be written
    INTERNAL = "internal"  # a bug


class VnplanError(Exception):
    """The base error: a one-line message, a :class:`Category` and the :class:`ExitCode` it ends with."""

    category: Category = Category.INTERNAL
    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, category: Category | None = None) -> None:
        super().__init__(message)
        if category is not None:
            self.category = category

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self):  # pickled across worker processes with its category
        return (type(self), (str(self), self.category))


class InputError(VnplanError):
    """A document, argument or URL that cannot be used, with a message meant for a person."""

    category = Category.DAMAGED
    exit_code = ExitCode.BAD_INPUT


class MissingDependency(VnplanError):
    """A program or language data the pipeline needs is not installed; says how to install it."""

    category = Category.MISSING_DEPENDENCY
    exit_code = ExitCode.MISSING_DEPENDENCY


class Unreachable(VnplanError):
    """The database or the Dask scheduler cannot be reached or opened."""

    category = Category.DATABASE
    exit_code = ExitCode.UNREACHABLE


class CannotWrite(VnplanError):
    """An output file (an export, the report) cannot be written: a full disk, a folder without permission."""

    category = Category.UNWRITABLE
    exit_code = ExitCode.CANNOT_WRITE


def category_of(exc: BaseException) -> Category:
    """The category of any exception: its own for a :class:`VnplanError`, ``internal`` otherwise."""
    return exc.category if isinstance(exc, VnplanError) else Category.INTERNAL
