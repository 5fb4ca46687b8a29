"""The syllable n-gram model (trigrams or 4-grams, built by ``scripts/build_language_model.py``), queried in batches.

Back-off form: log10 P(d | a b c) is the stored 4-gram if present, else the
back-off weight of (a, b, c) plus log10 P(d | b c), which is the stored trigram if present, else
the back-off weight of (b, c) plus log10 P(d | c), and so on down to the unigram. N-grams are packed
into one integer ``(a * V + b) * V + c`` and found by binary search in sorted
order, so a whole lattice of hypotheses is scored with a few vectorised calls.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from vnplan.normalizers.restoration.lm_tokens import BOS, EOS, UNK

MODEL_PATH = Path(__file__).parent / "data" / "syllable_lm.npz"
#: Bigrams are looked up in a bit set of every pair of the vocabulary when it takes at most this many bits
#: (32 MB; the packaged model's 5,237 words take 3.4 MB); else by binary search, as trigrams are.
MAX_PAIR_BITS = 2**28


class LanguageModel:
    """A loaded model: ``ids`` maps tokens to ids, :meth:`score` scores continuations."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as data:
            self.vocab: list[str] = data["vocab"].tolist()
            self.logp1 = data["logp1"].astype(np.float64)
            self.bow1 = data["bow1"].astype(np.float64)
            self.keys2 = np.cumsum(data["keys2_delta"])
            self.logp2 = data["logp2"].astype(np.float64)
            self.bow2 = data["bow2"].astype(np.float64)
            self.keys3 = np.cumsum(data["keys3_delta"])
            self.logp3 = data["logp3"].astype(np.float64)
            #: 3 for a trigram model, 4 for a 4-gram model.
            self.order = 4 if "keys4_delta" in data else 3
            if self.order == 4:
                self.bow3 = data["bow3"].astype(np.float64)
                self.keys4 = np.cumsum(data["keys4_delta"])
                self.logp4 = data["logp4"].astype(np.float64)
        self.size = len(self.vocab)
        self._pairs = _KeySet(self.keys2, self.size * self.size) if self.size**2 <= MAX_PAIR_BITS else None
        self.ids = {w: i for i, w in enumerate(self.vocab)}
        self.bos, self.eos, self.unk = self.ids[BOS], self.ids[EOS], self.ids[UNK]

    def id(self, token: str) -> int:
        """The id of a model token (``<unk>`` for one the model never kept)."""
        return self.ids.get(token, self.unk)

    def unigram(self, token: str) -> float:
        """log10 P(token) on its own."""
        return float(self.logp1[self.id(token)])

    def score(self, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """log10 P(c | a b) for arrays of ids of equal length."""
        lower, _, _ = self.bigrams(b, c)
        _, weight, has_context = self.bigrams(a, b)
        return self.trigrams(a, b, c, weight + lower, self.opens_trigrams(a, b, has_context))[0]

    def bigrams(self, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For pairs of ids: log10 P(c | b); the back-off weight of (b, c) as the context of a
        trigram (0 where the pair is unseen); whether the pair was seen."""
        pairs = b * self.size + c
        found, seen = self._pairs.find(pairs) if self._pairs is not None else _find(self.keys2, pairs)
        lower = np.where(seen, self.logp2[found], self.bow1[b] + self.logp1[c])
        return lower, np.where(seen, self.bow2[found], 0.0), seen

    def opens_trigrams(self, a: np.ndarray, b: np.ndarray, seen: np.ndarray) -> np.ndarray:
        """Whether (a, b) can be the context of a stored trigram: a seen pair, or the sentence start."""
        return seen | ((a == self.bos) & (b == self.bos))

    def trigrams(
        self, a: np.ndarray, b: np.ndarray, c: np.ndarray, backed_off: np.ndarray, context: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For triples of ids: log10 P(c | a b), the stored trigram, looked up only where ``context``
        allows one, else ``backed_off``; the back-off weight of (a, b, c) as the context of a 4-gram
        (0 where it is unseen, or the model has no 4-grams); whether the triple was seen."""
        out, weight, seen = backed_off.copy(), np.zeros(len(a)), np.zeros(len(a), dtype=bool)
        look = np.flatnonzero(context)
        found, hit = _find(self.keys3, (a[look] * self.size + b[look]) * self.size + c[look])
        out[look[hit]] = self.logp3[found[hit]]
        seen[look[hit]] = True
        if self.order == 4:
            weight[look[hit]] = self.bow3[found[hit]]
        return out, weight, seen

    def fourgrams(
        self, a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, backed_off: np.ndarray, context: np.ndarray
    ) -> np.ndarray:
        """log10 P(d | a b c): the stored 4-gram, looked up only where ``context`` (a seen triple (a, b, c))
        allows one, else ``backed_off``."""
        out = backed_off.copy()
        look = np.flatnonzero(context)
        key = ((a[look] * self.size + b[look]) * self.size + c[look]) * self.size + d[look]
        found, hit = _find(self.keys4, key)
        out[look[hit]] = self.logp4[found[hit]]
        return out

    def score4(self, a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
        """log10 P(d | a b c) for arrays of ids of equal length (a 4-gram model)."""
        _, weight, seen = self.trigrams(a, b, c, np.zeros(len(a)), self.opens_trigrams(a, b, self.bigrams(a, b)[2]))
        return self.fourgrams(a, b, c, d, weight + self.score(b, c, d), seen)

    def sentence_logprob(self, tokens: list[str]) -> float:
        """log10 P of a whole sentence of model tokens, ``</s>`` included."""
        ids = [self.bos] * (self.order - 1) + [self.id(t) for t in tokens] + [self.eos]
        arr = np.asarray(ids, dtype=np.int64)
        if self.order == 4:
            return float(self.score4(arr[:-3], arr[1:-2], arr[2:-1], arr[3:]).sum())
        return float(self.score(arr[:-2], arr[1:-1], arr[2:]).sum())


def _find(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query sits in the sorted ``keys``, and whether it is there. The queries are
    searched in sorted order: neighbouring searches then touch the same memory, several times
    faster than a hash lookup of each."""
    order = np.argsort(query)
    wanted = query[order]
    at_sorted = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    at, found = np.empty_like(at_sorted), np.empty(len(query), dtype=bool)
    at[order] = at_sorted
    found[order] = keys[at_sorted] == wanted
    return at, found


class _KeySet:
    """Sorted distinct keys below ``bound`` as a bit set with the count of keys before each 64-bit word:
    a key's place among the keys in constant time (:meth:`find`), as :func:`_find` gives it."""

    def __init__(self, keys: np.ndarray, bound: int) -> None:
        self.size = len(keys)
        self.words = np.zeros(-(-bound // 64), dtype=np.uint64)
        np.bitwise_or.at(self.words, keys >> 6, np.left_shift(np.uint64(1), (keys & 63).astype(np.uint64)))
        counts = np.bitwise_count(self.words).astype(np.int64)
        self.before = np.concatenate([[0], np.cumsum(counts)[:-1]])

    def find(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each query sits among the keys (clipped to the last place), and whether it is one."""
        word, bit = query >> 6, (query & 63).astype(np.uint64)
        bits = self.words[word]
        found = ((bits >> bit) & np.uint64(1)).astype(bool)
        below = bits & ((np.uint64(1) << bit) - np.uint64(1))
        at = self.before[word] + np.bitwise_count(below)
        return np.minimum(at, self.size - 1), found


@cache
def language_model() -> LanguageModel:
    """The packaged model, loaded once per process."""
    return LanguageModel()
