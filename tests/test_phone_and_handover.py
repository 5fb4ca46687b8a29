"""Phone captures flattened, low resolutions enlarged to 150 dpi, and the image handed to Tesseract."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest
from PIL import Image

from benchmarks.real_variants import phone
from tests.test_real_reading import LINES, text_image
from vnplan.pipeline.image_prep import enlarge
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
