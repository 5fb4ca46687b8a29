"""PDF input: pdfplumber for pages with a text layer, Tesseract for pages without one."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from models.document import Line, Page, ReadMethod
from pipeline.errors import InputError
from pipeline.ocr import ocr_pdf_pages

#: A gap between lines larger than this many line heights starts a new block.
BLOCK_GAP = 0.45


def read_pdf(path: Path) -> list[Page]:
    """Read every page; pages without a text layer are OCRed (in parallel processes)."""
    pages: list[Page] = []
    scanned: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                raise InputError("the PDF has no pages")
            for index, plumber_page in enumerate(pdf.pages):
                if plumber_page.chars:
                    pages.append(read_text_layer(plumber_page, index + 1))
                else:
                    scanned.append(index)
                    pages.append(Page(index + 1, float(plumber_page.width), float(plumber_page.height), ReadMethod.OCR))
    except PdfminerException as exc:
        raise InputError(describe_pdf_error(exc)) from exc
    except (PDFSyntaxError, PDFPasswordIncorrect) as exc:
        raise InputError(describe_pdf_error(exc)) from exc
    for page in ocr_pdf_pages(path, scanned):
        pages[page.number - 1] = page
    return pages


def describe_pdf_error(exc: Exception) -> str:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
        return "the PDF is encrypted and needs a password"
    return f"the PDF is damaged and cannot be parsed ({type(cause).__name__})"


def read_text_layer(page: pdfplumber.page.Page, number: int) -> Page:
    """Lines of a born-digital page in reading order; each ruled-table row becomes one line."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside_tables(obj: dict) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[Line, int | None]] = []
    body = page.filter(outside_tables) if boxes else page
    for raw in body.extract_text_lines(return_chars=False):
        items.append((Line(text=raw["text"], bbox=(raw["x0"], raw["top"], raw["x1"], raw["bottom"])), None))
    for k, table in enumerate(tables):
        for row, cells in zip(table.rows, table.extract(), strict=True):
            texts = [" ".join((cell or "").split()) for cell in cells]
            if any(texts):
                items.append((Line(text="\t".join(texts), bbox=tuple(row.bbox)), k))
    items.sort(key=lambda item: (item[0].bbox[1], item[1] is not None))
    return Page(number, float(page.width), float(page.height), ReadMethod.TEXT_LAYER, assign_blocks(items))


def assign_blocks(items: list[tuple[Line, int | None]]) -> list[Line]:
    """Number paragraphs by vertical gaps; each table (given by its index) is one block."""
    block = 0
    for k, (line, table) in enumerate(items):
        if k:
            previous, previous_table = items[k - 1]
            gap = line.bbox[1] - previous.bbox[3]
            height = max(1.0, previous.bbox[3] - previous.bbox[1])
            if table != previous_table or (table is None and gap > BLOCK_GAP * height):
                block += 1
        line.block = block
    return [line for line, _ in items]
