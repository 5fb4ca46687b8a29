"""Text that only annotations carry: a stamped number is read, a signature's box is not."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vnplan.pipeline.pdf_annotations import with_annotations_drawn
from vnplan.pipeline.pdf_reader import read_pdf

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _stamped_pdf() -> bytes:
    """A letter whose number is a form field's value and whose signature box is another field."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    pdf.setFont("DejaVu", 13)
    pdf.drawString(70, 760, "Số:")
    pdf.drawString(124, 760, "/TB-UBND")  # the blank is left by moving, as e-office templates do
    pdf.drawString(70, 700, "Sở Nội vụ chủ trì thực hiện kế hoạch này trong năm 2025.")
    form = pdf.acroForm
    form.textfield(name="number", value="11", x=100, y=755, width=30, height=18, borderWidth=0, fontSize=12, fontName="Courier")
    form.textfield(
        name="signature", value="ubnd@quangngai.gov.vn 09.01.2025 10:21:11", x=300, y=800, width=260, height=18,
        borderWidth=0, fontSize=8,
    )
    pdf.save()
    return out.getvalue()


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[0].extract_text()


def test_a_stamped_number_is_read_and_a_signature_box_is_not() -> None:
    data = _stamped_pdf()
    assert "11" not in _text(data)  # pdfplumber alone does not see field values
    drawn = _text(with_annotations_drawn(data))
    assert "Số: 11 /TB-UBND" in " ".join(drawn.split())
    assert "quangngai.gov.vn" not in drawn and "10:21:11" not in drawn
    assert "Sở Nội vụ chủ trì" in drawn


def test_a_pdf_without_annotations_is_returned_as_it_is() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawString(70, 760, "Plain page")
    pdf.save()
    data = out.getvalue()
    assert with_annotations_drawn(data) is data


def test_the_reader_reads_the_stamped_number() -> None:
    pages = read_pdf(_stamped_pdf())
    text = " ".join(line.text for block in pages[0].blocks for line in block.lines)
    assert "Số: 11 /TB-UBND" in " ".join(text.split())
