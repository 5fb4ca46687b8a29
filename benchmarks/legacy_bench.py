"""Legacy-encoding benchmark: TCVN3 and VNI documents read into Unicode, and Unicode text left alone.

- Every file of ``shared/real/legacy/{tcvn3,vni}`` (.doc, .rtf, .pdf) is read and repaired as
  ingestion does, and scored against its transcript in ``legacy/ground-truth`` with
  ``shared/eval/score_text.py``: syllable accuracy (case-insensitive, so the transcripts'
  known all-lower-case headings, printed in the capitals-only ``.VnTimeH`` fonts, do not
  count against it), diacritic accuracy (aligned syllables whose letters agree: share whose
  marks agree too) and CER after case folding, per file and over all syllables. The text
  scored is every block's, page headers and footers included, as the transcripts have them
  (a Word file's after its body: the transcripts follow Word's story order).
- With ``--baseline``, the same files read with the legacy conversion switched off (what
  vnplan did before): how much the conversion is worth.
- No harm on Unicode: every line of ``shared/corpus/*.txt``, and each whole file, is run
  through the conversion as a reader with no font name applies it; the characters changed
  are counted (the target is none). The same for the text layers of the born-digital samples
  and for the real Unicode Word files (.docx, .doc) of ``shared/real/office``, read with and without it;
  and the letter-spaced runs ``spaced_letters.py`` closes up on the sample pages (none is letter-spaced).

    python benchmarks/legacy_bench.py [--shared ../shared] [--baseline] [--json results.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import time
from pathlib import Path
from unittest import mock

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import write_json  # noqa: E402
from vnplan.models.document import BlockKind, ReadMethod  # noqa: E402
from vnplan.normalizers import legacy_encoding  # noqa: E402
from vnplan.normalizers.legacy_encoding import UNICODE, convert_runs  # noqa: E402
from vnplan.pipeline.legacy_layer import convert_legacy_chars  # noqa: E402
from vnplan.pipeline.office import convert_to_docx  # noqa: E402
from vnplan.pipeline.options import Jobs, PipelineOptions  # noqa: E402
from vnplan.pipeline.read import read  # noqa: E402
from vnplan.pipeline.repair import repair  # noqa: E402
from vnplan.pipeline.spaced_letters import close_letter_spacing  # noqa: E402
from vnplan.pipeline.word_reader import read_docx  # noqa: E402

TARGET = 0.99
#: Pages read in this process, so that timings are one core's.
ONE_PROCESS = PipelineOptions(jobs=Jobs(page_jobs=1))


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_text", shared / "eval" / "score_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def legacy_files(shared: Path) -> list[tuple[str, Path, Path]]:
    """(encoding, file, transcript) for every legacy file that has a transcript."""
    base = shared / "real" / "legacy"
    out = []
    for encoding in ("tcvn3", "vni"):
        for path in sorted((base / encoding).glob("*")):
            truth = base / "ground-truth" / f"{path.stem}.txt"
            if truth.is_file():
                out.append((encoding, path, truth))
    return out


#: A Word file's blocks the transcripts hold after its body: they were made in Word's story order
#: (the body, then the headers and footers, then the text boxes), not in page order.
AFTER_BODY = (BlockKind.PAGE_HEADER, BlockKind.PAGE_FOOTER)


def read_text(path: Path) -> str:
    """Every block's text, page headers and footers included as the transcripts have them: in page
    order for a PDF, after the body for a Word file."""
    document = repair(read(path, ONE_PROCESS))
    blocks = [block for page in document.pages for block in page.blocks]
    if not any(page.method is ReadMethod.WORD for page in document.pages):
        return "\n".join(b.text for b in blocks)
    body = [b.text for b in blocks if b.kind not in AFTER_BODY]
    return "\n".join(body + [b.text for b in blocks if b.kind in AFTER_BODY])


def score_files(scorer, files: list[tuple[str, Path, Path]]) -> list[dict]:
    rows = []
    for encoding, path, truth_path in files:
        truth = truth_path.read_text(encoding="utf-8")
        started = time.perf_counter()
        try:
            text = read_text(path)
        except Exception as exc:  # a file that cannot be read scores 0 and says why
            text, error = "", f"{type(exc).__name__}: {exc}"
        else:
            error = None
        seconds = time.perf_counter() - started
        result = scorer.score(truth, text)
        folded = scorer.score(truth.casefold(), text.casefold())
        rows.append(
            {
                "file": f"{encoding}/{path.name}",
                "syllables": result["reference_syllables"],
                "syllable_accuracy": result["syllable_accuracy"],
                "diacritic_accuracy": result["diacritic_accuracy"],
                "cer_folded": folded["cer"],
                "seconds": round(seconds, 2),
                "error": error,
            }
        )
    return rows


def overall(rows: list[dict], key: str = "syllable_accuracy") -> float:
    """A per-file figure over all files, weighted by their reference syllables."""
    total = sum(r["syllables"] for r in rows)
    return sum(r[key] * r["syllables"] for r in rows) / max(1, total)


def unicode_harm(shared: Path) -> dict:
    """Characters the conversion changes in Unicode text: corpus lines, whole corpus files, sample PDF layers."""
    lines = changed_lines = changed_chars = 0
    for path in sorted((shared / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            lines += 1
            out = convert_runs([(line, None)])[0]
            if out != line:
                changed_lines += 1
                changed_chars += sum(a != b for a, b in zip(out, line, strict=False)) + abs(len(out) - len(line))
        whole = convert_runs([(text, None)])[0]
        changed_chars += sum(a != b for a, b in zip(whole, text, strict=False)) + abs(len(whole) - len(text))
    pdf_pages = pdf_changed = spaced_runs = 0
    for pdf_path in sorted((ROOT / "samples" / "born-digital").glob("*.pdf")):
        with pdfplumber.open(io.BytesIO(pdf_path.read_bytes())) as pdf:
            for page in pdf.pages:
                pdf_pages += 1
                pdf_changed += convert_legacy_chars(page)
                spaced_runs += close_letter_spacing(page)
    office_files = office_changed = 0
    for path in sorted((shared / "real" / "office").glob("*.doc*")):
        office_files += 1
        data = path.read_bytes() if path.suffix == ".docx" else convert_to_docx(path.read_bytes(), path.suffix)
        converted = read_docx(data)[0].text
        with mock.patch.object(legacy_encoding, "detect", lambda text, hint=None: UNICODE):
            plain = read_docx(data)[0].text
        office_changed += sum(a != b for a, b in zip(converted, plain, strict=False)) + abs(len(converted) - len(plain))
    return {
        "office_files": office_files,
        "office_chars_changed": office_changed,
        "corpus_lines": lines,
        "corpus_lines_changed": changed_lines,
        "corpus_chars_changed": changed_chars,
        "sample_pdf_pages": pdf_pages,
        "sample_pdf_chars_changed": pdf_changed,
        "sample_pdf_spaced_runs": spaced_runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--baseline", action="store_true", help="also read with the conversion switched off")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = legacy_files(args.shared)
    if not files:
        print(f"skipped: no legacy files with transcripts under {args.shared / 'real' / 'legacy'}")
        return 0
    scorer = load_scorer(args.shared)
    rows = score_files(scorer, files)
    result: dict = {
        "files": rows,
        "syllable_accuracy": round(overall(rows), 5),
        "diacritic_accuracy": round(overall(rows, "diacritic_accuracy"), 5),
    }
    for encoding in ("tcvn3", "vni"):
        part = [r for r in rows if r["file"].startswith(encoding)]
        result[f"syllable_accuracy_{encoding}"] = round(overall(part), 5)
    if args.baseline:
        with mock.patch.object(legacy_encoding, "detect", lambda text, hint=None: UNICODE):
            before = score_files(scorer, files)
        result["baseline_syllable_accuracy"] = round(overall(before), 5)
        for row, old in zip(rows, before, strict=True):
            row["baseline_syllable_accuracy"] = old["syllable_accuracy"]
    result["unicode"] = unicode_harm(args.shared)

    print(f"{'file':58s} {'syllables':>9s} {'accuracy':>9s} {'marks':>7s} {'CER(fold)':>9s} {'before':>7s} {'s':>6s}")
    for r in rows:
        before = f"{r['baseline_syllable_accuracy']:.2%}" if "baseline_syllable_accuracy" in r else ""
        print(
            f"{r['file']:58s} {r['syllables']:9d} {r['syllable_accuracy']:9.2%} {r['diacritic_accuracy']:7.2%} "
            f"{r['cer_folded']:9.2%} "
            f"{before:>7s} {r['seconds']:6.1f}" + (f"  {r['error']}" if r["error"] else "")
        )
    total = sum(r["syllables"] for r in rows)
    print(
        f"overall: {result['syllable_accuracy']:.2%} of {total} syllables (target ≥ {TARGET:.0%}), "
        f"marks right on {result['diacritic_accuracy']:.2%} of aligned syllables; "
        f"TCVN3 {result['syllable_accuracy_tcvn3']:.2%}, VNI {result['syllable_accuracy_vni']:.2%}"
        + (f"; before: {result['baseline_syllable_accuracy']:.2%}" if args.baseline else "")
    )
    u = result["unicode"]
    print(
        f"Unicode left alone: {u['corpus_lines_changed']} of {u['corpus_lines']} corpus lines changed, "
        f"{u['corpus_chars_changed']} characters; {u['sample_pdf_chars_changed']} characters changed on "
        f"{u['sample_pdf_pages']} born-digital sample pages, {u['office_chars_changed']} in "
        f"{u['office_files']} real Unicode Word files; letter-spaced runs closed up on the sample pages: "
        f"{u['sample_pdf_spaced_runs']}"
    )
    write_json(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
