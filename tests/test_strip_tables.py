"""Budget tables laid out cell by cell (wrapped header cells, rows centred, apart by white space), as
LibreOffice and Word print them: found from word geometry, unruled or ruled only between rows, and
read across pages into the same records as a ruled table."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vnplan.extractors import extract
from vnplan.extractors.table_tasks import logical_tables
from vnplan.models import document as model
from vnplan.models.document import BlockKind, Document, Page, ReadMethod
from vnplan.pipeline.read import read
from vnplan.pipeline.tables import build_table, table_block

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
HEADER = ["STT", "Nội dung hoạt động", "Tổng kinh phí", "Nguồn sự nghiệp", "Nguồn ngân sách tỉnh", "Cơ quan thực hiện"]
AGENCIES = ["Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh", "Sở Tài chính"]


def rows(count: int, both_sources_until: int) -> list[list[str]]:
    """Activity rows: totals 100, 110, …; rows after ``both_sources_until`` leave the first source empty."""
    out = []
    for k in range(count):
        total, first = 100 + 10 * k, 40 if k < both_sources_until else 0
        out.append([
            str(k + 1),
            f"Tổ chức hoạt động số {k + 1} về cải cách hành chính, kiểm tra và đánh giá kết quả thực hiện tại các cơ quan",
            str(total),
            str(first) if first else "",
            str(total - first),
            AGENCIES[k % len(AGENCIES)],
        ])  # fmt: skip
    return out


def budget_pdf(path: Path, body: list[list[str]], rules: str) -> Path:
    """A plan whose budget table has narrow columns, cells centred in their rows, rules only between rows
    (``horizontal``) or none (``none``)."""
    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", FONT))
    text = ParagraphStyle("body", fontName="TestSerif", fontSize=12, leading=15)
    cell = ParagraphStyle("cell", fontName="TestSerif", fontSize=11, leading=13)
    grid = [[Paragraph(c, cell) for c in row] for row in [HEADER, *body]]
    table = Table(grid, colWidths=[40, 150, 62, 62, 62, 90])
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 6)]
    style += [("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    if rules == "horizontal":
        style += [("LINEABOVE", (0, 0), (-1, 0), 0.8, "black"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black")]
    table.setStyle(TableStyle(style))
    story = [
        Paragraph("KẾ HOẠCH HOẠT ĐỘNG VÀ KHÁI TOÁN KINH PHÍ", text),
        Spacer(1, 8),
        Paragraph("Đơn vị tính: triệu đồng", text),
        Spacer(1, 8),
        table,
        Spacer(1, 12),
        Paragraph("Giao Sở Tài chính thẩm định kinh phí và báo cáo Ủy ban nhân dân tỉnh theo quy định.", text),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def tables(document: Document) -> list:
    return [b.table for page in document.pages for b in page.body if b.kind is BlockKind.TABLE and b.table]


@pytest.mark.parametrize("rules", ["none", "horizontal"])
def test_budget_table_with_wrapped_centred_cells_is_a_table(tmp_path: Path, rules: str) -> None:
    body = rows(4, 4)
    document = read(budget_pdf(tmp_path / "plan.pdf", body, rules))
    (table,) = tables(document)
    grid = [[" ".join(c.split()) for c in row] for row in table.grid()]
    assert table.n_cols == 6 and table.header_rows == 1
    assert grid[0] == HEADER
    assert grid[1:] == body
    assert "Giao Sở Tài chính" in document.pages[-1].blocks[-1].text  # the prose after it stays prose


@pytest.mark.parametrize("rules", ["none", "horizontal"])
def test_budgets_are_read_from_their_cells(tmp_path: Path, rules: str) -> None:
    body = rows(4, 4)
    tasks = extract(read(budget_pdf(tmp_path / "plan.pdf", body, rules))).tasks
    budgets = {t.code: t.budget for t in tasks if t.budget}
    assert {code: b.total for code, b in budgets.items()} == {row[0]: float(row[2]) for row in body}
    assert budgets["2"].sources == {"Nguồn sự nghiệp": 40.0, "Nguồn ngân sách tỉnh": 70.0}
    assert budgets["2"].unit == "triệu đồng"
    assert [t.owners for t in tasks if t.code == "3"] == [[AGENCIES[2]]]


def test_a_table_carried_over_pages_keeps_its_columns(tmp_path: Path) -> None:
    # Past the first page no row has a "Nguồn sự nghiệp" amount: that page shows a column fewer.
    body = rows(14, 6)
    document = read(budget_pdf(tmp_path / "plan.pdf", body, "none"))
    assert len(document.pages) >= 2
    later = tables(document)[1:]
    assert later and all(t.header_rows == 0 for t in later)
    budgets = {t.code: t.budget for t in extract(document).tasks if t.budget}
    assert {code: b.total for code, b in budgets.items()} == {row[0]: float(row[2]) for row in body}
    last = body[-1]
    assert budgets[last[0]].sources == {"Nguồn ngân sách tỉnh": float(last[4])}


def test_prose_in_paragraphs_apart_is_no_table(tmp_path: Path) -> None:
    if "TestSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSerif", FONT))
    text = ParagraphStyle("body", fontName="TestSerif", fontSize=12, leading=15)
    lines = [
        "STT    Nội dung    Kinh phí    Cơ quan thực hiện",
        "Sở Nội vụ chủ trì, phối hợp với các cơ quan thực hiện kế hoạch; kinh phí từ nguồn ngân sách tỉnh.",
        "Thời gian thực hiện cả năm; kết quả báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12.",
    ]
    story = []
    for line in lines * 2:
        story += [Paragraph(line, text), Spacer(1, 14)]
    path = tmp_path / "prose.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    document = read(path)
    assert not tables(document)
    assert "Sở Nội vụ chủ trì" in document.pages[0].text


def _grid_table(rows: list[list[str]], xs: list[float], top: float) -> model.Table:
    """A table with boxes from cell texts on columns starting at ``xs``, rows 20 points high."""
    rects = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            rects.append(((xs[c], top + 20 * r, xs[c + 1], top + 20 * (r + 1)), text, 1.0))
    return build_table(rects)


def test_a_row_broken_over_a_page_is_one_row() -> None:
    xs = [50.0, 80.0, 250.0, 300.0, 400.0]
    first = _grid_table(
        [["STT", "Nội dung", "Kinh phí", "Cơ quan thực hiện"], ["1", "Tổ chức tập huấn", "100", "Sở"]], xs, 100
    )
    rest = _grid_table(
        [["", "cho cán bộ cấp xã", "", "Nội vụ"], ["2", "Kiểm tra thực hiện", "50", "Sở Tư pháp"]], xs, 40
    )
    document = Document(Path("plan.pdf"), "0" * 64)
    for number, table in ((1, first), (2, rest)):
        page = Page(number, 595.0, 842.0, ReadMethod.TEXT_LAYER)
        page.blocks = [table_block(table)]
        document.pages.append(page)
    (logical,) = logical_tables(document)
    assert [row.cells for row in logical.rows] == [
        ["1", "Tổ chức tập huấn cho cán bộ cấp xã", "100", "Sở Nội vụ"],
        ["2", "Kiểm tra thực hiện", "50", "Sở Tư pháp"],
    ]
