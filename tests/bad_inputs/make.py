"""Write the bad-input corpus beside this file: one file per way an archive's input goes wrong.

    python tests/bad_inputs/make.py

The files are committed; this script says how each was made.
"""

from __future__ import annotations

import io
import warnings
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
    huge = io.BytesIO()  # 200 × 200 inches: 3.6 billion pixels at 300 dpi, refused before rendering
    c = canvas.Canvas(huge, pagesize=(14400, 14400))
    c.showPage()
    c.save()
    (HERE / "huge_page.pdf").write_bytes(huge.getvalue())
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
    with zipfile.ZipFile(HERE / "same_names.zip", "w") as archive:  # two members named alike, both read
        archive.writestr("ke-hoach.txt", GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 1"))
        archive.writestr("ke-hoach.txt", GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 2"))
    (HERE / "zip_version.zip").write_bytes(zip_needing_version(108))
    (HERE / "bad_utf8_name.zip").write_bytes(zip_with_bad_utf8_name())
    tiff = io.BytesIO()  # a multi-page TIFF cut short
    frames = [Image.new("L", (400, 300), 255 - 40 * k) for k in range(3)]
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
    (HERE / "truncated.tif").write_bytes(tiff.getvalue()[: len(tiff.getvalue()) * 2 // 3])


def zip_with_bad_utf8_name() -> bytes:
    """A zip whose member name is flagged as UTF-8 but is not (byte 0xFF in it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("ke-hoach-Z.txt"), GOOD_TEXT)
    data = bytearray(out.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        flags = int.from_bytes(data[at + flags_at : at + flags_at + 2], "little") | 0x800
        data[at + flags_at : at + flags_at + 2] = flags.to_bytes(2, "little")
    return bytes(data).replace(b"ke-hoach-Z", b"ke-hoach-\xff")


def zip_needing_version(version: int) -> bytes:
    """A zip whose one member claims to need zip version ``version`` / 10 to be unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ke-hoach.txt", GOOD_TEXT)
    data = bytearray(out.getvalue())
    local = data.find(b"PK\x03\x04")
    data[local + 4 : local + 6] = version.to_bytes(2, "little")
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = version.to_bytes(2, "little")
    return bytes(data)


if __name__ == "__main__":
    main()
