"""The syllable trigram model (built by ``scripts/build_language_model.py``), queried in batches.

Back-off form: log10 P(c | a b) is the stored trigram if present, else the
back-off weight of (a, b) plus log10 P(c | b), which is the stored bigram if
present, else the back-off weight of b plus the unigram. N-grams are packed
into one integer ``(a * V + b) * V + c`` and looked up through pandas' hash
index, so a whole lattice of hypotheses is scored with a few vectorised calls.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from normalizers.lm_tokens import BOS, EOS, UNK

MODEL_PATH = Path(__file__).parent / "data" / "syllable_lm.npz"


class LanguageModel:
    """A loaded model: ``ids`` maps tokens to ids, :meth:`score` scores continuations."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as data:
            self.vocab: list[str] = data["vocab"].tolist()
            self.logp1 = data["logp1"].astype(np.float64)
            self.bow1 = data["bow1"].astype(np.float64)
            self.keys2 = pd.Index(np.cumsum(data["keys2_delta"]))
            self.logp2 = data["logp2"].astype(np.float64)
            self.bow2 = data["bow2"].astype(np.float64)
            self.keys3 = pd.Index(np.cumsum(data["keys3_delta"]))
            self.logp3 = data["logp3"].astype(np.float64)
        self.size = len(self.vocab)
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
        size = self.size
        pair = b * size + c
        bigram, has2 = _find(self.keys2, pair)
        lower = np.where(has2, self.logp2[bigram], self.bow1[b] + self.logp1[c])
        context, has_ctx = _find(self.keys2, a * size + b)
        trigram, has3 = _find(self.keys3, (a * size + b) * size + c)
        backed_off = np.where(has_ctx, self.bow2[context], 0.0) + lower
        return np.where(has3, self.logp3[trigram], backed_off)

    def sentence_logprob(self, tokens: list[str]) -> float:
        """log10 P of a whole sentence of model tokens, ``</s>`` included."""
        ids = [self.bos, self.bos, *(self.id(t) for t in tokens), self.eos]
        arr = np.asarray(ids, dtype=np.int64)
        return float(self.score(arr[:-2], arr[1:-1], arr[2:]).sum())


#: Fewer queries than this are answered by binary search: the hash index costs more per call.
SMALL_QUERY = 5000


def _find(keys: pd.Index, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(query) < SMALL_QUERY:
        values = keys.to_numpy()
        at = np.minimum(np.searchsorted(values, query), len(values) - 1)
        return at, values[at] == query
    at = keys.get_indexer(query)
    return at, at >= 0


@cache
def language_model() -> LanguageModel:
    """The packaged model, loaded once per process."""
    return LanguageModel()
