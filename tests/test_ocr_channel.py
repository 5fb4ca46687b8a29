"""The OCR channel for Tesseract ``vie``: confusion rates learned from pages printed and read, and the
restorer putting right the marks Tesseract misread, only where the language model is far surer."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vnplan.normalizers.restoration.ocr_channel import OcrChannel, ocr_channel, undoublings
from vnplan.normalizers.restoration.restore import mangled_lines, restore_text
from vnplan.normalizers.text import strip_marks

TABLE = [
    ("tổ", "tổ", 90), ("tổ", "tố", 10), ("chức", "chức", 100), ("kế", "kế", 99), ("kế", "ké", 1),
    ("đi", "đi", 50), ("di", "đi", 5), ("di", "di", 45), ("phố", "phố", 40), ("phố", "phóỏ", 2),
    ("(b/c)", "(b/c)", 3), ("2021", "2021", 7),
]  # fmt: skip


def test_a_confusion_seen_often_costs_less_than_one_seen_once() -> None:
    channel = OcrChannel(TABLE)
    assert 0 < channel.cost("tổ", "tố") < channel.cost("kế", "ké")
    assert channel.cost("tổ", "tổ") == 0.0


def test_the_cost_is_how_much_less_likely_the_reading_is_from_the_syllable_than_from_itself() -> None:
    channel = OcrChannel(TABLE)
    # Tones of the printed words: hỏi 100 (10 read as sắc), sắc 100+99+1+40+2, level 100.
    expected = math.log10(channel.tone_rate("\u0301", "\u0301") / channel.tone_rate("\u0309", "\u0301"))
    assert channel.cost("tổ", "tố") == pytest.approx(expected)
    assert channel.tone_rate("\u0309", "\u0301") == pytest.approx((10 + 0.5) / (100 + 6 * 0.5))


def test_letters_are_never_exchanged_only_their_marks() -> None:
    channel = OcrChannel(TABLE)
    assert channel.cost("tổ", "to") < math.inf  # a hat and a tone lost
    assert channel.cost("tổ", "lố") == math.inf
    assert channel.cost("di", "đi") < channel.cost("đi", "di")  # seen 5 times, against never


def test_a_doubled_vowel_is_undone_at_its_own_rate() -> None:
    channel = OcrChannel(TABLE)
    assert "phó" in undoublings("phóỏ") and "phỏ" in undoublings("phóỏ")
    assert channel.cost("phố", "phóỏ") == pytest.approx(channel.doubled_cost + min(
        channel.cost("phố", "phó"), channel.cost("phố", "phỏ")))  # fmt: skip
    assert undoublings("phố") == []


@pytest.mark.parametrize(
    ("printed", "read"),
    [("ê", "e"), ("ô", "o"), ("â", "a"), ("ơ", "o"), ("ư", "u"), ("ă", "a"), ("đ", "d"), ("ổ", "ố"), ("ể", "ế")],
)
def test_the_packaged_channel_prices_every_mark_confusion(printed: str, read: str) -> None:
    cost = ocr_channel().cost(printed, read)
    assert 0 < cost < 6


def test_the_packaged_channel_learned_tesseracts_commonest_slips() -> None:
    channel = ocr_channel()
    assert channel.misread() > 300
    assert channel.cost("tổ", "tố") < channel.cost("tổ", "tồ")  # hook read as acute, seen again and again


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("phát triên kinh tế xã hội", "phát triển kinh tế xã hội"),
        ("bảo tồn và phát huy giá trị đi sản văn hóa", "bảo tồn và phát huy giá trị di sản văn hóa"),
        ("Tăng cường công tác kiếm tra, giám sát", "Tăng cường công tác kiểm tra, giám sát"),
        ("Thành lập Tố công tác liên ngành", "Thành lập Tổ công tác liên ngành"),
    ],
)
def test_marks_tesseract_misread_are_put_right_in_ocr_text(read: str, meant: str) -> None:
    fixed = restore_text(read, ocr=True)
    assert fixed.text == meant and len(fixed.changes) == 1
    change = fixed.changes[0]
    assert change.original in read and meant[change.start :].startswith(change.restored)
    assert restore_text(read).text == read  # a text layer is as its author wrote it


def test_words_the_model_is_not_far_surer_of_stay_as_read() -> None:
    text = "Giá vé tàu hỏa tăng 5% so với cùng kỳ"
    assert restore_text(text, ocr=True).text == text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["kiếm", "tra", "Tố", "công", "tác", "triên", "đi", "sản", "PHÓỎ", "b/c", ","]), max_size=25
    )
)
def test_ocr_correction_changes_marks_never_letters(words: list[str]) -> None:
    text = " ".join(words)
    # A line that lost its marks ("tra tra tra tra Tố") is restored instead, and there a common word may be
    # read as one a letter away (binh → định, as an English model misreads Vietnamese): not the OCR channel.
    assume(not any(mangled_lines([text])))
    result = restore_text(text, ocr=True)
    assert result.text.count(" ") == text.count(" ")
    for read, fixed in zip(text.split(" "), result.text.split(" "), strict=True):
        fixed, read = fixed.lower(), read.lower()
        assert strip_marks(fixed) == strip_marks(read) or strip_marks(fixed) in map(strip_marks, undoublings(read))


def test_a_symbol_tesseract_writes_for_a_digit_becomes_that_digit_beside_digits_only() -> None:
    from vnplan.normalizers.restoration.restore import Restorer, restorer

    table = [*TABLE, ("08-CTr/TU", "0§-CTr/TU", 3), ("83/TTr-UBND", "§3/TTr-UBND", 2), ("2021.", "2021.", 9)]
    channel = OcrChannel(table)
    assert channel.digit_for("§") == "8"
    assert channel.digit_for(".") is None  # a stop beside a digit is printed far more often than misread
    engine = Restorer(restorer().model, ocr=channel)
    fixed = engine.restore("Kế hoạch số 0§-CTr/TU, mục §", ocr=True)
    assert fixed.text == "Kế hoạch số 08-CTr/TU, mục §"
    assert [(c.original, c.restored) for c in fixed.changes] == [("§", "8")]


def test_a_letter_tesseract_writes_for_a_digit_is_learned_unless_printed_beside_digits_as_often() -> None:
    table = [*TABLE, ("11", "1t", 3), ("01", "0I", 2), ("PC04", "PC04", 9), ("2020", "202c", 1)]
    channel = OcrChannel(table)
    assert channel.digit_for("t") == channel.digit_for("T") == "1"
    assert channel.digit_for("I") == channel.digit_for("i") == "1"
    assert channel.digit_for("c") is None  # printed beside a digit (PC04) more often than read for one
    assert OcrChannel(TABLE).digit_for("t") is None


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Quảng Ngãi, ngày 17 tháng ii năm 2025", "Quảng Ngãi, ngày 17 tháng 11 năm 2025"),  # a month
        ("ngày tt tháng 5 năm 2024", "ngày 11 tháng 5 năm 2024"),  # a day
        ("Hà Nội, ngày23 tháng 4 năm 2026", "Hà Nội, ngày 23 tháng 4 năm 2026"),  # a date word glued
        ("trước Năm2025.", "trước Năm 2025."),
    ],
)
def test_what_tesseract_wrote_for_digits_in_a_number_becomes_digits(read: str, meant: str) -> None:
    result = restore_text(read, ocr=True)
    assert result.text == meant
    assert all(c.original != c.restored for c in result.changes) and result.changes


@pytest.mark.parametrize(
    "text",
    [
        "tháng iii năm 2025",  # no month is 111
        "điểm i khoản 2 Điều 5",  # not a date's number
        "Tổ T1 và Phòng PC04",  # a code that starts with a letter
        "Số12 của Sở",  # only a date word is taken apart from its number
        "tín hiệu 1080i60 của phim",  # a number with letters in it is no day or month
    ],
)
def test_letters_stay_letters_where_no_number_must_stand(text: str) -> None:
    assert restore_text(text, ocr=True).text == text


def test_words_in_capitals_have_their_own_rates_with_the_whole_table_as_prior() -> None:
    from vnplan.normalizers.restoration.ocr_channel import capitals_channel

    table = [("TỔ", "TỐ", 30), ("TỔ", "TỔ", 70), ("tổ", "tố", 5), ("tổ", "tổ", 195)]
    pooled = OcrChannel(table)
    capitals = OcrChannel([row for row in table if row[0].isupper()], prior=pooled)
    assert capitals.cost("tổ", "tố") < pooled.cost("tổ", "tố")
    # With no capitals seen, the prior's rates are the rates.
    assert OcrChannel([], prior=pooled).cost("tổ", "tố") == pytest.approx(pooled.cost("tổ", "tố"))
    assert capitals_channel().cost("phố", "phó") < ocr_channel().cost("phố", "phó")


def test_a_stop_coda_under_the_level_tone_is_no_syllable_as_printed() -> None:
    from vnplan.normalizers.restoration.syllables import is_syllable, is_written_syllable

    assert is_written_syllable("quốc") and is_written_syllable("học") and is_written_syllable("cho")
    assert is_syllable("quôc") and not is_written_syllable("quôc")  # stripped text may write it so
    assert not is_written_syllable("tôt") and not is_written_syllable("sach") and not is_written_syllable("quyét")


def test_a_word_tesseract_cannot_have_printed_as_read_is_changed_at_a_smaller_margin() -> None:
    from vnplan.normalizers.restoration.restore import NON_SYLLABLE_DISCOUNT, OCR_MARGIN, restorer

    engine = restorer()
    (kept, *others), _, costs = engine._ocr_readings("quôc")
    options = {o.syllable: c for o, c in zip(others, costs[1:], strict=True)}
    assert kept.syllable == "quôc"
    assert options["quốc"] <= engine.ocr_channel.cost("quốc", "quôc") + OCR_MARGIN - NON_SYLLABLE_DISCOUNT
    _, _, costs = engine._ocr_readings("quộc")
    assert len(costs) > 1 and min(costs[1:]) >= OCR_MARGIN  # a word that may be right as read keeps the margin


def test_a_letter_no_vietnamese_text_holds_becomes_the_letter_tesseract_wrote_it_for() -> None:
    from vnplan.normalizers.restoration.restore import Restorer, restorer

    table = [*TABLE, ("CĐ", "CÐ", 4), ("Đồng", "Ðồng", 2), ("galaxy", "ðalaxy", 1), ("og", "oø", 1)]
    channel = OcrChannel(table)
    assert channel.letter_for("Ð") == "Đ" and channel.letter_for("ð") == "đ"  # U+00D0 and U+00F0, eth
    assert channel.letter_for("ø") is None  # seen once: a slip, not a habit
    assert channel.letter_for("đ") is None and channel.letter_for("a") is None
    fixed = Restorer(restorer().model, ocr=channel).restore("Tỉnh Ðồng Nai, trường CÐ nghề", ocr=True)
    assert fixed.text == "Tỉnh Đồng Nai, trường CĐ nghề"
    assert [(c.original, c.restored) for c in fixed.changes] == [("Ðồng", "Đồng"), ("CÐ", "CĐ")]
    assert restore_text("Tỉnh Ðồng Nai").text == "Tỉnh Ðồng Nai"  # a text layer is as its author wrote it


def test_a_marked_word_no_one_prints_is_read_as_its_likeliest_syllable_at_the_margin_alone() -> None:
    from vnplan.normalizers.restoration.restore import NON_SYLLABLE_DISCOUNT, OCR_MARGIN, restorer

    engine = restorer()
    (kept, *others), _, costs = engine._ocr_readings("bằu")  # ă never comes before u
    assert kept.syllable == "bằu" and {"bầu", "bàu"} <= {o.syllable for o in others}
    assert min(costs[1:]) == pytest.approx(OCR_MARGIN - NON_SYLLABLE_DISCOUNT)
    assert restore_text("Hội đồng nhân dân bằu, miễn nhiệm", ocr=True).text == "Hội đồng nhân dân bầu, miễn nhiệm"
    (_, *others), _, costs = engine._ocr_readings("quoc")  # no marks: maybe a foreign word, as before
    assert min(costs[1:]) > OCR_MARGIN - NON_SYLLABLE_DISCOUNT


def _ocr_page(words: list[tuple[str, float]]):
    from pathlib import Path

    from vnplan.models.document import Block, BlockKind, Document, Line, Page, ReadMethod, Word

    line = Line(" ".join(w for w, _ in words), None, 0.9, [Word(w, None, c) for w, c in words])
    return Document(Path("scan.pdf"), "", [Page(1, 595, 842, ReadMethod.OCR, [Block(BlockKind.PARAGRAPH, [line])])])


def test_a_word_tesseract_was_unsure_of_is_put_right_where_a_sure_one_is_left_as_read() -> None:
    from vnplan.pipeline.repair import repair

    text = "Kính gửi: Ủy ban nhân đân tỉnh Lâm Đồng"
    for confidence, expected in ((0.99, text), (0.6, "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng")):
        words = [(w, confidence if w == "đân" else 0.99) for w in text.split()]
        line = repair(_ocr_page(words)).pages[0].blocks[0].lines[0]
        assert line.text == expected
        assert line.changes == (
            []
            if expected == text
            else [{"start": 22, "original": "đân", "restored": "dân", "confidence": line.changes[0]["confidence"]}]
        )


def test_doubtful_words_are_found_in_their_lines_text_in_order() -> None:
    from vnplan.pipeline.repair import doubtful_spans

    line = _ocr_page([("(để", 0.5), ("để", 0.99), ("để", 0.7), ("xuất).", 0.4)]).pages[0].blocks[0].lines[0]
    assert doubtful_spans(line) == [(0, 3), (7, 9), (10, 16)]
