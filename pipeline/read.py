"""Read stage: turn a PDF, image, Word, RTF or text file into a :class:`~vnplan.models.document.Document`."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

from vnplan.models.document import Document
from vnplan.models.errors import Category, InputError
from vnplan.pipeline import pdf_reader, text_reader, word_reader
from vnplan.pipeline.ocr import ocr_image_file
from vnplan.pipeline.office import convert_to_docx
from vnplan.pipeline.options import PipelineOptions

IMAGE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
    b"GIF87a",
    b"GIF89a",
    b"BM",
)
#: Readers accept up to this many bytes of junk before ``%PDF-`` (a mail header, a BOM, a web server's prefix).
PDF_HEADER_WITHIN = 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The name of a Word 97–2003 document's main stream, as an OLE2 directory holds it (UTF-16LE).
WORD_STREAM = "WordDocument".encode("utf-16-le")


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
    """``pdf``, ``image``, ``docx``, ``doc``, ``rtf``, ``ole2`` (another Office file) or ``text``, by the
    bytes rather than the name."""
    if pdf_start(data) >= 0:
        return "pdf"
    if data.startswith(IMAGE_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return "docx"
    if data.startswith(OLE2_SIGNATURE):
        return "doc" if WORD_STREAM in data else "ole2"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return "text"


def pdf_start(data: bytes) -> int:
    """Where ``%PDF-`` starts within the first kilobyte, or -1."""
    return data.find(b"%PDF-", 0, PDF_HEADER_WITHIN)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read(path: Path, options: PipelineOptions = PipelineOptions()) -> Document:
    """Read any supported file, choosing the reader by content rather than by name (see :func:`read_data`)."""
    return read_data(read_bytes(path), path, options)


def read_data(data: bytes, source: Path, options: PipelineOptions = PipelineOptions()) -> Document:
    """Read a document from its bytes; ``source`` names it (a file, or ``archive.zip!member.pdf``).

    A PDF's pages are read in up to ``options.jobs.page_jobs`` processes (default: one per core); a
    document of more than ``options.limits.max_pages`` pages is refused before it is read.
    """
    if not data:
        raise InputError("the file is empty", Category.EMPTY)
    doc = Document(source=source, content_hash=content_hash(data))
    kind = kind_of(data)
    if kind == "pdf":
        doc.pages = pdf_reader.read_pdf(data[pdf_start(data) :], options)
    elif kind == "image":
        doc.pages = ocr_image_file(data, options.limits.max_pages, options=options.ocr)
    elif kind == "docx":
        doc.pages = word_reader.read_docx(data)
    elif kind in ("doc", "rtf"):
        doc.pages = word_reader.read_docx(convert_to_docx(data, f".{kind}"))
    elif kind == "ole2":
        raise InputError(
            "an Office file that is not a Word document (a spreadsheet or a presentation?)", Category.UNSUPPORTED_TYPE
        )
    elif source.suffix.lower() == ".pdf":
        raise InputError("named .pdf but is not a PDF file", Category.UNSUPPORTED_TYPE)
    else:
        doc.pages = text_reader.read_text(data)
    if not doc.pages:
        raise InputError("the document has no pages", Category.EMPTY)
    return doc
