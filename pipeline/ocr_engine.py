"""The OCR engine seam: what ``pipeline/ocr.py`` asks of an engine, and the words it gets back.

``pipeline/ocr.py`` prepares page images (colour ink, light, skew, tables) and lays out the words;
an engine only reads an image. Tesseract (``pipeline/tesseract.py``) is the engine; the replay
engine (``pipeline/ocr_replay.py``) serves answers recorded from it, for the tests.
``pipeline/ocr_engines.py`` chooses one from the OCR options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class OcrWord:
    """One word an engine read: its text (the engine's quirks fixed), how sure it is (0..1), its
    box, and where it stands in the engine's layout (block, paragraph, line, word, numbered as
    the engine numbers them: words with the same first three are one line, ``word`` gives the order)."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]  # (x0, top, x1, bottom) in pixels of the image read
    block: int
    paragraph: int
    line: int
    word: int

    @property
    def line_key(self) -> tuple[int, int, int]:
        """The line the word belongs to: (block, paragraph, line)."""
        return (self.block, self.paragraph, self.line)


class OcrEngine(Protocol):
    """An OCR engine: reads words from a grayscale page image, and says how the page is turned."""

    @property
    def name(self) -> str:
        """The engine's name, stored with each page it read."""
        ...

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        """The words on a grayscale image of ``dpi``, laid out as page segmentation mode ``psm``
        says (3: a whole page, 6: one block of text); none for an empty page. A failure is an
        InputError."""
        ...

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        """How many degrees clockwise (0, 90, 180, 270) the page must turn to stand upright; 0
        when the engine cannot tell."""
        ...
