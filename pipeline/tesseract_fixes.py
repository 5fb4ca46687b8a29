"""Known Tesseract ``vie`` quirks, fixed without touching real text (by the Tesseract engine,
``pipeline/tesseract.py``, in each word it reads).

Seen here: a spurious ``Ð`` (U+00D0, not Vietnamese) after ``Đ``; ``Ñ`` for ``N``
under speckle; ``g)`` read as ``ø)``. Letters no Vietnamese word contains are
mapped to the Vietnamese letter they were mistaken for; nothing else changes.
"""

from __future__ import annotations

import re

FOREIGN_LETTERS = str.maketrans({"Ð": "Đ", "ð": "đ", "Ñ": "N", "ñ": "n"})
DOUBLED_D = re.compile(r"(?<=Đ)Đ|(?<=đ)đ")
ITEM_G = re.compile(r"(?<![^\s(])ø\)")


def fix_ocr_text(text: str) -> str:
    """Undo Tesseract's known misreadings in one word or line of OCR output."""
    text = DOUBLED_D.sub("", text.translate(FOREIGN_LETTERS))
    return ITEM_G.sub("g)", text)
