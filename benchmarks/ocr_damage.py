"""Synthetic OCR damage modelled on the English-model OCR of a Vietnamese plan (corpus 001).

Marks are lost on nearly every syllable, and a share of syllables suffer one of
the substitutions 001 shows: a marked vowel read as ``é`` (``cấp`` → ``cép``),
digits and symbols for vowels (``số`` → ``s6``, ``Sở`` → ``S&``, ``lên`` →
``1€n``), ``P``/``b`` for ``Đ``/``đ``, ``w``/``ir``/``ii`` for ``ư``/``ữ``,
``ti``/``ui`` for ``ủ``, ``i`` for ``ă``/``â``, ``d`` for a marked ``ô``/``â``,
``g`` for ``ợ``, and a word glued to the number after it (``ngay06``).
Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
import unicodedata

from vnplan.normalizers.text import strip_marks

#: (pattern on the marked lower-case syllable, replacement for the marked part) as 001 shows them.
SUBSTITUTIONS = [
    (r"[ốồổỗộô](?=[^aeiouy]*$)", "6"),
    (r"[ởờớợỡơ]", "&"),
    (r"[ềếểễệ](?=n)", "€"),
    (r"^đ", "b"),
    (r"ư(?=ơ)", "w"),
    (r"[ứừửữự](?=[cmn]|$)", "ir"),
    (r"ữ", "ii"),
    (r"ủ", "ti"),
    (r"ủ", "ui"),
    (r"[ăâ](?=[mn])", "i"),
    (r"[ắằấầậ](?=[cmnp])", "i"),
    (r"[ộấồ]", "d"),
    (r"ợ", "g"),
    (r"[áấ](?=[no])", "4"),
    (r"[ấếốớắ]", "é"),
    (r"[ểệề]", "é"),
]
WORD = re.compile(r"[^\W\d_]+")
GLUE = re.compile(r"(\b[^\W\d_]{2,}) (\d{2})\b")


def _damage_word(word: str, rng: random.Random, rate: float) -> str:
    lower = word.lower()
    options = [(p, r) for p, r in SUBSTITUTIONS if re.search(p, lower)]
    if options and rng.random() < rate:
        pattern, replacement = rng.choice(options)
        damaged = re.sub(pattern, replacement, lower, count=1)
        damaged = strip_marks(damaged.replace("é", "\0")).replace("\0", "é")
    else:
        damaged = strip_marks(lower)
    if word[:1].isupper():
        if lower.startswith("đ") and rng.random() < 0.5:
            damaged = "P" + damaged[1:]
        damaged = damaged.upper() if word.isupper() and len(word) > 1 else damaged[:1].upper() + damaged[1:]
    return damaged


def damage(text: str, seed: int = 0, rate: float = 0.25) -> str:
    """``text`` as an English OCR model might have read it (marks lost, ``rate`` of syllables worse)."""
    rng = random.Random(seed)
    text = unicodedata.normalize("NFC", text)
    out = WORD.sub(lambda m: _damage_word(m.group(), rng, rate), text)
    return GLUE.sub(lambda m: m.group(1) + m.group(2) if rng.random() < 0.3 else m.group(), out)
