"""The patterns text is cut into tokens by, in one place; each says what it keeps together."""

from __future__ import annotations

import re

#: Runs of letters, no digits: the words whose tone marks are placed by one convention.
LETTERS = re.compile(r"[^\W\d_]+")
#: Runs of letters and digits: the words and numbers the damage measure counts.
WORDS = re.compile(r"[^\W_]+")
#: Words and numbers, and each punctuation mark alone: the language model's tokens.
LM_TOKENS = re.compile(r"[^\W_]+|[^\w\s]")
#: As :data:`LM_TOKENS`, with the symbols Tesseract writes for Vietnamese letters (``&``, ``€``, ``¢``,
#: ``@``, ``|``) kept inside the words they stand in: the restorer's tokens.
OCR_TOKENS = re.compile(r"(?:[^\W_]|[&€¢@|])+|[^\w\s]")
