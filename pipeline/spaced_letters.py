"""Letter-spaced words of a text layer joined again: "K Ế  H O Ạ C H" is read as "KẾ HOẠCH".

Headings are often set with their letters spaced apart (character spacing, or a space typed
after each letter), so a PDF's words come out one letter each. On each line, a run of at least
``MIN_RUN`` capitals or digits each standing apart from both neighbours (letters of a word touch)
is such a heading (lower-case letters apart are words of prose, or the last and first words of
two table cells side by side: "người x" | "x 2 ngày"); inside the run, a gap clearly wider than
the narrowest is a space between words. The letters of each word are closed up (each glyph's box
reaches the next, the typed spaces between them dropped), so the words are found as printed, their
boxes where they are.
"""

from __future__ import annotations

from itertools import groupby, pairwise

import pdfplumber

#: So many letters in a row, each apart from the next, are spaced-out letters.
MIN_RUN = 3
#: Letters this far apart (a share of the type size) or more stand apart; touching ones are a word.
APART = 0.08
#: ... and no further apart than this: further, they are separate words or columns.
MAX_GAP = 1.5
#: A gap inside a run wider than this many times its narrowest (plus a twentieth of the type
#: size) is a space between words.
WORD_GAP = 1.5


def _size(char: dict) -> float:
    return float(char.get("size") or (char["bottom"] - char["top"]) or 1.0)


def _apart(left: dict, right: dict) -> bool:
    """Two letters of a line stand apart: a gap between them, but not one of a column's width."""
    gap = right["x0"] - left["x1"]
    return APART * _size(right) <= gap <= MAX_GAP * _size(right)


def _runs(letters: list[dict]) -> list[list[dict]]:
    """The runs of at least MIN_RUN capitals or digits of one line (left to right) each standing apart
    from both its neighbours: one-letter words in a row."""
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(letters)]
    alone = [
        char["text"].isalnum()
        and not char["text"].islower()
        and (k == 0 or gaps[k - 1] >= APART * _size(char))
        and (k == len(letters) - 1 or gaps[k] >= APART * _size(char))
        for k, char in enumerate(letters)
    ]
    runs: list[list[dict]] = []
    for k, char in enumerate(letters):
        if alone[k] and runs and alone[k - 1] and _apart(letters[k - 1], char):
            runs[-1].append(char)
        elif alone[k]:
            runs.append([char])
    return [run for run in runs if len(run) >= MIN_RUN]


def close_letter_spacing(page: pdfplumber.page.Page) -> int:
    """Close up the page's spaced-out letters in place (its ``chars``); how many runs were found."""
    chars = page.chars
    dropped: set[int] = set()
    found = 0
    upright = [c for c in chars if c.get("upright", True)]
    for _, line in groupby(sorted(upright, key=lambda c: (round(c["top"]), c["x0"])), key=lambda c: round(c["top"])):
        ordered = list(line)
        letters = [c for c in ordered if c["text"].strip()]
        for run in _runs(letters):
            found += 1
            gaps = [b["x0"] - a["x1"] for a, b in pairwise(run)]
            limit = WORD_GAP * min(gaps) + 0.05 * max(_size(c) for c in run)
            for (left, right), gap in zip(pairwise(run), gaps, strict=True):
                if gap <= limit:  # letters of one word: close the gap, drop a typed space in it
                    left["x1"], left["width"] = right["x0"], right["x0"] - left["x0"]
                    typed = (c for c in ordered if not c["text"].strip() and left["x0"] < c["x0"] < right["x0"])
                    dropped.update(id(c) for c in typed)
    if dropped:
        chars[:] = [c for c in chars if id(c) not in dropped]
    return found
