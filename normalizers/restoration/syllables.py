"""Well-formed Vietnamese syllables: onset + rhyme + at most one tone, by the spelling rules.

Used to judge whether text is Vietnamese as printed (a text layer made by an
English OCR model is full of words that are not syllables: ``s6``, ``cép``,
``ctia``) and, by the restorer, to enumerate candidate syllables.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip
_RHYMES = """
a ai ao au ay am an ang anh ap at ac ach
ăm ăn ăng ăp ăt ăc
âu ây âm ân âng âp ât âc
e eo em en eng ep et ec
ê êu êm ên ênh êp êt êch
i ia iu im in inh ip it ich
iêu iêm iên iêng iêp iêt iêc
o oi om on ong op ot oc oong ooc
ô ôi ôm ôn ông ôp ôt ôc
ơ ơi ơm ơn ơp ơt
u ui um un ung up ut uc
ư ưi ưu ưm ưn ưng ưt ưc
ưa ươi ươu ươm ươn ương ươp ươt ươc
ua uôi uôm uôn uông uôt uôc
y yêu yêm yên yêt ynh ych
oa oai oay oam oan oang oanh oap oat oac oach
oăm oăn oăng oăt oăc
oe oeo oem oen oet
uân uâng uât uây
uê uênh uêch uên uêt
uy uya uyu uyn uynh uyt uych uyên uyêt
uơ
"""
RHYMES = frozenset(_RHYMES.split())
STOP_CODAS = ("p", "t", "c", "ch")


def split_tone(syllable: str) -> tuple[str, str | None]:
    """(the syllable without its tone mark, the tone mark or None); NFC in, NFC out."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return base, (tones[0] if len(tones) == 1 else ("?" if tones else None))


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable."""
    base, tone = split_tone(word.lower())
    if tone == "?" or not base.isalpha():
        return False
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and rhyme == "":
            rhyme = "i"
        if onset == "qu" and rhyme.startswith("u"):
            continue
        if rhyme in RHYMES and (tone in (None, "\u0301", "\u0323") or not rhyme.endswith(STOP_CODAS)):
            return True
        if onset == "gi" and "i" + rhyme in RHYMES:  # gìn, giêng
            return True
    return False


def is_written_syllable(word: str) -> bool:
    """True when ``word`` is a syllable as Vietnamese prints it: well formed, and a stop coda (p, t, c,
    ch) only under the sắc or nặng tone (``quốc``, never ``quôc``). :func:`is_syllable` also takes
    the level tone there, as text that lost its marks writes it (``cac`` for ``các``)."""
    if not is_syllable(word):
        return False
    base, tone = split_tone(word.lower())
    return tone is not None or not base.endswith(STOP_CODAS)


def has_marks(word: str) -> bool:
    """True when the word carries any Vietnamese diacritic (a tone, ă â ê ô ơ ư, or đ)."""
    return not word.isascii()
