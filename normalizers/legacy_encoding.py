"""Pre-Unicode Vietnamese text: TCVN3 (ABC, the ``.VnTime`` fonts) and VNI (the ``VNI-Times`` fonts).

Archives from before about 2010 hold text typed in 8-bit font encodings. Word, RTF
and PDF hand it over as the Latin-1 characters of its bytes: TCVN3 ``B¸o c¸o`` is
``Báo cáo``; VNI writes a letter and a mark as two characters, ``Baùo caùo``.

Which encoding a run of text is in is told by its font when the font is known
(``.VnTime``, ``.VnTimeH``, ``VNI-Times``…) and otherwise by the text itself: the
reading under which more of its words are Vietnamese syllables wins, and the text
is left as it is unless a legacy reading is clearly better. Text holding any
character only Unicode Vietnamese has (``ư ơ đ ạ``…) is never touched.

The ``.VnTimeH`` family of fonts draws every letter as a capital: text in them is
upper-cased after conversion, as it was printed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from vnplan.normalizers.restoration.syllables import is_syllable


class Encoding(StrEnum):
    """The encoding a run of text was typed in."""

    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"


# TCVN 5712:1993 (VN3, the ABC fonts) from byte 0xA1 on: the lower-case letters and the seven
# capitals the fonts have, plus the capitals of the full table (VN1) that fall in 0xA0–0xFF.
# Bytes 0x80–0x9F (VN1 capitals) are not mapped: Word and PDFs give them as cp1252 punctuation
# (“ ” – …) that legacy documents use as such. 0xB0–0xB4 (VN1 combining marks) are left alone too.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ",
    0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}  # fmt: skip
#: Characters PDF fonts map TCVN3 bytes to (0xAD "hyphen" → minus, 0xB7 "periodcentered" → bullet).
_TCVN3_PDF_ALIASES = {"\u2212": 0xAD, "\u2219": 0xB7}
TCVN3 = {chr(b): u for b, u in _TCVN3_BYTES.items()} | {a: _TCVN3_BYTES[b] for a, b in _TCVN3_PDF_ALIASES.items()}

# VNI for Windows: a base letter followed by a mark character; a few letters are one character.
VNI_SINGLE = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}  # fmt: skip
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    bases = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "i": "i", "ô": "ơ", "ö": "ư"}
    for key, letter in bases.items():
        groups = [(_TONES, "")]
        if key in "aeo":
            groups.append((_CIRCUMFLEX, "\u0302"))
        if key == "a":
            groups.append((_BREVE, "\u0306"))
        for marks, shape in groups:
            for mark, tone in marks.items():
                if key == "i" and shape == "" and mark != "ï":
                    continue  # i's tones are single characters (í ì æ ó ò); only "iï" is seen as ị
                lower = unicodedata.normalize("NFC", letter + shape + tone)
                for k, m in ((key, mark), (key.upper(), mark.upper()), (key.upper(), mark), (key, mark.upper())):
                    pairs[k + m] = lower.upper() if k.isupper() else lower
    # The shape and the tone typed as two marks: "eâ" + "ï" is "ệ", as "eä" is.
    for key, shape, combining in (
        ("a", "â", "\u0302"),
        ("e", "â", "\u0302"),
        ("o", "â", "\u0302"),
        ("a", "ê", "\u0306"),
    ):
        for tone_mark, tone in _TONES.items():
            lower = unicodedata.normalize("NFC", key + combining + tone)
            for k, sm, tm in itertools.product(
                (key, key.upper()), {shape, shape.upper()}, {tone_mark, tone_mark.upper()}
            ):
                pairs[k + sm + tm] = lower.upper() if k.isupper() else lower
    return pairs


#: VNI letter-and-mark sequences (two characters, or three when shape and tone are typed apart).
VNI_PAIRS = _vni_pairs()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, [*VNI_PAIRS, *VNI_SINGLE]), key=len, reverse=True)))

#: Characters only Unicode Vietnamese text holds; a run with any of them is never converted.
UNICODE_VIETNAMESE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
#: Characters a legacy encoding puts in text (Latin-1 letters and signs, and the PDF aliases).
LEGACY_CHAR = re.compile("[\u00a0-\u00ff\u2212\u2219]")
#: Latin-1 letters that Unicode Vietnamese uses as they are.
VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
#: Characters each encoding writes letters with that Unicode Vietnamese never has in a word (``¸ µ ®``; ``ø ï ñ``).
SIGNATURES = {
    Encoding.TCVN3: frozenset(TCVN3) - VIETNAMESE_LATIN1,
    Encoding.VNI: frozenset("".join(VNI_SINGLE) + "".join(_TONES) + "".join(_CIRCUMFLEX) + "".join(_BREVE)).union(
        c.upper() for c in "".join(_TONES) + "".join(_CIRCUMFLEX) + "".join(_BREVE)
    )
    - VIETNAMESE_LATIN1,
}
#: Without a font name, a legacy reading needs its signature characters in this share of the words,
#: and to make at least this many more words syllables than the text as it is.
MIN_SIGNATURE_SHARE = 0.25
MIN_GAIN = 3
#: VNI pairs that are also Unicode Vietnamese written with the old tone placement (hoá, hoà, ngoã).
OLD_STYLE_PAIRS = frozenset({"oá", "oà", "oã"})
EDGE = re.compile(r"^[^\w\u00a0-\u00ff\u2212\u2219]+|[^\w\u00a0-\u00ff\u2212\u2219]+$")
#: A font name's subset prefix in a PDF (``ABCDEF+.VnTime``) and its style suffixes.
SUBSET = re.compile(r"^[A-Z]{6}\+")
STYLE = re.compile(r"(?:[,\-\s]*(?:bold|italic|oblique|regular|normal))+$", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """How to read a run of text: its encoding, and whether its font draws every letter as a capital."""

    encoding: Encoding = Encoding.UNICODE
    upper: bool = False

    @property
    def legacy(self) -> bool:
        return self.encoding is not Encoding.UNICODE


UNICODE = Reading()


def font_reading(fontname: str | None) -> Reading | None:
    """What a font's name says: ``.VnTime`` → TCVN3, ``.VnTimeH`` → TCVN3 in capitals, ``VNI-Times`` → VNI;
    None when the name says nothing (a Unicode font or no name)."""
    if not fontname:
        return None
    name = SUBSET.sub("", fontname.strip())
    if re.match(r"vni[-_ ]", name, re.IGNORECASE):
        return Reading(Encoding.VNI)
    if re.match(r"\.?vn(?!i)", name, re.IGNORECASE):
        bare = STYLE.sub("", name)
        return Reading(Encoding.TCVN3, upper=bare.endswith("H"))
    return None


def decode_tcvn3(text: str) -> str:
    """TCVN3 text (as its Latin-1 characters) in Unicode."""
    return "".join(TCVN3.get(c, c) for c in text)


def decode_vni(text: str) -> str:
    """VNI text (as its Latin-1 characters) in Unicode."""
    return _VNI_PATTERN.sub(lambda m: VNI_PAIRS.get(m.group()) or VNI_SINGLE[m.group()], text)


def decode(text: str, reading: Reading) -> str:
    """``text`` in Unicode under ``reading``; text already holding Unicode Vietnamese is returned as it is."""
    if not reading.legacy or UNICODE_VIETNAMESE.search(text) or not LEGACY_CHAR.search(text):
        return text
    out = decode_tcvn3(text) if reading.encoding is Encoding.TCVN3 else decode_vni(text)
    return out.upper() if reading.upper else out


def _candidates(text: str) -> list[str]:
    """The words whose reading depends on the encoding: with a legacy character, without Unicode Vietnamese."""
    words = (EDGE.sub("", w) for w in text.split())
    return [w for w in words if w and LEGACY_CHAR.search(w) and not UNICODE_VIETNAMESE.search(w)]


def _valid(words: list[str]) -> int:
    return sum(is_syllable(w) for w in words)


def detect(text: str, hint: Reading | None = None) -> Reading:
    """How to read ``text``: the font's ``hint`` unless it makes fewer of its words syllables than the text
    as it is; without one, the legacy reading under which clearly more words are syllables, when enough
    words hold characters only that encoding writes letters with (OCR slips like ``véi`` do not); else Unicode.

    Without a hint, text in which Unicode Vietnamese is common (a tenth or more of its marked words) is Unicode.
    """
    words = _candidates(text)
    if not words:
        return UNICODE
    as_is = _valid(words)
    scores = {
        Encoding.TCVN3: _valid([decode_tcvn3(w) for w in words]),
        Encoding.VNI: _valid([decode_vni(w) for w in words]),
    }
    if hint is not None and hint.legacy and scores[hint.encoding] >= as_is:
        return hint  # runs of the font holding Unicode Vietnamese are still left alone by decode()
    unicode_words = sum(bool(UNICODE_VIETNAMESE.search(w)) for w in text.split())
    if unicode_words >= 0.1 * (unicode_words + len(words)):
        return UNICODE
    best = max(scores, key=lambda e: scores[e])
    signed = sum(_signed(w, best) for w in words)
    clearly_better = scores[best] - as_is >= max(MIN_GAIN, 0.2 * len(words)) and scores[best] >= 0.5 * len(words)
    return Reading(best) if clearly_better and signed >= MIN_SIGNATURE_SHARE * len(words) else UNICODE


def _signed(word: str, encoding: Encoding) -> bool:
    """True when ``word`` holds what only ``encoding`` writes letters with: a TCVN3 letter code that is no
    Vietnamese letter (``¸ µ ®``), a VNI mark character (``ø ï ñ``) or a VNI letter-and-mark pair
    (``aù``, ``eâ``; not ``oá``, which is old-style Unicode ``hoá``)."""
    if any(c in SIGNATURES[encoding] for c in word):
        return True
    if encoding is Encoding.VNI:
        pairs = (m.group() for m in _VNI_PATTERN.finditer(word))
        return any(p in VNI_PAIRS and p.lower() not in OLD_STYLE_PAIRS for p in pairs)
    return False


def readings_by_font(runs: Iterable[tuple[str, str | None]]) -> dict[str | None, Reading]:
    """One reading per font over all of the document's (or page's) text in that font: runs of
    ``(text, fontname)``. Judging a font on all its text makes one-word runs safe to convert."""
    texts: dict[str | None, list[str]] = {}
    for text, font in runs:
        texts.setdefault(font, []).append(text)
    return {font: detect(" ".join(parts), font_reading(font)) for font, parts in texts.items()}


def convert_runs(runs: list[tuple[str, str | None]]) -> list[str]:
    """Every run's text in Unicode, each read by what its font's text says (a document can mix encodings)."""
    readings = readings_by_font(runs)
    return [decode(text, readings[font]) for text, font in runs]


def decode_glyphs(glyphs: list[str], reading: Reading) -> list[str]:
    """Glyph by glyph (a PDF's characters, in order): each one's text in Unicode under ``reading``; a VNI
    mark joined to the letter before it leaves an empty string in its place, so positions stay aligned."""
    if not reading.legacy:
        return list(glyphs)
    out = list(glyphs)
    if reading.encoding is Encoding.TCVN3:
        out = [TCVN3.get(g, g) for g in glyphs]
    else:
        k = 0
        while k < len(out):
            for length in (3, 2, 1):
                joined = "".join(out[k : k + length])
                letter = VNI_PAIRS.get(joined) if length > 1 else VNI_SINGLE.get(joined, joined)
                if letter is not None and k + length <= len(out):
                    out[k : k + length] = [letter] + [""] * (length - 1)
                    k += length
                    break
    return [g.upper() for g in out] if reading.upper else out
