"""Every row of the deadline table in spec §4, and the phrases §4 says are no deadline."""

from __future__ import annotations

from datetime import date

import pytest

from vnplan.normalizers.deadlines import parse_deadline

PLAN_YEAR = 2018


@pytest.mark.parametrize(
    ("phrase", "start", "end", "recurrence"),
    [
        ("Quý IV năm 2018", date(2018, 10, 1), date(2018, 12, 31), None),
        ("Quý IV/2018", date(2018, 10, 1), date(2018, 12, 31), None),
        ("Quí IV-2018", date(2018, 10, 1), date(2018, 12, 31), None),
        ("Quý IV/2025 - Quý II/2026", date(2025, 10, 1), date(2026, 6, 30), None),
        ("Trong tháng 8 năm 2018", date(2018, 8, 1), date(2018, 8, 31), None),
        ("Tháng 8/2018", date(2018, 8, 1), date(2018, 8, 31), None),
        ("Trong năm 2018", date(2018, 1, 1), date(2018, 12, 31), None),
        ("năm 2018", date(2018, 1, 1), date(2018, 12, 31), None),
        ("2018", date(2018, 1, 1), date(2018, 12, 31), None),
        ("2025 - 2030", date(2025, 1, 1), date(2030, 12, 31), None),
        ("Giai đoạn 2025-2030", date(2025, 1, 1), date(2030, 12, 31), None),
        ("Trong năm 2018 và các năm tiếp theo", date(2018, 1, 1), None, "yearly"),
        ("Trong năm 2018 và những năm tiếp theo", date(2018, 1, 1), None, "yearly"),
        ("Từ 01/7/2025", date(2025, 7, 1), None, None),
        ("trước ngày 15/12/2018", None, date(2018, 12, 15), None),
        ("chậm nhất ngày 15/12/2018", None, date(2018, 12, 15), None),
        ("Quý I, 6 tháng, Quý III và năm", None, None, "quarterly"),
        ("định kỳ hàng quý", None, None, "quarterly"),
        ("6 tháng, năm", None, None, "semiannual"),
        ("trước ngày 01/6 và 15/11 hằng năm", None, None, "semiannual"),
        ("hàng năm", None, None, "yearly"),
        ("hằng năm", None, None, "yearly"),
        ("định kỳ trước ngày 30/11 hằng năm", None, None, "yearly"),
        ("thường xuyên, hằng năm", None, None, "yearly"),  # the period wins over "thường xuyên"
        ("thường xuyên", None, None, "continuous"),
        ("thường xuyên trong năm", None, None, "continuous"),
        ("trong Quý II", date(2018, 4, 1), date(2018, 6, 30), None),  # the year left implicit: the plan's
        ("định kỳ trước ngày 20/11", None, None, "yearly"),  # a periodic date with no year recurs yearly
        ("Theo kế hoạch của UBND tỉnh hằng năm", None, None, "yearly"),
        ("trước ngày 05 tháng 5 năm 2026", None, date(2026, 5, 5), None),
        ("Ngày 26, 27/12/2011", date(2011, 12, 26), date(2011, 12, 27), None),
        ("29/6/2026 - 09/7/2026", date(2026, 6, 29), date(2026, 7, 9), None),
        ("8h00-10h00 ngày 28/12/2011", date(2011, 12, 28), date(2011, 12, 28), None),
        ("trong Quý 4/2018", date(2018, 10, 1), date(2018, 12, 31), None),
        ("Định kỳ hàng quý, 6 tháng, năm báo cáo kết quả", None, None, "quarterly"),
        ("Mỗi tháng 02 chuyên mục", None, None, "monthly"),
        ("đến năm 2020", None, date(2020, 12, 31), None),
    ],
)
def test_every_row_of_the_deadline_table(phrase: str, start: date | None, end: date | None, recurrence: str | None):
    deadline = parse_deadline(phrase, PLAN_YEAR)
    assert deadline is not None, phrase
    assert (deadline.start, deadline.end, deadline.recurrence) == (start, end, recurrence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện định kỳ",  # a bare "định kỳ"
        "Sau khi có hướng dẫn của Bộ Nội vụ, triển khai thực hiện",  # a condition
        "Triển khai Kế hoạch năm 2025 của tỉnh",  # a year that names a plan
        "Nâng cao Chỉ số CCHC năm 2025 của tỉnh",  # … or an index
        "Giảm 10% so với năm 2020",  # a baseline
        "Xây dựng quy hoạch tỉnh đến năm 2030",  # a horizon inside a noun phrase
        "Phấn đấu đạt 15% doanh nghiệp đến năm 2020",  # … or of a target clause
        "Tổ chức việc đánh giá kết quả hàng năm của các sở",  # a period word that qualifies an evaluation
        "Thực hiện Quyết định số 09/2015/QĐ-TTg ngày 25/3/2015 của Thủ tướng",  # a cited document's date
        "Ban hành kịp thời kế hoạch CCHC hàng năm và tổ chức thực hiện nghiêm túc",  # describes the plan
        "Thực hiện Nghị định số 108/2014/NĐ-CP về chính sách tinh giản biên chế giai đoạn 2016 - 2020.",
        "Tiếp tục triển khai đối với các đơn vị chưa thực hiện theo lộ trình năm 2018 trên địa bàn",
        "Xây dựng và tổ chức thực hiện kế hoạch chuyển đổi số hằng năm của tỉnh",  # the plan is yearly
        "Xây dựng Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức hằng năm",
    ],
)
def test_phrases_that_are_no_deadline(sentence: str) -> None:
    for plan_year in (2018, 2020, 2025):  # whatever year the plan is for, the years these name
        assert parse_deadline(sentence, plan_year, running_text=True) is None, plan_year


def test_a_stated_deadline_in_running_text() -> None:
    found = parse_deadline("Hoàn thiện đề án xây dựng Trung tâm trong Quý 4/2018.", 2018, running_text=True)
    assert found is not None
    assert (found.raw, found.start, found.end) == ("trong Quý 4/2018", date(2018, 10, 1), date(2018, 12, 31))


def test_a_year_that_names_a_plan_or_work_at_a_sentence_s_end_and_a_cited_document_s_month() -> None:
    text = "Kiểm tra việc thực hiện các chương trình, kế hoạch về cải cách thủ tục hành chính năm 2026."
    assert parse_deadline(text, 2026, running_text=True) is None
    assert parse_deadline("Đánh giá kết quả công tác CCHC năm 2026.", 2026, running_text=True) is None
    assert parse_deadline("Hoàn thành việc rà soát trong năm 2026.", 2026, running_text=True).end.isoformat() == (
        "2026-12-31"
    )
    cited = "Quán triệt các yêu cầu tại Kết luận số 18-KL/TW ngày 02 tháng 4 năm 2026 của Hội nghị lần thứ 2."
    assert parse_deadline(cited, 2026, running_text=True) is None


def test_a_plan_named_for_a_year_and_the_years_after_is_no_deadline() -> None:
    text = "Tham mưu ban hành Kế hoạch nâng cao Chỉ số năng lực cạnh tranh năm 2026 và các năm tiếp theo của tỉnh."
    assert parse_deadline(text, 2026, running_text=True) is None
    assert parse_deadline("Thực hiện trong năm 2026 và các năm tiếp theo.", 2026, running_text=True).recurrence == (
        "yearly"
    )


@pytest.mark.parametrize(
    ("phrase", "start", "end", "recurrence"),
    [
        ("Bắt đầu thực hiện từ tháng 01/2026", date(2026, 1, 1), None, None),  # a start, not the month
        ("Bắt đầu thực hiện từ năm 2026", date(2026, 1, 1), None, None),  # a start, not the year
        ("hằng tháng, bắt đầu thực hiện từ tháng 01/2026", date(2026, 1, 1), None, "monthly"),  # period and start
        ("Trước ngày 05 của tháng liền kề", None, None, "monthly"),  # a day of every next month
        ("Trước ngày 31/01 năm liền kề", None, None, "yearly"),  # a day of every next year
        ("chậm nhất là ngày 31/12 năm trước liền kề", None, None, "yearly"),
    ],
)
def test_starts_and_days_of_the_next_period(phrase: str, start: date | None, end: date | None, recurrence: str | None):
    for running_text in (False, True):
        deadline = parse_deadline(phrase, 2026, running_text=running_text)
        assert deadline is not None, (phrase, running_text)
        assert (deadline.start, deadline.end, deadline.recurrence) == (start, end, recurrence)


def test_a_date_to_finish_by_and_a_cut_off_that_is_none() -> None:
    due = parse_deadline("Tập trung giải phóng mặt bằng, yêu cầu đến 30/5/2026 phải bàn giao.", 2026, running_text=True)
    assert due is not None and (due.start, due.end) == (None, date(2026, 5, 30))
    assert parse_deadline("Số liệu tính đến ngày 30/6/2025 cho thấy tỷ lệ đạt 90%.", 2026, running_text=True) is None
    assert parse_deadline("Đến ngày 30/6/2025, toàn tỉnh đã có 90% hồ sơ trực tuyến.", 2026, running_text=True) is None


def test_a_cited_document_s_date_is_no_deadline_in_a_time_cell_either() -> None:
    assert parse_deadline("Theo Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của UBND tỉnh", 2026) is None
    assert parse_deadline("Kế hoạch số 12/KH-UBND, ngày 02/3/2026", 2026) is None
    kept = parse_deadline("Theo Kế hoạch số 12/KH-UBND ngày 2/3/2026; trước ngày 30/6/2026", 2026)
    assert kept is not None and kept.end == date(2026, 6, 30)
    assert parse_deadline("ngày 25/9/2025", 2026).start == date(2025, 9, 25)  # a bare date in a time cell still is
