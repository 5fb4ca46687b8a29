"""Is a page's text layer trustworthy? Judged from the words it holds.

Vietnamese as printed carries diacritics on most syllables, and nearly every
lower-case word is a well-formed syllable. A layer made by an English OCR model
(or text that lost its marks) has few marked words and many non-syllables
(``s6``, ``ctia``, ``Piém``).
"""

from __future__ import annotations

import re

from models.document import LayerVerdict
from normalizers.syllables import has_marks, is_syllable

TOKEN = re.compile(r"[^\W_]+")
#: Fewer words than this say too little to judge: the layer is taken as it is.
MIN_WORDS = 12
MIN_MARKED_SHARE = 0.35
MAX_INVALID_SHARE = 0.2


def judge_text_layer(text: str) -> LayerVerdict:
    """The verdict on a page's text: ``good``, ``mangled`` or ``missing``, with its measures."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return LayerVerdict("missing")
    words = invalid = marked = 0
    for token in tokens:
        letters = any(c.isalpha() for c in token)
        if not letters:
            continue  # numbers say nothing about the layer
        if token.isupper() and len(token) > 1 and not is_syllable(token):
            continue  # abbreviations: UBND, CCHC, HĐND
        words += 1
        if any(c.isdigit() for c in token) or not is_syllable(token):
            invalid += 1
        elif has_marks(token):
            marked += 1
    if words == 0:
        return LayerVerdict("good")
    valid = words - invalid
    verdict = LayerVerdict(
        "good",
        marked_share=round(marked / valid, 4) if valid else 0.0,
        invalid_share=round(invalid / words, 4),
        words=words,
    )
    if words >= MIN_WORDS and (verdict.marked_share < MIN_MARKED_SHARE or verdict.invalid_share > MAX_INVALID_SHARE):
        verdict.status = "mangled"
    return verdict
