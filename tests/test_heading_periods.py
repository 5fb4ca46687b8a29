"""The period after a heading's Roman numeral, put back when the page shows it and the engine dropped it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vnplan.pipeline.heading_periods import restore_heading_periods
from vnplan.pipeline.ocr_engine import OcrWord

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def line(printed: str, read: str) -> tuple[np.ndarray, list[OcrWord]]:
    """A heading line printed at 11 points, 300 dpi, and the words an engine reads on it: ``read``'s
    first word boxed around the first printed word, as Tesseract boxes it (its period too)."""
    font = ImageFont.truetype(FONT, 46)
    image = Image.new("L", (1400, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 30), printed, font=font, fill=0)
    first, rest = printed.split(" ", 1)
    box = tuple(int(v) for v in draw.textbbox((40, 30), first, font=font))
    start = int(draw.textbbox((40, 30), first + " ", font=font)[2])
    after = tuple(int(v) for v in draw.textbbox((start, 30), rest.split()[0], font=font))
    words = [
        OcrWord(read.split()[0], 0.85, box, 1, 1, 1, 1),  # type: ignore[arg-type]
        OcrWord(read.split()[1], 0.92, after, 1, 1, 1, 2),  # type: ignore[arg-type]
    ]
    return np.asarray(image), words


@pytest.mark.parametrize("numeral", ["I", "II", "III", "IV", "VIII"])
def test_a_dropped_period_after_a_roman_numeral_is_put_back(numeral: str) -> None:
    gray, words = line(f"{numeral}. NHIỆM VỤ VÀ GIẢI PHÁP", f"{numeral} NHIỆM")
    assert [w.text for w in restore_heading_periods(gray, words)] == [f"{numeral}.", "NHIỆM"]


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("II NHIỆM VỤ VÀ GIẢI PHÁP", "II NHIỆM"),  # printed without one
        ("III, IV và V", "III, IV"),  # a comma hangs below the baseline, and is read
        ("II. NHIỆM VỤ", "II. NHIỆM"),  # read already
        ("Chương II. Nhiệm vụ", "Chương II."),  # not a numeral
    ],
)
def test_no_period_is_added_where_none_was_dropped(printed: str, read: str) -> None:
    gray, words = line(printed, read)
    assert [w.text for w in restore_heading_periods(gray, words)] == read.split()[:2]
