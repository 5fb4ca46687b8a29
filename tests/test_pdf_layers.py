"""What a born-digital or scanned PDF's text layer is taken for: text in shaded rectangles, a stamp over a scan."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vnplan.models.document import ReadMethod
from vnplan.pipeline.pdf_reader import read_pdf


def _boxed_pdf(rows: list[tuple[str, str]]) -> bytes:
    """One page of ruled two-cell rows, the given text in each cell (empty strings leave a cell empty)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    top = 700.0
    for left, right in rows:
        pdf.rect(60, top, 30, 20, stroke=1, fill=0)
        pdf.rect(90, top, 440, 20, stroke=1, fill=0)
        pdf.drawString(64, top + 6, left)
        pdf.drawString(94, top + 6, right)
        top -= 20
    pdf.save()
    return out.getvalue()


def test_body_text_in_ruled_boxes_with_one_text_a_row_is_text_not_a_table() -> None:
    lines = [("", "Bo Noi vu de nghi cac bo quan tam chi dao thuc hien"), ("hoc", ""), ("", "- Chi dao cac co quan")]
    page = read_pdf(_boxed_pdf(lines))[0]
    assert not any(b.table is not None for b in page.body)
    assert "chi dao thuc hien" in page.text


def test_a_ruled_table_with_two_texts_in_a_row_stays_a_table() -> None:
    page = read_pdf(_boxed_pdf([("STT", "Noi dung"), ("1", "Ra soat thu tuc"), ("2", "Cong khai")]))[0]
    assert any(b.table is not None for b in page.body)


def test_a_scan_whose_layer_is_only_an_office_stamp_is_read_by_ocr(shared: Path) -> None:
    scan = shared / "real" / "scanned" / "ttg_QD-244-2025_to-cong-tac-CCHC.pdf"
    page = read_pdf(scan.read_bytes())[0]  # its layer holds only "Cơ quan phát hành: Văn phòng Chính phủ"
    assert page.method is ReadMethod.OCR
    assert "THỦ TƯỚNG CHÍNH PHỦ" in page.text
