"""Abbreviations the restorer leaves as written: ``b/c``, ``Đ/c``, ``V/v``, ``KT.``, ``Q.``, ``PCT``.

The list is not made by hand: ``scripts/build_language_model.py`` finds it in
``../shared/lm-corpus`` by how often each form occurs as written (``make lm``) and
stores it beside the model. Slashed and dotted forms match in any case
(``B/C`` is ``b/c``); runs of capitals only as written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ABBREVIATIONS_PATH = Path(__file__).parent / "data" / "abbreviations.txt"


def load_abbreviations(path: Path = ABBREVIATIONS_PATH) -> list[str]:
    """The abbreviations of the list file (``word<TAB>count`` lines), commonest first."""
    return [line.split("\t", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def abbreviation_pattern(words: list[str]) -> re.Pattern[str]:
    """A pattern for any of ``words`` standing alone: not inside a longer word, a slashed form
    not inside a longer run of slashes (``b/c`` not in ``b/c/d``), a dotted one not in ``K.T.``."""
    marked = [w for w in words if not w.isupper()]
    capitals = [w for w in words if w.isupper()]

    def alternatives(group: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(group, key=len, reverse=True)) or "(?!)"

    return re.compile(
        rf"(?<![\w/.])(?:(?i:{alternatives(marked)})|{alternatives(capitals)})(?![\w/]|\.\w)"
    )


@cache
def abbreviations() -> re.Pattern[str]:
    """The packaged abbreviations as one pattern (see :func:`abbreviation_pattern`)."""
    return abbreviation_pattern(load_abbreviations())


def abbreviation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every abbreviation in ``text``."""
    return [m.span() for m in abbreviations().finditer(text)]
