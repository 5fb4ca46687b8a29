"""How damaged is a piece of Vietnamese text? Measured from the words it holds.

Vietnamese as printed carries diacritics on most syllables, and nearly every
lower-case word is a well-formed syllable. Text that lost its marks, or that an
English OCR model made (``s6``, ``ctia``, ``Piém``), has few marked words and
many that are no syllable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from vnplan.normalizers.restoration.abbreviations import abbreviations
from vnplan.normalizers.restoration.syllables import has_marks, is_syllable
from vnplan.normalizers.tokens import WORDS

#: Fewer words than this say too little to judge.
MIN_WORDS = 12
MIN_MARKED_SHARE = 0.35
MAX_INVALID_SHARE = 0.2
#: The last Latin-1 code point: an English OCR model writes ``é``, never ``ệ``.
LATIN_1 = 0xFF


@dataclass(frozen=True)
class Damage:
    """Counts behind the verdict: words judged, share of valid ones marked, share that are no syllable,
    share of valid ones with a letter only Vietnamese writes (beyond Latin-1: ``ệ``, ``ư``, ``đ``, not ``é``),
    share of all words with a mark (``Quyét`` too)."""

    words: int = 0
    marked_share: float = 0.0
    invalid_share: float = 0.0
    vietnamese_share: float = 0.0
    any_marked_share: float = 0.0

    def mangled(self, min_words: int = MIN_WORDS) -> bool:
        """True when there are enough words and too few are marked or too many are no syllable."""
        return self.words >= min_words and (
            self.marked_share < MIN_MARKED_SHARE or self.invalid_share > MAX_INVALID_SHARE
        )


#: What :func:`word_counts` counts: words, invalid, marked, with letters only Vietnamese writes, marked at all.
Counts = tuple[int, int, int, int, int]


@lru_cache(maxsize=65536)
def _word_kind(token: str) -> tuple[bool, bool, bool, bool] | None:
    """What a word counts as: (marked at all, no syllable, a marked syllable, one with a letter only
    Vietnamese writes); None for a word not counted (no letter; capitals that are no syllable)."""
    if not any(c.isalpha() for c in token):
        return None
    if token.isupper() and len(token) > 1 and not is_syllable(token):
        return None
    if any(c.isdigit() for c in token) or not is_syllable(token):
        return has_marks(token), True, False, False
    if has_marks(token):
        return True, False, True, any(ord(c) > LATIN_1 for c in token)
    return False, False, False, False


def measure_damage(text: str) -> Damage:
    """The share of marked and of invalid words; numbers and abbreviations (UBND, HĐND, b/c) are not counted."""
    return damage_of(word_counts(text))


def word_counts(text: str) -> Counts:
    """The counts behind :func:`measure_damage`: words, invalid, marked, with letters only Vietnamese
    writes, marked at all. Those of two texts apart add up to those of the two joined by a line break."""
    words = invalid = marked = vietnamese = any_marked = 0
    for token, count in Counter(WORDS.findall(abbreviations().blank(text))).items():
        kind = _word_kind(token)
        if kind is not None:
            words += count
            any_marked += kind[0] * count
            invalid += kind[1] * count
            marked += kind[2] * count
            vietnamese += kind[3] * count
    return words, invalid, marked, vietnamese, any_marked


def damage_of(*counts: Counts) -> Damage:
    """The damage measure of texts whose :func:`word_counts` are ``counts``, taken together."""
    words, invalid, marked, vietnamese, any_marked = (sum(column) for column in zip((0,) * 5, *counts, strict=True))
    if words == 0:
        return Damage()
    valid = words - invalid
    any_marked_share = round(any_marked / words, 4)
    if not valid:
        return Damage(words, 0.0, round(invalid / words, 4), any_marked_share=any_marked_share)
    return Damage(
        words, round(marked / valid, 4), round(invalid / words, 4), round(vietnamese / valid, 4), any_marked_share
    )
