"""Where a read text's syllable errors are, by kind.

The syllables of the transcript and of the read text are aligned exactly as
``shared/eval/score_text.py`` aligns them (on their forms without marks); every transcript
syllable that is not reproduced is one error, put in one kind:

- ``tone``, ``hat/breve/horn``, ``đ/d``, ``several marks``: aligned with a syllable of the same
  letters whose marks differ (only the tone, only a letter's modifier, only the stroke of đ, more);
- ``split/joined``: in a run of syllables replaced by others that are the same letters with the
  spaces elsewhere (``phát triển`` read ``phát tri ển``, ``nguy hiểm`` read ``nguyhiểm``);
- ``numbers and codes``: in a replaced run where either side holds a digit (``08`` read ``0§``);
- ``letters``: one syllable replaced by one that differs in a letter or two (``UBND``, ``UBNB``);
- ``moved``: a run of two or more syllables missing here that the read text holds elsewhere (a
  table read out of order, a column read after another);
- ``missing``: missing from the read text (a stamp, a cell, a line it did not see);
- ``other``: anything else (a run read as other words).

Read syllables with no counterpart in the transcript (a stamp's hallucinated text) cost no
syllable accuracy and are counted apart, as ``extra``.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz.distance import Levenshtein

from vnplan.normalizers.restoration.syllables import split_tone
from vnplan.normalizers.text import strip_marks

KINDS = (
    "tone", "hat/breve/horn", "đ/d", "several marks", "split/joined", "numbers and codes", "letters",
    "moved", "missing", "other",
)  # fmt: skip
#: A run this long missing from one place and found in the read text elsewhere was moved.
MOVED_MIN = 2


def error_kinds(scorer, truth: str, read: str) -> Counter[str]:
    """How many of the transcript's syllables the read text gets wrong, by kind (and ``extra``)."""
    rs, ps = scorer.syllables(truth), scorer.syllables(read)
    rb, pb = [scorer.strip_marks(s) for s in rs], [scorer.strip_marks(s) for s in ps]
    kinds: Counter[str] = Counter()
    ops = _merged(Levenshtein.opcodes(rb, pb))
    inserted = " ".join(" ".join(pb[j1:j2]) for tag, _, _, j1, j2 in ops if tag != "equal")
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if rs[i] != ps[j]:
                    kinds[mark_kind(rs[i], ps[j])] += 1
        elif i1 == i2:
            kinds["extra"] += j2 - j1
        elif j1 == j2:
            run = " ".join(rb[i1:i2])
            kinds["moved" if i2 - i1 >= MOVED_MIN and run in inserted else "missing"] += i2 - i1
        else:
            kinds[_replaced_kind(rb[i1:i2], pb[j1:j2])] += i2 - i1
            kinds["extra"] += max(0, (j2 - j1) - (i2 - i1))
    return kinds


def _merged(ops) -> list[tuple[str, int, int, int, int]]:
    """The alignment with each run of neighbouring edits (replace, delete, insert) made one edit, so a
    word split or joined (``kế hoạch`` read ``kếhoạch``: a replace and a delete) is seen whole."""
    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if out and tag != "equal" and out[-1][0] != "equal":
            _, a1, _, b1, _ = out[-1]
            out[-1] = ("edit", a1, i2, b1, j2)
        else:
            out.append((tag if tag == "equal" else "edit", i1, i2, j1, j2))
    return out


def mark_kind(printed: str, read: str) -> str:
    """Which marks differ between two spellings of the same letters."""
    (p_letters, p_tone), (r_letters, r_tone) = split_tone(printed), split_tone(read)
    if p_letters == r_letters:
        return "tone"
    if p_tone != r_tone or len(p_letters) != len(r_letters):
        return "several marks"
    stroke = [strip_marks(a) == "d" for a, b in zip(p_letters, r_letters, strict=True) if a != b]
    return "đ/d" if all(stroke) else "hat/breve/horn" if not any(stroke) else "several marks"


def _replaced_kind(printed: list[str], read: list[str]) -> str:
    if "".join(printed) == "".join(read):
        return "split/joined"
    if any(c.isdigit() for c in "".join(printed + read)):
        return "numbers and codes"
    if len(printed) == len(read) == 1 and Levenshtein.distance(printed[0], read[0]) <= 2 < len(printed[0]) + 1:
        return "letters"
    return "other"


def print_kinds(title: str, rows: dict[str, Counter[str]]) -> None:
    """One line per read text: its errors by kind."""
    print(f"\n{title} | " + " | ".join(KINDS) + " | all | extra")
    for name, kinds in rows.items():
        print(f"{name} | " + " | ".join(str(kinds[k]) for k in KINDS) + f" | {sum(kinds[k] for k in KINDS)}"
              f" | {kinds['extra']}")  # fmt: skip
