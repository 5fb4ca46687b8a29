"""Scores stated in prose (spec section 6): "Tiêu chí 3.4.1 “…”: 1,4628/1,5 điểm".

Matched on folded text, so it also finds them in OCR that lost its marks
("Tiéu chi 3.4.1 … 1,4628/1,5 diém").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from vnplan.extractors.passages import Passage
from vnplan.models.records import Score
from vnplan.normalizers.numbers import parse_number
from vnplan.normalizers.text import fold_chars

CRITERION_POINTS = re.compile(
    r"tieu chi(?: thanh phan)?\s+(\d+(?:\.\d+)+)\b(.{0,400}?)(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*diem",
    re.DOTALL,
)
PROSE_CONFIDENCE = 0.8


def extract_prose_scores(passages: list[Passage]) -> list[Score]:
    """One score per criterion whose points the text states, first statement first.

    Statements may run over several blocks (OCR lines are often blocks of their own), so the
    body is searched as one text and each match is traced back to the block it starts in.
    """
    starts, parts, pos = [], [], 0
    for passage in passages:
        starts.append(pos)
        parts.append(passage.text)
        pos += len(passage.text) + 1
    text = " ".join(parts)
    folded = fold_chars(text)
    scores: dict[str, Score] = {}
    for m in CRITERION_POINTS.finditer(folded):
        code = m.group(1)
        achieved, maximum = parse_number(m.group(3)), parse_number(m.group(4))
        if code in scores or achieved is None or maximum is None or achieved > maximum:
            continue
        k = bisect_right(starts, m.start()) - 1
        passage, offset = passages[k], starts[k]
        provenance = passage.provenance(m.start() - offset, min(len(passage.text), m.end() - offset))
        provenance.confidence = round(PROSE_CONFIDENCE * provenance.confidence, 4)
        name = " ".join(text[m.start(2) : m.end(2)].split()).strip(" :;,.-“”\"'™")
        scores[code] = Score(code, name or None, maximum, achieved, round(maximum - achieved, 4), provenance)
    return list(scores.values())
