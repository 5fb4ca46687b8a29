"""Unicode and tone-mark normalisation of Vietnamese text.

Stored text is NFC with one tone-mark convention, the traditional one the
extraction spec uses (``hóa``, ``thủy``, ``khỏe``): in an open syllable ending
in ``oa``, ``oe`` or ``uy`` the mark sits on the first vowel. Case and marks are
never dropped here; :func:`fold` makes lookup keys only.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from vnplan.normalizers.tokens import LETTERS

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def _has_tone(char: str) -> bool:
    return any(c in TONE_MARKS for c in unicodedata.normalize("NFD", char))


def _move_tone(word: str) -> str:
    """Move the mark of an open ``oa``/``oe``/``uy`` syllable onto its first vowel."""
    if len(word) < 2 or not _has_tone(word[-1]):
        return word
    decomposed_last = unicodedata.normalize("NFD", word[-1])
    tone = next(c for c in decomposed_last if c in TONE_MARKS)
    last = unicodedata.normalize("NFC", decomposed_last.replace(tone, ""))
    before = word[-2]
    if (before.lower() + last.lower()) not in ("oa", "oe", "uy") or (len(word) > 2 and word[-3] in "qQ"):
        return word
    return word[:-2] + unicodedata.normalize("NFC", before + tone) + last


def normalize_tone_marks(text: str) -> str:
    """Move tone marks to the traditional position: ``hoá`` → ``hóa``, ``thuỷ`` → ``thủy``."""
    return LETTERS.sub(lambda m: _move_tone(m.group()), text)


def clean_line(text: str) -> str:
    """NFC, traditional tone marks, no invisible characters, single spaces (tabs kept), trimmed."""
    text = nfc(text).translate(INVISIBLE)
    return SPACES.sub(" ", normalize_tone_marks(text)).strip()


def strip_marks(text: str) -> str:
    """Remove diacritics (``đ`` → ``d``); for keys and comparisons, never for stored text."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """A lookup key: no marks, lower case, single spaces."""
    return " ".join(strip_marks(nfc(text)).casefold().split())


@cache
def _fold_char(char: str) -> str:
    return (strip_marks(char).lower() or char)[:1]


@lru_cache(maxsize=16384)
def fold_chars(text: str) -> str:
    """Like :func:`fold` but character for character, so offsets into ``text`` stay valid."""
    return "".join(map(_fold_char, nfc(text)))
