"""Read stage: turn a PDF, image or text file into a :class:`~models.document.Document`."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from models.document import Document
from pipeline import pdf_reader, text_reader
from pipeline.errors import Category, InputError
from pipeline.ocr import ocr_image_file

IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def content_hash(data: bytes) -> str:
    """The document's identity: SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be read (a FIFO or a device is
    refused without being opened: reading it could block, or never end)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError("not a regular file (a FIFO, a socket or a device); not read", Category.UNSUPPORTED_TYPE)
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", Category.UNREADABLE) from exc


def kind_of(data: bytes) -> str:
    """``pdf``, ``image`` or ``text``, by the bytes rather than the name."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    return "image" if data.startswith(IMAGE_SIGNATURES) else "text"


def read(path: Path, jobs: int | None = None, max_pages: int | None = None) -> Document:
    """Read any supported file, choosing the reader by content rather than by name (see :func:`read_data`)."""
    return read_data(read_bytes(path), path, jobs, max_pages)


def read_data(data: bytes, source: Path, jobs: int | None = None, max_pages: int | None = None) -> Document:
    """Read a document from its bytes; ``source`` names it (a file, or ``archive.zip!member.pdf``).

    A PDF's pages are read in up to ``jobs`` processes (default: one per core); a document of more
    than ``max_pages`` pages is refused before it is read.
    """
    if not data:
        raise InputError("the file is empty", Category.EMPTY)
    doc = Document(source=source, content_hash=content_hash(data))
    kind = kind_of(data)
    if kind == "pdf":
        doc.pages = pdf_reader.read_pdf(data, jobs, max_pages)
    elif kind == "image":
        doc.pages = ocr_image_file(data, max_pages)
    elif source.suffix.lower() == ".pdf":
        raise InputError("named .pdf but is not a PDF file", Category.UNSUPPORTED_TYPE)
    else:
        doc.pages = text_reader.read_text(data)
    if not doc.pages:
        raise InputError("the document has no pages", Category.EMPTY)
    return doc
