"""Born-digital variants of a plan page, as archives hold them: tables ruled only horizontally or not
at all, text layers in TCVN3 and VNI, letters spaced out.

Each variant is a PDF with its transcript (the text as printed) and a ``reference``: the variant
whose tasks it should find as many of (a fully ruled table, a Unicode text layer).

- ``table_ruled``, ``table_horizontal``, ``table_unruled``: a task table ruled fully, only under
  each row, or not at all; ``table_unruled_scan``: the unruled page rendered at 300 dpi, as a scan;
- ``unicode``: a page of numbered tasks with a Unicode text layer; ``tcvn3`` and ``vni``: the same
  page as printed, its text layer in TCVN3 (ABC) or VNI codes (the page image drawn under an
  invisible legacy layer, as a font of those encodings draws the codes as Vietnamese letters);
- ``spaced``: the same page with its headings' letters spaced out ("K Ế H O Ạ C H").

    python benchmarks/digital_variants.py --out DIR
"""

from __future__ import annotations

import argparse
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vnplan.normalizers.legacy_encoding import TCVN3, VNI_PAIRS, VNI_SINGLE

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_NAME = "VariantSerif"

ROWS = [
    ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Rà soát, đơn giản hóa thủ tục hành chính trong lĩnh vực đất đai", "Sở Nội vụ", "UBND các xã", "Quý II/2026"],
    ["2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở", "Tháng 12/2026"],
    ["3", "Tuyên truyền cải cách hành chính trên báo, đài", "Sở Tư pháp", "Báo Lâm Đồng", "Thường xuyên"],
    ["4", "Kiểm tra công tác cải cách hành chính tại các xã", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Quý III/2026"],
]
TABLE_INTRO = "Các cơ quan, đơn vị triển khai các nhiệm vụ cụ thể sau đây theo đúng tiến độ được giao:"
TABLE_AFTER = "Giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện kế hoạch này và báo cáo kết quả."

#: The task page: headings (spaced out in ``spaced``), then numbered tasks. Its capitals carry no
#: marks TCVN3's .VnTime cannot write (documents set such headings in the capitals-only .VnTimeH).
HEADINGS = ["Kế hoạch", "Thực hiện cải cách hành chính năm 2026"]
TASKS = [
    "1. Sở Nội vụ chủ trì, phối hợp với các sở, ngành rà soát chức năng, nhiệm vụ của các cơ quan "
    "chuyên môn; hoàn thành trong quý II năm 2026.",
    "2. Sở Tư pháp chủ trì kiểm tra việc thực hiện các văn bản quy phạm pháp luật trên địa bàn tỉnh; "
    "báo cáo kết quả trước ngày 30/9/2026.",
    "3. Sở Tài chính bố trí kinh phí thực hiện kế hoạch từ nguồn ngân sách tỉnh năm 2026.",
    "4. Văn phòng UBND tỉnh theo dõi, đôn đốc các cơ quan, đơn vị thực hiện kế hoạch này; "
    "tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12/2026.",
    "5. UBND các xã, phường tổ chức tuyên truyền về cải cách hành chính đến người dân.",
]
TASK_INTRO = ["II. Nhiệm vụ và giải pháp", "UBND tỉnh giao nhiệm vụ cụ thể cho các cơ quan, đơn vị như sau:"]


@dataclass
class DigitalVariant:
    """A variant PDF, what is printed on it, and the variant whose tasks it should find."""

    path: Path
    truth: str
    reference: str


def _font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT))
    return FONT_NAME


def table_pdf(path: Path, rules: str, rows: list[list[str]] = ROWS) -> Path:
    """A plan page with a task table (``rows``, the header first, five columns) ruled fully
    (``grid``), only under each row (``horizontal``), or not at all (``none``)."""
    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=12.5)
    table = Table([[Paragraph(c, cell) for c in row] for row in rows], colWidths=[36, 170, 105, 95, 80])
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4)]
    if rules == "grid":
        style += [("GRID", (0, 0), (-1, -1), 0.5, "black")]
    elif rules == "horizontal":
        style += [("LINEABOVE", (0, 0), (-1, 0), 0.8, "black"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black")]
    table.setStyle(TableStyle(style))
    story = [
        Paragraph("II. NHIỆM VỤ VÀ GIẢI PHÁP", body),
        Spacer(1, 8),
        Paragraph(TABLE_INTRO, body),
        Spacer(1, 8),
        table,
        Spacer(1, 10),
        Paragraph(TABLE_AFTER, body),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def table_truth() -> str:
    """The table page as printed: one table row a line, cells separated by tabs."""
    return "\n".join(["II. NHIỆM VỤ VÀ GIẢI PHÁP", TABLE_INTRO, *("\t".join(r) for r in ROWS), TABLE_AFTER])


def _task_lines(spaced: bool = False) -> list[tuple[str, int]]:
    """The task page's lines (wrapped at about 80 characters) with their type size; ``spaced``: the
    headings in capitals, as letter-spaced headings are set."""
    lines = [(h.upper() if spaced else h, 14) for h in HEADINGS] + [(line, 12) for line in TASK_INTRO]
    for task in TASKS:
        words, line = task.split(), ""
        for word in words:
            if line and len(line) + len(word) > 80:
                lines.append((line, 12))
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append((line, 12))
    return lines


def task_truth(spaced: bool = False) -> str:
    """The task page as printed."""
    return "\n".join(text for text, _ in _task_lines(spaced))


def task_pdf(path: Path, spaced: bool = False, layer: dict[str, str] | None = None) -> Path:
    """The task page: headings centred, tasks from the left margin. ``spaced``: the headings' letters
    set 4 points apart. ``layer``: the page is drawn as an image under an invisible text layer of
    the same lines in these codes (a legacy encoding; no font name tells it)."""
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if layer is not None:
        drawn = pdfium.PdfDocument(task_pdf(path.with_suffix(".drawn.pdf")))
        image = drawn[0].render(scale=300 / 72).to_pil()
        drawn.close()
        pdf.drawImage(ImageReader(image), 0, 0, *A4)
    y = A4[1] - 90
    for k, (text, size) in enumerate(_task_lines(spaced)):
        heading = k < len(HEADINGS)
        out = pdf.beginText()
        if layer is not None:
            out.setTextRenderMode(3)  # invisible: the image shows the page
            out.setFont(font, size)
            shown = "".join(layer.get(c, c) for c in unicodedata.normalize("NFC", text))
        else:
            out.setFont(font, size)
            shown = text
        out.setCharSpace(4 if heading and spaced else 0)  # the spacing is text state: it lasts
        width = pdf.stringWidth(text, font, size) + (4 * len(text) if heading and spaced else 0)
        out.setTextOrigin((A4[0] - width) / 2 if heading else 70, y)
        out.textOut(shown)
        pdf.drawText(out)
        y -= size * 1.5 + (6 if k < len(HEADINGS) + len(TASK_INTRO) else 0)
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


#: Unicode letters to TCVN3 codes (one byte each) and to VNI codes (a letter and its mark), the
#: inverse of the reader's tables.
TO_TCVN3 = {u: c for c, u in TCVN3.items() if len(c) == 1 and ord(c) <= 0xFF}
TO_VNI = {
    u: k
    for k, u in sorted(VNI_PAIRS.items(), key=lambda kv: (len(kv[0]), kv[0]), reverse=True)
    if len(k) == 2 and k[0].islower() == k[1].islower()
} | {u: k for k, u in VNI_SINGLE.items()}


def scan_of(pdf: Path, out: Path) -> Path:
    """The PDF's first page rendered at 300 dpi in grayscale, as a scanned image."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        doc[0].render(scale=300 / 72, grayscale=True).to_pil().save(out, dpi=(300, 300))
    finally:
        doc.close()
    return out


def make_digital_variants(out: Path) -> dict[str, DigitalVariant]:
    """Write every variant under ``out``; the variants by name, references first."""
    out.mkdir(parents=True, exist_ok=True)
    tables, tasks = table_truth(), task_truth()
    unruled = table_pdf(out / "table_unruled.pdf", "none")
    return {
        "table_ruled": DigitalVariant(table_pdf(out / "table_ruled.pdf", "grid"), tables, "table_ruled"),
        "table_horizontal": DigitalVariant(
            table_pdf(out / "table_horizontal.pdf", "horizontal"), tables, "table_ruled"
        ),
        "table_unruled": DigitalVariant(unruled, tables, "table_ruled"),
        "table_unruled_scan": DigitalVariant(scan_of(unruled, out / "table_unruled_scan.png"), tables, "table_ruled"),
        "unicode": DigitalVariant(task_pdf(out / "unicode.pdf"), tasks, "unicode"),
        "tcvn3": DigitalVariant(task_pdf(out / "tcvn3.pdf", layer=TO_TCVN3), tasks, "unicode"),
        "vni": DigitalVariant(task_pdf(out / "vni.pdf", layer=TO_VNI), tasks, "unicode"),
        "spaced": DigitalVariant(task_pdf(out / "spaced.pdf", spaced=True), task_truth(spaced=True), "unicode"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    for name, variant in make_digital_variants(args.out).items():
        print(f"{name:20s} {variant.path}")


if __name__ == "__main__":
    main()
