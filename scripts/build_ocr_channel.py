"""Learn how Tesseract ``vie`` misreads printed Vietnamese: the restorer's OCR confusion table.

    nice -n 10 python scripts/build_ocr_channel.py ../shared/lm-corpus normalizers/restoration/data/ocr_confusions.tsv

Training lines of ``../shared/lm-corpus`` (never the held-out ones) are printed one per
line on A4 pages in the sample generator's serif (Liberation 2 or DejaVu), at several
sizes, some in capitals; each page goes through the sample generator's scan
degradations (skew, blur, speckle, JPEG loss, :func:`samples.generate.scan_pages`),
most pages further down-sampled to 200 dpi (some of them 1-bit like a fax) or 150 dpi, and is read by
``tesseract -l vie`` on one thread. Each read line is aligned to its printed line
syllable by syllable, and the pairs (printed, read) are counted. The table written is
``printed<TAB>read<TAB>count``, identical pairs included (they give each syllable's rate of
being read right). Deterministic for the same corpus and Tesseract version.
"""

from __future__ import annotations

import argparse
import difflib
import io
import lzma
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.generate import SCAN_DPI, register_fonts, scan_pages
from vnplan.normalizers.restoration.lm_tokens import HELD_OUT_EVERY
from vnplan.normalizers.text import clean_line, nfc, normalize_tone_marks

FILES = ("legal-admin.txt.xz", "phapdien.txt.xz", "viwiki.txt.xz")
LINES_PER_PAGE = 36
MARGIN = 56.0  # points
SIZES = (9.0, 10.0, 11.0, 12.0, 13.0, 14.0)
#: Share of lines printed in capitals, as titles and headings are ...
CAPITALS_SHARE = 0.2
#: ... and of lines with numbers in them (dates, document codes), for the digits Tesseract misreads.
NUMBERS_SHARE = 0.4


def sample_lines(corpus: Path, count: int, seed: int, held_out: bool = False) -> list[str]:
    """``count`` training lines (``held_out``: held-out lines) of 20–70 characters, drawn evenly
    from the corpus files, :data:`NUMBERS_SHARE` of them with numbers or document codes in them."""
    rng = random.Random(seed)
    per_file = count // len(FILES) + 1
    out: list[str] = []
    for name in FILES:
        pool: list[str] = []
        numbered: list[str] = []
        with lzma.open(corpus / name, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if (number % HELD_OUT_EVERY == 0) != held_out:
                    continue
                text = normalize_tone_marks(nfc(clean_line(line.strip())))
                if 20 <= len(text) <= 70 and any(c.isalpha() for c in text):
                    (numbered if any(c.isdigit() for c in text) else pool).append(text)
                if len(pool) + len(numbered) >= per_file * 30:
                    break
        with_numbers = min(round(per_file * NUMBERS_SHARE), len(numbered))
        out += rng.sample(numbered, with_numbers) + rng.sample(pool, min(per_file - with_numbers, len(pool)))
    rng.shuffle(out)
    return [line.upper() if rng.random() < CAPITALS_SHARE else line for line in out[:count]]


def render_page(lines: list[str], font: str, size: float, path: Path) -> list[str]:
    """Print ``lines`` one per line on an A4 page (cut to the width); the lines as printed."""
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(font, size)
    printed = []
    y = height - MARGIN
    for line in lines:
        while stringWidth(line, font, size) > width - 2 * MARGIN:
            line = line.rsplit(" ", 1)[0]
        c.drawString(MARGIN, y, line)
        printed.append(line)
        y -= size * 1.6
    c.save()
    return printed


def degrade(jpeg: bytes, rng: random.Random) -> Image.Image:
    """More wear, as real archives hold pages: more blur; 200 dpi (as most real scans are), some of
    those 1-bit like a fax, with a threshold that thins strokes and drops faint marks; a few at 150 dpi;
    the rest stay at 300 dpi."""
    img = Image.open(io.BytesIO(jpeg)).convert("L").filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 1.2)))
    kind = rng.random()
    w, h = img.size
    if kind < 0.7:
        img = img.resize((w * 2 // 3, h * 2 // 3), Image.BILINEAR)
        if kind < 0.35:
            threshold = rng.uniform(85, 150)
            img = img.point(lambda v: 255 if v > threshold else 0).convert("1")
    elif kind < 0.8:
        img = img.resize((w // 2, h // 2), Image.BILINEAR)
    return img


def ocr(img: Image.Image, tmp: Path) -> list[str]:
    """Tesseract ``vie``'s lines for a page image (one thread, block of text)."""
    path = tmp / "page.png"
    img.save(path)
    result = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "vie", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return [nfc(line.strip()) for line in result.stdout.splitlines() if line.strip()]


def align_lines(printed: list[str], read: list[str]) -> list[tuple[str, str]]:
    """Pairs (printed line, read line): each read line to the printed line most like it, in order."""
    pairs = []
    start = 0
    for line in read:
        best, best_ratio = None, 0.5
        for k in range(start, min(start + 4, len(printed))):
            ratio = difflib.SequenceMatcher(None, printed[k], line, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
        if best is not None:
            pairs.append((printed[best], line))
            start = best + 1
    return pairs


def syllable_pairs(printed: str, read: str) -> list[tuple[str, str]]:
    """(printed word, read word) for the words of two lines, aligned as runs of equal length."""
    a, b = printed.split(), read.split()
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            out += list(zip(a[i1:i2], b[j1:j2], strict=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the lm-corpus folder")
    parser.add_argument("out", type=Path, help="the .tsv to write")
    parser.add_argument("--lines", type=int, default=3600, help="lines to print and read")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--held-out", action="store_true", help="print held-out lines and write (printed, read) line pairs instead"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    register_fonts()
    rng = random.Random(args.seed)
    lines = sample_lines(args.corpus, args.lines, args.seed, args.held_out)
    counts: Counter[tuple[str, str]] = Counter()
    line_pairs: list[tuple[str, str]] = []
    read_lines = 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for page, first in enumerate(range(0, len(lines), LINES_PER_PAGE)):
            font = "Serif-Bold" if rng.random() < 0.2 else "Serif"
            printed = render_page(lines[first : first + LINES_PER_PAGE], font, rng.choice(SIZES), tmp / "page.pdf")
            (jpeg, _), *_ = scan_pages(tmp / "page.pdf", seed=args.seed * 1000 + page)
            pairs = align_lines(printed, ocr(degrade(jpeg, rng), tmp))
            read_lines += len(pairs)
            line_pairs += pairs
            for truth, read in pairs:
                counts.update(syllable_pairs(truth, read))
            print(f"page {page + 1}: {len(pairs)}/{len(printed)} lines aligned", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.held_out:
        args.out.write_text("".join(f"{t}\t{r}\n" for t, r in line_pairs), encoding="utf-8")
        print(f"{read_lines} held-out lines read → {args.out}", file=sys.stderr)
        return
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    args.out.write_text("".join(f"{t}\t{r}\t{n}\n" for (t, r), n in rows), encoding="utf-8")
    wrong = sum(n for (t, r), n in rows if t != r)
    print(
        f"{read_lines} lines read at {SCAN_DPI} dpi and worse, {sum(counts.values()):,} word pairs "
        f"({wrong:,} misread), {len(rows):,} distinct, in {time.perf_counter() - started:.0f} s → {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
