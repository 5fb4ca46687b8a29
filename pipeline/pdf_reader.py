"""PDF input: pdfplumber for trustworthy text layers (TCVN3/VNI layers converted first), Tesseract for pages
without one or with a mangled one."""

from __future__ import annotations

import io
import os
from concurrent.futures import ProcessPoolExecutor

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from vnplan.models.document import LayerVerdict, Page, ReadMethod, Word, box_of
from vnplan.models.errors import Category, InputError
from vnplan.pipeline.layer_check import judge_text_layer
from vnplan.pipeline.layout import (
    PlacedLine,
    group_words_into_lines,
    insert_by_position,
    line_from_words,
    make_blocks,
    mark_running_heads,
    paragraphs_by_gap,
    split_columns,
)
from vnplan.pipeline.legacy_layer import convert_legacy_chars
from vnplan.pipeline.ocr import ocr_pdf_pages
from vnplan.pipeline.options import PipelineOptions
from vnplan.pipeline.pdf_annotations import with_annotations_drawn
from vnplan.pipeline.spaced_letters import close_letter_spacing
from vnplan.pipeline.strip_tables import find_strip_tables
from vnplan.pipeline.tables import build_table, table_block
from vnplan.pipeline.word_tables import find_word_tables

#: A page image covering this share of the page is a scan behind the text layer.
SCAN_COVERAGE = 0.5
#: Documents with fewer pages are read in one process.
MIN_PARALLEL_PAGES = 4
#: A text layer of fewer words over a scan is only a stamp ("Cơ quan phát hành: Văn phòng Chính phủ"): the
#: page's own text is in its image, so it is OCRed.
STAMP_WORDS = 20


def read_pdf(data: bytes, options: PipelineOptions = PipelineOptions()) -> list[Page]:
    """Read every page of the PDF in ``data``; pages with no or a mangled text layer over a scan are OCRed.

    Pages are read in up to ``options.jobs.page_jobs`` processes (default: one per core). A PDF of
    more than ``options.limits.max_pages`` pages is refused before any is read.
    """
    jobs = options.jobs.page_jobs or os.cpu_count() or 1
    max_pages = options.limits.max_pages
    data, count = _openable(data)
    if max_pages is not None and count > max_pages:
        raise InputError(f"the document has {count} pages, more than the limit of {max_pages}", Category.TOO_MANY_PAGES)
    layers = with_annotations_drawn(data)
    chunks = [list(range(k, count, jobs)) for k in range(min(jobs, count))] if count >= MIN_PARALLEL_PAGES else []
    if len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
            results = [r for part in pool.map(_read_layers, [layers] * len(chunks), chunks) for r in part]
    else:
        results = _read_layers(layers, list(range(count)))
    results.sort(key=lambda r: r[0].number)
    pages = [page for page, _ in results]
    to_ocr: dict[ReadMethod, list[int]] = {ReadMethod.OCR: [], ReadMethod.RE_OCR: []}
    for page, scan_behind in results:
        assert page.verdict is not None, "read_text_layer judges every page it reads"
        if page.verdict.status == "missing" or (scan_behind and page.verdict.words < STAMP_WORDS):
            to_ocr[ReadMethod.OCR].append(page.number - 1)  # no layer, or only what e-office stamped over a scan
        elif page.verdict.status == "mangled" and scan_behind:
            to_ocr[ReadMethod.RE_OCR].append(page.number - 1)
    for method, indexes in to_ocr.items():
        for page in ocr_pdf_pages(data, indexes, method, jobs, options=options.ocr):
            page.verdict = pages[page.number - 1].verdict
            pages[page.number - 1] = page
    mark_running_heads(pages)
    return pages


def page_count(data: bytes) -> int:
    """How many pages the PDF has; an InputError when it cannot be opened."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PSException) as exc:
        raise pdf_error(exc) from exc
    if not count:
        raise InputError("the PDF has no pages", Category.EMPTY)
    return count


def _openable(data: bytes) -> tuple[bytes, int]:
    """The PDF to read and its page count: ``data``, or where pdfplumber finds no page in it or cannot parse
    it, the same PDF written again by pdfium, which rebuilds a broken cross-reference table by scanning the
    file as viewers do. A PDF pdfium cannot open either, or finds no page in, keeps pdfplumber's error."""
    try:
        return data, page_count(data)
    except InputError as exc:
        if exc.category not in (Category.EMPTY, Category.DAMAGED) or (rewritten := _rewritten(data)) is None:
            raise
        return rewritten, page_count(rewritten)


def _rewritten(data: bytes) -> bytes | None:
    """The PDF as pdfium writes it again, or None when pdfium cannot open it or finds no page."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if len(pdf) == 0:
            return None
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def _read_layers(data: bytes, indexes: list[int]) -> list[tuple[Page, bool]]:
    """Read the text layer of the given pages: (page, whether a scan lies behind it)."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [(read_text_layer(pdf.pages[i], i + 1), has_scan(pdf.pages[i])) for i in indexes]
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PSException) as exc:
        raise pdf_error(exc) from exc


def pdf_error(exc: Exception) -> InputError:
    """The error, in one line a person understands, for a PDF that pdfminer cannot open."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
        return InputError("the PDF is encrypted and needs a password", Category.ENCRYPTED)
    return InputError(f"the PDF is damaged and cannot be parsed ({type(cause).__name__})", Category.DAMAGED)


def has_scan(page: pdfplumber.page.Page) -> bool:
    """True when an image covers most of the page (a scan behind the text layer)."""
    area = float(page.width * page.height) or 1.0
    return any((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) / area > SCAN_COVERAGE for img in page.images)


def _most_filled_cells(table: pdfplumber.table.Table) -> int:
    """The most cells holding text in one row of a ruled table: body text laid out in shaded rectangles (one
    line a row, indented lines in a cell of their own) has one a row."""
    return max((sum(1 for cell in row if (cell or "").strip()) for row in table.extract()), default=0)


def read_text_layer(page: pdfplumber.page.Page, number: int) -> Page:
    """A page from its text layer: words → lines → blocks, ruled tables as tables; judged for trust."""
    result = Page(number, float(page.width), float(page.height), ReadMethod.TEXT_LAYER)
    if not page.chars:
        result.verdict = LayerVerdict("missing")
        return result
    convert_legacy_chars(page)  # TCVN3/VNI layers are read as the Vietnamese they are, before the verdict
    close_letter_spacing(page)  # "K Ế H O Ạ C H" is one word
    tables = [t for t in page.find_tables() if _most_filled_cells(t) > 1]  # one text a row: shaded lines
    boxes = [t.bbox for t in tables]

    def in_table(w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    raw_words = [w for w in page.extract_words(extra_attrs=["size"]) if not in_table(w)]
    sizes = {}
    words = []
    for w in raw_words:
        word = Word(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]))
        sizes[id(word)] = float(w["size"])
        words.append(word)
    # Tables ruled only horizontally, or not at all, are found from where the words stand.
    # Those laid out cell by cell (wrapped, centred cells; rows apart by white space) first, and on a later
    # page one that carries on from the page before; then those whose header stands on one line.
    rules = [float(e["top"]) for e in page.horizontal_edges]
    word_tables = find_strip_tables(words, rules, continued=number > 1)
    in_word_table = {id(w) for t in word_tables for w in t.words}
    word_tables += find_word_tables([w for w in words if id(w) not in in_word_table], rules)
    in_word_table = {id(w) for t in word_tables for w in t.words}
    words = [w for w in words if id(w) not in in_word_table]
    lines, line_sizes = [], []
    for group in group_words_into_lines(words):
        for segment in split_columns(group, result.width):
            lines.append(line_from_words(segment))
            line_sizes.append(max(sizes[id(w)] for w in segment))
    order = sorted(range(len(lines)), key=lambda k: (round(box_of(lines[k])[1]), box_of(lines[k])[0]))
    lines, line_sizes = [lines[k] for k in order], [line_sizes[k] for k in order]
    paragraphs = paragraphs_by_gap(lines, line_sizes)
    placed = [PlacedLine(x, p, s) for x, p, s in zip(lines, paragraphs, line_sizes, strict=True)]
    blocks = make_blocks(placed, result.width, first_page=number == 1)
    table_blocks = []
    for table in tables:
        texts = {}
        for row, cells in zip(table.rows, table.extract(), strict=True):
            for box, text in zip(row.cells, cells, strict=True):
                if box is not None:
                    texts[box] = " ".join((text or "").split())
        rects = [(box, texts.get(box, ""), 1.0) for box in table.cells]
        table_blocks.append(table_block(build_table(rects)))
    for found in word_tables:
        built = build_table(found.cells)
        if found.continued:
            built.header_rows = 0
        table_blocks.append(table_block(built))
    result.blocks = insert_by_position(blocks, table_blocks)
    result.verdict = judge_text_layer(" ".join(w.text for w in words) + " " + " ".join(b.text for b in table_blocks))
    return result
