"""Write the bad-input corpus beside this file: one file per way an archive's input goes wrong.

    python tests/bad_inputs/make.py

The files are committed; this script says how each was made.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
GOOD_TEXT = "KẾ HOẠCH\nSở Nội vụ chủ trì, phối hợp với các sở, ngành triển khai kế hoạch.\n"


def pdf(pages: int, encrypt: str | None = None) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=encrypt)
    for k in range(pages):
        c.drawString(72, 760, f"Trang {k + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def main() -> None:
    three = pdf(3)
    (HERE / "corrupt.pdf").write_bytes(three[: len(three) // 3])
    (HERE / "encrypted.pdf").write_bytes(pdf(1, encrypt="mat-khau"))
    (HERE / "no_pages.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    (HERE / "not_a_pdf.pdf").write_text("Đây không phải là tệp PDF.\n", encoding="utf-8")
    (HERE / "empty.txt").write_bytes(b"")
    bomb = io.BytesIO()
    Image.new("1", (15000, 15000)).save(bomb, "PNG")
    (HERE / "bomb.png").write_bytes(bomb.getvalue())
    (HERE / "three_pages.pdf").write_bytes(three)
    with zipfile.ZipFile(HERE / "zip_slip.zip", "w") as archive:
        archive.writestr("../escape.txt", GOOD_TEXT)
        archive.writestr("/etc/absolute.txt", GOOD_TEXT)
        archive.writestr("ke-hoach.txt", GOOD_TEXT)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("inner.txt", GOOD_TEXT)
    with zipfile.ZipFile(HERE / "nested.zip", "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
    (HERE / "damaged.zip").write_bytes(b"PK\x03\x04 not really a zip archive")


if __name__ == "__main__":
    main()
