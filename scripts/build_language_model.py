"""Build the syllable trigram model the diacritic restorer uses, from ../shared/lm-corpus.

    python scripts/build_language_model.py ../shared/lm-corpus normalizers/restoration/data/syllable_lm.npz
    python scripts/build_language_model.py ../shared/lm-corpus lm4.npz --cutoffs 1 1 2   # a pruned 4-gram model

Interpolated Kneser-Ney (one discount per order, from the count-of-counts; the
top order on raw counts, the lower ones on continuation counts, n-grams from
``<s>`` on raw counts), n-grams below a count cut-off (none by default) pruned and their probability
mass given back to the lower order, written in back-off form: for each n-gram its log10
probability, for each context its log10 back-off weight. Every
:data:`~vnplan.normalizers.restoration.lm_tokens.HELD_OUT_EVERY`-th line of each file is left out,
so benchmarks can evaluate on text the model never saw. The output is
deterministic for the same corpus.

Beside the model it writes the abbreviations the restorer must never touch
(``abbreviations.txt``, see :func:`abbreviations`), found in the same training lines
by how often they occur as written; ``--abbreviations-only`` writes just that list.
"""

from __future__ import annotations

import argparse
import lzma
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vnplan.normalizers.restoration.abbreviations import ABBREVIATIONS_PATH
from vnplan.normalizers.restoration.lm_tokens import BOS, CLASSES, EOS, HELD_OUT_EVERY, UNK, lm_tokens
from vnplan.normalizers.restoration.syllables import is_syllable
from vnplan.normalizers.text import nfc

FILES = ("legal-admin.txt.xz", "phapdien.txt.xz", "viwiki.txt.xz")


def training_lines(corpus: Path):
    """Every line of the corpus files except the held-out ones."""
    for name in FILES:
        with lzma.open(corpus / name, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number % HELD_OUT_EVERY and line.strip():
                    yield line


#: Brackets and punctuation around a written token, not part of it: ``(b/c);`` is ``b/c``.
EDGES = re.compile(r"^[(\[\"'“‘«]+|[)\]\"'”’»,;:!?]+$")
#: Short letter groups joined by slashes: ``b/c``, ``Đ/c``, ``V/v``, ``km/h``.
SLASHED = re.compile(r"[^\W\d_]{1,3}(?:/[^\W\d_]{1,3})+")
#: A few letters and a full stop: ``TM.``, ``KT.``, ``Q.``, ``tr.``, ``ThS.``.
DOTTED = re.compile(r"[^\W\d_]{1,4}\.")
#: Capitals only, this many at most: ``PCT``, ``UBND``, ``HĐND``.
MAX_CAPITALS = 5
#: An abbreviation occurs at least this often as written ...
MIN_ABBREVIATION_COUNT = 5
#: ... a run of capitals this often ...
MIN_CAPITALS_COUNT = 20
#: ... and a dotted one at most this share of times at the end of a line (else the stop ends a sentence).
MAX_LINE_END_SHARE = 0.2


def abbreviations(corpus: Path) -> list[tuple[str, int]]:
    """The abbreviations of the training lines, as written, with their counts: slashed letter groups
    (``b/c``, ``Đ/c``) with a part that is no syllable; a few letters and a stop (``KT.``, ``Q.``)
    that are no syllable and mostly stand inside a line; runs of capitals that are no syllable
    (``PCT``). Each must occur often enough to be a convention, not a slip."""
    counts: Counter[str] = Counter()
    at_end: Counter[str] = Counter()
    for line in training_lines(corpus):
        words = nfc(line).split()
        for k, word in enumerate(words):
            word = EDGES.sub("", word)
            if SLASHED.fullmatch(word):
                if not all(is_syllable(part.lower()) for part in word.split("/")):
                    counts[word] += 1
            elif DOTTED.fullmatch(word):
                if not is_syllable(word[:-1].lower()):
                    counts[word] += 1
                    at_end[word] += k == len(words) - 1
            elif _capitals(word) and not is_syllable(word.lower()):
                counts[word] += 1
    found = []
    for word, count in counts.items():
        if word.endswith("."):
            keep = count >= MIN_ABBREVIATION_COUNT and at_end[word] <= MAX_LINE_END_SHARE * count
        else:
            keep = count >= (MIN_ABBREVIATION_COUNT if "/" in word else MIN_CAPITALS_COUNT)
        if keep:
            found.append((word, count))
    return sorted(found, key=lambda wc: (-wc[1], wc[0]))


def _capitals(word: str) -> bool:
    return 2 <= len(word) <= MAX_CAPITALS and word.isalpha() and word.isupper()


def write_abbreviations(corpus: Path, out: Path) -> None:
    """Write :func:`abbreviations` as ``word<TAB>count`` lines."""
    found = abbreviations(corpus)
    out.write_text("".join(f"{w}\t{c}\n" for w, c in found), encoding="utf-8")
    print(f"wrote {out} ({len(found):,} abbreviations)", file=sys.stderr)


def token_stream(corpus: Path, min_count: int) -> tuple[list[str], np.ndarray]:
    """(vocabulary, the corpus as ids with ``<s> <s> … </s>`` around each line)."""
    lines = [lm_tokens(line) for line in training_lines(corpus)]
    counts: Counter[str] = Counter()
    for tokens in lines:
        counts.update(tokens)
    words = sorted(w for w, c in counts.items() if c >= min_count and w not in CLASSES)
    vocab = [*CLASSES, *words]
    index = {w: i for i, w in enumerate(vocab)}
    unk, bos, eos = index[UNK], index[BOS], index[EOS]
    stream: list[int] = []
    for tokens in lines:
        stream += [bos, bos, *(index.get(t, unk) for t in tokens), eos]
    return vocab, np.asarray(stream, dtype=np.int64)


def ngram_counts(ids: np.ndarray, order: int, size: int, bos: int, eos: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted packed keys of the n-grams within one line (none ends in ``<s>``, none has ``</s>``
    before its end), and their counts."""
    n = len(ids) - order + 1
    key = np.zeros(n, dtype=np.int64)
    inside = ids[order - 1 : order - 1 + n] != bos
    for k in range(order):
        key = key * size + ids[k : k + n]
        if k < order - 1:
            inside &= ids[k : k + n] != eos
    return np.unique(key[inside], return_counts=True)


def discount(counts: np.ndarray) -> float:
    """Kneser-Ney's discount ``n1 / (n1 + 2 n2)``; 0.5 where no n-gram was seen once or twice (a tiny corpus)."""
    n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
    return float(n1 / (n1 + 2 * n2)) if n1 + n2 else 0.5


def interpolated_kn(keys: np.ndarray, counts: np.ndarray, size: int, lower: np.ndarray) -> tuple[np.ndarray, float]:
    """(P(w | context) for each packed n-gram, the discount): the discounted count over the context's total,
    plus the context's left-over mass times the lower-order probability ``lower`` of the same n-gram."""
    d = discount(counts)
    context = keys // size
    contexts = np.unique(context)
    total = group_sums(context, counts.astype(np.float64), contexts)
    types = group_sums(context, np.ones(len(context)), contexts)
    at = np.searchsorted(contexts, context)
    return (counts - d).clip(0) / total[at] + d * types[at] / total[at] * lower, d


def group_sums(keys: np.ndarray, values: np.ndarray, contexts: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per context, aligned with ``contexts`` (sorted unique) — keys grouped by context."""
    order = np.searchsorted(contexts, keys)
    return np.bincount(order, weights=values, minlength=len(contexts))


def lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, default: float) -> np.ndarray:
    """``values`` at ``query`` keys, ``default`` where absent."""
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[at] == query, values[at], default)


class Orders:
    """The kept n-grams of each order (1 is every word): packed keys, probabilities, back-off weights."""

    def __init__(self, size: int, p1: np.ndarray) -> None:
        self.size = size
        self.keys: dict[int, np.ndarray] = {1: np.arange(size, dtype=np.int64)}
        self.prob: dict[int, np.ndarray] = {1: p1}
        self.bow: dict[int, np.ndarray] = {}

    def interpolated(self, n: int, grams: np.ndarray) -> np.ndarray:
        """P of packed n-grams as built: the stored value, else the next order down's (no back-off weight)."""
        if n == 1:
            return self.prob[1][grams]
        lower = self.interpolated(n - 1, grams % self.size ** (n - 1))
        found = lookup(self.keys[n], self.prob[n], grams, -1.0)
        return np.where(found >= 0, found, lower)

    def backed_off(self, n: int, grams: np.ndarray) -> np.ndarray:
        """P of packed n-grams as the back-off model gives it: the stored value, else the context's
        back-off weight times the next order down's."""
        if n == 1:
            return self.prob[1][grams]
        found = lookup(self.keys[n], self.prob[n], grams, -1.0)
        weight = lookup(self.keys[n - 1], self.bow[n - 1], grams // self.size, 1.0)
        return np.where(found >= 0, found, weight * self.backed_off(n - 1, grams % self.size ** (n - 1)))

    def set_backoff(self, n: int) -> None:
        """Back-off weights of the (n-1)-gram contexts that make each distribution sum to one after pruning."""
        keys, prob = self.keys[n], self.prob[n]
        context = keys // self.size
        contexts = np.unique(context)
        kept_mass = group_sums(context, prob, contexts)
        lower_mass = group_sums(context, self.backed_off(n - 1, keys % self.size ** (n - 1)), contexts)
        bow = np.ones(len(self.keys[n - 1]))
        bow[np.searchsorted(self.keys[n - 1], contexts)] = (1 - kept_mass).clip(1e-9) / (1 - lower_mass).clip(1e-9)
        self.bow[n - 1] = bow


def build(corpus: Path, min_count: int, cutoffs: list[int]) -> dict[str, np.ndarray]:
    """The model's arrays (see the module docstring); ``cutoffs``: the least count of a kept n-gram,
    from bigrams up (their number sets the order)."""
    order = len(cutoffs) + 1
    vocab, ids = token_stream(corpus, min_count)
    size = len(vocab)
    bos, eos = vocab.index(BOS), vocab.index(EOS)
    print(f"{len(ids):,} tokens, vocabulary {size:,}", file=sys.stderr)
    raw = {n: ngram_counts(ids, n, size, bos, eos) for n in range(2, order + 1)}
    del ids

    # Continuation counts: for an n-gram below the top order, how many distinct words come before it.
    # n-grams that start at <s> have none; their raw counts stand in.
    continuation = {}
    for n in range(2, order):
        above = raw[n + 1][0] % size**n
        keys, counts = np.unique(above, return_counts=True)
        keep = keys // size ** (n - 1) != bos
        continuation[n] = keys[keep], counts[keep]
    uni_cont = np.bincount(raw[2][0] % size, minlength=size).astype(np.float64)
    uni_cont[bos] = 0
    models = Orders(size, (uni_cont + 1.0) / (uni_cont.sum() + size))  # add-one keeps every word possible

    discounts = []
    for n in range(2, order + 1):
        keys, counts = raw[n]
        groups = []
        if n < order:
            start = keys // size ** (n - 1) == bos
            groups.append(continuation[n])
            groups.append((keys[start], counts[start]))
        else:
            groups.append((keys, counts))
        kept_keys, kept_prob = [], []
        for group_keys, kn_counts in groups:
            # raw counts decide pruning
            lower = models.interpolated(n - 1, group_keys % size ** (n - 1))
            prob, d = interpolated_kn(group_keys, kn_counts, size, lower)
            raw_counts = lookup(keys, counts, group_keys, 0)
            kept = raw_counts >= cutoffs[n - 2]
            kept_keys.append(group_keys[kept])
            kept_prob.append(prob[kept])
            discounts.append(f"{d:.3f}")
        all_keys = np.concatenate(kept_keys)
        sort = np.argsort(all_keys)
        models.keys[n], models.prob[n] = all_keys[sort], np.concatenate(kept_prob)[sort]
    for n in range(2, order + 1):
        models.set_backoff(n)
    sizes = ", ".join(f"{len(models.keys[n]):,} {n}-grams" for n in range(2, order + 1))
    print(f"{sizes}, discounts {' '.join(discounts)}", file=sys.stderr)
    arrays = {
        "vocab": np.asarray(vocab),
        "logp1": np.log10(models.prob[1]).astype(np.float32),
        "bow1": np.log10(models.bow[1]).astype(np.float32),
    }
    for n in range(2, order + 1):
        arrays[f"keys{n}_delta"] = np.diff(models.keys[n], prepend=0)
        arrays[f"logp{n}"] = np.log10(models.prob[n]).astype(np.float16)
        if n < order:
            arrays[f"bow{n}"] = np.log10(models.bow[n]).astype(np.float16)
    return arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the lm-corpus folder")
    parser.add_argument("out", type=Path, help="the .npz to write")
    parser.add_argument("--min-count", type=int, default=2, help="rarer tokens become <unk>")
    parser.add_argument(
        "--cutoffs", type=int, nargs="+", default=[1, 1],
        help="n-grams seen fewer times are pruned, from bigrams up; their number sets the order (1 1 2: 4-grams)",
    )  # fmt: skip
    parser.add_argument(
        "--abbreviations", type=Path, help=f"the list to write (default: {ABBREVIATIONS_PATH.name} beside out)"
    )
    parser.add_argument("--abbreviations-only", action="store_true", help="write the abbreviation list, not the model")
    args = parser.parse_args()
    started = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_abbreviations(args.corpus, args.abbreviations or args.out.parent / ABBREVIATIONS_PATH.name)
    if args.abbreviations_only:
        return
    arrays = build(args.corpus, args.min_count, args.cutoffs)
    np.savez_compressed(args.out, **arrays)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
