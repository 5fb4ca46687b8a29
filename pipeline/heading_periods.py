"""The period after a heading's Roman numeral, which Tesseract drops ("II. NHIỆM VỤ" read "II NHIỆM VỤ").

A line opening with a bare Roman numeral is looked at in the page image: when the ink from the
numeral to the next word ends in a small blob sitting on the numeral's baseline, right of its
strokes, a period was printed there and is put back, so the heading is numbered as printed.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from vnplan.pipeline.image_prep import ink_mask
from vnplan.pipeline.ocr_engine import OcrWord

ROMAN = re.compile(r"^[IVX]{1,5}$")
#: A period's side, as a share of the numeral's height.
DOT_SIDE = (0.08, 0.3)
#: Its bottom this close to the numeral's baseline (share of the numeral's height).
BASELINE = 0.15


def _ends_in_period(gray: np.ndarray, numeral: OcrWord, after: OcrWord) -> bool:
    """Whether the ink from the numeral to the next word ends in a period: a small blob on the
    baseline, its centre right of every stroke's (under a V's arm, kerned) — the engine's box often
    takes it in, its text not."""
    x0, top, _, bottom = numeral.box
    height = bottom - top
    reach = bottom + max(1, round(BASELINE * height))
    region = ink_mask(gray[max(0, top) : reach + 1, max(0, x0) : max(x0, after.box[0] - 1)])
    if height < 5 or region.size == 0:
        return False
    count, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    blobs = sorted(stats[1:count].tolist(), key=lambda b: 2 * b[0] + b[2])  # by their centres
    if len(blobs) < 2:
        return False
    (_, y, w, h, _), strokes = blobs[-1], blobs[:-1]
    low, high = DOT_SIDE[0] * height, DOT_SIDE[1] * height
    dot = low <= w <= high and low <= h <= high and abs(y + h - height) <= BASELINE * height
    return dot and max(b[3] for b in strokes) > 0.6 * height


def restore_heading_periods(gray: np.ndarray, words: list[OcrWord]) -> list[OcrWord]:
    """``words`` (read from ``gray``) with a period put back after each line-opening Roman numeral
    followed, in the image, by a printed period the engine dropped."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line_key, []).append(word)
    fixed: dict[int, OcrWord] = {}
    for line in lines.values():
        line.sort(key=lambda w: w.box[0])
        if len(line) > 1 and ROMAN.match(line[0].text) and _ends_in_period(gray, line[0], line[1]):
            fixed[id(line[0])] = replace(line[0], text=line[0].text + ".")
    return [fixed.get(id(w), w) for w in words]
