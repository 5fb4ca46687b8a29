"""Page-image preparation for Tesseract: colour ink dropped, low resolutions enlarged, uneven light
evened out, skew up to ±45° corrected. What each step buys was measured (README, "Reading real
scans"); binarisation and median filtering made results worse and are not done.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Skew searched over ±this many degrees (beyond it a page is turned, which OSD handles).
MAX_SKEW = 45.0
#: Resolution (dpi) of the image the coarse skew search works on, and of the fine one.
COARSE_DPI = 50
FINE_DPI = 100
#: A page image whose resolution (dpi, rounded: a 150 dpi scan placed on A4 states 149.9) is under
#: this is enlarged to it before OCR.
LOW_DPI = 150
#: Colour ink: HSV saturation (0–255) and value above these, hue red or blue (OpenCV's 0–180 scale).
INK_SATURATION = 70
INK_VALUE = 70
RED_HUES = ((0, 12), (155, 180))
BLUE_HUES = ((95, 135),)
#: Colour ink as dark as this (value) and unsaturated is black print under it, and stays.
BLACK_VALUE = 110
#: A patch of red ink at least this big (inches, both sides), roughly as tall as wide, is a seal;
#: looked for on a copy at this resolution (dpi).
SEAL_SIDE = 0.5
SEAL_ASPECT = 1.6
SEAL_DPI = 60
#: Background brightness (0–255) varying more than this across the page is uneven light.
UNEVEN_LIGHT = 35


def ink_mask(gray: np.ndarray, threshold: int = 160) -> np.ndarray:
    """1 where the page has ink."""
    return (gray < threshold).astype(np.uint8)


@dataclass
class ColourInk:
    """What dropping colour ink found: the grayscale page without it, and whether a seal was there."""

    gray: np.ndarray
    share: float  # share of the page's pixels that were colour ink
    seal: bool


def _hue_mask(hsv: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """255 where a pixel is saturated, bright enough ink of a hue in ``ranges`` (OpenCV's vectorised
    range test: a numpy comparison per channel cost ten times as much on a 300 dpi page)."""
    mask: np.ndarray = np.zeros(hsv.shape[:2], np.uint8)
    for low, high in ranges:
        mask = cv2.bitwise_or(mask, cv2.inRange(hsv, (low, INK_SATURATION + 1, INK_VALUE + 1), (high, 255, 255)))
    return mask


def _colour_mask(hsv: np.ndarray) -> np.ndarray:
    return _hue_mask(hsv, RED_HUES) | _hue_mask(hsv, BLUE_HUES)


def drop_colour_ink(rgb: np.ndarray, dpi: float) -> ColourInk:
    """The page in grayscale with red and blue ink (seals, signatures, receipt stamps) turned white,
    so the printed black text under it is what Tesseract reads."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(rgb, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    if not _colour_mask(cv2.cvtColor(small, cv2.COLOR_RGB2HSV)).any():  # most pages: a cheap look first
        return ColourInk(gray, 0.0, False)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    red = _hue_mask(hsv, RED_HUES)
    colour = red | _hue_mask(hsv, BLUE_HUES)
    share = cv2.countNonZero(colour) / colour.size
    # The ink's anti-aliased and JPEG-blurred rim goes too, but never a dark, unsaturated (black) pixel.
    grown = cv2.dilate(colour, np.ones((3, 3), np.uint8))
    black = cv2.inRange(hsv, (0, 0, 0), (180, INK_SATURATION - 1, BLACK_VALUE - 1))
    return ColourInk(cv2.max(gray, cv2.bitwise_and(grown, cv2.bitwise_not(black))), share, _has_seal(red, dpi))


def _has_seal(red: np.ndarray, dpi: float) -> bool:
    """A patch of red ink (``red``: 255 where) the size and shape of a seal (its ring of letters closed
    into one), looked for at SEAL_DPI, where a block holding any red is red; a blue signature across it
    is left out, or seal and signature would make one long patch."""
    scale = min(1.0, SEAL_DPI / dpi)
    small = cv2.resize(red, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = (small > 0).astype(np.uint8)
    dpi *= scale
    side = SEAL_SIDE * dpi
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((max(3, round(dpi / 20)),) * 2, np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    for k in range(1, count):
        w, h = stats[k][2], stats[k][3]
        if min(w, h) >= side and max(w, h) <= SEAL_ASPECT * min(w, h):
            return True
    return False


def enlarge(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """A page scanned under LOW_DPI enlarged to it (Tesseract misses marks and words of a 100 dpi page;
    on the real 100 dpi pages 150 dpi read as well as 200 at about half Tesseract's time, and 300 worse);
    the image and the factor."""
    if round(dpi) >= LOW_DPI:
        return gray, 1.0
    factor = LOW_DPI / dpi
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC), factor


def even_light(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Divide out the page's background when its brightness varies (a phone capture under a lamp);
    the image unchanged when the light is even."""
    scale = 25 / dpi  # the background at 25 dpi: text vanishes under a closing, shading stays
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    background = cv2.medianBlur(background, 5)
    low, high = np.percentile(background, (5, 95))
    if high - low <= UNEVEN_LIGHT:
        return gray
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)


class _RowProfiles:
    """The row profile of a page's ink turned by any angle, from the ink pixels' coordinates: each
    pixel projected onto the turned page's rows and counted (as turning the image about its centre,
    at a third of the cost of warping it: the coarse search's 91 angles)."""

    def __init__(self, ink: np.ndarray) -> None:
        rows, cols = np.nonzero(ink)
        height, width = ink.shape
        self.x = cols.astype(np.float32) - width / 2
        self.y = rows.astype(np.float32) - height / 2
        self.bins = int(np.hypot(height, width)) + 2

    def score(self, angle: float) -> float:
        """How sharp the profile is with the page turned ``angle`` degrees counter-clockwise: its variance."""
        rad = np.deg2rad(angle)
        turned = -np.sin(rad) * self.x + np.cos(rad) * self.y + self.bins / 2
        return float(np.bincount(turned.astype(np.intp), minlength=self.bins).var())


def _warped_score(ink: np.ndarray, angle: float) -> float:
    """The same score with the image warped (the fine search: projected, a 150 dpi table page was found
    0.1° further turned, and a short row lost a rule under the band its grid looks in)."""
    h, w = ink.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    profile = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1).astype(np.float64)
    return float(profile.var())


def _copy_at(gray: np.ndarray, dpi: float, target: float) -> np.ndarray:
    scale = min(1.0, target / dpi)
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray


def _ink_of(gray: np.ndarray) -> np.ndarray:
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def estimate_skew(gray: np.ndarray, dpi: float = 300) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal, up to ±45°; 0.0
    when unsure. Text lines give the sharpest row profile when level: searched at 1° steps on a
    50 dpi copy (made from the 100 dpi one), then at 0.1° steps around the best on a 100 dpi one."""
    fine_gray = _copy_at(gray, dpi, FINE_DPI)
    coarse = _ink_of(_copy_at(fine_gray, min(dpi, FINE_DPI), COARSE_DPI))
    if coarse.sum() < 100 or coarse.mean() > 0.5:
        return 0.0
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 0.5, 1.0)
    profiles = _RowProfiles(coarse)
    best = float(angles[int(np.argmax([profiles.score(float(a)) for a in angles]))])
    fine = _ink_of(fine_gray)
    candidates = {round(best + d, 2): _warped_score(fine, best + d) for d in np.arange(-1.0, 1.05, 0.1)}
    candidates.setdefault(0.0, _warped_score(fine, 0.0))
    angle = max(candidates, key=lambda a: candidates[a])
    if abs(angle) < 0.05 or candidates[angle] < 1.02 * candidates[0.0]:
        return 0.0  # no clear gain: leave the page as it is
    return angle


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, filling with white; past 3° the canvas grows so no corner is cut."""
    if not angle:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    if abs(angle) <= 3:
        return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    rad = np.deg2rad(angle)
    nw = int(abs(w * np.cos(rad)) + abs(h * np.sin(rad)))
    nh = int(abs(w * np.sin(rad)) + abs(h * np.cos(rad)))
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    return cv2.warpAffine(gray, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)
