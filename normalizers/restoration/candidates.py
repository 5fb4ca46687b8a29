"""The noisy channel: which syllables a damaged token may have been, and at what cost.

A token that only lost its marks (``cach``) may be any syllable with the same
letters (``cách``, ``cạch``, ``cãch``…), all equally likely here: the language
model chooses. A token an English OCR model mangled (``s6``, ``ctia``,
``Piém``, ``1€n``) is compared with every syllable's unmarked spelling by an
edit distance whose costs follow the damage such OCR does: digits and symbols
for vowels (``6`` for ``ô``, ``&`` for ``ơ``, ``€`` for ``ê``), ``P``/``B`` for
``Đ``, ``w`` or ``ir`` for ``ư``, ``ti``/``ii`` for ``ủ``, a marked vowel read as
another vowel (``cép`` for ``cấp``). Costs are in log10 units, the same scale as
the language model's scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from vnplan.normalizers.restoration.language_model import LanguageModel
from vnplan.normalizers.restoration.lm_tokens import CLASSES
from vnplan.normalizers.restoration.syllables import split_tone
from vnplan.normalizers.text import strip_marks

VOWELS = frozenset("aeiouy")
#: What OCR wrote → the unmarked letters it often stands for.
LOOKALIKES = {
    "6": "o", "0": "o", "8": "aoe", "4": "a", "3": "e", "&": "oe", "€": "e", "¢": "coe", "@": "a",
    "1": "li", "!": "li", "|": "li", "5": "s", "9": "g",
    "w": "u", "p": "d", "b": "do", "d": "aoe", "i": "aul", "g": "o", "e": "c",
}  # fmt: skip
#: Digits and symbols replaced by the letter they most often stand for, to find candidates.
FIRST_LOOKALIKE = str.maketrans({k: v[0] for k, v in LOOKALIKES.items() if not k.isalpha()})
#: Two characters OCR wrote for one letter (``ir`` for ``ư``, ``ti`` for ``ủ``, ``rn`` for ``m``).
PAIRS = {"ir": "u", "ii": "u", "ti": "u", "ui": "u", "tr": "u", "rn": "m", "cl": "d", "li": "h"}
LOOKALIKE_COST = 1.0
PAIR_COST = 1.0
VOWEL_COST = 1.5  # one vowel for another
MARKED_VOWEL_COST = 1.0  # a marked vowel for another: the marks show a vowel was there
OTHER_COST = 3.0
INDEL_COST = 2.5
#: What OCR wrote → the marked letters it stands for: ``tw`` is ``tự``, not ``tu``.
MARK_HINTS = {"w": "ư", "ir": "ư", "ii": "ư", "&": "ơê", "€": "ê", "6": "ôơ", "é": "êâôơă"}
#: A reading without the letter a hint asks for.
HINT_COST = 1.0
#: A toneless reading of a token with a symbol for a vowel.
TONELESS_COST = 0.7
#: Candidates costing more than this are not considered.
MAX_COST = 4.0
#: A marked, well-formed token read as another marking of the same letters.
REMARK_COST = 1.0
#: Keeping a token that is no syllable as it is (a name, a foreign word). The model scores such words
#: as one class, ``<w>``; this cost includes the share one word has of that class.
KEEP_COST = 5.0
#: Readings of a token kept: markings of its own letters, and other spellings.
MAX_MARKINGS = 32
MAX_CANDIDATES = 8
#: Candidates whose cost plus rarity (log10) is this much worse than the best's are not considered.
RANK_RANGE = 4.0


@dataclass(frozen=True)
class Candidate:
    """A syllable (lower case) the token may have been, and the channel cost of that reading."""

    syllable: str
    cost: float


class Channel:
    """Candidate syllables for tokens, from the language model's vocabulary."""

    def __init__(self, model: LanguageModel) -> None:
        self.model = model
        self.by_key: dict[str, list[str]] = {}
        for word in model.vocab:
            if word not in CLASSES:
                self.by_key.setdefault(strip_marks(word), []).append(word)
        for words in self.by_key.values():
            words.sort(key=model.unigram, reverse=True)
        self.deletes: dict[str, set[str]] = {}
        for key in self.by_key:
            for variant in _deletes(key):
                self.deletes.setdefault(variant, set()).add(key)
        self.key_weight = {k: max(model.unigram(w) for w in ws) for k, ws in self.by_key.items()}
        self.candidates = lru_cache(maxsize=200_000)(self._candidates)

    def is_known_key(self, token: str) -> bool:
        """True when ``token``'s letters, unmarked, spell some known syllable."""
        return strip_marks(token.lower()) in self.by_key

    def _candidates(self, token: str, ocr_damage: bool, misread_marks: bool = False) -> tuple[Candidate, ...]:
        """Readings of ``token`` (any case), cheapest first, at most :data:`MAX_CANDIDATES`.

        Where an OCR model wrote marks of its own (``misread_marks``: ``cép``, an English model), a
        token may be a misreading: one no syllable is spelt like (``s6``), and in OCR damage a marked
        or rare one, is read as the spellings it is near, a common one as those one lookalike away
        (``binh`` for ``định``, ``nhin`` for ``nhân``). Text that only lost its marks kept its letters:
        a token is read only as another marking of them (a name, a foreign word, an abbreviation, a
        code spelt like no syllable stays as written: ``Sir``, ``CO2``)."""
        lower = token.lower()
        key = strip_marks(lower)
        marked = lower != key
        found: dict[str, float] = {}
        for word in self.by_key.get(key, ()):
            found[word] = 0.0 if not marked or word == lower else REMARK_COST
        if misread_marks and found and not marked and self.key_weight[key] >= RARE_KEY:
            for near, cost in self.near_keys(lower, LOOKALIKE_COST):
                for word in self.by_key[near]:
                    found.setdefault(word, cost)
        elif (misread_marks or marked) and (not found or (ocr_damage and (marked or self.key_weight[key] < RARE_KEY))):
            # A symbol where a vowel was (s6, chdm, S&) is what a stack of marks turns into: most had a tone.
            stacked = any(not c.isalpha() or c == "d" for c in lower[1:]) or not lower[:1].isalpha()
            hints = [letters for mark, letters in MARK_HINTS.items() if mark in lower]
            for near, cost in self.near_keys(lower):
                for word in self.by_key[near]:
                    base, tone = split_tone(word)
                    extra = TONELESS_COST if stacked and tone is None else 0.0
                    extra += sum(HINT_COST for letters in hints if not any(c in base for c in letters))
                    found.setdefault(word, cost + extra)
        rank = {w: c - self.model.unigram(w) for w, c in found.items()}
        ranked = sorted(found, key=rank.__getitem__)
        worst = rank[ranked[0]] + RANK_RANGE if ranked else 0.0
        markings = [w for w in ranked if strip_marks(w) == key][:MAX_MARKINGS]
        others = [w for w in ranked if strip_marks(w) != key][:MAX_CANDIDATES]
        kept = set(markings + others)
        return tuple(Candidate(w, found[w]) for w in ranked if w in kept and rank[w] <= worst)

    def near_keys(self, lower: str, most: float = MAX_COST) -> list[tuple[str, float]]:
        """Known unmarked spellings within ``most`` of ``lower``, with their costs."""
        probe = strip_marks(lower)
        if not 1 <= len(probe) <= 9:
            return []
        keys: set[str] = set()
        depth = 1 if len(probe) <= 2 else 2  # short words: two deletions would match nearly everything
        for spelling in {probe, probe.translate(FIRST_LOOKALIKE)}:
            for variant in _deletes(spelling, depth):
                keys |= self.deletes.get(variant, set())
        scored = [(k, distance(lower, k)) for k in keys if k != probe]
        return sorted([(k, c) for k, c in scored if c <= most], key=lambda kc: kc[1])


#: A spelling whose commonest syllable is rarer than this (log10) may itself be damage: look further.
RARE_KEY = -4.0
#: In OCR damage, a common spelling read as another one letter lookalike away costs this on top.
COMMON_KEY_COST = 0.5


def _deletes(key: str, depth: int = 2) -> set[str]:
    """``key`` with up to ``depth`` characters removed (never down to nothing)."""
    out = {key}
    for n in range(1, depth + 1):
        if len(key) - n < 1:
            break
        for drop in combinations(range(len(key)), n):
            out.add("".join(c for i, c in enumerate(key) if i not in drop))
    return out


_plain = lru_cache(maxsize=4096)(strip_marks)


@lru_cache(maxsize=65536)
def substitution(written: str, letter: str) -> float:
    """The cost of OCR writing ``written`` (lower case, maybe marked) where ``letter`` (unmarked) was."""
    plain = _plain(written)
    if plain == letter:
        return 0.0
    if letter in LOOKALIKES.get(plain, ""):
        return LOOKALIKE_COST
    if plain in VOWELS and letter in VOWELS:
        return MARKED_VOWEL_COST if plain != written else VOWEL_COST
    return OTHER_COST


def distance(written: str, key: str) -> float:
    """Weighted edit distance from OCR output ``written`` to an unmarked spelling ``key``."""
    m, n = len(written), len(key)
    row = [j * INDEL_COST for j in range(n + 1)]
    before: list[float] = []
    for i in range(1, m + 1):
        current = [i * INDEL_COST] + [0.0] * n
        pair = _plain(written[i - 2 : i]) if i >= 2 else ""
        for j in range(1, n + 1):
            best = min(
                row[j - 1] + substitution(written[i - 1], key[j - 1]),
                row[j] + INDEL_COST,
                current[j - 1] + INDEL_COST,
            )
            if pair in PAIRS and PAIRS[pair] == key[j - 1]:
                best = min(best, before[j - 1] + PAIR_COST)
            current[j] = best
        before, row = row, current
    return row[n]
