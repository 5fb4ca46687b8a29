"""How Tesseract ``vie`` misreads printed Vietnamese syllables, and what a read syllable may have been.

Learned from pages printed and read by ``scripts/build_ocr_channel.py``: a table
of (printed word, read word, count). A syllable misread keeps its letters but
loses or changes marks: the tone (``tổ`` → ``tố``, ``chi`` → ``chỉ``), a vowel's
hat, breve or horn (``KẾ`` → ``KÉ``, ``CẦU`` → ``CÂU``, ``ơ`` → ``o``), the stroke of
``đ`` (``di`` for ``đi`` and back), or gains a doubled vowel (``PHỐ`` → ``PHÓỎ``).
The table is read as two independent confusions with add-half smoothing: the
syllable's tone, and each letter's modifier; a doubled vowel has its own rate.
Symbols and letters Tesseract wrote for digits (``§`` for ``8``, ``t`` for ``1``) are counted too,
and letters no Vietnamese text holds that it wrote for a Vietnamese letter (``Ð``, the Icelandic
eth, for ``Đ``).

A reading's cost (log10) is how much less likely the read word is from that
syllable than from itself, so the language model must find the syllable that
much likelier to prefer it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from vnplan.normalizers.restoration.syllables import split_tone
from vnplan.normalizers.text import strip_marks

CONFUSIONS_PATH = Path(__file__).parent / "data" / "ocr_confusions.tsv"
#: The letters whose modifier OCR can lose or add, by their bare letter.
FAMILIES = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}
BARE_VOWELS = frozenset("aeiouy")
#: Pseudo-count of every possible confusion never seen.
SMOOTHING = 0.5
#: How many observations a prior channel's rate is worth (see :class:`OcrChannel`).
PRIOR_WEIGHT = 50
DIGITS = frozenset("0123456789")
#: A symbol is taken for a digit only when Tesseract wrote it for one this often (a foreign letter for a
#: Vietnamese letter likewise).
MIN_DIGIT_SLIPS = 2
#: Punctuation around a word, not part of it.
EDGES = re.compile(r"^\W+|\W+$")


class OcrChannel:
    """Confusion rates of tones, letter modifiers and doubled vowels, from (printed, read, count) pairs."""

    doubled_cost: float  # -log10 of the rate at which a vowel is read doubled

    def __init__(self, pairs: Iterable[tuple[str, str, int]], prior: OcrChannel | None = None) -> None:
        """``prior``: a channel whose rates stand in for :data:`PRIOR_WEIGHT` observations of each
        printed tone and letter (for a part of the table, such as words in capitals); without one,
        rates are add-half smoothed."""
        self.prior = prior
        self.tones: Counter[tuple[str | None, str | None]] = Counter()
        self.letters: Counter[tuple[str, str]] = Counter()
        words = doubled = 0
        self.digit_slips: dict[str, Counter[str]] = {}
        self._symbol_kept: Counter[str] = Counter()
        self.letter_slips: dict[str, Counter[str]] = {}
        for printed, read, count in pairs:
            if any(c in DIGITS for c in printed):
                self._count_digit_slips(printed, read, count)
            self._count_letter_slips(printed.lower(), read.lower(), count)
            printed, read = EDGES.sub("", printed.lower()), EDGES.sub("", read.lower())
            if not printed.isalpha():
                continue
            words += count
            if len(read) == len(printed) + 1 and _undoubled(read, printed):
                doubled += count
                continue
            if len(read) != len(printed) or strip_marks(read) != strip_marks(printed):
                continue
            (t_letters, t_tone), (r_letters, r_tone) = split_tone(printed), split_tone(read)
            self.tones[t_tone, r_tone] += count
            for t, r in zip(t_letters, r_letters, strict=True):
                if strip_marks(t) in FAMILIES:
                    self.letters[t, r] += count
        if prior is not None:
            doubled_rate = (doubled + PRIOR_WEIGHT * 10**-prior.doubled_cost) / (words + PRIOR_WEIGHT)
        else:
            doubled_rate = (doubled + SMOOTHING) / (words + SMOOTHING) if words else 0.0
        self.doubled_cost = -math.log10(doubled_rate) if doubled_rate else math.inf
        self._tone_total: Counter[str | None] = Counter()
        for (tone, _), n in self.tones.items():
            self._tone_total[tone] += n
        self._letter_total: Counter[str] = Counter()
        for (letter, _), n in self.letters.items():
            self._letter_total[letter] += n

    def _count_digit_slips(self, printed: str, read: str, count: int) -> None:
        """Count the symbols and letters read for digits (``§`` for ``8``, ``t`` for ``1``), and the same
        symbols and letters printed as themselves beside a digit (``PC04``)."""
        if len(printed) != len(read):
            return
        for i, (t, r) in enumerate(zip(printed, read, strict=True)):
            if r.isdigit() or r.isspace():
                continue
            if t in DIGITS:
                self.digit_slips.setdefault(r.lower(), Counter())[t] += count
            elif t.lower() == r.lower() and _beside_digit(printed, i):
                self._symbol_kept[r.lower()] += count

    def _count_letter_slips(self, printed: str, read: str, count: int) -> None:
        """Count the letters no Vietnamese text holds read in the place of a Vietnamese letter."""
        if len(printed) != len(read):
            return
        for t, r in zip(printed, read, strict=True):
            if r != t and r.isalpha() and not is_vietnamese_letter(r) and is_vietnamese_letter(t):
                self.letter_slips.setdefault(r, Counter())[t] += count

    def letter_for(self, letter: str) -> str | None:
        """The Vietnamese letter that a letter no Vietnamese text holds stands for (``Ð`` for ``Đ``, in
        the letter's case), when Tesseract wrote it for that letter at least :data:`MIN_DIGIT_SLIPS`
        times and for any other letter less than half as often; else None."""
        slips = self.letter_slips.get(letter.lower())
        if not slips or is_vietnamese_letter(letter):
            return None
        (meant, n), *rest = slips.most_common()
        if n < MIN_DIGIT_SLIPS or n < 2 * sum(m for _, m in rest):
            return None
        return meant.upper() if letter.isupper() else meant

    def digit_for(self, symbol: str) -> str | None:
        """The digit a symbol or a letter beside a digit stands for (``§`` for ``8`` in ``0§-CTr``, ``t``
        for ``1`` in ``1t``), when Tesseract wrote it for a digit at least :data:`MIN_DIGIT_SLIPS` times
        and more often than it was printed there (a letter in either case); else None."""
        slips = self.digit_slips.get(symbol.lower())
        if not slips or slips.total() < MIN_DIGIT_SLIPS or slips.total() <= self._symbol_kept[symbol.lower()]:
            return None
        return slips.most_common(1)[0][0]

    def tone_rate(self, printed: str | None, read: str | None) -> float:
        """P(read tone | printed tone) (tone marks, ``None`` for the level tone), smoothed over the six tones."""
        if self.prior is not None:
            prior = self.prior.tone_rate(printed, read)
            return (self.tones[printed, read] + PRIOR_WEIGHT * prior) / (self._tone_total[printed] + PRIOR_WEIGHT)
        return (self.tones[printed, read] + SMOOTHING) / (self._tone_total[printed] + 6 * SMOOTHING)

    def letter_rate(self, printed: str, read: str) -> float:
        """P(read letter | printed letter) within one family (``ê`` read as ``e``), smoothed."""
        if self.prior is not None:
            prior = self.prior.letter_rate(printed, read)
            return (self.letters[printed, read] + PRIOR_WEIGHT * prior) / (self._letter_total[printed] + PRIOR_WEIGHT)
        size = len(FAMILIES.get(strip_marks(printed), printed))
        return (self.letters[printed, read] + SMOOTHING) / (self._letter_total[printed] + size * SMOOTHING)

    def cost(self, printed: str, read: str) -> float:
        """log10 P(read | read printed) - log10 P(read | printed printed), for two spellings of the
        same letters (lower case); ``inf`` when ``read`` cannot come from ``printed``."""
        if len(read) == len(printed) + 1:
            return self.doubled_cost + min(
                (self.cost(printed, shorter) for shorter in undoublings(read)), default=math.inf
            )
        if len(read) != len(printed) or strip_marks(read) != strip_marks(printed):
            return math.inf
        (t_letters, t_tone), (r_letters, r_tone) = split_tone(printed), split_tone(read)
        total = 0.0
        if t_tone != r_tone:
            total += math.log10(self.tone_rate(r_tone, r_tone) / self.tone_rate(t_tone, r_tone))
        for t, r in zip(t_letters, r_letters, strict=True):
            if t != r:
                total += math.log10(self.letter_rate(r, r) / self.letter_rate(t, r))
        return total

    def misread(self) -> int:
        """How many misread syllables the table holds (tone or modifier)."""
        return sum(n for (t, r), n in self.tones.items() if t != r) + sum(
            n for (t, r), n in self.letters.items() if t != r
        )


def is_vietnamese_letter(c: str) -> bool:
    """True for the letters Vietnamese is written with (a-z, their marked forms, đ), in either case."""
    bare = strip_marks(c.lower())
    return len(bare) == 1 and "a" <= bare <= "z"


def _beside_digit(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1] in DIGITS) or (i + 1 < len(text) and text[i + 1] in DIGITS)


def undoublings(word: str) -> list[str]:
    """``word`` without one of two neighbouring vowels of the same letter (``phóỏ`` → ``phó``, ``phỏ``)."""
    out = []
    for i in range(len(word) - 1):
        bare = strip_marks(word[i])
        if bare in BARE_VOWELS and bare == strip_marks(word[i + 1]):
            out += [word[:i] + word[i + 1 :], word[: i + 1] + word[i + 2 :]]
    return list(dict.fromkeys(out))


def _undoubled(read: str, printed: str) -> bool:
    """True when ``read`` is ``printed`` with a vowel doubled (its marks may differ)."""
    return any(strip_marks(w) == strip_marks(printed) for w in undoublings(read))


def load_confusions(path: Path = CONFUSIONS_PATH) -> list[tuple[str, str, int]]:
    """The (printed, read, count) rows of a confusion table file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        printed, read, count = line.split("\t")
        rows.append((printed, read, int(count)))
    return rows


@cache
def ocr_channel() -> OcrChannel:
    """The channel learned from the packaged table, built once per process."""
    return OcrChannel(load_confusions())


@cache
def capitals_channel() -> OcrChannel:
    """The channel for words in capitals (their marks are smaller and misread about twice as often),
    learned from the table's words printed in capitals with :func:`ocr_channel` as the prior."""
    return OcrChannel([row for row in load_confusions() if row[0].isupper()], prior=ocr_channel())
