"""Abbreviations (b/c, Đ/c, V/v, KT., TM., Q., PCT) are found in the lm-corpus and never restored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnplan.normalizers.restoration.abbreviations import Abbreviations, abbreviations, load_abbreviations
from vnplan.normalizers.restoration.damage import measure_damage
from vnplan.normalizers.restoration.restore import restore_text

RECIPIENTS = """Nơi nhận:
- Bộ Nội vụ (b/c);
- Thường trực Tỉnh ủy (b/c);
- Đ/c Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, NC.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH"""


def test_the_packaged_list_holds_the_administrative_abbreviations() -> None:
    words = set(load_abbreviations())
    assert {"b/c", "Đ/c", "đ/c", "V/v", "KT.", "TM.", "Q.", "PCT", "UBND"} <= words
    # Words that are syllables are never on it, with a stop or without.
    assert not {"năm.", "ý.", "a.", "BAN", "SỞ", "y."} & words


def test_abbreviations_are_found_alone_not_inside_longer_forms() -> None:
    text = "(b/c) B/C a/b/c KT. K.KT. kt. KTX. Q.1"
    found = [text[a:b] for a, b in Abbreviations(["b/c", "KT.", "PCT"]).spans(text)]
    assert found == ["b/c", "B/C", "KT.", "kt."]
    assert Abbreviations(["b/c", "KT.", "PCT"]).capitals == {"PCT"}


@pytest.mark.parametrize("ocr", [False, True])
@pytest.mark.parametrize("force", [False, True])
def test_recipients_and_signature_lines_stay_as_written(force: bool, ocr: bool) -> None:
    assert restore_text(RECIPIENTS, force=force, ocr=ocr).text == RECIPIENTS


def test_abbreviations_in_a_stripped_list_stay_while_its_words_are_restored() -> None:
    result = restore_text("Noi nhan:\n- Bo Noi vu (b/c);\n- Đ/c Chu tich UBND tinh;\nTM. UY BAN NHAN DAN", force=True)
    assert result.text == "Nơi nhận:\n- Bộ Nội vụ (b/c);\n- Đ/c Chủ tịch UBND tỉnh;\nTM. ỦY BAN NHÂN DÂN"
    assert not any(c.original in {"b", "c", "TM"} for c in result.changes)


def test_an_abbreviation_that_lost_its_marks_takes_them_back_from_the_list() -> None:
    listed = Abbreviations(["Đ/c", "đ/c", "HĐTV", "b/c", "UBND"])
    text = "(d/c Vinh), D/c Hoa, HDTV, b/c, UBND, DBQH"
    assert [(text[a:].split(",")[0], form) for a, form in listed.lost_marks(text)] == [
        ("d/c Vinh)", "đ/c"),
        ("D/c Hoa", "Đ/c"),
        ("HDTV", "HĐTV"),
    ]
    result = restore_text("- PCT UBND tinh (d/c Vinh);\n- Chu tich HDTV Tap doan Buu chinh Vien thong", force=True)
    assert result.text == "- PCT UBND tỉnh (đ/c Vinh);\n- Chủ tịch HĐTV Tập đoàn Bưu chính Viễn thông"


def test_abbreviations_do_not_count_as_damage() -> None:
    assert measure_damage("- Bộ Nội vụ (b/c);").invalid_share == 0.0
    assert not measure_damage("- Đ/c Chủ tịch (b/c), Đ/c PCT (b/c)").mangled(5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["Bộ", "Nội", "vụ", "Sở", "tỉnh", "(b/c);", "Đ/c", "V/v", "KT.", "Q.", "PCT", "-"]), max_size=20
    ),
    st.booleans(),
)
def test_text_with_abbreviations_keeps_every_abbreviation(words: list[str], ocr: bool) -> None:
    text = " ".join(words)
    restored = restore_text(text, force=True, ocr=ocr).text
    spans = abbreviations().spans
    assert [restored[a:b] for a, b in spans(restored)] == [text[a:b] for a, b in spans(text)]
