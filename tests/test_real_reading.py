"""Reading pages as archives hold them: a scan's own image, skew, seals and stamps, unruled tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.digital_variants import table_pdf as plan_table_pdf
from benchmarks.real_variants import VARIANTS, make_variants
from vnplan.models.database import connect
from vnplan.models.document import BlockKind, Page
from vnplan.models.schema import DocumentRow, PageRow
from vnplan.pipeline.image_prep import drop_colour_ink, estimate_skew, rotate
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.ocr import image_dpi, is_receipt_stamp, ocr_image, ocr_pdf_pages, render_pdf_page
from vnplan.pipeline.page_scan import page_scan
from vnplan.pipeline.read import read

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì,",
    "phối hợp với các sở, ngành triển khai kế hoạch",
    "cải cách hành chính năm 2026 trên địa bàn tỉnh.",
]


def text_image(lines: list[str] = LINES, size: int = 42, width: int = 1500) -> Image.Image:
    """Black lines of Vietnamese text on white, about 12-point type at 300 dpi."""
    font = ImageFont.truetype(FONT, size)
    image = Image.new("RGB", (width, 120 + len(lines) * int(size * 1.7)), "white")
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((60, 60 + k * int(size * 1.7)), line, font=font, fill=(0, 0, 0))
    return image


def tables(page: Page) -> list:
    return [b.table for b in page.blocks if b.kind is BlockKind.TABLE]


@pytest.mark.parametrize("angle", [-30.0, 12.0, 20.0, 40.0])
def test_skew_is_found_up_to_45_degrees(angle: float) -> None:
    image = text_image(LINES * 3).convert("L").rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)
    assert estimate_skew(np.asarray(image), 300) == pytest.approx(-angle, abs=0.5)


def test_straight_page_is_left_alone() -> None:
    assert estimate_skew(np.asarray(text_image(LINES * 3).convert("L")), 300) == 0.0


def test_page_rotated_20_degrees_reads_back() -> None:
    image = text_image().convert("L").rotate(20, expand=True, fillcolor=255, resample=Image.BICUBIC)
    page = ocr_image(np.asarray(image), 1, 300)
    text = " ".join(page.text.split())
    for line in LINES:
        assert line in text


def test_rotation_past_3_degrees_keeps_every_corner() -> None:
    gray = np.full((400, 300), 255, np.uint8)
    gray[:20, :20] = 0  # ink in a corner
    turned = rotate(gray, 20.0)
    assert turned.shape[0] > 400 and turned.shape[1] > 300
    assert (turned < 128).sum() == pytest.approx(400, rel=0.15)


def seal_over_text() -> tuple[Image.Image, Image.Image]:
    """Text with a red seal (ring, star, lettering) and a blue signature over it, as ink multiplies
    the paper; and a red receipt stamp "CÔNG VĂN ĐẾN" in a box beside it."""
    clean = text_image()
    ink = Image.new("RGB", clean.size, "white")
    draw = ImageDraw.Draw(ink)
    red, blue = (210, 35, 45), (30, 50, 175)
    draw.ellipse((700, 20, 1000, 320), outline=red, width=14)
    draw.ellipse((760, 80, 940, 260), outline=red, width=6)
    draw.polygon([(850, 110), (880, 200), (810, 145), (890, 145), (820, 200)], fill=red)
    draw.text((735, 150), "ỦY BAN NHÂN DÂN", font=ImageFont.truetype(FONT, 26), fill=red)
    draw.line([(300, 200), (500, 120), (650, 230), (900, 140)], fill=blue, width=7)
    draw.rectangle((1080, 40, 1460, 190), outline=red, width=6)
    draw.text((1100, 60), "CÔNG VĂN ĐẾN", font=ImageFont.truetype(FONT, 40), fill=red)
    draw.text((1100, 120), "Số: 1234", font=ImageFont.truetype(FONT, 40), fill=red)
    inked = Image.fromarray((np.asarray(clean, np.float32) * np.asarray(ink, np.float32) / 255).astype(np.uint8))
    return clean, inked


def test_red_and_blue_ink_is_dropped_and_the_seal_recorded() -> None:
    clean, inked = seal_over_text()
    found = drop_colour_ink(np.asarray(inked), 300)
    assert found.seal and found.share > 0.005
    paper = np.asarray(clean.convert("L"))
    # the printed text stays black where the seal crosses it, and no coloured ink is left on the paper
    assert (found.gray[paper < 100] < 128).mean() > 0.97
    assert (found.gray[paper > 200] < 128).mean() < 0.002
    assert not drop_colour_ink(np.asarray(clean), 300).seal


def test_text_under_a_seal_is_read_and_a_receipt_stamp_is_not() -> None:
    _, inked = seal_over_text()
    page = ocr_image(np.asarray(inked), 1, 300)
    text = " ".join(page.text.split())
    assert page.seal
    for line in LINES:
        assert line in text
    assert "CÔNG VĂN" not in text and "1234" not in text


def test_the_seal_is_stored_with_its_page(db_url: str, tmp_path: Path) -> None:
    _, inked = seal_over_text()
    sealed, plain = tmp_path / "sealed.png", tmp_path / "plain.png"
    inked.save(sealed, dpi=(300, 300))
    text_image().save(plain, dpi=(300, 300))
    report = ingest([sealed, plain], db_url)
    assert report.count("ingested") == 2, [o.reason for o in report.outcomes]
    engine = connect(db_url)
    with Session(engine) as session:
        stored = dict(session.execute(select(DocumentRow.source_name, PageRow.seal).join(PageRow.document)).all())
    engine.dispose()
    assert stored == {"sealed.png": True, "plain.png": False}


def test_a_receipt_stamp_in_black_is_not_read() -> None:
    image = text_image(["CÔNG VĂN ĐẾN", *LINES])
    ImageDraw.Draw(image).rectangle((40, 45, 520, 120), outline=(0, 0, 0), width=4)
    page = ocr_image(np.asarray(image.convert("L")), 1, 300)
    text = " ".join(page.text.split())
    assert "CÔNG VĂN" not in text and LINES[0] in text


def test_a_boxed_receipt_stamp_is_known_by_its_fields_when_its_heading_is_misread() -> None:
    box = (0.0, 0.0, 1.0, 1.0)
    # as the cells of the stamp on the real page CT-07-2018 p1 were read, heading and all
    stamp = [(box, "hà Đ./ CV ^* T ĐK", 0.3), (box, "Số: “hTA Ngay :44..Ä..L„44", 0.3), (box, "Chuyên: La mì", 0.3)]
    assert is_receipt_stamp(stamp)
    assert is_receipt_stamp([(box, "CÔNG VĂN ĐẾN", 0.9)])
    plan = [(box, text, 0.9) for text in ["STT", "Số văn bản", "Ngày ban hành", "Chuyển giao dữ liệu"] * 3]
    assert not is_receipt_stamp(plan)  # a table of many cells is a table whatever its words
    assert not is_receipt_stamp([(box, "Số: 12", 0.9), (box, "Ngày: 3/5", 0.9)])


ROWS = [
    ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Rà soát, đơn giản hóa thủ tục hành chính trong lĩnh vực đất đai", "Sở Nội vụ", "UBND các xã", "Quý II/2026"],
    [
        "2",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Văn phòng UBND tỉnh",
        "Các sở, ngành",
        "Tháng 12/2026",
    ],
    ["3", "Tuyên truyền cải cách hành chính trên báo, đài", "Sở Tư pháp", "Báo Lâm Đồng", "Thường xuyên"],
]


def table_pdf(path: Path, rules: str) -> Path:
    """A plan page with the task table ROWS ruled only under each row (``horizontal``) or not at all."""
    return plan_table_pdf(path, rules, ROWS)


def assert_task_table(page: Page) -> None:
    (table,) = tables(page)
    grid = [[" ".join(c.split()) for c in row] for row in table.grid()]
    assert table.n_cols == 5 and table.header_rows == 1
    assert grid[0] == ROWS[0]
    body = grid[1:]
    assert [row[2] for row in body] == [row[2] for row in ROWS[1:]]
    assert [row[4] for row in body] == [row[4] for row in ROWS[1:]]
    assert body[1][1] == ROWS[2][1]
    assert "Giao Sở Nội vụ" in page.blocks[-1].text  # prose after the table stays prose


@pytest.mark.parametrize("rules", ["horizontal", "none"])
def test_born_digital_table_without_full_rules_becomes_a_table(tmp_path: Path, rules: str) -> None:
    (page,) = read(table_pdf(tmp_path / "plan.pdf", rules)).pages
    assert_task_table(page)


def test_prose_with_header_words_is_no_table(tmp_path: Path) -> None:
    pdfmetrics.registerFont(TTFont("TestSerif", FONT))
    body = ParagraphStyle("body", fontName="TestSerif", fontSize=11, leading=14)
    prose = (
        "Nội dung kế hoạch: Sở Nội vụ chủ trì, phối hợp với các cơ quan thực hiện; thời gian thực hiện "
        "cả năm; kinh phí từ nguồn ngân sách tỉnh; kết quả báo cáo Ủy ban nhân dân tỉnh. "
    )
    path = tmp_path / "prose.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(prose * 3, body), Spacer(1, 8), Paragraph(prose, body)])
    (page,) = read(path).pages
    assert not tables(page)
    assert "Sở Nội vụ chủ trì" in page.text


@pytest.mark.slow
def test_scanned_table_without_rules_becomes_a_table(tmp_path: Path) -> None:
    pdf = table_pdf(tmp_path / "plan.pdf", "none")
    page = ocr_image(render_pdf_page(pdf.read_bytes(), 0), 1, 300)
    (table,) = tables(page)
    grid = table.grid()
    assert table.n_cols == 5 and table.header_rows == 1
    assert [" ".join(row[2].split()) for row in grid[1:]] == [row[2] for row in ROWS[1:]]


AT = (20.0, 12.0)  # where the scan image lies on its page (points from the top-left)


def scan_pdf(path: Path, image: Image.Image, dpi: float, turned: bool, at: tuple[float, float]) -> Path:
    """An image-only PDF page holding ``image`` at ``dpi``, placed at ``at`` (points from the top-left);
    ``turned``: stored on its side and turned upright by its placement matrix, as phone scans are."""
    width_pt, height_pt = image.width * 72 / dpi, image.height * 72 / dpi
    page_w, page_h = width_pt + 2 * at[0], height_pt + 2 * at[1]
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(page_w, page_h)
    obj = pdfium.PdfImage.new(pdf)
    stored = image.rotate(90, expand=True) if turned else image  # counter-clockwise on its side
    obj.set_bitmap(pdfium.PdfBitmap.from_pil(stored))
    x0, y0 = at[0], page_h - at[1] - height_pt  # PDF space: y up
    if turned:  # the stored image's top edge runs down the page's left side
        matrix = pdfium.PdfMatrix(0, -height_pt, width_pt, 0, x0, y0 + height_pt)
    else:
        matrix = pdfium.PdfMatrix(width_pt, 0, 0, height_pt, x0, y0)
    obj.set_matrix(matrix)
    page.insert_obj(obj)
    page.gen_content()
    pdf.save(str(path))
    return path


@pytest.mark.parametrize("turned", [False, True])
def test_scan_image_is_taken_as_embedded_and_upright(tmp_path: Path, turned: bool) -> None:
    image = text_image().convert("L")
    pdf = pdfium.PdfDocument(str(scan_pdf(tmp_path / "scan.pdf", image, 200, turned, AT)))
    scan = page_scan(pdf[0])
    assert scan is not None
    pixels = scan.pixels if scan.pixels.ndim == 2 else scan.pixels.mean(axis=2)  # stored gray or RGB
    assert pixels.shape == (image.height, image.width)
    assert np.abs(pixels - np.asarray(image, float)).mean() < 1
    assert scan.placement.dpi == pytest.approx(200, rel=0.01)
    assert scan.placement.to_points((0, 0, 0, 0))[:2] == pytest.approx(AT, abs=0.5)
    pdf.close()


def test_ocr_boxes_of_an_embedded_scan_are_in_page_points(tmp_path: Path) -> None:
    image = text_image().convert("L")
    pdf = scan_pdf(tmp_path / "scan.pdf", image, 200, True, AT)
    (page,) = ocr_pdf_pages(pdf.read_bytes(), [0], jobs=1)
    assert LINES[0] in " ".join(page.text.split())
    line = next(x for b in page.blocks for x in b.text_lines() if x.text.startswith("Ủy ban"))
    # the first line's text starts 60 px (21.6 pt at 200 dpi) into the image, which starts at AT
    assert line.bbox[0] == pytest.approx(AT[0] + 60 * 72 / 200, abs=4)
    assert AT[1] + 60 * 72 / 200 - 6 < line.bbox[1] < AT[1] + 60 * 72 / 200 + 8
    assert page.width == pytest.approx(image.width * 72 / 200 + 2 * AT[0], abs=0.5)


def test_an_image_file_states_its_dpi_or_is_taken_as_a4() -> None:
    assert image_dpi({"dpi": (200, 200)}, (1654, 2339)) == 200
    assert image_dpi({"dpi": (72, 72)}, (2480, 3508)) == pytest.approx(300, rel=0.01)  # a phone's 72
    assert image_dpi({}, (3000, 4000)) == pytest.approx(342, rel=0.01)


def test_variant_generator_makes_every_variant(tmp_path: Path) -> None:
    paths = make_variants(text_image(), tmp_path, "page")
    assert set(paths) == set(VARIANTS)
    with Image.open(paths["photocopy"]) as copy:
        assert copy.mode == "1"
    with Image.open(paths["phone"]) as photo:
        assert photo.format == "JPEG" and "dpi" not in photo.info
    with Image.open(paths["skew8"]) as skewed:
        assert skewed.width > text_image().width
