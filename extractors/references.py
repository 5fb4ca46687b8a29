"""Cited documents (spec section 2): every other document the text cites by number."""

from __future__ import annotations

import re
from datetime import date

from vnplan.extractors.passages import Passage
from vnplan.models.records import Reference
from vnplan.normalizers.dates import parse_date
from vnplan.normalizers.doc_numbers import NUMBER, canonical_number, kind_of_number
from vnplan.normalizers.text import fold

KINDS = (
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Kế hoạch",
    "Thông tư",
    "Thông báo",
    "Công văn",
    "Báo cáo",
    "Đề án",
    "Luật",
)
KIND_BY_KEY = {fold(k): k for k in KINDS}
KIND_BEFORE = re.compile(r"(" + "|".join(KIND_BY_KEY) + r")(?:\s+liên tịch)?\s*(?:so)?\s*[:.]?\s*$")
DATE_FOLLOWS = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày", re.IGNORECASE)
#: Confidence of a reference whose kind was written next to it, and of one whose kind was inferred.
STATED, INFERRED = 0.95, 0.8


def extract_references(
    passages: list[Passage], own_number: str | None = None, own_date: date | None = None
) -> list[Reference]:
    """One reference per distinct number, first mention first; the document itself excluded."""
    found: dict[str, Reference] = {}
    for passage in passages:
        for m in NUMBER.finditer(passage.text):
            number = canonical_number(m.group())
            if number in found:
                continue
            after = passage.text[m.end() : m.end() + 45]
            cited_date = parse_date(after) if DATE_FOLLOWS.match(after) else None
            if number == own_number and (cited_date is None or cited_date == own_date):
                continue
            before = fold(passage.text[max(0, m.start() - 30) : m.start()])
            kind_match = KIND_BEFORE.search(before)
            kind = KIND_BY_KEY[kind_match.group(1).lower()] if kind_match else kind_of_number(number)
            provenance = passage.provenance(m.start(), m.end())
            provenance.confidence = round(provenance.confidence * (STATED if kind_match else INFERRED), 4)
            found[number] = Reference(kind, number, cited_date, provenance)
    return list(found.values())
