"""Diacritic restoration: the channel's candidates, the language model, the decoder, and no harm to good text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnplan.normalizers.restoration.candidates import distance
from vnplan.normalizers.restoration.language_model import language_model
from vnplan.normalizers.restoration.lm_tokens import lm_tokens
from vnplan.normalizers.restoration.restore import restore_text, restorer
from vnplan.normalizers.tokens import OCR_TOKENS


@pytest.mark.parametrize(
    ("damaged", "meant"),
    [("s6", "số"), ("cép", "cấp"), ("Piém", "điểm"), ("S&", "sở"), ("1€n", "lên"), ("ctia", "của"), ("nim", "năm")],
)
def test_the_channel_offers_what_ocr_damaged(damaged: str, meant: str) -> None:
    options = [c.syllable for c in restorer().channel.candidates(damaged, True, True)]
    assert meant in options


def test_text_that_only_lost_its_marks_keeps_words_spelt_like_no_syllable() -> None:
    assert [c.syllable for c in restorer().channel.candidates("ctia", True, False)] == []
    restored = restore_text("Giai thuong duoc trao cho Sir Harold Kroto va cac diem b, c cua TTr nay", force=True)
    assert restored.text == "Giải thưởng được trao cho Sir Harold Kroto và các điểm b, c của TTr này"


@pytest.mark.parametrize(("read", "meant"), [("binh", "định"), ("nhin", "nhân"), ("bieu", "điều")])
def test_where_the_ocr_wrote_marks_a_common_word_may_be_a_lookalike_misread(read: str, meant: str) -> None:
    channel = restorer().channel
    assert meant in [c.syllable for c in channel.candidates(read, True, True)]
    assert meant not in [c.syllable for c in channel.candidates(read, True, False)]  # marks only lost


@pytest.mark.parametrize(("read", "meant"), [("thue", "thực"), ("Iy", "lý"), ("1¢", "lệ"), ("chdm", "chấm")])
def test_an_english_ocr_models_letter_lookalikes_are_offered_e_for_c_i_for_l_cent_for_e(read: str, meant: str) -> None:
    channel = restorer().channel
    assert meant in [c.syllable for c in channel.candidates(read, True, True)]
    assert meant not in [c.syllable for c in channel.candidates(read, True, False)]  # marks only lost


def test_a_word_without_a_vowel_is_misread_not_kept_and_a_capital_i_for_l_is_written_lower() -> None:
    assert restore_text("Hoi dong chdm diém cac sang kién cia tinh nim 2021").text == (
        "Hội đồng chấm điểm các sáng kiến của tỉnh năm 2021"
    )
    assert restore_text("Cac don vi thue hién viéc xur Iy hd so ding han").text == (
        "Các đơn vị thực hiện việc xử lý hồ sơ đúng hạn"
    )


def test_a_short_number_between_words_may_be_a_word_an_english_ocr_model_misread_where_the_model_says_so() -> None:
    assert restore_text("Phén dau ty 18 ho so TTHC do co quan chuyén mén giai quyét").text == (
        "Phấn đấu tỷ lệ hồ sơ TTHC do cơ quan chuyên môn giải quyết"
    )
    # numbers that are numbers stay
    assert restore_text("Cé 18 ho so duoc giai quyét trong 6 thang dau nim").text == (
        "Có 18 hồ sơ được giải quyết trong 6 tháng đầu năm"
    )


def test_a_common_word_misread_is_put_right_in_text_an_english_ocr_model_read() -> None:
    mangled = "Quy binh vé cép giéy phép cho doanh nghiep, quy binh vé thti tuc hanh chinh cta tinh"
    assert restore_text(mangled).text.startswith("Quy định về cấp giấy phép cho doanh nghiệp")


def test_names_keep_a_vietnamese_line_unmangled_but_marks_tesseract_added_to_mangled_text_do_not() -> None:
    names = "Hóa học: Robert Curl, Sir Harold Kroto và Richard Smalley, người Anh và người Mỹ"
    assert restore_text(names).text == names
    read = "Duy tri, cai thiến va nang cao Chỉ so cai cach hanh chinh cép tỉnh cua tỉnh Lao Cai"
    assert (
        restore_text(read).text == "Duy trì, cải thiện và nâng cao Chỉ số cải cách hành chính cấp tỉnh của tỉnh Lào Cai"
    )


def test_a_line_naming_a_file_stays_as_written_even_when_every_line_is_restored() -> None:
    text = "Cac bieu mau kem theo ke hoach nay:\nPhu luc 3 phuong an van tai dinh kem theo.docx"
    assert restore_text(text, force=True).text.split("\n") == [
        "Các biểu mẫu kèm theo kế hoạch này:",
        text.split("\n")[1],
    ]


def test_a_file_or_web_address_stays_as_written() -> None:
    restored = restore_text(
        "Xem ban huong dan tai chinhphu.vn/van-ban/ke-hoach.doc va cac bieu mau kem theo", force=True
    )
    assert restored.text == "Xem bản hướng dẫn tại chinhphu.vn/van-ban/ke-hoach.doc và các biểu mẫu kèm theo"


def test_an_items_label_stays_as_written() -> None:
    restored = restore_text(
        "a) Muc tiéu: 100% céc tiéu chi dat diém\nb) Noi dung ting tiéu chi thanh phan:", force=True
    )
    assert restored.text == "a) Mục tiêu: 100% các tiêu chí đạt điểm\nb) Nội dung từng tiêu chí thành phần:"


def test_the_capitals_of_a_document_code_stay_as_written() -> None:
    restored = restore_text("Nghi quyet so 01-NQ/TU ngay 27/11/2015 cua Tinh uy ve De an 19-DA/TU", force=True)
    assert restored.text == "Nghị quyết số 01-NQ/TU ngày 27/11/2015 của Tỉnh ủy về Đề án 19-ĐA/TU"


def test_the_channel_prices_ocr_lookalikes_below_other_edits() -> None:
    assert distance("s6", "so") < distance("sx", "so")
    assert distance("ctia", "cua") < distance("cxya", "cua")
    assert distance("cach", "cach") == 0


def test_stripped_text_gets_every_marking_of_its_letters() -> None:
    options = {c.syllable for c in restorer().channel.candidates("tinh", False)}
    assert {"tỉnh", "tính", "tình", "tinh"} <= options


def test_the_language_model_is_a_distribution() -> None:
    model = language_model()
    words = np.asarray([i for i in range(model.size) if i != model.bos])
    for context in [("<s>", "<s>"), ("cải", "cách"), ("sở", "nội"), ("<unk>", "<num>")]:
        a, b = (np.full(len(words), model.id(w)) for w in context)
        assert (10 ** model.score(a, b, words)).sum() == pytest.approx(1.0, abs=2e-3), context


def test_the_lattice_holds_the_models_score_of_every_triple_less_the_channel_cost() -> None:
    engine = restorer()
    model = engine.model
    tokens = [engine._token(m, True) for m in OCR_TOKENS.finditer("Chi s6 cai cach hanh chinh, 2021 cép tinh")]
    ids, costs, sizes = engine._options(tokens)  # <s> <s>, every token's options, </s>
    assert sizes.max() > 3 and costs.max() > 0
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    lattice = engine._lattice(ids, costs, sizes)
    assert [block.shape for block in lattice] == [tuple(sizes[p : p + 3]) for p in range(len(sizes) - 2)]
    for p, block in enumerate(lattice):
        for (i, j, k), value in np.ndenumerate(block):
            a, b, c = first[p] + i, first[p + 1] + j, first[p + 2] + k
            expected = model.score(ids[[a]], ids[[b]], ids[[c]])[0] - costs[c]
            assert value == pytest.approx(expected)


def test_the_language_model_prefers_vietnamese_as_written() -> None:
    model = language_model()
    right = model.sentence_logprob(lm_tokens("Chỉ số cải cách hành chính cấp tỉnh"))
    stripped = model.sentence_logprob(lm_tokens("Chi so cai cach hanh chinh cap tinh"))
    assert right > stripped + 10


@pytest.mark.parametrize(
    ("mangled", "restored"),
    [
        ("Chi s6 cai cach hanh chinh cép tinh", "Chỉ số cải cách hành chính cấp tỉnh"),
        ("Piém tu danh gié, chdm diém cua S& Noi vu", "Điểm tự đánh giá, chấm điểm của Sở Nội vụ"),
        (
            "Tang cuong ky luat trong cac co quan hanh chinh nha nuéc",
            "Tăng cường kỷ luật trong các cơ quan hành chính nhà nước",
        ),
        ("Lao Cai, ngay06 thang o4 nam 2021", "Lào Cai, ngày 06 tháng 04 năm 2021"),
        ("Quyét dinh s 1149/QD-BNV cua Bo Noi vu", "Quyết định số 1149/QĐ-BNV của Bộ Nội vụ"),
        ("KE HOACH cai cach hanh chinh", "KẾ HOẠCH cải cách hành chính"),
        ("Nghi quyet cua HDND tinh ve CCHC", "Nghị quyết của HĐND tỉnh về CCHC"),
    ],
)
def test_the_decoder_restores_mangled_lines(mangled: str, restored: str) -> None:
    assert restore_text(mangled, force=True).text == restored


def test_each_change_says_what_it_was_and_how_sure() -> None:
    result = restore_text("Sb:161/KH-UBND ngay 06 théng 4 nam 2021", force=True)  # théng: an English OCR model
    first = result.changes[0]
    assert (first.original, first.restored, first.start) == ("Sb", "Số", 0)
    assert all(0 < c.confidence <= 1 for c in result.changes)
    assert "161/KH-UBND" in result.text
    line = result.line_changes()[0]
    assert [c["original"] for c in line] == [c.original for c in result.changes]


def test_good_text_passes_through_untouched() -> None:
    text = "UBND tỉnh Lào Cai ban hành Kế hoạch cải cách hành chính năm 2021 như sau:\nSở Nội vụ chủ trì, phối hợp"
    result = restore_text(text)
    assert result.text == text and not result.changes and result.mangled_lines == 0


def test_only_the_mangled_lines_of_a_text_change() -> None:
    good = "Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành tổ chức thực hiện kế hoạch này."
    bad = "Chi s6 cai cach hanh chinh cép tinh cua tinh Lao Cai nam 2021"
    result = restore_text(f"{good}\n{bad}\n{good}")
    assert result.text.split("\n") == [good, "Chỉ số cải cách hành chính cấp tỉnh của tỉnh Lào Cai năm 2021", good]
    assert result.mangled_lines == 1


@pytest.mark.parametrize("ocr", [False, True])
def test_clean_corpus_documents_are_left_as_they_are(shared, ocr: bool) -> None:
    for name in ("000", "002", "003", "004"):
        text = next((shared / "corpus").glob(f"{name}_*.txt")).read_text(encoding="utf-8")
        prepared = restore_text(text, force=False, ocr=ocr)
        words = len(text.split())
        assert len(prepared.changes) <= 0.001 * words, name


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Số đơn vị SNCL tự bảo đảm chỉ thường xuyên", "Số đơn vị SNCL tự bảo đảm chi thường xuyên"),
        ("Xây dựng, triển khai thực hiện tỉnh giản biên chế", "Xây dựng, triển khai thực hiện tinh giản biên chế"),
        ("- Kế hoạch tố chức tập huấn.", "- Kế hoạch tổ chức tập huấn."),
        ("Kịp thời công bố đây đủ danh mục TTHC", "Kịp thời công bố đầy đủ danh mục TTHC"),
    ],
)
def test_tone_marks_tesseract_misread_are_put_right_in_ocr_text_only(read: str, meant: str) -> None:
    fixed = restore_text(read, ocr=True)
    assert fixed.text == meant and len(fixed.changes) == 1
    assert restore_text(read).text == read  # a text layer is as its author wrote it


MARKED_SYLLABLES = ["Sở", "Nội", "vụ", "chủ", "trì", "phối", "hợp", "tỉnh", "Lào", "kế", "hoạch", "năm", "thực", "hiện"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MARKED_SYLLABLES), min_size=1, max_size=30))
def test_correct_vietnamese_comes_back_unchanged(words: list[str]) -> None:
    text = " ".join(words)
    assert restore_text(text).text == text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.booleans(), st.booleans())
def test_any_input_restores_without_crashing(text: str, force: bool, ocr: bool) -> None:
    result = restore_text(text, force=force, ocr=ocr)
    assert result.text.count("\n") == text.count("\n")
    for change in result.changes:
        assert result.text[change.start :].startswith(change.restored)


MANGLED_PLAN = """KE HOACH
Duy tri, cai thién va nang cao Chi s6 cai cach hanh chinh cép tinh nam 2021
- Tang cuong nhan thic va ning cao trach nhiém ctia cac cap, cac nganh vé Chi s6 CCHC cip tinh.
"""


def test_ingestion_keeps_what_was_read_beside_what_was_restored(db_url: str, tmp_path) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from vnplan.models.database import connect
    from vnplan.models.schema import LineRow, PageRow
    from vnplan.pipeline.ingest import ingest

    path = tmp_path / "mangled.txt"
    path.write_text(MANGLED_PLAN, encoding="utf-8")
    assert ingest([path], db_url).count("ingested") == 1
    engine = connect(db_url)
    with Session(engine) as session:
        page = session.scalars(select(PageRow)).one()
        assert "Chi s6 cai cach" in page.raw_text and "Chỉ số cải cách" in page.text
        assert page.restored_tokens > 10
        line = next(x for x in session.scalars(select(LineRow)) if x.changes)
        assert line.raw_text != line.text
        for change in line.changes:
            assert line.text[change["start"] :].startswith(change["restored"])
            assert change["original"] in line.raw_text
    engine.dispose()


@pytest.mark.parametrize("order", [3, 4])
def test_a_confidence_is_the_chosen_options_share_with_every_other_position_as_chosen(order: int) -> None:
    from vnplan.normalizers.restoration.restore import _confidences

    rng = np.random.default_rng(order)
    sizes = np.asarray([1] * (order - 1) + [3, 1, 2, 4, 2] + [1])
    lattice = [rng.normal(size=tuple(sizes[p - order + 1 : p + 1])) for p in range(order - 1, len(sizes))]
    path = np.asarray([0] * (order - 1) + [2, 0, 1, 3, 0] + [0])

    def path_score(path: np.ndarray) -> float:
        return sum(block[tuple(path[p : p + order])] for p, block in enumerate(lattice))

    found = _confidences(lattice, path, sizes)
    for p, size in enumerate(sizes):
        scores = []
        for option in range(size):
            other = path.copy()
            other[p] = option
            scores.append(path_score(other))
        weights = 10 ** (np.asarray(scores) - max(scores))
        assert found[p] == pytest.approx(round(weights[path[p]] / weights.sum(), 3))
