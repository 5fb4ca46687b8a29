"""Build the syllable trigram model the diacritic restorer uses, from ../shared/lm-corpus.

    python scripts/build_language_model.py ../shared/lm-corpus normalizers/data/syllable_lm.npz

Interpolated Kneser-Ney (one discount per order, from the count-of-counts),
n-grams below a count cut-off (none by default) pruned and their probability
mass given back to the lower order, written in back-off form: for each n-gram its log10
probability, for each context its log10 back-off weight. Every
:data:`~normalizers.lm_tokens.HELD_OUT_EVERY`-th line of each file is left out,
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

from normalizers.abbreviations import ABBREVIATIONS_PATH
from normalizers.lm_tokens import BOS, CLASSES, EOS, HELD_OUT_EVERY, UNK, lm_tokens
from normalizers.syllables import is_syllable
from normalizers.text import nfc

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
    counts: dict[str, int] = {}
    for tokens in lines:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    words = sorted(w for w, c in counts.items() if c >= min_count and w not in CLASSES)
    vocab = [*CLASSES, *words]
    index = {w: i for i, w in enumerate(vocab)}
    unk, bos, eos = index[UNK], index[BOS], index[EOS]
    stream: list[int] = []
    for tokens in lines:
        stream += [bos, bos, *(index.get(t, unk) for t in tokens), eos]
    return vocab, np.asarray(stream, dtype=np.int64)


def ngram_counts(ids: np.ndarray, order: int, size: int, bos: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted packed keys of the n-grams that do not end in ``<s>``, and their counts."""
    n = len(ids) - order + 1
    key = np.zeros(n, dtype=np.int64)
    for k in range(order):
        key = key * size + ids[k : k + n]
    key = key[ids[order - 1 : order - 1 + n] != bos]
    return np.unique(key, return_counts=True)


def discount(counts: np.ndarray) -> float:
    """Kneser-Ney's discount ``n1 / (n1 + 2 n2)``."""
    n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
    return float(n1 / (n1 + 2 * n2))


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


def build(corpus: Path, min_count: int, cutoff2: int, cutoff3: int) -> dict[str, np.ndarray]:
    """The model's arrays (see the module docstring)."""
    vocab, ids = token_stream(corpus, min_count)
    size = len(vocab)
    bos = vocab.index(BOS)
    print(f"{len(ids):,} tokens, vocabulary {size:,}", file=sys.stderr)
    tri_keys, tri_counts = ngram_counts(ids, 3, size, bos)
    big_keys, big_counts = ngram_counts(ids, 2, size, bos)
    del ids

    # Continuation counts: for the bigram (b, c) the number of distinct a before it; for c, of distinct b.
    tri_suffix = tri_keys % (size * size)
    big_cont_keys, big_cont = np.unique(tri_suffix, return_counts=True)
    not_start = big_cont_keys // size != bos
    big_cont_keys, big_cont = big_cont_keys[not_start], big_cont[not_start]
    uni_cont = np.bincount(big_keys % size, minlength=size).astype(np.float64)
    uni_cont[bos] = 0
    p1 = (uni_cont + 1.0) / (uni_cont.sum() + size)  # add-one keeps every word possible

    # Bigrams: interpolated KN on continuation counts.
    p2_all, d2 = interpolated_kn(big_cont_keys, big_cont, size, p1[big_cont_keys % size])
    kept2 = big_counts[np.searchsorted(big_keys, big_cont_keys)] >= cutoff2
    # (<s>, c) bigrams have no continuation count; their raw counts stand in.
    start = big_keys // size == bos
    s_keys, s_counts = big_keys[start], big_counts[start].astype(np.float64)
    ds = discount(big_counts[start])
    s_total, s_types = s_counts.sum(), len(s_counts)
    s_p = (s_counts - ds).clip(0) / s_total + ds * s_types / s_total * p1[s_keys % size]
    s_kept = big_counts[start] >= cutoff2
    keys2 = np.concatenate([big_cont_keys[kept2], s_keys[s_kept]])
    prob2 = np.concatenate([p2_all[kept2], s_p[s_kept]])
    order = np.argsort(keys2)
    keys2, prob2 = keys2[order], prob2[order]

    # Trigrams: interpolated KN on raw counts.
    lower = backoff_prob(keys2, prob2, None, p1, tri_suffix, size)
    p3_all, d3 = interpolated_kn(tri_keys, tri_counts, size, lower)
    kept3 = tri_counts >= cutoff3
    keys3, prob3 = tri_keys[kept3], p3_all[kept3]

    # Back-off weights that make each context's distribution sum to one after pruning.
    bow1 = np.ones(size)
    ctx_of2 = keys2 // size
    ctxs = np.unique(ctx_of2)
    kept_mass = group_sums(ctx_of2, prob2, ctxs)
    lower_mass = group_sums(ctx_of2, p1[keys2 % size], ctxs)
    bow1[ctxs] = (1 - kept_mass).clip(1e-9) / (1 - lower_mass).clip(1e-9)
    bow2 = np.ones(len(keys2))
    ctx_of3 = keys3 // size
    ctxs = np.unique(ctx_of3)
    kept_mass = group_sums(ctx_of3, prob3, ctxs)
    lower_mass = group_sums(ctx_of3, backoff_prob(keys2, prob2, bow1, p1, keys3 % (size * size), size), ctxs)
    at = np.searchsorted(keys2, ctxs)
    bow2[at] = (1 - kept_mass).clip(1e-9) / (1 - lower_mass).clip(1e-9)
    print(f"{len(keys2):,} bigrams, {len(keys3):,} trigrams, discounts {d2:.3f} {d3:.3f}", file=sys.stderr)
    return {
        "vocab": np.asarray(vocab),
        "logp1": np.log10(p1).astype(np.float32),
        "bow1": np.log10(bow1).astype(np.float32),
        "keys2_delta": np.diff(keys2, prepend=0),
        "logp2": np.log10(prob2).astype(np.float16),
        "bow2": np.log10(bow2).astype(np.float16),
        "keys3_delta": np.diff(keys3, prepend=0),
        "logp3": np.log10(prob3).astype(np.float16),
    }


def backoff_prob(keys2, prob2, bow1, p1, pairs, size) -> np.ndarray:
    """P(c | b) for packed (b, c) ``pairs``: the stored bigram, else the back-off to the unigram."""
    found = lookup(keys2, prob2, pairs, -1.0)
    weight = 1.0 if bow1 is None else bow1[pairs // size]
    return np.where(found >= 0, found, weight * p1[pairs % size])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the lm-corpus folder")
    parser.add_argument("out", type=Path, help="the .npz to write")
    parser.add_argument("--min-count", type=int, default=2, help="rarer tokens become <unk>")
    parser.add_argument("--cutoff2", type=int, default=1, help="bigrams seen fewer times are pruned")
    parser.add_argument("--cutoff3", type=int, default=1, help="trigrams seen fewer times are pruned")
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
    arrays = build(args.corpus, args.min_count, args.cutoff2, args.cutoff3)
    np.savez_compressed(args.out, **arrays)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
