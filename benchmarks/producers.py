"""Born-digital PDFs of the corpus documents from another producer than samples/generate.py: LibreOffice.

The corpus text is read by vnplan's own text reader (paragraphs, headings, tab and one-cell-per-line
tables), written out as HTML and converted by ``soffice --headless --convert-to pdf``, its tables ruled
fully (``grid``, as Word and LibreOffice users print them), only above and below each row (``rows``: a
border on each cell's top and bottom), or not at all (``none``). Used by ``extract_bench.py`` to show
that extraction does not depend on who made the PDF.

    python benchmarks/producers.py ../shared/corpus/000_b004f501ec34ffc6.txt out/ [grid|rows|none]
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplan.models.document import BlockKind  # noqa: E402
from vnplan.pipeline.read import read  # noqa: E402

STYLE = "body{font-family:'Liberation Serif','DejaVu Serif';font-size:13pt} td{border:1px solid #000;padding:2pt}"
#: How each kind of ruling is written: the table's attributes and each cell's (LibreOffice reads a
#: cell's own border style, not a ``rules`` attribute).
RULES = {
    "grid": ("border='1' ", ""),
    "rows": ("", " style='border-top:1px solid #000000;border-bottom:1px solid #000000'"),
    "none": ("", ""),
}


def as_html(text_file: Path, rules: str = "grid") -> str:
    """The document the text reader makes of ``text_file``, as an HTML page; tables ruled as ``rules`` says."""
    table_attributes, cell_attributes = RULES[rules]
    parts = [f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"]
    for page in read(text_file).pages:
        for block in page.body:
            if block.table is not None:
                rows = "".join(
                    "<tr>" + "".join(f"<td{cell_attributes}>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                    for row in block.table.grid()
                )
                parts.append(f"<table {table_attributes}cellspacing='0' cellpadding='2'>{rows}</table>")
            else:  # the block's printed lines kept apart, as the letterhead and title are printed
                lines = "<br>".join(html.escape(line.text) for line in block.text_lines())
                parts.append(f"<p><b>{lines}</b></p>" if block.kind is BlockKind.HEADING else f"<p>{lines}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def libreoffice_pdf(text_file: Path, out_dir: Path, rules: str = "grid") -> Path:
    """``out_dir/<stem>.pdf`` made by LibreOffice from the text file's HTML; RuntimeError without soffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{text_file.stem}.html"
        page.write_text(as_html(text_file, rules), encoding="utf-8")
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
             "pdf:writer_web_pdf_Export", "--outdir", str(out_dir), str(page)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return out_dir / f"{text_file.stem}.pdf"


if __name__ == "__main__":
    target = Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    print(libreoffice_pdf(Path(sys.argv[1]), target, sys.argv[3] if len(sys.argv) > 3 else "grid"))
