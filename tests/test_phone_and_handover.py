"""Phone captures flattened, low resolutions enlarged to 150 dpi, and the image handed to Tesseract."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest
from PIL import Image

from benchmarks.real_variants import phone
from tests.test_real_reading import LINES, text_image
from vnplan.models.document import BlockKind, ReadMethod
from vnplan.pipeline.image_prep import enlarge
from vnplan.pipeline.ocr import _ocr_image
from vnplan.pipeline.ocr_engine import OcrWord
from vnplan.pipeline.perspective import flatten_sheet
from vnplan.pipeline.tesseract import bmp, image_file


def page(width: int = 1240, height: int = 1754) -> np.ndarray:
    """An A4 sheet at 150 dpi with a few lines of text, RGB."""
    sheet = Image.new("RGB", (width, height), "white")
    sheet.paste(text_image(LINES * 4, size=24, width=width - 100), (50, 80))
    return np.asarray(sheet)


def test_a_photographed_sheet_is_found_and_warped_to_a_rectangle() -> None:
    photo, _ = phone(page(), np.random.default_rng(0), 150)
    gray = np.asarray(photo.convert("L"))
    flat = flatten_sheet(gray, 150)
    assert flat is not None
    height, width = flat.gray.shape
    assert width / height == pytest.approx(1240 / 1754, abs=0.02)  # the keystone undone: A4's proportions
    assert width < gray.shape[1] and height < gray.shape[0]  # the desk around the sheet is gone
    edges = [flat.gray[:, :8], flat.gray[:, -8:], flat.gray[:8], flat.gray[-8:]]
    assert min(float(np.median(edge)) for edge in edges) > 150  # paper to its edges, no desk (grey 88) left
    # A box of the flat sheet lands on the sheet in the photo (inside the desk margin of 6%).
    x0, top, x1, bottom = flat.to_photo((0, 0, width - 1, height - 1))
    assert 0.03 * gray.shape[1] < x0 < 0.12 * gray.shape[1] and top > 0.02 * gray.shape[0]
    assert x1 < gray.shape[1] and bottom < gray.shape[0]


@pytest.mark.parametrize("kind", ["scan", "cropped photo"])
def test_a_page_that_is_all_sheet_is_left_alone(kind: str) -> None:
    gray = cv2.cvtColor(page(), cv2.COLOR_RGB2GRAY)
    if kind == "cropped photo":  # light falling off across the sheet, no desk
        gray = (gray * np.linspace(1.0, 0.7, gray.shape[1])[None, :]).astype(np.uint8)
    assert flatten_sheet(gray, 150) is None


def test_pages_under_150_dpi_are_enlarged_to_150() -> None:
    gray = np.full((1170, 827), 255, np.uint8)
    enlarged, factor = enlarge(gray, 100.0)
    assert factor == pytest.approx(1.5) and enlarged.shape == (1755, 1240)
    assert enlarge(gray, 149.9) == (gray, 1.0)  # a 150 dpi scan placed on A4 states 149.9
    assert enlarge(gray, 300.0)[1] == 1.0


def test_the_image_reaches_tesseract_as_an_uncompressed_bmp_in_memory() -> None:
    gray = np.random.default_rng(1).integers(0, 256, (37, 53), dtype=np.uint8)  # rows padded in a BMP
    data = bmp(gray)
    assert data[:2] == b"BM" and len(data) >= gray.size
    assert np.array_equal(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE), gray)
    with image_file(gray) as (path, fd):
        with open(path, "rb") as handed:
            assert handed.read() == data
        assert not os.path.exists(f"/proc/self/fd/{fd}") or os.readlink(f"/proc/self/fd/{fd}").startswith("/memfd:")
    with pytest.raises(OSError):
        os.fstat(fd)  # closed: nothing is left behind


def test_without_memfd_the_image_goes_through_a_temporary_file_that_is_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    gray = np.random.default_rng(2).integers(0, 256, (20, 30), dtype=np.uint8)
    monkeypatch.delattr(os, "memfd_create")
    with image_file(gray) as (path, _fd), open(path, "rb") as handed:
        assert handed.read() == bmp(gray)
    assert not os.path.exists(path)


#: Lines of eight words, (block, line, top) in pixels at 150 dpi: a body paragraph at the top of the
#: sheet, and two numbered items of three lines lower down.
ROWS = [(1, k, 150 + 42 * k) for k in range(10)] + [(2 + k // 3, k % 3, 900 + 42 * k) for k in range(6)]


def word_box(line_top: int, n: int) -> tuple[int, int, int, int]:
    """The box of the ``n``th word of a line."""
    return (100 + 130 * n, line_top, 210 + 130 * n, line_top + 30)


class _FlatWords:
    """An engine that reads the ROWS, whatever the image it is given: words all of one size."""

    name = "fake"

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        words = []
        for k, (block, line, top) in enumerate(ROWS):
            for n in range(8):
                mark = {10: "1.", 13: "2."}.get(k, f"w{k}") if n == 0 else "chủ"
                words.append(OcrWord(mark, 0.95, word_box(top, n), block, 1, line, n))
        return words

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        return 0


def test_a_photographed_sheet_is_laid_out_flat_so_its_slanted_lines_are_not_taken_for_small_type() -> None:
    # In the photo the keystone slants the lines near the top: the box around a slanted line is taller
    # than its type, so lines lower down, slanting less, looked like small type (numbered items read
    # as footnotes). Laid out in the flat sheet, every line here is one size.
    sheet_image = np.full((1754, 1240, 3), 255, np.uint8)
    for _, _, top in ROWS:  # ink where the words are, so the sheet is found straight
        for n in range(8):
            x0, y0, x1, y1 = word_box(top, n)
            sheet_image[y0 + 8 : y1 - 4, x0:x1] = 0
    photo, _ = phone(sheet_image, np.random.default_rng(0), 150)
    gray = np.asarray(photo.convert("L"))
    sheet = flatten_sheet(gray, 150)
    assert sheet is not None
    page = _ocr_image(gray, 1, 150.0, ReadMethod.OCR, None, _FlatWords())
    assert [block.kind for block in page.blocks] == [BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.HEADING]
    assert [block.text[:2] for block in page.blocks] == ["w0", "1.", "2."]
    # The boxes are mapped back onto the photo: each word's box is the box around its corners there.
    word = page.blocks[1].lines[0].words[0]
    assert word.bbox == pytest.approx(tuple(v * 72 / 150 for v in sheet.to_photo(word_box(900, 0))), abs=0.01)
    assert page.blocks[1].lines[0].bbox == pytest.approx(
        tuple(v * 72 / 150 for v in sheet.to_photo((100, 900, word_box(900, 7)[2], 930))), abs=1.0
    )
