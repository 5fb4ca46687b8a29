"""Abbreviations the restorer leaves as written: ``b/c``, ``Đ/c``, ``V/v``, ``KT.``, ``Q.``, ``PCT``.

The list is not made by hand: ``scripts/build_language_model.py`` finds it in
``../shared/lm-corpus`` by how often each form occurs as written (``make lm``) and
stores it beside the model. Slashed and dotted forms are found in text by their
shape, then looked up, so a long list costs no more than a short one. In text that lost its
marks, a form written like a listed one without its marks takes them back (``d/c`` → ``đ/c``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from vnplan.normalizers.text import strip_marks

ABBREVIATIONS_PATH = Path(__file__).parent / "data" / "abbreviations.txt"


def load_abbreviations(path: Path = ABBREVIATIONS_PATH) -> list[str]:
    """The abbreviations of the list file (``word<TAB>count`` lines), commonest first."""
    return [line.split("\t", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


#: The shape of a slashed or dotted abbreviation standing alone: not inside a longer word, not inside a
#: longer run of slashes (``b/c`` in ``b/c/d``), not one stop of several (``K.T.``).
SHAPE = re.compile(r"(?<![\w/.])(?:[^\W\d_]{1,3}(?:/[^\W\d_]{1,3})+|[^\W\d_]{1,4}\.)(?![\w/]|\.\w)")


#: A run of capitals standing alone (``HDTV``).
CAPITALS = re.compile(r"(?<![\w/.])[^\W\d_a-z]{2,}(?![\w/])")


class Abbreviations:
    """A list of abbreviations, looked up in text: slashed and dotted forms in any case (``B/C`` is
    ``b/c``), runs of capitals as written."""

    def __init__(self, words: list[str]) -> None:
        self.marked = {w.casefold() for w in words if "/" in w or w.endswith(".")}
        self.capitals = {w for w in words if w.isalpha() and w.isupper()}
        #: Each form that lost its marks (``D/c``, ``HDTV``) → the commonest listed form it was
        #: (``Đ/c``, ``HĐTV``), where no listed form is written so.
        self.with_marks: dict[str, str] = {}
        for word in words:
            self.with_marks.setdefault(strip_marks(word), word)
        for word in words:
            self.with_marks.pop(word, None)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every slashed or dotted abbreviation in ``text``."""
        if "/" not in text and "." not in text:
            return []
        return [m.span() for m in SHAPE.finditer(text) if m.group().casefold() in self.marked]

    def lost_marks(self, text: str) -> list[tuple[int, str]]:
        """(start, listed form) of every abbreviation in ``text`` written without the marks of its
        listed form: ``d/c`` → ``đ/c``, ``HDTV`` → ``HĐTV``."""
        found = [(m.start(), self.with_marks.get(m.group())) for m in SHAPE.finditer(text)]
        found += [(m.start(), self.with_marks.get(m.group())) for m in CAPITALS.finditer(text)]
        return [(start, form) for start, form in found if form]

    def blank(self, text: str) -> str:
        """``text`` with its slashed and dotted abbreviations replaced by spaces."""
        for start, end in reversed(self.spans(text)):
            text = text[:start] + " " * (end - start) + text[end:]
        return text


@cache
def abbreviations() -> Abbreviations:
    """The packaged abbreviations."""
    return Abbreviations(load_abbreviations())
