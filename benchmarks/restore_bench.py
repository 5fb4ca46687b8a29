"""Restoration benchmark: vnplan's diacritic restorer against pyvi's ``ViUtils.add_accents``, side by side.

In one run, on the four clean corpus documents and on held-out lm-corpus lines
(never used to build the model, see ``scripts/build_language_model.py``):
(a) marks stripped: syllable accuracy after restoration;
(b) synthetic OCR damage modelled on corpus 001 (``benchmarks/ocr_damage.py``);
(c) no harm: clean text through the restorer's own detection, share of
    syllables that come out identical;
(d) syllables per second, one process, model loading timed apart.
Accuracy is ``syllable_accuracy`` from shared/eval/score_text.py.

    python benchmarks/restore_bench.py [--shared ../shared] [--lines 200] [--json results.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import lzma
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ocr_damage import damage  # noqa: E402
from normalizers.lm_tokens import HELD_OUT_EVERY  # noqa: E402
from normalizers.text import nfc, normalize_tone_marks, strip_marks  # noqa: E402

CLEAN_DOCUMENTS = ("000", "002", "003", "004")
LM_FILES = ("legal-admin.txt.xz", "phapdien.txt.xz", "viwiki.txt.xz")


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


def timed(function, text: str, force: bool) -> tuple[str, float]:
    started = time.perf_counter()
    result = function(text, force)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--lines", type=int, default=200, help="held-out lines taken from each lm-corpus file")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scorer = load_scorer(args.shared)

    started = time.perf_counter()
    from normalizers.restore import restorer

    engine = restorer().load()
    load_seconds = time.perf_counter() - started

    corpus = args.shared / "corpus"
    sets = {
        "clean documents": "\n".join(
            normalize_tone_marks(nfc(next(corpus.glob(f"{d}_*.txt")).read_text())) for d in CLEAN_DOCUMENTS
        ),
        "lm-corpus held out": normalize_tone_marks(nfc(held_out(args.shared, args.lines))),
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
                output, seconds = timed(run, text, kind != "clean")
                accuracy = scorer.score(truth, output)["syllable_accuracy"]
                row[f"{system} {kind}"] = round(accuracy, 5)
                if kind == "stripped":
                    row[f"{system} syllables/s"] = round(syllables / seconds)
        results["sets"][set_name] = row

    print(f"model loaded in {results['model_load_seconds']} s")
    header = ["set", "system", "(a) stripped", "(b) OCR damage", "(c) no harm", "(d) syllables/s"]
    print(" | ".join(header))
    for set_name, row in results["sets"].items():
        for system in systems:
            cells = [row[f"{system} stripped"], row[f"{system} ocr damage"], row[f"{system} clean"]]
            print(
                f"{set_name} ({row['syllables']:,}) | {system} | "
                + " | ".join(f"{100 * v:.2f}%" for v in cells)
                + f" | {row[f'{system} syllables/s']:,}"
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
