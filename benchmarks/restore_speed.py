"""The restorer's decoding speed against another checkout's, side by side: alternating runs, one process each.

Each run loads the restorer of one checkout in a fresh process and times
``Restorer().restore(text, force=True)`` on the four clean corpus documents with their marks
stripped (the text of ``restore_bench.py``'s (d)) under ``time.process_time()``: syllables per second
of CPU time, cold caches, model loading left out. The machine is shared, so the runs alternate and
the ratio of each pair is reported beside the figures; and whether both gave the same text.

    python benchmarks/restore_speed.py --base /tmp/main-checkout [--shared ../shared] [--rounds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.restore_bench import CLEAN_DOCUMENTS, load_scorer  # noqa: E402
from benchmarks.results import write_json  # noqa: E402
from vnplan.normalizers.text import nfc, normalize_tone_marks  # noqa: E402

#: Run in a fresh process with the checkout first on the path: its syllables/s of CPU and a digest of its text.
RUN = """
import hashlib, json, sys, time
from pathlib import Path
root, shared = sys.argv[1], Path(sys.argv[2])
sys.path.insert(0, root)
import vnplan
assert vnplan.__file__.startswith(root), vnplan.__file__
from vnplan.normalizers.restoration.restore import Restorer
from vnplan.normalizers.text import nfc, normalize_tone_marks, strip_marks
paths = [next((shared / "corpus").glob(f"{d}_*.txt")) for d in sys.argv[3:]]
truth = "\\n".join(normalize_tone_marks(nfc(path.read_text())) for path in paths)
text = strip_marks(truth)
engine = Restorer().load()
started = time.process_time()
out = engine.restore(text, force=True).text
cpu = time.process_time() - started
print(json.dumps({"cpu": cpu, "digest": hashlib.sha256(out.encode()).hexdigest()[:12]}))
"""


def run(root: Path, shared: Path) -> dict:
    """One timed run of the restorer of the checkout at ``root``."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(root.resolve()), str(shared.resolve()), *CLEAN_DOCUMENTS],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (e.g. git archive of main)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpus = args.shared / "corpus"
    truth = "\n".join(normalize_tone_marks(nfc(next(corpus.glob(f"{d}_*.txt")).read_text())) for d in CLEAN_DOCUMENTS)
    syllables = len(load_scorer(args.shared).syllables(truth))
    rounds = []
    for number in range(args.rounds):
        base, this = run(args.base, args.shared), run(ROOT, args.shared)
        ratio = base["cpu"] / this["cpu"]
        rounds.append({"base": base, "this": this, "ratio": ratio})
        print(
            f"round {number + 1}: base {syllables / base['cpu']:,.0f} syllables/s of CPU, "
            f"this {syllables / this['cpu']:,.0f}, {ratio:.2f}×, "
            f"same text: {base['digest'] == this['digest']}",
            flush=True,
        )
    ratios = [r["ratio"] for r in rounds]
    print(f"median {statistics.median(ratios):.2f}× (range {min(ratios):.2f}–{max(ratios):.2f}×)")
    write_json({"syllables": syllables, "rounds": rounds, "median ratio": statistics.median(ratios)}, args.json)


if __name__ == "__main__":
    main()
