"""Write the bad-input corpus beside this file: one file per way an archive's input goes wrong (and some
inputs that look wrong but must be read: an empty user password, a PDF named .txt).

    python tests/bad_inputs/make.py

The files are committed; this script says how each was made.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
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
    more_pdfs()
    more_text()
    more_archives()


def raw_pdf(objects: list[bytes], broken_xref: bool = False) -> bytes:
    """A PDF of the given objects (1 is the catalog), with its xref table; its offsets all wrong when asked."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % (7 * k + 3 if broken_xref else at) for k, at in enumerate(offsets))
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(media_box: bytes = b"0 0 595 842", extra: bytes = b"") -> list[bytes]:
    """The objects of a one-page PDF with a line of text (a font, a content stream)."""
    content = b"BT /F1 14 Tf 72 760 Td (KE HOACH so 12/KH-UBND) Tj ET"
    return [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[%s]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>%s>>>>"
        % (media_box, extra),
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]


def more_pdfs() -> None:
    """The PDFs of the reliability corpus (issue 18)."""
    (HERE / "broken_xref.pdf").write_bytes(raw_pdf(text_page(), broken_xref=True))  # recovered by a scan: read
    loop = text_page()
    loop[1] = b"<</Type/Pages/Kids[2 0 R]/Count 1>>"  # the page tree is its own kid
    (HERE / "page_loop.pdf").write_bytes(raw_pdf(loop))
    claims = text_page()
    claims[1] = b"<</Type/Pages/Kids[3 0 R]/Count 100000>>"  # one page, a count of 100,000
    (HERE / "claims_100000_pages.pdf").write_bytes(raw_pdf(claims))
    (HERE / "gigantic_mediabox.pdf").write_bytes(raw_pdf(text_page(b"0 0 1000000 1000000")[:3] + text_page()[3:]))
    bomb = text_page(extra=b"/XObject<</Im1 6 0 R>>")  # a 100,000 × 100,000 image drawn over the page
    bomb[3] = b"<</Length 34>>\nstream\nq 500 0 0 700 50 50 cm /Im1 Do Q\nendstream"
    pixels = zlib.compress(b"\xff" * (100_000 // 8) * 64)  # 64 rows of the 100,000 it claims
    bomb.append(
        b"<</Type/XObject/Subtype/Image/Width 100000/Height 100000/ColorSpace/DeviceGray/BitsPerComponent 1"
        b"/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream" % (len(pixels), pixels)
    )
    (HERE / "image_bomb.pdf").write_bytes(raw_pdf(bomb))
    out = io.BytesIO()  # encrypted, with an empty user password: any reader opens it
    c = canvas.Canvas(out, pagesize=A4, encrypt=pdfencrypt_empty_user())
    c.drawString(72, 760, "KE HOACH so 13/KH-UBND")
    c.save()
    (HERE / "empty_password.pdf").write_bytes(out.getvalue())
    (HERE / "pdf_named.txt").write_bytes(pdf(1))
    strip = Image.new("L", (900, 120), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    ImageDraw.Draw(strip).text((30, 30), "KẾ HOẠCH 14/KH", fill=0, font=font)
    png = io.BytesIO()
    strip.save(png, "PNG", dpi=(300, 300))
    (HERE / "image_named.pdf").write_bytes(png.getvalue())


def pdfencrypt_empty_user() -> StandardEncryption:
    return StandardEncryption("", ownerPassword="chu-so-huu", canPrint=1)


def more_text() -> None:
    """Text files in other encodings, and text with NUL bytes in it."""
    (HERE / "utf16.txt").write_bytes(GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 16").encode("utf-16"))
    (HERE / "windows1258.txt").write_bytes(windows_1258(GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 1258")))
    (HERE / "nul_bytes.txt").write_bytes(GOOD_TEXT.encode() + b"\x00" * 16 + GOOD_TEXT.encode())


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters with hats and horns precomposed, tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        kept = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(kept + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def more_archives() -> None:
    """Zip bombs (3 GB claimed, bzip2; 64 MB of text, deflated; one claiming 100 bytes), a bzip2 member, Windows paths, an encrypted
    member and a .tar.gz."""
    head = GOOD_TEXT.encode()
    with (
        zipfile.ZipFile(HERE / "bomb.zip", "w", zipfile.ZIP_BZIP2, compresslevel=9) as archive,
        archive.open(bzip2_info("ke-hoach.txt"), "w", force_zip64=True) as member,
    ):
        member.write(head)
        for _ in range(3 * 1024):  # then 3 GB of spaces: a few kilobytes compressed
            member.write(b" " * 2**20)
    text = head + b" " * (64 * 2**20)  # 64 MB: far over the limit for a text; deflated to 64 KB
    with zipfile.ZipFile(HERE / "text_bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("ke-hoach.txt", text)
    (HERE / "lying_bomb.zip").write_bytes(claiming_size(100, (HERE / "text_bomb.zip").read_bytes()))
    with zipfile.ZipFile(HERE / "bzip2_member.zip", "w", zipfile.ZIP_BZIP2) as archive:  # refused: unbounded
        archive.writestr("ke-hoach.txt", GOOD_TEXT)
    with zipfile.ZipFile(HERE / "windows_paths.zip", "w") as archive:
        archive.writestr("C:\\Windows\\ke-hoach.txt", GOOD_TEXT)
        archive.writestr("..\\ke-hoach.txt", GOOD_TEXT)
        archive.writestr("thu-muc\\ke-hoach.txt", GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 3"))
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "ke-hoach-mat.txt"
        plain.write_text(GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 4"), encoding="utf-8")
        (HERE / "encrypted.zip").unlink(missing_ok=True)
        subprocess.run(["zip", "-q", "-j", "-P", "mat-khau", str(HERE / "encrypted.zip"), str(plain)], check=True)
    with tarfile.open(HERE / "archive.tar.gz", "w:gz") as tar:
        data = GOOD_TEXT.encode()
        info = tarfile.TarInfo("ke-hoach.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def zip_with_bad_utf8_name() -> bytes:
    """A zip whose member name is flagged as UTF-8 but is not (byte 0xFF in it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("ke-hoach-Z.txt"), GOOD_TEXT.replace("KẾ HOẠCH", "KẾ HOẠCH 5"))
    data = bytearray(out.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        flags = int.from_bytes(data[at + flags_at : at + flags_at + 2], "little") | 0x800
        data[at + flags_at : at + flags_at + 2] = flags.to_bytes(2, "little")
    return bytes(data).replace(b"ke-hoach-Z", b"ke-hoach-\xff")


def bzip2_info(name: str) -> zipfile.ZipInfo:
    """A member to be written bzip2-compressed (a ZipInfo's own default is to store)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_BZIP2
    return info


def claiming_size(size: int, data: bytes) -> bytes:
    """A one-member zip whose headers claim the member unpacks to ``size`` bytes (its data unpacks to more)."""
    out = bytearray(data)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        out[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
    return bytes(out)


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
