"""OCR of page images: deskew, tables by their grid, text in reading order.

The words come from an OCR engine (``pipeline/ocr_engine.py``; Tesseract ``vie``, or its recorded
answers in the tests) chosen by the ``OcrOptions`` passed down (``pipeline/ocr_engines.py``).
Tesseract runs with ``OMP_THREAD_LIMIT=1`` and a time limit per call (``pipeline/tesseract.py``);
parallelism comes from processes, one page each.
A ruled table's cells are cut out, stacked into one strip and read in a single
engine call (``--psm 4``; short doubtful cells again side by side, ``--psm 6``); the rest of the
page is read with ``--psm 3`` while the tables are masked out.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageSequence

from vnplan.models.document import BBox, Page, ReadMethod, Word, box_of
from vnplan.models.errors import Category, InputError
from vnplan.normalizers.text import fold
from vnplan.pipeline.block_boxes import move_blocks
from vnplan.pipeline.heading_periods import restore_heading_periods
from vnplan.pipeline.image_prep import drop_colour_ink, enlarge, estimate_skew, even_light, ink_mask, rotate
from vnplan.pipeline.layout import (
    PlacedLine,
    insert_by_position,
    line_from_words,
    make_blocks,
    paragraphs_by_gap,
    split_columns,
)
from vnplan.pipeline.ocr_engine import OcrEngine, OcrWord
from vnplan.pipeline.ocr_engines import open_engine
from vnplan.pipeline.options import OcrOptions
from vnplan.pipeline.page_scan import Placement, page_scan
from vnplan.pipeline.perspective import FlatSheet, flatten_sheet
from vnplan.pipeline.scan_tables import GridTable, PixelBox, find_rules, find_tables, rule_heights
from vnplan.pipeline.tables import build_table, table_block
from vnplan.pipeline.word_tables import WordTable, find_word_tables

#: Page segmentation modes: a whole page; a strip of table cells as one column of text of varying
#: size (as one uniform block, psm 6, Tesseract lost the tone marks stacked on circumflexes of a 150
#: dpi table: "phô Cân" for "phố Cần"); a row of short cells as one block of text.
PAGE_PSM = 3
STRIP_PSM = 4
ROW_PSM = 6
#: Pages smaller than this (pixels) hold no readable text.
MIN_SIDE = 32
#: Below this mean word confidence a page is tried in other orientations.
POOR_CONFIDENCE = 0.45
STRIP_PAD = 20
#: Cells are cut this many pixels inside their rules, so no rule is read as a letter.
CELL_INSET = 5
STRIP_MAX_HEIGHT = 20000
#: A cell read as this many characters or fewer (numbers, codes, short labels) is read again in a
#: row of such cells: in a tall strip Tesseract misreads them most ("1,5" as "15", "3" as "R)").
SHORT_CELL = 8
#: ... unless Tesseract was at least this sure of it.
SURE_CELL = 0.8
ROW_GAP = 80
ROW_MAX_WIDTH = 6000
#: An image file whose stated dpi makes its long side shorter or longer than this (inches) states a
#: wrong one; it is taken as an A4 page (long side A4_LONG_INCHES).
MIN_PAGE_INCHES = 4.0
MAX_PAGE_INCHES = 17.0
A4_LONG_INCHES = 11.69
GRAY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "F"})

#: A receipt stamp's heading ("CÔNG VĂN ĐẾN", "CV ĐẾN"), folded.
RECEIPT_STAMP = re.compile(r"\b(?:cong van|cv) den\b")
#: A receipt stamp's fields ("Số:", "Ngày:", "Chuyển:"), folded: its boxed grid is known by them
#: when its heading is misread; a grid of at most STAMP_CELLS cells.
STAMP_FIELDS = [re.compile(rf"\b{field}\b") for field in ("so", "ngay", "chuyen")]
STAMP_CELLS = 8

#: A hyphen ending a cell's line inside a document code, before the code's next capital or digit.
CODE_BREAK = re.compile(r"(?<=[^\s-])- (?=[A-ZĐ0-9])")

ToPoints = Callable[[tuple[float, ...]], BBox]


def _mean_confidence(words: list[OcrWord]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def _upright(
    gray: np.ndarray, words: list[OcrWord], engine: OcrEngine, dpi: float, cells: Iterable[float] = ()
) -> tuple[np.ndarray, list[OcrWord]]:
    """A page read poorly may be turned: ask the engine's orientation detection, read it again upright.
    ``cells``: the confidences of the page's table cells, read apart; cells read surely say the page is
    upright even when little text lies outside its tables."""
    confidences = [w.confidence for w in words] + list(cells)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    if mean >= POOR_CONFIDENCE or ink_mask(gray).mean() < 0.002:
        return gray, words
    degrees = engine.orientation(gray, dpi)
    if degrees % 360 == 0:
        return gray, words
    turned = np.ascontiguousarray(np.rot90(gray, -degrees // 90))  # OSD says how far to turn clockwise
    attempt = engine.read_words(turned, PAGE_PSM, dpi)
    return (turned, attempt) if _mean_confidence(attempt) > _mean_confidence(words) else (gray, words)


def _page_word(word: OcrWord, to_points: ToPoints) -> Word:
    return Word(word.text, to_points(word.box), word.confidence)


def _placed_lines(words: list[OcrWord], to_points: ToPoints, page_width: float) -> list[PlacedLine]:
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line_key, []).append(_page_word(word, to_points))
    lines, engine_paragraphs = [], []
    for (block, par, _), line_words in grouped.items():
        for segment in split_columns(line_words, page_width):
            lines.append(line_from_words(segment))
            engine_paragraphs.append((block, par))
    # Tesseract often runs printed paragraphs (and footnotes) together: split them again where
    # the vertical gap or the size of the type says a new paragraph starts.
    sizes = [box_of(line)[3] - box_of(line)[1] for line in lines]
    by_gap = paragraphs_by_gap(lines, sizes)
    placed, number = [], 0
    for k, line in enumerate(lines):
        if k and (engine_paragraphs[k] != engine_paragraphs[k - 1] or by_gap[k] != by_gap[k - 1]):
            number += 1
        placed.append(PlacedLine(line, number, size=sizes[k]))
    return placed


def _without_stamp_lines(words: list[OcrWord]) -> list[OcrWord]:
    """The words without the lines of a receipt stamp printed in black ("CÔNG VĂN ĐẾN"), which a red
    one loses with its colour: a stamp is the archive's, not the document's."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line_key, []).append(word.text)
    stamps = {key for key, texts in lines.items() if RECEIPT_STAMP.match(fold(" ".join(texts)).lstrip("-.,:;'\"| "))}
    return [w for w in words if w.line_key not in stamps]


def _take_word_tables(
    words: list[OcrWord], to_points: ToPoints, rules: list[float]
) -> tuple[list[OcrWord], list[WordTable]]:
    """Tables ruled only horizontally, or not at all, found from the words the engine read; the words
    left outside them, and the tables."""
    placed = [_page_word(w, to_points) for w in words]
    tables = find_word_tables(placed, rules)
    taken = {id(w) for t in tables for w in t.words}
    return [w for w, p in zip(words, placed, strict=True) if id(p) not in taken], tables


Crops = list[tuple[PixelBox, np.ndarray]]


def _read_strips(crops: Crops, engine: OcrEngine, dpi: float) -> dict[PixelBox, tuple[str, float]]:
    """Stack cell crops into strips, read each strip with one engine call, and give each cell its words."""
    return _read_laid_out(crops, engine, STRIP_PSM, vertical=True, limit=STRIP_MAX_HEIGHT, gap=2 * STRIP_PAD, dpi=dpi)


def _read_rows(crops: Crops, engine: OcrEngine, dpi: float) -> dict[PixelBox, tuple[str, float]]:
    """Lay cell crops side by side in one-line rows, read each row with one engine call, and give
    each cell its words."""
    return _read_laid_out(crops, engine, ROW_PSM, vertical=False, limit=ROW_MAX_WIDTH, gap=ROW_GAP, dpi=dpi)


def _read_laid_out(
    crops: Crops, engine: OcrEngine, psm: int, vertical: bool, limit: int, gap: int, dpi: float
) -> dict[PixelBox, tuple[str, float]]:
    """Lay the crops one after another (down a strip, or along a row), ``gap`` pixels of white
    around each, in images of at most ``limit`` pixels; read each image with one engine call
    (``--psm psm``) and give each crop the words whose centre falls in its span."""
    along = 0 if vertical else 1
    chunks: list[list[tuple[PixelBox, np.ndarray]]] = [[]]
    length = 0
    for item in crops:
        if chunks[-1] and length + item[1].shape[along] + gap > limit:
            chunks.append([])
            length = 0
        chunks[-1].append(item)
        length += item[1].shape[along] + gap
    words: dict[PixelBox, list[tuple[tuple[int, ...], str, float]]] = {}
    for chunk in filter(None, chunks):
        across = max(c.shape[1 - along] for _, c in chunk) + gap
        shape = [across, across]
        shape[along] = sum(c.shape[along] + gap for _, c in chunk)
        image = np.full(shape, 255, np.uint8)
        spans, at = [], 0
        for box, crop in chunk:
            y, x = (at + gap // 2, gap // 2) if vertical else (gap // 2, at + gap // 2)
            image[y : y + crop.shape[0], x : x + crop.shape[1]] = crop
            spans.append((box, at, at + crop.shape[along] + gap))
            at += crop.shape[along] + gap
        for word in engine.read_words(image, psm, dpi):
            start, end = (word.box[1], word.box[3]) if vertical else (word.box[0], word.box[2])
            centre = start + (end - start) / 2
            cell = next((b for b, a, z in spans if a <= centre < z), None)
            if cell is not None:
                words.setdefault(cell, []).append(((*word.line_key, word.word), word.text, word.confidence))
    return {
        box: (_join_cell(w for _, w, _ in sorted(ws)), round(sum(c for _, _, c in ws) / len(ws), 4))
        for box, ws in words.items()
    }


def _join_cell(words: Iterable[str]) -> str:
    """A cell's words in one line; a document code broken after its hyphen (``16/2020/NĐ-`` ``CP``) joined."""
    return CODE_BREAK.sub("-", " ".join(words))


def _doubtful(reading: tuple[str, float]) -> bool:
    """A cell read as a few characters, and not surely: worth reading again in a row."""
    text, confidence = reading
    return len(text) <= SHORT_CELL and confidence < SURE_CELL


def _read_cells(gray: np.ndarray, table: GridTable, engine: OcrEngine, dpi: float) -> list[tuple[PixelBox, str, float]]:
    """Read a table's cells, all of them stacked into strips read with one engine call each; the
    cells read as a few characters, doubtfully, are read again side by side in a row, and keep the
    surer reading."""
    crops = []
    for x0, top, x1, bottom in table.cells:
        crop = gray[top + CELL_INSET : bottom - CELL_INSET + 1, x0 + CELL_INSET : x1 - CELL_INSET + 1]
        if crop.size and ink_mask(crop).sum() >= 25:
            crops.append(((x0, top, x1, bottom), crop))
    read = _read_strips(crops, engine, dpi)
    short = [(box, crop) for box, crop in crops if _doubtful(read.get(box, ("", 0.0)))]
    for box, (text, confidence) in _read_rows(short, engine, dpi).items():
        if confidence > read.get(box, ("", 0.0))[1]:
            read[box] = (text, confidence)
    return [(box, *read.get(box, ("", 1.0))) for box in table.cells]


def _read_tables(
    straight: np.ndarray, rules: tuple[np.ndarray, np.ndarray], tables: list[GridTable], engine: OcrEngine, dpi: float
) -> list[list[tuple[PixelBox, str, float]]]:
    """The cells of each ruled table (pixel boxes, text, confidence), read with the rules erased: a rule
    left at a cell's edge is read as "|" or "I"."""
    if not tables:
        return []
    unruled = straight.copy()
    unruled[(rules[0] > 0) | (rules[1] > 0)] = 255
    return [_read_cells(unruled, t, engine, dpi) for t in tables]


def is_receipt_stamp(cells: list[tuple[BBox, str, float]]) -> bool:
    """A boxed receipt stamp ("CV ĐẾN", Số, Ngày, Chuyển), ruled like a small table: known by its
    heading, or by its three fields in a grid of a few cells."""
    text = fold(" ".join(text for _, text, _ in cells))
    return bool(RECEIPT_STAMP.search(text)) or (
        len(cells) <= STAMP_CELLS and all(field.search(text) for field in STAMP_FIELDS)
    )


@dataclass
class _Prepared:
    """A page image ready for the engine: grayscale, colour ink dropped (whether a seal was there),
    enlarged by ``factor``, a photographed sheet flattened (``sheet``) or uneven light evened out."""

    gray: np.ndarray
    seal: bool
    factor: float
    sheet: FlatSheet | None

    def to_source(self, box: tuple[float, ...]) -> tuple[float, float, float, float]:
        """A box of the prepared image in the pixels of the image given."""
        x0, top, x1, bottom = box
        if self.sheet is not None:
            x0, top, x1, bottom = self.sheet.to_photo((x0, top, x1, bottom))
        return (x0 / self.factor, top / self.factor, x1 / self.factor, bottom / self.factor)


def _prepare(image: np.ndarray, dpi: float) -> _Prepared:
    """The page ready for the engine: colour ink dropped (and whether a seal was there), enlarged
    when scanned at a low resolution, a sheet photographed on a desk flattened, or else uneven light
    evened out."""
    seal = False
    if image.ndim == 3:
        ink = drop_colour_ink(image, dpi)
        image, seal = ink.gray, ink.seal
    gray, factor = enlarge(image, dpi)
    sheet = flatten_sheet(gray, dpi * factor)
    if sheet is not None:  # its light is left to Tesseract: divided out, the phone variants read worse
        return _Prepared(sheet.gray, seal, factor, sheet)
    return _Prepared(even_light(gray, dpi * factor), seal, factor, None)


def ocr_image(
    image: np.ndarray,
    number: int,
    dpi: float,
    method: ReadMethod = ReadMethod.OCR,
    placement: Placement | None = None,
    options: OcrOptions = OcrOptions(),
) -> Page:
    """OCR one page image (grayscale, or RGB whose red and blue ink is dropped first) into blocks,
    with the engine ``options`` choose.

    ``placement`` says where the image lies on its PDF page; without one the image is the page, at
    ``dpi``. Boxes are converted from pixels to PDF points through it.
    """
    return _ocr_image(image, number, dpi, method, placement, open_engine(options))


def _ocr_image(
    image: np.ndarray, number: int, dpi: float, method: ReadMethod, placement: Placement | None, engine: OcrEngine
) -> Page:
    height, width = image.shape[:2]
    if placement is None:
        placement = Placement(0.0, 0.0, 72.0 / dpi, 72.0 / dpi, width * 72.0 / dpi, height * 72.0 / dpi)
    dpi = placement.dpi
    page = Page(number, placement.width, placement.height, method, ocr_engine=engine.name)
    if min(height, width) < MIN_SIDE:
        return page
    prepared = _prepare(image, dpi)
    gray, page.seal = prepared.gray, prepared.seal
    dpi *= prepared.factor
    straight = rotate(gray, estimate_skew(gray, dpi))
    dx, dy = (straight.shape[1] - gray.shape[1]) / 2, (straight.shape[0] - gray.shape[0]) / 2

    rules = find_rules(straight)
    tables = find_tables(straight, rules)
    masked = straight.copy()
    for x0, top, x1, bottom in (t.bbox for t in tables):
        masked[max(0, top - 3) : bottom + 4, max(0, x0 - 3) : x1 + 4] = 255
    cells = _read_tables(straight, rules, tables, engine, dpi)
    sure = [c for table in cells for _, text, c in table if text]
    masked, words = _upright(masked, engine.read_words(masked, PAGE_PSM, dpi), engine, dpi, sure)
    words = restore_heading_periods(masked, words)
    turned = masked.shape != straight.shape
    if turned:  # the page was turned: its size in points turns too, and its tables were read sideways
        page.width, page.height = page.height, page.width
        cells = []

    def to_points(box: tuple[float, ...]) -> BBox:
        if turned:
            x0, top, x1, bottom = (v * 72.0 / dpi for v in box)
            return (x0, top, x1, bottom)
        x0, top, x1, bottom = (v - d for v, d in zip(box, (dx, dy, dx, dy), strict=True))
        return placement.to_points(prepared.to_source((x0, top, x1, bottom)))

    # A flattened sheet is laid out in its own flat frame (its lines straight, its type one size),
    # then its boxes are mapped onto the photo; any other page straight onto the page.
    flat = prepared.sheet is not None and not turned
    laid_out: ToPoints = (lambda box: _scaled(box, 72.0 / dpi)) if flat else to_points
    width = straight.shape[1] * 72.0 / dpi if flat else page.width
    heights = [] if turned else [laid_out((0, y, 0, y))[1] for y in rule_heights(rules[0])]
    words, word_tables = _take_word_tables(_without_stamp_lines(words), laid_out, heights)
    blocks = make_blocks(_placed_lines(words, laid_out, width), width, first_page=number == 1)
    table_blocks = [table_block(build_table(t.cells, tolerance=3)) for t in word_tables]
    read = [[(laid_out(box), text, c) for box, text, c in table] for table in cells]
    table_blocks += [table_block(build_table(c, tolerance=3)) for c in read if not is_receipt_stamp(c)]
    blocks = insert_by_position(blocks, table_blocks)
    if flat:
        move_blocks(blocks, lambda box: to_points(_scaled(box, dpi / 72.0)))
    page.blocks = blocks
    return page


def _scaled(box: tuple[float, ...], factor: float) -> BBox:
    x0, top, x1, bottom = (v * factor for v in box)
    return (x0, top, x1, bottom)


def render_pdf_page(data: bytes, index: int, colour: bool = False, options: OcrOptions = OcrOptions()) -> np.ndarray:
    """A PDF page as a grayscale (or RGB) image at ``options.dpi`` (invisible text is not drawn)."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[index]
        try:
            return _render(page, colour, index + 1, options)
        finally:
            page.close()
    finally:
        doc.close()


def _render(page: pdfium.PdfPage, colour: bool, number: int, options: OcrOptions) -> np.ndarray:
    """The page at ``options.dpi``; a page over the pixel budget is refused before a pixel is drawn."""
    dpi = options.dpi
    width, height = (round(side * dpi / 72) for side in page.get_size())
    if width * height > options.max_pixels:
        raise InputError(
            f"page {number} is too large to be a page ({width:,} × {height:,} pixels at {dpi} dpi, "
            f"over {options.max_pixels:,})",
            Category.TOO_LARGE,
        )
    image = page.render(scale=dpi / 72, grayscale=not colour).to_numpy()
    if colour:
        return np.ascontiguousarray(image[..., 2::-1])  # BGR(A) to RGB
    return image if image.ndim == 2 else image[..., 0]


def _ocr_pdf_pages(data: bytes, indexes: list[int], method: ReadMethod, options: OcrOptions) -> list[Page]:
    """OCR pages of one PDF: a scanned page's own image at its own resolution, other pages rendered."""
    engine = open_engine(options)
    doc = pdfium.PdfDocument(data)
    pages = []
    try:
        for i in indexes:
            page = doc[i]
            scan = page_scan(page, options.max_pixels)
            if scan is not None:
                pages.append(_ocr_image(scan.pixels, i + 1, scan.placement.dpi, method, scan.placement, engine))
            else:
                pages.append(_ocr_image(_render(page, True, i + 1, options), i + 1, options.dpi, method, None, engine))
            page.close()
    finally:
        doc.close()
    return pages


def ocr_pdf_pages(
    data: bytes,
    indexes: list[int],
    method: ReadMethod = ReadMethod.OCR,
    jobs: int | None = None,
    options: OcrOptions = OcrOptions(),
) -> list[Page]:
    """OCR the given 0-based pages of the PDF in ``data``, in up to ``jobs`` processes
    (default: one per core); each process gets the PDF once and a share of the pages."""
    if not indexes:
        return []
    workers = min(len(indexes), jobs or os.cpu_count() or 1)
    if workers == 1:
        return _ocr_pdf_pages(data, indexes, method, options)
    shares = [indexes[k::workers] for k in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(_ocr_pdf_pages, [data] * workers, shares, [method] * workers, [options] * workers)
        pages = [p for part in parts for p in part]
    return sorted(pages, key=lambda p: p.number)


def image_dpi(info: dict, size: tuple[int, int]) -> float:
    """The resolution of an image file: the one it states when that makes it a page of plausible size,
    else the one that makes its long side an A4 page's (a phone photo states none, or 72)."""
    stated = info.get("dpi") or (0, 0)
    dpi = float(stated[0] or 0)
    if dpi > 0 and MIN_PAGE_INCHES <= max(size) / dpi <= MAX_PAGE_INCHES:
        return dpi
    return max(size) / A4_LONG_INCHES


def _pixels_of(frame: Image.Image) -> np.ndarray:
    """A frame as 8-bit gray or RGB: 16-bit gray scaled down (not clipped to white), transparency
    flattened on white paper."""
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        wide = np.asarray(frame, dtype=np.float64)
        top = 65535.0 if wide.max() > 255 else 255.0
        return np.clip(wide * (255.0 / top), 0, 255).astype(np.uint8)
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        paper = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(paper, frame.convert("RGBA")).convert("RGB"))
    return np.asarray(frame.convert("L" if frame.mode in GRAY_MODES else "RGB"))


def ocr_image_file(data: bytes, max_pages: int | None = None, options: OcrOptions = OcrOptions()) -> list[Page]:
    """OCR a PNG, JPEG, (multi-page) TIFF, GIF, WebP or BMP image; more than ``max_pages`` frames are refused,
    and so is an image of more than ``options.max_pixels`` pixels, before it is decoded."""
    try:
        with _opened(data) as img:
            if img.width * img.height > options.max_pixels:
                raise Image.DecompressionBombError(f"{img.width}x{img.height}")
            count = getattr(img, "n_frames", 1)
            if max_pages is not None and count > max_pages:
                raise InputError(
                    f"the image has {count} pages, more than the limit of {max_pages}", Category.TOO_MANY_PAGES
                )
            dpi = image_dpi(img.info, img.size)
            frames = [_pixels_of(frame) for frame in ImageSequence.Iterator(img)]
    except Image.DecompressionBombError as exc:
        raise InputError(
            f"the image is too large to be a page (over {options.max_pixels:,} pixels)", Category.TOO_LARGE
        ) from exc
    except (OSError, TypeError, ValueError, EOFError, SyntaxError) as exc:  # Pillow's ways of saying "damaged"
        raise InputError(f"the image is damaged and cannot be decoded ({exc})") from exc
    engine = open_engine(options)
    return [_ocr_image(frame, k + 1, dpi, ReadMethod.OCR, None, engine) for k, frame in enumerate(frames)]


def _opened(data: bytes) -> Image.Image:
    """The image in ``data``, opened (not decoded) without Pillow's warning about large images: the pixel
    budget is ``OcrOptions.max_pixels``, checked by the caller (Pillow itself still refuses twice its own
    ``Image.MAX_IMAGE_PIXELS``, a DecompressionBombError)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))
