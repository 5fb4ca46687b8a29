"""TCVN3 (ABC, .VnTime) and VNI text: the tables, detection by font name and by the text, Unicode left alone."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfgen import canvas

from tests.conftest import SHARED
from vnplan.normalizers.legacy_encoding import (
    TCVN3,
    UNICODE,
    VNI_PAIRS,
    VNI_SINGLE,
    Encoding,
    Reading,
    convert_runs,
    decode,
    decode_glyphs,
    decode_tcvn3,
    decode_vni,
    detect,
    font_reading,
)
from vnplan.pipeline.legacy_layer import convert_legacy_chars
from vnplan.pipeline.read import read_data

SENTENCE = (
    "ban thường vụ tỉnh ủy chỉ đạo sở tư pháp phối hợp với các sở, ban, ngành xây dựng kế hoạch cải cách "
    "hành chính năm 2018, bảo đảm đúng tiến độ và hiệu quả; ủy ban nhân dân các huyện, thành phố tổ chức thực hiện."
)

# Encoders for the tests only: the inverse of the tables under test.
_TO_TCVN3 = {u: c for c, u in TCVN3.items() if len(c) == 1 and ord(c) <= 0xFF}
_TO_VNI = {u: k for k, u in sorted(VNI_PAIRS.items(), key=lambda kv: (len(kv[0]), kv[0]), reverse=True)
           if len(k) == 2 and k[0].islower() == k[1].islower()} | {u: k for k, u in VNI_SINGLE.items()}  # fmt: skip


def to_tcvn3(text: str) -> str:
    return "".join(_TO_TCVN3.get(c, c) for c in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    return "".join(_TO_VNI.get(c, c) for c in unicodedata.normalize("NFC", text))


def test_the_issue_examples_read_as_printed() -> None:
    assert decode_tcvn3("Ban Th\u00adêng vô TØnh ñy") == "Ban Thường vụ Tỉnh ủy"
    assert decode_tcvn3("Së T\u00ad ph¸p") == "Sở Tư pháp"
    assert decode_tcvn3("B¸o c¸o") == "Báo cáo"
    assert decode_vni("Baùo caùo cuûa Sôû Tö phaùp") == "Báo cáo của Sở Tư pháp"
    assert decode_vni("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert decode_vni("coâng vieâïc") == "công việc"  # shape and tone typed as two marks


def test_every_vietnamese_letter_goes_through_each_table_and_back() -> None:
    letters = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    assert decode_tcvn3(to_tcvn3(letters)) == letters
    assert decode_tcvn3(to_tcvn3("ĂÂÊÔƠƯĐ")) == "ĂÂÊÔƠƯĐ"
    assert decode_vni(to_vni(letters)) == letters
    assert decode_vni(to_vni(letters.upper())) == letters.upper()
    assert decode_tcvn3(to_tcvn3(SENTENCE)) == SENTENCE
    assert decode_vni(to_vni(SENTENCE)) == SENTENCE


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv is not installed")
def test_the_tcvn3_table_agrees_with_glibc_for_every_letter_code() -> None:
    for byte in range(0xA1, 0x100):
        if 0xB0 <= byte <= 0xB4:  # VN1's combining marks: left alone (see the module)
            continue
        done = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]), capture_output=True)
        assert TCVN3[chr(byte)] == done.stdout.decode("utf-8"), hex(byte)


def test_font_names_say_the_encoding() -> None:
    assert font_reading(".VnTime") == Reading(Encoding.TCVN3)
    assert font_reading("ABCDEF+.VnTime,Bold") == Reading(Encoding.TCVN3)
    assert font_reading("FBHPFO+VnTimeHBold") == Reading(Encoding.TCVN3, upper=True)
    assert font_reading(".VnArialH") == Reading(Encoding.TCVN3, upper=True)
    assert font_reading("VNI-Times") == Reading(Encoding.VNI)
    assert font_reading("VNI-Helve-Condense") == Reading(Encoding.VNI)
    assert font_reading("Times New Roman") is None
    assert font_reading(None) is None


def test_capitals_only_fonts_are_upper_cased() -> None:
    assert decode("NghÞ ®Þnh cña ChÝnh phñ", Reading(Encoding.TCVN3, upper=True)) == "NGHỊ ĐỊNH CỦA CHÍNH PHỦ"
    assert decode_glyphs(list("B¸o"), Reading(Encoding.TCVN3, upper=True)) == ["B", "Á", "O"]


def test_the_text_alone_tells_tcvn3_and_vni() -> None:
    assert detect(to_tcvn3(SENTENCE)).encoding is Encoding.TCVN3
    assert detect(to_vni(SENTENCE)).encoding is Encoding.VNI
    assert detect(SENTENCE) == UNICODE


def test_one_document_mixes_encodings_run_by_run() -> None:
    runs = [
        ("Kế hoạch cải cách hành chính", "Times New Roman"),
        ("B¸o c¸o", ".VnTime"),
        ("Baùo caùo", "VNI-Times"),
        ("ng©n hµng", ".VnTime"),
        ("Công tác", "Arial"),
    ]
    assert convert_runs(runs) == ["Kế hoạch cải cách hành chính", "Báo cáo", "Báo cáo", "ngân hàng", "Công tác"]


def test_unicode_text_is_never_touched() -> None:
    # Text holding Unicode Vietnamese is returned as it is, even under a legacy font's name.
    assert decode("Sở Tư pháp", Reading(Encoding.TCVN3)) == "Sở Tư pháp"
    assert convert_runs([("Công tác cải cách", ".VnTime")]) == ["Công tác cải cách"]
    # A font holding both (a document half converted): the Unicode runs stay, the TCVN3 ones are read.
    mixed = [("Sở Tư pháp chủ trì, phối hợp", ".VnTime"), ("B¸o c¸o kÕt qu¶ thùc hiÖn", ".VnTime")]
    assert convert_runs(mixed) == ["Sở Tư pháp chủ trì, phối hợp", "Báo cáo kết quả thực hiện"]
    # Latin-1-only Unicode words in a legacy-named font: the TCVN3 reading makes fewer syllables.
    assert convert_runs([("Công tác", ".VnTime")]) == ["Công tác"]
    # OCR text that lost its marks (``véi``, ``nuéc``) is not TCVN3.
    lossy = "hai long dbi véi su phuc vu cua co quan hanh chinh nha nuéc trén dia ban, két qua kiém tra"
    assert convert_runs([(lossy, None)]) == [lossy]


def test_the_unicode_corpus_is_left_exactly_as_it_is() -> None:
    corpus = sorted((SHARED / "corpus").glob("*.txt"))
    if not corpus:
        pytest.skip(f"no corpus in {SHARED / 'corpus'}")
    for path in corpus:
        text = path.read_text(encoding="utf-8")
        assert convert_runs([(text, None)]) == [text], path.name
        lines = text.splitlines()
        assert convert_runs([(line, None) for line in lines]) == lines, path.name


def _pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    pdf.setFont("Helvetica", 11)
    for k, line in enumerate(lines):
        pdf.drawString(60, 780 - 16 * k, line)
    pdf.save()
    return buffer.getvalue()


def test_a_tcvn3_pdf_layer_is_converted_before_its_verdict() -> None:
    text = "Kế hoạch cải cách hành chính năm 2018 của tỉnh; các sở, ban, ngành thực hiện đúng tiến độ đề ra"
    data = _pdf([to_tcvn3(text.lower())] * 3)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert "c¸c" in "".join(c["text"] for c in page.chars)  # Helvetica: no font name to go by
        assert convert_legacy_chars(page) > 0
        assert "các sở, ban, ngành" in page.extract_text()
    page = read_data(data, Path("tcvn3.pdf")).pages[0]
    assert page.verdict.status == "good"
    assert "kế hoạch cải cách hành chính" in page.text


def test_a_vni_pdf_layer_joins_each_letter_and_its_mark() -> None:
    text = "Kế hoạch cải cách hành chính năm 2018 của tỉnh; các sở, ban, ngành thực hiện đúng tiến độ được giao"
    data = _pdf([to_vni(text)] * 3)
    page = read_data(data, Path("vni.pdf")).pages[0]
    assert page.verdict.status == "good"
    assert text in page.text
    words = [w for b in page.blocks for x in b.lines for w in x.words]
    assert words[0].text == "Kế" and words[0].bbox[2] > words[0].bbox[0]


@pytest.mark.parametrize("name", ["2007-1AF57_02-2007.pdf", "2003-A-15.rtf"])
def test_real_tcvn3_documents_read_as_their_transcripts(name: str) -> None:
    import importlib.util

    path = SHARED / "real" / "legacy" / "tcvn3" / name
    truth = SHARED / "real" / "legacy" / "ground-truth" / f"{path.stem}.txt"
    if not path.is_file() or not truth.is_file():
        pytest.skip(f"{path} or its transcript is absent")
    if path.suffix == ".rtf" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    spec = importlib.util.spec_from_file_location("score_text", SHARED / "eval" / "score_text.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    document = read_data(path.read_bytes(), path)
    text = "\n".join(b.text for page in document.pages for b in page.blocks)
    assert scorer.score(truth.read_text(encoding="utf-8"), text)["syllable_accuracy"] >= 0.99
    assert all(page.verdict.status == "good" for page in document.pages)
