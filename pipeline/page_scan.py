"""A scanned PDF page's own image: its pixels as embedded, upright, and where they lie on the page.

A scanned page is one image drawn over the page. Reading that image's pixels at their own
resolution avoids re-rendering it at another one (resampling a 1-bit or JPEG scan loses
strokes). The image's placement matrix says how it is turned and where it lies; the pixels are
turned to match the page (multiples of 90° and mirrors), so a pixel maps to PDF points by a
scale and an offset. Pages whose image is placed at another angle, pages turned by /Rotate,
and pages made of several large images are rendered instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from vnplan.models.errors import Category, InputError
from vnplan.pipeline.options import OcrOptions

#: The page's image must cover this share of the page to be read on its own.
MIN_COVERAGE = 0.5
#: Another image covering this share of the page is content too: the page is rendered instead.
OTHER_IMAGE = 0.05
#: Matrix entries smaller than this (points) count as zero: the image is not placed at an angle.
EPSILON = 1e-3


@dataclass
class Placement:
    """Where a page image lies: pixel (col, row) is at point (left + col * sx, top + row * sy)
    from the page's top-left corner, on a page of ``width`` × ``height`` points."""

    left: float
    top: float
    sx: float
    sy: float
    width: float
    height: float

    @property
    def dpi(self) -> float:
        """Pixels per inch (the mean of the two directions)."""
        return 72.0 * 2 / (self.sx + self.sy)

    def to_points(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A pixel box (x0, top, x1, bottom) in PDF points from the page's top-left corner."""
        x0, top, x1, bottom = box
        sx, sy = self.sx, self.sy
        return (self.left + x0 * sx, self.top + top * sy, self.left + x1 * sx, self.top + bottom * sy)


@dataclass
class PageScan:
    """A page image: grayscale (H, W) or RGB (H, W, 3) pixels, upright as the page shows them."""

    pixels: np.ndarray
    placement: Placement


def _pixels(image: pdfium.PdfImage, max_pixels: int) -> np.ndarray | None:
    """The image's decoded pixels at their own size, gray or RGB; None for formats not handled. An image of
    more than ``max_pixels`` pixels is an image bomb, not a scan: refused before it is decoded."""
    width, height = image.get_px_size()
    if width * height > max_pixels:
        raise InputError(
            f"the page's image is too large to be a page ({width:,} × {height:,} pixels, over {max_pixels:,})",
            Category.TOO_LARGE,
        )
    bitmap = image.get_bitmap(render=False)
    array = bitmap.to_numpy()
    mode = bitmap.mode
    if mode == "L":
        return np.ascontiguousarray(array if array.ndim == 2 else array[..., 0])
    if mode == "BGR":
        return cv2.cvtColor(array, cv2.COLOR_BGR2RGB)
    if mode in ("BGRA", "BGRX"):
        return cv2.cvtColor(array, cv2.COLOR_BGRA2RGB)
    return None


def _upright(pixels: np.ndarray, matrix: tuple[float, ...]) -> np.ndarray | None:
    """Turn and mirror the pixels so rows run down the page and columns to the right; None when the
    image is placed at an angle that is no multiple of 90°."""
    a, b, c, d, _, _ = matrix
    # Along the page (top-down y): a column step moves by (a, -b), a row step by (-c, d); the
    # pixels' rows must run down the page (d > 0) and their columns to the right (a > 0).
    if abs(b) < EPSILON and abs(c) < EPSILON and abs(a) > EPSILON and abs(d) > EPSILON:
        flips = {(False, False): None, (True, False): 0, (False, True): 1, (True, True): -1}[(d < 0, a < 0)]
        return pixels if flips is None else cv2.flip(pixels, flips)
    if abs(a) < EPSILON and abs(d) < EPSILON and abs(b) > EPSILON and abs(c) > EPSILON:
        # Columns run down the page: a quarter turn (one pass), or a transposition for a mirror image.
        down, across = -b < 0, -c < 0
        if across and not down:
            return cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE)
        if down and not across:
            return cv2.rotate(pixels, cv2.ROTATE_90_COUNTERCLOCKWISE)
        out = cv2.transpose(pixels)
        return cv2.flip(out, -1) if down else out
    return None


def page_scan(page: pdfium.PdfPage, max_pixels: int = OcrOptions().max_pixels) -> PageScan | None:
    """The page's scan image, upright, with its placement; None when the page is not one image
    (it is then rendered). An image of more than ``max_pixels`` pixels is refused (an InputError)."""
    if page.get_rotation() % 360:
        return None
    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    area = max(width * height, 1.0)
    images = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):
        x0, y0, x1, y1 = obj.get_bounds()
        images.append(((x1 - x0) * (y1 - y0) / area, obj))
    if not images:
        return None
    images.sort(key=lambda item: -item[0])
    coverage, image = images[0]
    if coverage < MIN_COVERAGE or any(share > OTHER_IMAGE for share, _ in images[1:]):
        return None
    pixels = _pixels(image, max_pixels)
    if pixels is None:
        return None
    pixels = _upright(pixels, image.get_matrix().get())
    if pixels is None:
        return None
    x0, y0, x1, y1 = image.get_bounds()
    rows, cols = pixels.shape[:2]
    placement = Placement(
        left=x0 - left,
        top=top - y1,
        sx=(x1 - x0) / cols,
        sy=(y1 - y0) / rows,
        width=width,
        height=height,
    )
    return PageScan(pixels, placement)
