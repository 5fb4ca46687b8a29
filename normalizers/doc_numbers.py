"""Vietnamese document numbers (``30c/NQ-CP``, ``09/2015/QĐ-TTg``, ``19-ĐA/TU``) and their kinds."""

from __future__ import annotations

import re

_FIRST = r"[A-ZĐ]{2,}\d*"
_PART = r"[A-ZĐ][A-Za-zĐđ]*\d*"
#: A document number as printed; single spaces around separators are tolerated ("14 /CT-UBND").
NUMBER = re.compile(rf"(?<![\w/.,-])\d{{1,5}}[a-zđ]?(?:/\d{{4}})?\s?[/-]\s?{_FIRST}(?:\s?[-/]\s?{_PART})+(?!\w)")
#: Type codes that open a number's code part, and the kind each names (spec section 2).
KIND_OF_CODE = {
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TT": "Thông tư",
    "TB": "Thông báo",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "ĐA": "Đề án",
}
#: Spec doc_type codes for a document's own number.
DOC_TYPE_OF_CODE = {"KH": "KH", "CT": "CT", "QĐ": "QĐ", "BC": "BC", "CV": "CV", "TB": "TB"}
#: Code parts OCR commonly reads without the stroke of Đ.
STROKE_FIXES = {"QD": "QĐ", "ND": "NĐ", "DA": "ĐA", "HDND": "HĐND", "DCT": "ĐCT"}


def canonical_number(raw: str) -> str:
    """Spaces removed and OCR-damaged codes repaired: ``16a/QĐ-HDND`` → ``16a/QĐ-HĐND``."""
    compact = re.sub(r"\s+", "", raw)
    return re.sub(r"[A-Za-zĐđ]+", lambda m: STROKE_FIXES.get(m.group(), m.group()), compact)


def type_code(number: str) -> str | None:
    """The type code of a number: ``KH`` in ``323/KH-UBND`` and in ``48-KH/TU``, None if absent."""
    for part in re.split(r"[/-]", number):
        if part in KIND_OF_CODE:
            return part
        if re.fullmatch(_FIRST, part):
            return None
    return None


def kind_of_number(number: str) -> str:
    """The kind a number implies; a number led by an issuer (``3379/UBND-VX1``) is a Công văn."""
    code = type_code(number)
    return KIND_OF_CODE[code] if code else "Công văn"
