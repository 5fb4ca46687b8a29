"""Limits benchmark: peak memory of ``vnplan ingest`` against the size of its input (text files up to 200 MB,
zip bombs), and how the time of line grouping, zip member access and text splitting grows from 1,000 to
10,000 units.

    python benchmarks/limits_bench.py [--json results.json] [--part memory|growth]

Peak memory is the largest resident set of the ``vnplan`` process and every process under it (the
document's child), as the kernel counts it for reaped children (``RUSAGE_CHILDREN``), measured in a fresh
interpreter that starts nothing else. Growth is the time of the function alone, best of three; its exponent
is log(t[10,000] / t[1,000]) / log(10): 1 is linear, 2 quadratic.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import report  # noqa: E402
from vnplan.models.document import Word  # noqa: E402
from vnplan.pipeline.layout import group_words_into_lines  # noqa: E402
from vnplan.pipeline.sources import archive_members  # noqa: E402
from vnplan.pipeline.text_reader import read_text  # noqa: E402

BAD = ROOT / "tests" / "bad_inputs"
CORPUS = ROOT.parent / "shared" / "corpus"
TEXT_MB = (1, 2, 4, 8, 9, 50, 200)  # 8 MB is the limit for a text file
UNITS = (1000, 2000, 5000, 10000)
#: Runs the command given after it and prints the peak resident set of all its processes, in KB.
PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout)"
)


def peak_ingest(path: Path, db: Path) -> dict:
    """``vnplan ingest path`` into a fresh SQLite file: exit code, seconds, peak memory, the document's line."""
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "vnplan", "ingest", str(path), "--db", f"sqlite:///{db}"]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    first, *output = done.stdout.splitlines()
    code, kilobytes = map(int, first.split())
    line = next((x.strip() for x in output if x.startswith("  ")), "")
    return {"exit": code, "seconds": round(seconds, 1), "peak_rss_mb": round(kilobytes / 1024), "line": line}


def text_of(size: int) -> bytes:
    """``size`` bytes of plan text: the corpus's plans over and over, cut at a line."""
    plans = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))).encode()
    data = plans * (size // len(plans) + 1)
    return data[: data.rfind(b"\n", 0, size) + 1]


def memory(folder: Path) -> dict:
    """Peak memory and outcome of text files from 1 to 200 MB, and of the corpus's zip bombs."""
    results = {}
    for mb in TEXT_MB:
        path = folder / f"plan_{mb}mb.txt"
        path.write_bytes(text_of(mb * 2**20))
        results[f"text {mb} MB"] = peak_ingest(path, folder / "p.db")
        path.unlink()
        print(mb, results[f"text {mb} MB"], flush=True)
    for name in ("bomb.zip", "text_bomb.zip", "lying_bomb.zip"):
        with zipfile.ZipFile(BAD / name) as archive:
            (info,) = archive.infolist()
        key = f"{name}: {(BAD / name).stat().st_size:,} bytes, unpacking to {info.file_size:,}"
        results[key] = peak_ingest(BAD / name, folder / "p.db")
    return results


def best_of_three(run: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def words_on_one_line(n: int) -> list[Word]:
    return [Word("từ", (k * 0.05, 100 + (k % 3) * 0.1, k * 0.05 + 3, 110)) for k in range(n)]


def words_on_a_page(n: int) -> list[Word]:
    """``n`` words, 20 to a line."""
    return [Word("từ", (30 * (k % 20), 12 * (k // 20), 30 * (k % 20) + 25, 12 * (k // 20) + 10)) for k in range(n)]


def growth(folder: Path) -> dict:
    """Seconds for 1,000 to 10,000 units of each job, and the exponent of its growth."""
    plan_lines = text_of(2**20).decode().splitlines()

    def plan_text(n: int) -> bytes:
        return "\n".join(plan_lines[k % len(plan_lines)] for k in range(n)).encode()

    jobs: dict[str, Callable[[int], Callable[[], object]]] = {
        "line grouping: words on one line": lambda n: partial(group_words_into_lines, words_on_one_line(n)),
        "line grouping: words on a page, 20 a line": lambda n: partial(group_words_into_lines, words_on_a_page(n)),
        "zip member access: members listed and read": lambda n: _members(folder, n),
        "text splitting: lines of plans": lambda n: partial(read_text, plan_text(n)),
        "text splitting: words on one line": lambda n: partial(read_text, " ".join(["từ"] * n).encode()),
    }
    results = {}
    for name, make in jobs.items():
        seconds = {n: best_of_three(make(n)) for n in UNITS}
        exponent = math.log(seconds[UNITS[-1]] / seconds[UNITS[0]]) / math.log(UNITS[-1] / UNITS[0])
        results[name] = {
            "seconds": {str(n): round(s, 4) for n, s in seconds.items()},
            "microseconds per unit": {str(n): round(1e6 * s / n, 1) for n, s in seconds.items()},
            "growth exponent": round(exponent, 2),
        }
        print(name, results[name], flush=True)
    return results


def _members(folder: Path, n: int) -> Callable[[], object]:
    archive = folder / f"members_{n}.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for k in range(n):
            out.writestr(f"d/{k:05d}.txt", f"văn bản {k}\n")
    return lambda: sum(len(source.read()) for source in archive_members(archive))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--part", choices=("memory", "growth"), help="run one part only")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in (None, "growth"):
            results["growth"] = growth(Path(tmp))
        if args.part in (None, "memory"):
            results["memory"] = memory(Path(tmp))
    report(results, args.json)


if __name__ == "__main__":
    main()
