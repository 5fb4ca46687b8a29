"""Text, date and document-number normalisation."""

from datetime import date

import pytest

from vnplan.normalizers.dates import parse_date
from vnplan.normalizers.doc_numbers import NUMBER, canonical_number, kind_of_number, type_code
from vnplan.normalizers.text import clean_line, fold, normalize_tone_marks, strip_marks


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("hoá", "hóa"),
        ("Hoá", "Hóa"),
        ("HOÁ", "HÓA"),
        ("thuỷ", "thủy"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("toà án", "tòa án"),
        ("Thuỵ", "Thụy"),
        # already right, or not an open oa/oe/uy syllable: untouched
        ("hóa", "hóa"),
        ("hoàn thành", "hoàn thành"),
        ("quý", "quý"),
        ("Quý IV", "Quý IV"),
        ("thuế", "thuế"),
        ("giá", "giá"),
        ("luỹ kế", "lũy kế"),
    ],
)
def test_tone_marks_use_one_convention(given: str, expected: str) -> None:
    assert normalize_tone_marks(given) == expected


def test_clean_line_is_nfc_and_keeps_case_and_tabs() -> None:
    decomposed = "Ho\u0301a\u00a0 \u200bBÌNH\tSo\u0302\u0301"
    assert clean_line(decomposed) == "Hóa BÌNH\tSố"


def test_fold_is_for_keys_only() -> None:
    assert fold("Sở Nội vụ") == "so noi vu"
    assert strip_marks("Đồng") == "Dong"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lào Cai, ngày 13 tháng 12 năm 2017", date(2017, 12, 13)),
        ("ngày 08/11/2011 của Chính phủ", date(2011, 11, 8)),
        ("ngày 20-6-2018", date(2018, 6, 20)),
        ("ngày 6 tháng 4 năm 2021", date(2021, 4, 6)),
        ("ngày 31/02/2020", None),
        ("xếp thứ 48/63 tỉnh", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Nghị quyết số 30c/NQ-CP ngày", "30c/NQ-CP"),
        ("Quyết định số 09/2015/QĐ-TTg ngày", "09/2015/QĐ-TTg"),
        ("Nghị quyết số 01-NQ/TU ngày", "01-NQ/TU"),
        ("Đề án số 19 - ĐA/TU về", "19-ĐA/TU"),
        ("Công văn số 3379/UBND-VX1 ngày", "3379/UBND-VX1"),
        ("Số: 14 /CT-UBND", "14/CT-UBND"),
        ("(QĐ 16a/QĐ-HDND ngày 19/10/2016)", "16a/QĐ-HĐND"),
    ],
)
def test_document_numbers_are_found_and_canonical(text: str, number: str) -> None:
    found = [canonical_number(m.group()) for m in NUMBER.finditer(text)]
    assert found == [number]


@pytest.mark.parametrize(
    "text",
    ["giai đoạn 2016 - 2020", "ISO 9001:2008", "ngày 27/11/2015", "xếp 27/63", "1/ Chỉ số năng lực", "61,4203/65"],
)
def test_things_that_are_not_document_numbers(text: str) -> None:
    assert not NUMBER.search(text)


def test_kinds_from_codes() -> None:
    assert type_code("323/KH-UBND") == "KH"
    assert type_code("48-KH/TU") == "KH"
    assert kind_of_number("108/2014/NĐ-CP") == "Nghị định"
    assert kind_of_number("1129-TB/TU") == "Thông báo"
    assert kind_of_number("3379/UBND-VX1") == "Công văn"
