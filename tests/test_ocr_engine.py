"""The OCR engine seam: Tesseract's words, recorded and replayed answers, the engine chosen, its options."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import ROOT, SAMPLES
from vnplan.models.database import connect
from vnplan.models.document import Document, document_to_dict
from vnplan.models.errors import Category, InputError, MissingDependency
from vnplan.models.schema import PageRow
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.ocr import ocr_image, ocr_image_file, render_pdf_page
from vnplan.pipeline.ocr_engine import OcrWord
from vnplan.pipeline.ocr_engines import ENGINE_VARIABLE, RECORDINGS_VARIABLE, open_engine
from vnplan.pipeline.ocr_replay import MissingRecording, RecordingEngine, Recordings, ReplayEngine, question_key
from vnplan.pipeline.options import OcrOptions
from vnplan.pipeline.tesseract import TesseractEngine, check_installed, words_of

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
#: Tesseract's TSV for a page-level row, a block row, two words of one line (one with a quirk), an empty word.
TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t1000\t800\t-1\t\n"
    "2\t1\t1\t0\t0\t0\t10\t20\t300\t40\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t10\t20\t120\t40\t96.57\tĐÐẾN\n"
    "5\t1\t1\t1\t1\t2\t140\t22\t90\t38\t88\tSở\n"
    "5\t1\t1\t1\t1\t3\t240\t22\t10\t38\t95\t \n"
)


def text_image(text: str = "Sở Nội vụ chủ trì kế hoạch năm 2026") -> np.ndarray:
    """One line of black type on white, about 12 points at 300 dpi."""
    image = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(image).text((40, 50), text, font=ImageFont.truetype(FONT, 42), fill=0)
    return np.asarray(image)


class ListedEngine:
    """An engine whose answers are given to it: what it records is known in advance."""

    name = "listed"

    def __init__(self, words: list[OcrWord], degrees: int) -> None:
        self.words, self.degrees, self.calls = words, degrees, 0

    def read_words(self, image: np.ndarray, psm: int, dpi: float) -> list[OcrWord]:
        self.calls += 1
        return self.words

    def orientation(self, image: np.ndarray, dpi: float) -> int:
        self.calls += 1
        return self.degrees


def test_tesseract_words_come_with_boxes_confidence_ids_and_quirks_fixed() -> None:
    words = words_of(TSV)
    assert words == [
        OcrWord("ĐẾN", 0.96, (10, 20, 130, 60), 1, 1, 1, 1),  # conf truncated as pytesseract does; Ð dropped
        OcrWord("Sở", 0.88, (140, 22, 230, 60), 1, 1, 1, 2),
    ]
    assert words_of("") == []


def test_recorded_answers_are_replayed_exactly(tmp_path: Path) -> None:
    words = [OcrWord("Kế", 0.91, (1, 2, 30, 40), 1, 1, 1, 1), OcrWord("hoạch", 0.5, (35, 2, 90, 40), 1, 1, 1, 2)]
    listed = ListedEngine(words, 270)
    recordings = Recordings(tmp_path)
    recorder = RecordingEngine(listed, "vie", recordings)
    image = text_image()
    assert recorder.read_words(image, 3, 300.0) == words
    assert recorder.orientation(image, 300.0) == 270
    replay = ReplayEngine("vie", recordings)
    assert replay.read_words(image, 3, 300.0) == words
    assert replay.orientation(image, 300.0) == 270
    assert listed.calls == 2  # the replay asked the recorded engine nothing
    recorder.read_words(image, 3, 300.0)
    assert len(list(tmp_path.glob("*.json.gz"))) == 2  # recording the same answer again adds no file


@pytest.mark.parametrize(
    ("psm", "dpi", "language", "change"),
    [(6, 300.0, "vie", None), (3, 200.0, "vie", None), (3, 300.0, "vie+eng", None), (3, 300.0, "vie", "pixel")],
)
def test_another_question_has_no_answer_and_the_error_says_how_to_record(
    tmp_path: Path, psm: int, dpi: float, language: str, change: str | None
) -> None:
    image = text_image()
    RecordingEngine(ListedEngine([], 0), "vie", Recordings(tmp_path)).read_words(image, 3, 300.0)
    asked = image.copy()
    if change == "pixel":
        asked[0, 0] = 0
    with pytest.raises(MissingRecording) as missing:
        ReplayEngine(language, Recordings(tmp_path)).read_words(asked, psm, dpi)
    message = str(missing.value)
    assert "no recorded OCR answer for the words of a 1400×160 image" in message
    assert f"psm {psm}, dpi {round(dpi)}, language {language}" in message
    assert "VNPLAN_OCR_ENGINE=record" in message and "make record-ocr" in message


def test_the_key_is_of_what_the_engine_sees() -> None:
    image = text_image()
    settings = {"psm": 3, "dpi": 300, "language": "vie"}
    assert question_key("words", image, settings) == question_key("words", image.copy(), dict(settings))
    assert question_key("words", image, settings) != question_key("orientation", image, settings)
    same_bytes = image.reshape(image.shape[0] * 2, image.shape[1] // 2)
    assert question_key("words", image, settings) != question_key("words", same_bytes, settings)


def test_the_engine_is_chosen_by_the_options_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "replay")
    monkeypatch.setenv(RECORDINGS_VARIABLE, str(tmp_path))
    assert open_engine(OcrOptions()) == ReplayEngine("vie", Recordings(tmp_path))
    assert open_engine(OcrOptions(engine="tesseract", language="eng", call_timeout=9)) == TesseractEngine("eng", 9)
    recorder = open_engine(OcrOptions(engine="record", recordings=str(tmp_path / "other")))
    assert isinstance(recorder, RecordingEngine) and recorder.recordings == Recordings(tmp_path / "other")
    assert recorder.name == "tesseract"
    monkeypatch.delenv(ENGINE_VARIABLE)
    assert open_engine(OcrOptions()) == TesseractEngine("vie", 180.0)
    with pytest.raises(ValueError, match="unknown OCR engine 'abbyy'"):
        open_engine(OcrOptions(engine="abbyy"))
    monkeypatch.delenv(RECORDINGS_VARIABLE)
    with pytest.raises(ValueError, match="needs a recordings folder"):
        open_engine(OcrOptions(engine="replay"))


def test_importing_ocr_changes_no_process_setting() -> None:
    code = (
        "import PIL.Image as I; before = I.MAX_IMAGE_PIXELS; import vnplan.pipeline.ocr; print(I.MAX_IMAGE_PIXELS == before)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.split() == ["True"], done.stderr


def test_the_pixel_budget_and_the_render_resolution_are_options() -> None:
    png = io.BytesIO()
    Image.new("L", (1200, 1000), 255).save(png, format="PNG")
    with pytest.raises(InputError) as refused:
        ocr_image_file(png.getvalue(), options=OcrOptions(max_pixels=1_000_000))
    assert refused.value.category == Category.TOO_LARGE and "over 1,000,000 pixels" in str(refused.value)
    data = (SAMPLES / "born-digital" / "000_b004f501ec34ffc6.pdf").read_bytes()
    pdf = pdfium.PdfDocument(data)
    width, height = pdf[0].get_size()
    pdf.close()
    image = render_pdf_page(data, 0, options=OcrOptions(dpi=100))
    assert image.shape == pytest.approx((height * 100 / 72, width * 100 / 72), abs=1)
    with pytest.raises(InputError, match="at 100 dpi, over 10,000"):
        render_pdf_page(data, 0, options=OcrOptions(dpi=100, max_pixels=10_000))


def test_the_language_option_is_checked_with_the_installation() -> None:
    with pytest.raises(MissingDependency) as missing:
        check_installed(OcrOptions(language="vie+xyz"))
    assert "Tesseract's xyz language data is missing: apt-get install tesseract-ocr-xyz" in str(missing.value)


@pytest.mark.live
def test_a_tesseract_call_over_its_time_limit_is_killed() -> None:
    engine = open_engine(OcrOptions(call_timeout=0.01))
    with pytest.raises(InputError) as late:
        engine.read_words(np.tile(text_image(), (8, 1)), 3, 300.0)
    assert late.value.category == Category.TIMEOUT and "longer than its 0.01 s limit" in str(late.value)


@pytest.mark.live
def test_a_page_replayed_is_the_page_tesseract_read(tmp_path: Path) -> None:
    image = text_image()
    live = ocr_image(image, 1, 300, options=OcrOptions(engine="record", recordings=str(tmp_path)))
    replayed = ocr_image(image, 1, 300, options=OcrOptions(engine="replay", recordings=str(tmp_path)))
    assert "Sở Nội vụ chủ trì" in live.text
    assert (live.ocr_engine, replayed.ocr_engine) == ("tesseract", "replay")
    replayed.ocr_engine = live.ocr_engine
    assert document_to_dict(Document(Path("p.png"), "", [replayed])) == document_to_dict(
        Document(Path("p.png"), "", [live])
    )


def test_the_engine_that_read_each_page_is_stored(db_url: str, tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    Image.fromarray(text_image()).save(scan, dpi=(300, 300))
    note = tmp_path / "note.txt"
    note.write_text("Sở Nội vụ chủ trì kế hoạch năm 2026.\n", encoding="utf-8")
    report = ingest([scan, note], db_url)
    assert report.count("ingested") == 2, [o.reason for o in report.outcomes]
    engine = connect(db_url)
    with Session(engine) as session:
        stored = sorted((tuple(r) for r in session.execute(select(PageRow.read_method, PageRow.ocr_engine))), key=str)
    engine.dispose()
    assert stored == [("ocr", open_engine(OcrOptions()).name), ("text_file", None)]
    assert stored[0][1] == ("replay" if os.environ[ENGINE_VARIABLE] == "replay" else "tesseract")
