"""Phone captures of a sheet on a desk: the sheet's outline found in the photo and warped flat.

A photo taken at an angle shows the page as a quadrilateral (keystone) on a darker background. The
sheet is the largest bright region of a small copy of the photo; its outline, simplified to four
corners, is mapped onto a rectangle as large as the sheet's longer sides. Photos the scanning app
already cropped (the sheet fills the picture) and scans are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Resolution (dpi) of the copy the sheet is looked for in.
OUTLINE_DPI = 40
#: The sheet must cover this share of the picture, at least, to be the page.
MIN_SHEET = 0.3
#: A corner this far (share of the picture's diagonal) from the picture's own corner shows background:
#: below it on every corner the picture is the sheet already.
CORNER_OFFSET = 0.015
#: The outline is simplified to four corners within this share of its perimeter.
OUTLINE_TOLERANCE = 0.02
#: The sheet must be this much brighter (grey levels) just inside its outline than the desk just
#: outside: light falling off across a cropped capture makes no such step, only a slope.
MIN_STEP = 40


def _corners(gray: np.ndarray, dpi: float) -> np.ndarray | None:
    """The sheet's four corners (top-left, top-right, bottom-right, bottom-left) in the picture's pixels,
    or None when no sheet stands out from a background."""
    scale = min(1.0, OUTLINE_DPI / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Text on the sheet closed over, specks on the desk opened away, the outline drawn a pixel inside
    # the sheet's blurred edge.
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    paper = cv2.morphologyEx(paper, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    paper = cv2.erode(paper, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = cv2.convexHull(max(contours, key=cv2.contourArea))
    if cv2.contourArea(sheet) < MIN_SHEET * small.size:
        return None
    outline = cv2.approxPolyDP(sheet, OUTLINE_TOLERANCE * cv2.arcLength(sheet, True), True)
    if len(outline) != 4:
        return None
    points = outline.reshape(4, 2).astype(np.float32)
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    ordered = np.array(
        [points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)], points[np.argmax(diffs)]],
        np.float32,
    )
    h, w = small.shape
    frame = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    if np.linalg.norm(ordered - frame, axis=1).max() < CORNER_OFFSET * np.hypot(h, w):
        return None  # the picture is the sheet
    if _step(small, ordered) < MIN_STEP:
        return None  # a slope of light, not a sheet's edge on a desk
    return ordered / scale


def _step(small: np.ndarray, corners: np.ndarray) -> float:
    """How much brighter the picture is in a band just inside the outline than in one just outside it
    (median grey levels); 0 when no desk shows outside it."""
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, corners.round().astype(np.int32), 255)
    band = np.ones((9, 9), np.uint8)
    within = cv2.subtract(inside, cv2.erode(inside, band))
    outside = cv2.subtract(cv2.dilate(inside, band), inside)
    if not outside.any():
        return 0.0
    return float(np.median(small[within > 0]) - np.median(small[outside > 0]))


@dataclass
class FlatSheet:
    """The sheet warped flat, and the homography that takes its pixels back to the photo's."""

    gray: np.ndarray
    back: np.ndarray

    def to_photo(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box of the flat sheet as the box around its corners in the photo."""
        x0, top, x1, bottom = box
        corners = np.array([[[x0, top], [x1, top], [x1, bottom], [x0, bottom]]], np.float32)
        points = cv2.perspectiveTransform(corners, self.back)[0]
        (x0, top), (x1, bottom) = points.min(axis=0), points.max(axis=0)
        return (float(x0), float(top), float(x1), float(bottom))


def flatten_sheet(gray: np.ndarray, dpi: float) -> FlatSheet | None:
    """The photographed sheet warped to a rectangle (white outside it), at the photo's own scale; None
    when the picture shows no sheet on a background (a scan, or a capture already cropped)."""
    corners = _corners(gray, dpi)
    if corners is None:
        return None
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(gray, warp, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)
    return FlatSheet(flat, np.linalg.inv(warp))
