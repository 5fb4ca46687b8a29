"""Restoration benchmark: vnplan's diacritic restorer against pyvi's ``ViUtils.add_accents``, side by side.

In one run, on the four clean corpus documents and on held-out lm-corpus lines
(never used to build the model, see ``scripts/build_language_model.py``):
(a) marks stripped: syllable accuracy after restoration;
(b) synthetic OCR damage modelled on corpus 001 (``benchmarks/ocr_damage.py``);
(c) no harm: clean text through the restorer's own detection, share of
    syllables that come out identical;
(d) syllables per second, one process, model loading timed apart: wall-clock time, and the
    process's own CPU time (one core, whatever else the machine runs).
The no-harm measure also runs on held-out recipients and signature lines (``- Bộ Nội vụ (b/c);``,
``KT. CHỦ TỊCH``), where abbreviations must stay as written.

Then OCR correction, text Tesseract ``vie`` read, against what was printed: as read, with the
tone fix alone (the restorer before its OCR channel), and with the OCR channel: on the clean
sets above as if read without a slip (what changes is harm), and
(e) held-out lm-corpus lines printed, scanned and read by ``scripts/build_ocr_channel.py --held-out``
    (``benchmarks/gold/ocr_heldout.tsv``; the channel learned from other lines);
(f) real scanned pages transcribed by hand (``benchmarks/ocr_pages.py``: the PDF pages of
    ``benchmarks/real_pages/`` and the PNG pages of ``shared/real/scanned/nomvn-gt/`` transcribed in
    ``benchmarks/real_pages/png/``, none of a held-back document), in two halves by name (thresholds
    are chosen on the tuning half; the held-out half is only reported), each read two ways: by plain
    ``tesseract -l vie --psm 3`` and by vnplan's reader (what its repair stage corrects); with the
    errors left by kind (``benchmarks/ocr_errors.py``); skipped, saying why, when there are none.
    The reads are kept between runs (``benchmarks/results/ocr_reads/``).
And corpus 001 (an English OCR model's text of a plan) against its hand restoration
(``benchmarks/gold/001_restored.txt``): as read, as vnplan's pipeline repairs the text file, and
through pyvi. Accuracy is ``syllable_accuracy`` from shared/eval/score_text.py.

    python benchmarks/restore_bench.py [--shared ../shared] [--lines 200] [--json results.json] [--ocr-margin M]
                                       [--model lm.npz]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import lzma
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ocr_damage import damage  # noqa: E402
from benchmarks.ocr_errors import error_kinds, print_kinds  # noqa: E402
from benchmarks.results import write_json  # noqa: E402
from vnplan.normalizers.restoration.lm_tokens import HELD_OUT_EVERY  # noqa: E402
from vnplan.normalizers.text import clean_line, nfc, normalize_tone_marks, strip_marks  # noqa: E402
from vnplan.pipeline.repair import text_items  # noqa: E402

CLEAN_DOCUMENTS = ("000", "002", "003", "004")
LM_FILES = ("legal-admin.txt.xz", "phapdien.txt.xz", "viwiki.txt.xz")
OCR_HELD_OUT = ROOT / "benchmarks" / "gold" / "ocr_heldout.tsv"
#: The hand restoration of corpus 001, line for line (``benchmarks/gold/001_restored.notes.md``).
RESTORED_001 = ROOT / "benchmarks" / "gold" / "001_restored.txt"
#: A recipients-list item or a signature line: ``- Bộ Nội vụ (b/c);``, ``KT. CHỦ TỊCH``.
RECIPIENT = re.compile(r"^(?:[-+]\s|Nơi nhận|TM\.|KT\.|Q\.|TL\.|TUQ\.|Lưu:)")


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_text", shared / "eval" / "score_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def held_out(shared: Path, per_file: int) -> str:
    """The first ``per_file`` held-out lines of each lm-corpus file."""
    lines = []
    for name in LM_FILES:
        taken = 0
        with lzma.open(shared / "lm-corpus" / name, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number % HELD_OUT_EVERY == 0 and line.strip():
                    lines.append(line.rstrip("\n"))
                    taken += 1
                    if taken == per_file:
                        break
    return "\n".join(lines)


def recipients(shared: Path) -> str:
    """Every held-out legal-admin line that is a recipients-list item or a signature line."""
    lines = []
    with lzma.open(shared / "lm-corpus" / LM_FILES[0], "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % HELD_OUT_EVERY == 0 and RECIPIENT.match(line.strip()):
                lines.append(line.strip())
    return "\n".join(lines)


def real_page_sets(shared: Path) -> tuple[dict[str, list[tuple[str, str, str]]], str]:
    """The real pages (``benchmarks/ocr_pages.py``) as OCR-correction sets: each half as plain Tesseract
    read it and as vnplan's reader read it (the text its repair stage is given, after the
    normalisation that precedes the correction); and why there are none. vnplan's reading is corrected
    by its repair stage (:func:`vnplan.pipeline.repair.repair`), the plain text as one text."""
    from benchmarks.ocr_pages import HELD_OUT, TUNING, ocr_pages

    pages, skipped = ocr_pages(shared)
    for reason in skipped:
        print(f"real pages: left out {reason}", file=sys.stderr)
    sets: dict[str, list] = {}
    for half in (TUNING, HELD_OUT):
        chosen = [p for p in pages if p.half == half]
        if chosen:
            sets[f"real pages, {half} half, plain tesseract"] = [(p.name, p.truth, p.plain) for p in chosen]
            sets[f"real pages, {half} half, vnplan's reading"] = [(p.name, p.truth, p.read) for p in chosen]
    return sets, "" if sets else "; ".join(skipped) or "no transcribed pages"


def corrected(engine, read) -> str:
    """What ``engine`` makes of text Tesseract read (``engine`` None: the text as read): a string is
    restored as one OCR text; a page read by vnplan goes through the repair stage (as read: its
    normalisation alone), its blocks' text after."""
    from vnplan.models.document import Document
    from vnplan.pipeline.repair import repair

    if isinstance(read, str):
        read = normalize_tone_marks(nfc(read))
        return read if engine is None else engine.restore(read, ocr=True).text
    document = Document(Path("page"), "", [copy.deepcopy(read)])
    if engine is None:
        for item in text_items(document.pages[0]):
            item.text = clean_line(item.text)
    else:
        repair(document, engine=engine)
    return "\n".join(block.text for block in document.pages[0].blocks)


def ocr_correction(scorer, engines: dict, pages: list[tuple[str, str, str]]) -> dict:
    """Syllable accuracy of each page as read and as each engine corrected it, the share of the
    read text's syllable errors each engine removed, and its worst change on one page (points)."""
    out: dict = {"pages": {}, "syllables": 0}
    errors = {"as read": 0.0, **{name: 0.0 for name in engines}}
    worst = {name: math.inf for name in engines}
    kinds: dict[str, Counter] = {"as read": Counter(), **{name: Counter() for name in engines}}
    for name, truth, read in pages:
        n = len(scorer.syllables(truth))
        row = {"syllables": n}
        for engine_name, engine in {"as read": None, **engines}.items():
            text = corrected(engine, read)
            row[engine_name] = scorer.score(truth, text)["syllable_accuracy"]
            kinds[engine_name] += error_kinds(scorer, truth, text)
            if engine is not None:
                worst[engine_name] = min(worst[engine_name], 100 * (row[engine_name] - row["as read"]))
        for key in errors:
            errors[key] += (1 - row[key]) * n
        out["pages"][name] = {k: round(v, 5) if isinstance(v, float) else v for k, v in row.items()}
        out["syllables"] += n
    total = out["syllables"]
    out["error kinds"] = {name: dict(counts) for name, counts in kinds.items()}
    out["as read"] = round(1 - errors["as read"] / total, 5)
    for engine_name in engines:
        out[engine_name] = round(1 - errors[engine_name] / total, 5)
        removed = 1 - errors[engine_name] / errors["as read"] if errors["as read"] else None
        out[f"{engine_name} errors removed"] = None if removed is None else round(removed, 4)
        out[f"{engine_name} worst page change"] = round(worst[engine_name], 3)
    return out


OCR_COLUMNS = ("as read", "tone fix (previous)", "OCR channel")


def print_ocr(results: dict) -> None:
    """The OCR correction table, a row per set (and per page when a set has several)."""
    print("\nOCR correction | syllables | " + " | ".join(OCR_COLUMNS) + " | errors removed | worst page")
    for set_name, row in results.items():
        if "skipped" in row:
            print(f"{set_name} | skipped: {row['skipped']}")
            continue
        previous, removed = (row[f"{k} errors removed"] for k in OCR_COLUMNS[1:])
        removed_cell = "—" if removed is None else f"{100 * removed:.1f}% (previous {100 * previous:.1f}%)"
        print(
            f"{set_name} | {row['syllables']:,} | "
            + " | ".join(f"{100 * row[k]:.2f}%" for k in OCR_COLUMNS)
            + f" | {removed_cell} | {row['OCR channel worst page change']:+.2f} points"
        )
        for page, cells in row["pages"].items() if len(row["pages"]) > 1 else ():
            print(f"  {page} ({cells['syllables']:,}) | " + " | ".join(f"{100 * cells[k]:.2f}%" for k in OCR_COLUMNS))


def score_001(scorer, shared: Path) -> dict:
    """Corpus 001 (an English OCR model's text of a Vietnamese plan) against its hand restoration: as
    read, as vnplan's pipeline repairs the text file (read, then repair), and through pyvi; syllable
    accuracy, or why it was skipped."""
    from vnplan.pipeline.read import read
    from vnplan.pipeline.repair import repair

    sources = sorted((shared / "corpus").glob("001_*.txt"))
    if not sources or not RESTORED_001.exists():
        return {"skipped": f"no {shared / 'corpus' / '001_*.txt'} or no {RESTORED_001.relative_to(ROOT)}"}
    truth, text = RESTORED_001.read_text(encoding="utf-8"), sources[0].read_text(encoding="utf-8")
    ours = "\n".join(page.text for page in repair(read(sources[0])).pages)
    outputs = {"as read": text, "vnplan": ours, "pyvi": pyvi_restore(text)}
    row: dict = {"syllables": len(scorer.syllables(truth))}
    for name, output in outputs.items():
        row[name] = scorer.score(truth, output)["syllable_accuracy"]
        row[f"{name} error kinds"] = dict(error_kinds(scorer, truth, output))
    return row


def print_001(row: dict) -> None:
    """The 001 row: syllable accuracy as read, by vnplan and by pyvi."""
    if "skipped" in row:
        print(f"\n001 against its hand restoration: skipped: {row['skipped']}")
        return
    print(f"\n001 against its hand restoration ({row['syllables']:,} syllables) | as read | vnplan | pyvi")
    print("syllable accuracy | " + " | ".join(f"{100 * row[k]:.2f}%" for k in ("as read", "vnplan", "pyvi")))
    print_kinds("001 errors by kind", {k: Counter(row[f"{k} error kinds"]) for k in ("as read", "vnplan", "pyvi")})


def pyvi_restore(text: str) -> str:
    """pyvi's add_accents line by line; a line it crashes on is kept as it was."""
    from pyvi import ViUtils

    out = []
    for line in text.split("\n"):
        try:
            out.append(ViUtils.add_accents(line))
        except Exception:  # pyvi fails on some lines: keep them, as a user of it would
            out.append(line)
    return "\n".join(out)


def timed(function, text: str, force: bool) -> tuple[str, float, float]:
    """The function's result, its wall-clock seconds and its CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(text, force)
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--lines", type=int, default=200, help="held-out lines taken from each lm-corpus file")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--ocr-margin", type=float, help="the OCR channel's margin (default: the restorer's)")
    parser.add_argument(
        "--model", type=Path, help="a model built by scripts/build_language_model.py (default: the packaged one)"
    )
    args = parser.parse_args()
    scorer = load_scorer(args.shared)

    started = time.perf_counter()
    from vnplan.normalizers.restoration.language_model import LanguageModel
    from vnplan.normalizers.restoration.restore import Restorer, restorer

    engine = (Restorer(LanguageModel(args.model)) if args.model else restorer()).load()
    load_seconds = time.perf_counter() - started

    corpus = args.shared / "corpus"
    sets = {
        "clean documents": "\n".join(
            normalize_tone_marks(nfc(next(corpus.glob(f"{d}_*.txt")).read_text())) for d in CLEAN_DOCUMENTS
        ),
        "lm-corpus held out": normalize_tone_marks(nfc(held_out(args.shared, args.lines))),
        "recipients lists held out": normalize_tone_marks(nfc(recipients(args.shared))),
    }
    systems = {
        "vnplan": lambda text, force: engine.restore(text, force=force).text,
        "pyvi": lambda text, force: pyvi_restore(text),
    }
    results: dict = {"model_load_seconds": round(load_seconds, 2), "sets": {}}
    for set_name, truth in sets.items():
        syllables = len(scorer.syllables(truth))
        inputs = {"stripped": strip_marks(truth), "ocr damage": damage(truth, seed=1), "clean": truth}
        row: dict = {"syllables": syllables}
        for system, run in systems.items():
            for kind, text in inputs.items():
                output, seconds, cpu = timed(run, text, kind != "clean")
                accuracy = scorer.score(truth, output)["syllable_accuracy"]
                row[f"{system} {kind}"] = round(accuracy, 5)
                if kind == "stripped":
                    row[f"{system} syllables/s"] = round(syllables / seconds)
                    row[f"{system} syllables/s of CPU"] = round(syllables / cpu)
        results["sets"][set_name] = row

    channel = engine if args.ocr_margin is None else Restorer(engine.model, ocr_margin=args.ocr_margin)
    previous = Restorer(engine.model, ocr_margin=math.inf, doubt_discount=0.0)
    engines = {"tone fix (previous)": previous, "OCR channel": channel}
    # Text printed right and read right: what the correction changes is harm.
    ocr_sets = {"clean text as if read right (no harm)": [(name, text, text) for name, text in sets.items()]}
    pairs = [line.split("\t") for line in OCR_HELD_OUT.read_text(encoding="utf-8").splitlines()]
    ocr_sets["lm-corpus held out, printed and read"] = [
        ("held out", "\n".join(t for t, _ in pairs), "\n".join(r for _, r in pairs))
    ]
    skipped = {}
    real_sets, why_not = real_page_sets(args.shared)
    ocr_sets.update(real_sets)
    if not real_sets:
        skipped["real pages"] = {"skipped": why_not}
    results["001"] = score_001(scorer, args.shared)
    results["ocr"] = {name: ocr_correction(scorer, engines, found) for name, found in ocr_sets.items()}
    results["ocr"].update(skipped)

    print(f"model loaded in {results['model_load_seconds']} s")
    header = ["set", "system", "(a) stripped", "(b) OCR damage", "(c) no harm", "(d) syllables/s (of CPU time)"]
    print(" | ".join(header))
    for set_name, row in results["sets"].items():
        for system in systems:
            cells = [row[f"{system} stripped"], row[f"{system} ocr damage"], row[f"{system} clean"]]
            print(
                f"{set_name} ({row['syllables']:,}) | {system} | "
                + " | ".join(f"{100 * v:.2f}%" for v in cells)
                + f" | {row[f'{system} syllables/s']:,} ({row[f'{system} syllables/s of CPU']:,})"
            )
    print_001(results["001"])
    print_ocr(results["ocr"])
    for set_name, row in results["ocr"].items():
        if "error kinds" in row and set_name.startswith("real pages"):
            print_kinds(f"errors by kind: {set_name}", {k: Counter(v) for k, v in row["error kinds"].items()})
    write_json(results, args.json)


if __name__ == "__main__":
    main()
