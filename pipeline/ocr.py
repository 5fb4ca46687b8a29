"""Tesseract OCR (``vie``) of page images, with word boxes and confidences.

Tesseract runs with ``OMP_THREAD_LIMIT=1``: with OpenMP threads it is several
times slower on a small machine. Parallelism comes from processes, one page each.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageSequence

from models.document import Line, Page, ReadMethod
from pipeline.errors import InputError

os.environ["OMP_THREAD_LIMIT"] = "1"

DPI = 300
LANGUAGE = "vie"
#: Page segmentation: fully automatic layout analysis.
CONFIG = "--psm 3"
#: Refuse images larger than this many pixels (a decompression bomb, not a page).
MAX_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def ocr_image(image: Image.Image, number: int, dpi: float) -> Page:
    """OCR one page image into lines; boxes are converted from pixels to points."""
    scale = 72.0 / dpi
    data = pytesseract.image_to_data(image, lang=LANGUAGE, config=CONFIG, output_type=pytesseract.Output.DICT)
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines: list[Line] = []
    paragraphs: dict[tuple[int, int], int] = {}
    for (block, par, _), idx in grouped.items():
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        confs = [float(data["conf"][i]) for i in idx if float(data["conf"][i]) >= 0]
        lines.append(
            Line(
                text=" ".join(data["text"][i] for i in idx),
                bbox=(x0 * scale, top * scale, x1 * scale, bottom * scale),
                confidence=round(sum(confs) / len(confs) / 100, 4) if confs else 0.0,
                block=paragraphs.setdefault((block, par), len(paragraphs)),
            )
        )
    width, height = image.size
    return Page(number, width * scale, height * scale, ReadMethod.OCR, lines)


def _ocr_pdf_page(path: str, index: int) -> Page:
    doc = pdfium.PdfDocument(path)
    try:
        page = doc[index]
        image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        page.close()
    finally:
        doc.close()
    return ocr_image(image, index + 1, DPI)


def ocr_pdf_pages(path: Path, indexes: list[int]) -> list[Page]:
    """Rasterise and OCR the given 0-based pages of a PDF, in parallel worker processes."""
    if not indexes:
        return []
    workers = min(len(indexes), os.cpu_count() or 1)
    if workers == 1:
        return [_ocr_pdf_page(str(path), i) for i in indexes]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_ocr_pdf_page, [str(path)] * len(indexes), indexes))


def ocr_image_file(path: Path) -> list[Page]:
    """OCR a PNG, JPEG or (multi-page) TIFF file."""
    try:
        with Image.open(path) as img:
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{img.width}x{img.height}")
            frames = [frame.copy() for frame in ImageSequence.Iterator(img)]
            default_dpi = img.info.get("dpi", (DPI, DPI))[0] or DPI
    except Image.DecompressionBombError as exc:
        raise InputError(f"the image is too large to be a page (over {MAX_PIXELS:,} pixels)") from exc
    except OSError as exc:
        raise InputError(f"the image is damaged and cannot be decoded ({exc})") from exc
    return [ocr_image(frame.convert("L"), k + 1, float(default_dpi)) for k, frame in enumerate(frames)]
