"""A stored document's page as a picture, with a record's box drawn on it (for reviewers)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from vnplan.models.errors import InputError
from vnplan.pipeline.ocr import image_dpi
from vnplan.pipeline.read import kind_of
from vnplan.pipeline.sources import Source

#: Resolution of the pictures shown to reviewers: enough to read 10-pt text, small enough to send.
VIEW_DPI = 110
HIGHLIGHT = (220, 30, 30)


def page_image(
    source_path: str, page: int, bbox: tuple[float, float, float, float] | None = None, dpi: float = VIEW_DPI
) -> Image.Image | None:
    """Page ``page`` (1-based) of the document at ``source_path`` as an RGB image, ``bbox`` (PDF
    points from the top-left corner) outlined; None for a text file, which has no pages to show.
    An InputError says why the page cannot be shown (the file moved, the page does not exist)."""
    try:
        data = Source.from_name(source_path).read()
    except InputError as exc:
        raise InputError(f"cannot show {source_path}: {exc}") from exc
    kind = kind_of(data)
    if kind == "pdf":
        image, points_to_pixels = _pdf_page(data, page, dpi)
    elif kind == "image":
        image, points_to_pixels = _image_page(data, page)
    else:
        return None
    if bbox is not None:
        x0, y0, x1, y1 = (v * points_to_pixels for v in bbox)
        width = max(2, round(image.width / 400))
        ImageDraw.Draw(image).rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=HIGHLIGHT, width=width)
    return image


def _pdf_page(data: bytes, page: int, dpi: float) -> tuple[Image.Image, float]:
    doc = pdfium.PdfDocument(data)
    try:
        if not 1 <= page <= len(doc):
            raise InputError(f"the document has {len(doc)} pages, not a page {page}")
        image = doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    return image, dpi / 72


def _image_page(data: bytes, page: int) -> tuple[Image.Image, float]:
    with Image.open(io.BytesIO(data)) as img:
        count = getattr(img, "n_frames", 1)
        if not 1 <= page <= count:
            raise InputError(f"the image has {count} pages, not a page {page}")
        img.seek(page - 1)
        dpi = image_dpi(img.info, img.size)  # the resolution OCR took it at, so boxes land where they were read
        return img.convert("RGB"), dpi / 72


def png_bytes(image: Image.Image) -> bytes:
    """The image as PNG, for an ipywidgets Image."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
