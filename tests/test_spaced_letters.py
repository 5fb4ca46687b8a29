"""Letter-spaced words of a text layer are joined again, and nothing else is."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vnplan.pipeline.read import read_data

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BODY = "Sở Nội vụ chủ trì, phối hợp với các sở, ngành thực hiện kế hoạch; điểm a và b của khoản 2."


def _pdf(lines: list[tuple[str, float]]) -> bytes:
    """A page of lines, each (text, character spacing in points)."""
    pdfmetrics.registerFont(TTFont("SpacedSerif", FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    for k, (text, spacing) in enumerate(lines):
        out = pdf.beginText(70, 760 - 24 * k)
        out.setFont("SpacedSerif", 13)
        out.setCharSpace(spacing)
        out.textOut(text)
        pdf.drawText(out)
    pdf.save()
    return buffer.getvalue()


def test_a_heading_set_with_spaced_letters_reads_as_its_words() -> None:
    data = _pdf([("KẾ HOẠCH", 4.0), ("THỰC HIỆN NĂM 2026", 3.0), ("K Ế  H O Ạ C H", 0.0)] + [(BODY, 0.0)] * 3)
    page = read_data(data, Path("spaced.pdf")).pages[0]
    lines = page.text.splitlines()
    assert lines[:3] == ["KẾ HOẠCH", "THỰC HIỆN NĂM 2026", "KẾ HOẠCH"]
    assert page.verdict.status == "good"
    assert BODY in page.text  # single-letter words of prose stay words
    (word,) = [w for w in page.blocks[0].lines[0].words if w.text == "HOẠCH"]
    assert word.bbox[2] - word.bbox[0] > 60  # the box spans the letters as printed, spaced out


def test_lower_case_letters_of_two_cells_side_by_side_stay_apart() -> None:
    """A cell ending "… người x" beside one starting "x 2 ngày" (a table laid out cell by cell, its
    columns close) are words of two cells, not a spaced-out heading "xx2"."""
    pdfmetrics.registerFont(TTFont("SpacedSerif", FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    left = "(mỗi lớp 50 người x"
    right_x = 70 + pdfmetrics.stringWidth(left, "SpacedSerif", 13) + 5
    for k in range(4):
        pdf.setFont("SpacedSerif", 13)
        pdf.drawString(70, 760 - 24 * k, left)
        pdf.drawString(right_x, 760 - 24 * k, "x 2 ngày)")
    pdf.drawString(70, 640, BODY)
    pdf.save()
    page = read_data(buffer.getvalue(), Path("cells.pdf")).pages[0]
    words = [w.text for b in page.blocks for line in b.lines for w in line.words]
    assert "xx2" not in words
    assert words.count("x") == 8
