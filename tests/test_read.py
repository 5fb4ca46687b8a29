"""Reading: born-digital and scanned PDFs, images, text files, and input that cannot be read."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen import canvas

from tests.conftest import SAMPLES
from vnplan.models.document import Line, Page, ReadMethod
from vnplan.models.errors import InputError
from vnplan.normalizers.text import fold
from vnplan.pipeline.ocr import ocr_pdf_pages
from vnplan.pipeline.read import read
from vnplan.pipeline.repair import repair


def all_lines(page: Page) -> list[Line]:
    return [line for block in page.blocks for line in block.text_lines()]


BORN = SAMPLES / "born-digital" / "000_b004f501ec34ffc6.pdf"
SCAN = SAMPLES / "scanned" / "000_b004f501ec34ffc6.pdf"


def test_born_digital_pages_are_read_from_the_text_layer() -> None:
    doc = read(BORN)
    assert len(doc.pages) == 16
    assert {p.method for p in doc.pages} == {ReadMethod.TEXT_LAYER}
    first = doc.pages[0]
    assert "Số: 323/KH-UBND" in first.text
    assert "CẢI CÁCH HÀNH CHÍNH TỈNH LÀO CAI NĂM 2018" in first.text
    lines = all_lines(first)
    assert all(line.bbox and line.confidence == 1.0 for line in lines)
    x0, top, x1, bottom = lines[0].bbox
    assert 0 <= x0 < x1 <= first.width and 0 <= top < bottom <= first.height


def test_ruled_table_rows_become_tab_separated_lines() -> None:
    doc = read(SAMPLES / "born-digital" / "002_1f5460d5dbdbbf5b.pdf")
    rows = [line.text.split("\t") for p in doc.pages for line in all_lines(p) if "\t" in line.text]
    header = next(r for r in rows if r[0] == "STT")
    assert len(header) == 10 and header[1].startswith("Lĩnh vực")
    row = next(r for r in rows if r[0] == "1.1.2")
    assert row[2:5] == ["1", "0,9111", "0,889"]
    assert row[6] == "Sở Nội vụ"


def test_scanned_page_is_ocred_with_boxes_and_confidence() -> None:
    (page,) = ocr_pdf_pages(SCAN.read_bytes(), [0])
    assert page.method is ReadMethod.OCR and page.number == 1
    text = page.text
    for phrase in ("323/KH-UBND", "Lào Cai, ngày 13 tháng 12 năm 2017", "KẾ HOẠCH", "Nghị quyết số 30c/NQ-CP"):
        assert phrase in text
    lines = all_lines(page)
    assert all(0.5 < line.confidence <= 1.0 for line in lines if len(line.text) > 20)
    assert all(line.bbox[2] <= page.width + 1 and line.bbox[3] <= page.height + 1 for line in lines)


@pytest.mark.live  # an image file read by real Tesseract
def test_image_file_is_ocred(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCAN))
    image = pdf[0].render(scale=300 / 72, grayscale=True).to_pil()
    pdf.close()
    png = tmp_path / "page.png"
    image.crop((0, 0, image.width, image.height // 4)).save(png, dpi=(300, 300))
    doc = read(png)
    assert doc.pages[0].method is ReadMethod.OCR
    assert "323/KH-UBND" in doc.pages[0].text


def test_text_file_drops_markdown_marks_and_keeps_paragraphs(tmp_path: Path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text("Số: *14* /CT-UBND\n\n## **CHỈ THỊ**\n\nXem [trang](http://x.vn) nhé\n", encoding="utf-8")
    doc = repair(read(src))
    (page,) = doc.pages
    assert page.method is ReadMethod.TEXT_FILE
    assert [block.text for block in page.blocks] == ["Số: 14 /CT-UBND", "CHỈ THỊ", "Xem trang nhé"]


def test_repair_normalises_and_keeps_the_raw_text(tmp_path: Path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text("Chuẩn hoá  thuỷ lợi\n", encoding="utf-8")
    (line,) = all_lines(repair(read(src)).pages[0])
    assert line.text == "Chuẩn hóa thủy lợi"
    assert line.raw == "Chuẩn hoá  thuỷ lợi"


def _encrypted_pdf(path: Path) -> None:
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "So 1/KH-UBND")
    c.save()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.pdf", lambda p: p.write_bytes(b""), "the file is empty"),
        ("letter.pdf", lambda p: p.write_bytes(b"Dear sir"), "named .pdf but is not a PDF file"),
        ("cut.pdf", lambda p: p.write_bytes(BORN.read_bytes()[:3000]), "the PDF is damaged"),
        ("noise.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8), "the PDF is damaged"),
        ("locked.pdf", _encrypted_pdf, "the PDF is encrypted"),
        ("blob.bin", lambda p: p.write_bytes(bytes(range(256))), "not a PDF, an image, a Word or RTF"),
        ("cut.png", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "the image is damaged"),
    ],
)
def test_bad_input_gets_one_clear_message(tmp_path: Path, name: str, make, message: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as err:
        read(path)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read(tmp_path / "nope.pdf")


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(bomb)
    with pytest.raises(InputError, match="too large to be a page"):
        read(bomb)


def test_mangled_sample_reads_as_printed() -> None:
    doc = read(SAMPLES / "born-digital" / "001_8c21273f31333319.pdf")
    assert "cai cach hanh chinh" in fold(doc.pages[0].text)


def test_short_cells_read_side_by_side_go_back_to_their_cells() -> None:
    from PIL import ImageDraw, ImageFont

    from vnplan.pipeline.ocr import _read_rows
    from vnplan.pipeline.ocr_engines import open_engine
    from vnplan.pipeline.options import OcrOptions

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 30)
    texts = ["1,5", "4,8389", "5.1.1", "STT", "Quý IV"]
    crops = []
    for k, text in enumerate(texts):
        image = Image.new("L", (40 + 20 * len(text), 60), 255)
        ImageDraw.Draw(image).text((15, 8), text, font=font, fill=0)
        crops.append(((k * 100, 0, k * 100 + 90, 40), np.asarray(image)))
    read = _read_rows(crops, open_engine(OcrOptions()), 300)
    assert {box: text for box, (text, _) in read.items()} == {
        box: text for (box, _), text in zip(crops, texts, strict=True)
    }
    assert all(0 < confidence <= 1 for _, confidence in read.values())


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters with hats and horns precomposed, tones as combining marks."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out).encode("cp1258")


TEXT = "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính thực hiện kế hoạch cải cách hành chính năm 2026.\n"


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf16.txt", lambda t: t.encode("utf-16")),  # with its BOM
        ("windows1258.txt", lambda t: windows_1258(t)),
    ],
)
def test_text_in_utf16_and_windows_1258_is_read_into_nfc(tmp_path: Path, name: str, encode) -> None:
    path = tmp_path / name
    path.write_bytes(encode(TEXT))
    assert read(path).pages[0].text.strip() == TEXT.strip()


def test_junk_before_the_pdf_header_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "mail.pdf"
    path.write_bytes(
        b"From archive@example\r\n\r\n" + (SAMPLES / "born-digital" / "004_4e2b9f1d4e06e14f.pdf").read_bytes()
    )
    assert "CHỈ THỊ" in read(path).text


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP"])
def test_gif_webp_and_bmp_images_are_read(tmp_path: Path, fmt: str) -> None:
    image = Image.new("L", (1240, 400), 255)
    font = ImageFont.truetype("DejaVuSans.ttf", 48)
    ImageDraw.Draw(image).text((60, 150), "Sở Nội vụ chủ trì thực hiện", font=font, fill=0)
    path = tmp_path / f"page.{fmt.lower()}"
    image.save(path, fmt)
    assert "Nội vụ" in read(path).text


def test_16_bit_and_transparent_images_are_not_read_as_empty(tmp_path: Path) -> None:
    font = ImageFont.truetype("DejaVuSans.ttf", 48)
    ink = Image.new("L", (1240, 400), 255)
    ImageDraw.Draw(ink).text((60, 150), "Sở Nội vụ chủ trì thực hiện", font=font, fill=0)
    wide = Image.fromarray(np.asarray(ink, dtype=np.uint16) * 257)  # 16-bit gray, white at 65535
    wide.save(tmp_path / "wide.png")
    clear = Image.new("RGBA", ink.size, (0, 0, 0, 0))  # black text on a transparent background
    clear.putalpha(Image.eval(ink, lambda v: 255 - v))
    clear.save(tmp_path / "clear.png")
    for name in ("wide.png", "clear.png"):
        assert "Nội vụ" in read(tmp_path / name).text, name
