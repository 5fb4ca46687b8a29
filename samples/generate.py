"""Render the corpus documents into the bundled sample PDFs, deterministically.

For every ``corpus/NNN_*.txt`` this writes, under the output folder:

- ``born-digital/<stem>.pdf``: a PDF with a text layer (letterhead in two columns,
  tables drawn as ruled tables);
- ``scanned/<stem>.pdf``: the same pages as 300 dpi image-only scans with slight
  skew, blur, speckle and JPEG loss;
- ``truth/<stem>.txt``: the text printed on the pages in reading order (a table row
  per line, cells separated by tabs; a two-column letterhead left column first).

and, for one clean document, ``bad-layer/<stem>.pdf``: its scan with the invisible
text layer of Tesseract's English model, the kind of layer real archives are full of.

Run ``python samples/generate.py CORPUS_DIR OUT_DIR`` (``make samples`` does it).
Same inputs, same library versions: same bytes.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {
    "Serif": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "Serif-Bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "Serif-Italic": ("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    "Serif-BoldItalic": ("LiberationSerif-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
}
#: The document whose scan gets an English-model OCR layer (a clean, short one).
BAD_LAYER_DOC = "004"
SCAN_DPI = 300
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
TITLE_WORDS = ("KẾ HOẠCH", "CHỈ THỊ", "QUYẾT ĐỊNH", "BÁO CÁO", "THÔNG BÁO", "CÔNG VĂN")


def register_fonts() -> None:
    """Register a serif family with full Vietnamese coverage (Liberation 2, else DejaVu)."""
    for name, candidates in FONT_FILES.items():
        path = next((d / f for f in candidates for d in FONT_DIRS if (d / f).exists()), None)
        if path is None:
            sys.exit("no font with Vietnamese letters found: apt-get install fonts-liberation2")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        "Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic", boldItalic="Serif-BoldItalic"
    )


# --- parsing the corpus text into printable blocks -------------------------------------------


@dataclass
class Para:
    markup: str  # reportlab paragraph markup
    plain: str  # the text as printed
    centered: bool = False


@dataclass
class TableBlock:
    rows: list[list[str]]  # plain cell texts
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (col0, row0, col1, row1)


@dataclass
class Letterhead:
    left: list[Para]
    right: list[Para]


Block = Para | TableBlock | Letterhead

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
INLINE = re.compile(r"\*\*|\*")


def collapse(text: str) -> str:
    return " ".join(text.split())


def to_markup(lines: list[str]) -> list[tuple[str, str]]:
    """Turn Markdown-ish ``**bold**``/``*italic*`` lines into (markup, plain) pairs.

    Emphasis may span lines; tags are closed at each line end and reopened after.
    """
    out: list[tuple[str, str]] = []
    bold = italic = False
    for raw in lines:
        line = LINK.sub(r"\1", HEADING_MARK.sub("", raw))
        parts: list[str] = ["<b>" if bold else "", "<i>" if italic else ""]
        plain: list[str] = []
        pos = 0
        for m in INLINE.finditer(line):
            chunk = line[pos : m.start()]
            parts.append(html.escape(chunk, quote=False))
            plain.append(chunk)
            if m.group() == "**":
                parts.append("</b>" if bold else "<b>")
                bold = not bold
            else:
                parts.append("</i>" if italic else "<i>")
                italic = not italic
            pos = m.end()
        parts.append(html.escape(line[pos:], quote=False))
        plain.append(line[pos:])
        parts.append(("</i>" if italic else "") + ("</b>" if bold else ""))
        markup = re.sub(r"<(b|i)></\1>", "", "".join(parts))
        out.append((collapse_markup(markup), collapse("".join(plain))))
    return out


def collapse_markup(markup: str) -> str:
    return " ".join(markup.split())


def is_title(plain: str) -> bool:
    return any(plain.upper() == w or (plain.upper().startswith(w + " ") and plain.isupper()) for w in TITLE_WORDS)


def parse(text: str) -> list[Block]:
    """Split a corpus document into paragraphs, tables and the letterhead."""
    lines = text.replace("\r\n", "\n").split("\n")
    pairs = to_markup(lines)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        if "\t" in raw and raw.strip() and not raw.startswith("\t"):
            i = take_tab_table(lines, i, blocks)
            continue
        if raw.startswith("\t"):
            j = take_cell_table(lines, i, blocks)
            if j > i:
                i = j
                continue
            if "\t" in raw.strip():
                i = take_tab_table(lines, i, blocks)
                continue
        markup, plain = pairs[i]
        if plain:
            after_heading = bool(blocks) and isinstance(blocks[-1], Para) and is_title(blocks[-1].plain)
            centered = after_heading or (plain.isupper() and len(plain) < 140)
            blocks.append(Para(markup, plain, centered=centered))
        i += 1
    return pair_letterhead(blocks)


def take_tab_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    """A table of tab-separated cells: consecutive lines holding tabs (blank lines allowed)."""
    rows: list[list[str]] = []
    while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
        if lines[i].strip():
            rows.append([collapse(LINK.sub(r"\1", c.replace("**", ""))) for c in lines[i].split("\t")])
        i += 1
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    blocks.append(TableBlock(rows, header_spans(rows)))
    return i


def header_spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged cells of a multi-row header: a heading cell spans the empty cells right of and below it."""
    head = 1
    while head < len(rows) and not rows[head][0]:
        head += 1
    if head < 2:
        return []
    covered: set[tuple[int, int]] = set()
    spans = []
    for r in range(head):
        for c, text in enumerate(rows[r]):
            if not text or (r, c) in covered:
                continue
            c1 = c
            while c1 + 1 < len(rows[r]) and not rows[r][c1 + 1] and (r, c1 + 1) not in covered:
                c1 += 1
            r1 = r
            while r1 + 1 < head and all(not rows[r1 + 1][k] and (r1 + 1, k) not in covered for k in range(c, c1 + 1)):
                r1 += 1
            covered |= {(rr, cc) for rr in range(r, r1 + 1) for cc in range(c, c1 + 1)}
            if (c1, r1) != (c, r):
                spans.append((c, r, c1, r1))
    return spans


def take_cell_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    """A table written one cell per line: groups of tab-indented lines split by blank lines."""
    groups: list[list[str]] = []
    j = i
    while j < len(lines):
        group = []
        while j < len(lines) and lines[j].startswith("\t"):
            group.append(collapse(lines[j]))
            j += 1
        if not group:
            break
        groups.append(group)
        while j < len(lines) and not lines[j].strip() and "\t" not in lines[j]:
            j += 1
    if len(groups) < 2 or len(groups[0]) < 3 or any(len(g) != len(groups[0]) for g in groups):
        return i
    blocks.append(TableBlock(groups))
    return j


def pair_letterhead(blocks: list[Block]) -> list[Block]:
    """Put the opening 'Số: …' / '<place>, ngày …' lines side by side, as printed."""
    head: list[int] = []
    for k, b in enumerate(blocks):
        if not isinstance(b, Para) or is_title(b.plain):
            break
        head.append(k)
    left = [blocks[k] for k in head if re.match(r"(Số|S[ốo6b]|UBND|ỦY BAN|UỶ BAN)\b", blocks[k].plain)]
    right = [blocks[k] for k in head if re.search(r"ngày|CỘNG HÒA|Độc lập", blocks[k].plain)]
    if not left or not right:
        return blocks
    first = head[0]
    rest = [b for k, b in enumerate(blocks) if k not in head or (b not in left and b not in right)]
    rest.insert(first, Letterhead(left, right))
    return rest


# --- born-digital rendering -------------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Serif", fontSize=12, leading=15, alignment=TA_JUSTIFY, spaceAfter=5)
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER, fontName="Serif-Bold"),
        "cell": ParagraphStyle("cell", fontName="Serif", fontSize=8, leading=9.6),
        "footnote": ParagraphStyle("footnote", fontName="Serif", fontSize=9, leading=11, spaceBefore=4, spaceAfter=6),
        "head": ParagraphStyle("head", fontName="Serif", fontSize=12, leading=15, alignment=TA_CENTER),
    }


def column_widths(rows: list[list[str]], total: float) -> list[float]:
    ncols = len(rows[0])
    weights = []
    for c in range(ncols):
        lengths = [len(r[c]) for r in rows if c < len(r)]
        weights.append(max(1.0, (sum(lengths) / max(1, len(lengths))) ** 0.5))
    floor = 26.0
    scale = (total - floor * ncols) / sum(weights)
    return [floor + w * scale for w in weights]


def flowables(blocks: list[Block], st: dict[str, ParagraphStyle], frame_widths: tuple[float, float]) -> list:
    portrait_w, landscape_w = frame_widths
    story: list = []
    orientation = "portrait"
    for b in blocks:
        if isinstance(b, Para):
            style = st["center"] if b.centered else st["footnote"] if b.plain[:1] in SUPERSCRIPTS else st["body"]
            story.append(Paragraph(b.markup, style))
        elif isinstance(b, Letterhead):
            cells = [
                [Paragraph(p.markup, st["head"]) for p in b.left],
                [Paragraph(p.markup, st["head"]) for p in b.right],
            ]
            t = Table([cells], colWidths=[portrait_w * 0.42, portrait_w * 0.58])
            t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
        else:
            wide = len(b.rows[0]) > 6
            want = "landscape" if wide else "portrait"
            if want != orientation:
                story += [NextPageTemplate(want), PageBreak()]
                orientation = want
            width = landscape_w if wide else portrait_w
            data = [[Paragraph(html.escape(c, quote=False), st["cell"]) for c in row] for row in b.rows]
            t = Table(data, colWidths=column_widths(b.rows, width), repeatRows=0)
            style = [
                ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ]
            style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in b.spans]
            t.setStyle(TableStyle(style))
            story.append(t)
    return story


def page_number(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
    """From page 2 on, the page number at the top centre, as Vietnamese administrative documents print it."""
    if doc.page > 1:
        w, h = c._pagesize
        c.setFont("Serif", 12)
        c.drawCentredString(w / 2, h - 12 * mm, str(doc.page))


def render_pdf(blocks: list[Block], out: Path, title: str) -> None:
    margin = 20 * mm
    pw, ph = A4
    lw, lh = landscape(A4)
    doc = BaseDocTemplate(
        str(out), pagesize=A4, invariant=1, title=title, author="vnplan samples", creator="vnplan samples"
    )
    portrait = PageTemplate(
        "portrait", [Frame(margin, margin, pw - 2 * margin, ph - 2 * margin)], pagesize=A4, onPage=page_number
    )
    land = PageTemplate(
        "landscape", [Frame(margin, margin, lw - 2 * margin, lh - 2 * margin)], pagesize=(lw, lh), onPage=page_number
    )
    doc.addPageTemplates([portrait, land])
    story = flowables(blocks, styles(), (pw - 2 * margin - 12, lw - 2 * margin - 12))
    doc.build(story)


def truth_text(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b.plain)
        elif isinstance(b, Letterhead):
            out += [p.plain for p in b.left] + [p.plain for p in b.right]
        else:
            out += ["\t".join(row) for row in b.rows]
    return "\n".join(out) + "\n"


# --- scanning ---------------------------------------------------------------------------------


def scan_pages(pdf: Path, seed: int) -> list[tuple[bytes, tuple[float, float]]]:
    """Rasterise a PDF as a worn 300 dpi scan: skew, blur, speckle, JPEG loss."""
    rng = np.random.default_rng(seed)
    pages = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for page in doc:
            size = (page.get_width(), page.get_height())
            img = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            page.close()
            angle = float(rng.uniform(-1.0, 1.0))
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(0.5))
            pixels = np.asarray(img).copy()
            n = 500
            ys = rng.integers(0, pixels.shape[0] - 2, n)
            xs = rng.integers(0, pixels.shape[1] - 2, n)
            shade = rng.integers(90, 190, n).astype(np.uint8)
            pixels[ys, xs] = np.minimum(pixels[ys, xs], shade)
            pair = rng.random(n) < 0.4
            pixels[ys[pair], xs[pair] + 1] = np.minimum(pixels[ys[pair], xs[pair] + 1], shade[pair])
            buf = io.BytesIO()
            Image.fromarray(pixels).save(buf, format="JPEG", quality=20, dpi=(SCAN_DPI, SCAN_DPI))
            pages.append((buf.getvalue(), size))
    finally:
        doc.close()
    return pages


def write_image_pdf(pages: list[tuple[bytes, tuple[float, float]]], out: Path) -> None:
    from reportlab.lib.utils import ImageReader

    c = canvas.Canvas(str(out), invariant=1)
    c.setTitle(out.stem)
    for jpeg, (w, h) in pages:
        c.setPageSize((w, h))
        c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=w, height=h)
        c.showPage()
    c.save()


def write_english_layer_pdf(pages: list[tuple[bytes, tuple[float, float]]], out: Path) -> None:
    """OCR the scan with Tesseract's English model into a PDF with an invisible text layer."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = []
        for k, (jpeg, _) in enumerate(pages):
            p = Path(tmp) / f"page-{k:03d}.jpg"
            p.write_bytes(jpeg)
            listing.append(str(p))
        (Path(tmp) / "pages.txt").write_text("\n".join(listing) + "\n")
        subprocess.run(
            ["tesseract", str(Path(tmp) / "pages.txt"), str(Path(tmp) / "out"), "-l", "eng", "pdf"],
            check=True,
            capture_output=True,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
        data = (Path(tmp) / "out.pdf").read_bytes()
    # Tesseract stamps the current time; pin it so the file is reproducible.
    data = re.sub(rb"/CreationDate \(D:[0-9+\-Z']+\)", b"/CreationDate (D:20200101000000+00'00')", data)
    out.write_bytes(data)


# --- driver -----------------------------------------------------------------------------------


def generate(corpus: Path, out: Path) -> list[Path]:
    """Write every sample for the corpus documents; return the files written."""
    register_fonts()
    written: list[Path] = []
    for kind in ("born-digital", "scanned", "truth", "bad-layer"):
        (out / kind).mkdir(parents=True, exist_ok=True)
    for src in sorted(corpus.glob("[0-9][0-9][0-9]_*.txt")):
        blocks = parse(src.read_text(encoding="utf-8"))
        born = out / "born-digital" / f"{src.stem}.pdf"
        render_pdf(blocks, born, src.stem)
        truth = out / "truth" / f"{src.stem}.txt"
        truth.write_text(truth_text(blocks), encoding="utf-8")
        pages = scan_pages(born, seed=zlib.crc32(src.stem.encode()))
        scanned = out / "scanned" / f"{src.stem}.pdf"
        write_image_pdf(pages, scanned)
        written += [born, truth, scanned]
        if src.stem.startswith(BAD_LAYER_DOC + "_"):
            bad = out / "bad-layer" / f"{src.stem}.pdf"
            write_english_layer_pdf(pages, bad)
            written.append(bad)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="folder of corpus NNN_*.txt files")
    ap.add_argument("out", type=Path, help="folder to write the samples into")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus folder not found: {args.corpus}")
    for path in generate(args.corpus, args.out):
        print(f"{path}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
