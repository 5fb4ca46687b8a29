"""How text becomes language-model tokens: lower-case syllables plus a few classes.

Shared by the script that builds the model and by the restorer that queries it,
so both see text the same way. A syllable is its lower-case, NFC, traditional
tone-mark form; everything else falls into a class: numbers, other words
(abbreviations, foreign words), punctuation.
"""

from __future__ import annotations

from vnplan.normalizers.restoration.syllables import is_syllable
from vnplan.normalizers.text import clean_line
from vnplan.normalizers.tokens import LM_TOKENS

BOS, EOS, UNK, NUM, WORD, PUNCT = "<s>", "</s>", "<unk>", "<num>", "<w>", "<p>"
CLASSES = (BOS, EOS, UNK, NUM, WORD, PUNCT)
#: Every this-many-th line of each lm-corpus file is held out of training, for evaluation.
HELD_OUT_EVERY = 100


def lm_token(token: str) -> str:
    """The model's token for one text token (a regex match of :data:`~vnplan.normalizers.tokens.LM_TOKENS`)."""
    if not token[0].isalnum():
        return PUNCT
    if any(c.isdigit() for c in token):
        return NUM
    lower = token.lower()
    return lower if is_syllable(lower) else WORD


def lm_tokens(line: str) -> list[str]:
    """A line of text as the model's tokens (without sentence marks)."""
    return [lm_token(t) for t in LM_TOKENS.findall(clean_line(line))]
