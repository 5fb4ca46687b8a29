"""Extraction grammars and rules: deadlines, numbers, agency names, headings, body tasks, table tasks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import TASKS_PLAN
from vnplan.extractors import extract
from vnplan.extractors.body_tasks import section_kind
from vnplan.extractors.metadata import addressed_province
from vnplan.extractors.outline import label_of
from vnplan.extractors.passages import Passage
from vnplan.models.document import BlockKind
from vnplan.normalizers.agencies import canonical, split_agency_list
from vnplan.normalizers.numbers import parse_number
from vnplan.pipeline.read import read
from vnplan.pipeline.repair import repair


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.529", 1529),
        ("5.428.326", 5428326),
        ("61,4203", 61.4203),
        ("1,5", 1.5),
        ("0", 0),
        ("2600", 2600),
        ("", None),
        ("100%", None),
        ("Sở Nội vụ", None),
    ],
)
def test_vietnamese_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TT- Truyền thông", "Sở Thông tin và Truyền thông"),
        ("Sở Thông tin - Truyền thông", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở Kế hoạch - Đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở Khoa học - CN", "Sở Khoa học và Công nghệ"),
        ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hóa - TT & DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Ủy ban nhân dân tỉnh", "UBND tỉnh"),
        ("Văn phòng Hội đồng nhân dân tỉnh", "Văn phòng HĐND tỉnh"),
        ("Đài Phát thanh - Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("sở, ban, ngành tỉnh", "Các sở, ban, ngành"),
        ("các cơ quan chuyên môn cấp tỉnh", "Các sở, ban, ngành"),
        ("UBND các huyện, thành phố", "UBND cấp huyện"),
        ("UBND các huyện, thị xã, thành phố", "UBND cấp huyện"),
        ("UBND các xã, phường, thị trấn", "UBND cấp xã"),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ hành chính công"),  # unknown: as written
    ],
)
def test_canonical_agency_names(written: str, name: str) -> None:
    assert canonical(written) == name


def test_agency_lists_in_cells() -> None:
    assert split_agency_list("Sở Nội vụ, Sở Tư pháp, Sở TT&TT, Văn phòng UBND tỉnh") == [
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Thông tin và Truyền thông",
        "Văn phòng UBND tỉnh",
    ]
    assert split_agency_list("Các sở, ban, ngành và UBND các huyện, thành phố") == [
        "Các sở, ban, ngành",
        "UBND cấp huyện",
    ]
    assert split_agency_list("UBND TP Lào Cai; UBND huyện: Bảo Thắng, Bắc Hà") == [
        "UBND thành phố Lào Cai",
        "UBND huyện Bảo Thắng",
        "UBND huyện Bắc Hà",
    ]
    assert split_agency_list("Các đơn vị đã áp dụng ISO 9001") == ["Các đơn vị đã áp dụng ISO 9001"]  # never dropped


@pytest.mark.parametrize(
    ("line", "style", "label"),
    [
        ("II. NHIỆM VỤ", "roman", "II"),
        ("PHẦN I. MỤC TIÊU", "part", "I"),
        ("2. Nhiệm vụ:", "number1", "2"),
        ("2.1. Cải cách thể chế", "number2", "2.1"),
        ("1.1 Kế hoạch CCHC", "number2", "1.1"),
        ("3.4.1. Chỉ số", "number3", "3.4.1"),
        ("a) Sở Nội vụ", "letter", "a"),
        ("- a) Là cơ quan thường trực", "letter", "a"),
        ("đ) Chuẩn hóa", "letter", "đ"),
        ("- Tổ chức tuyên truyền", "-", None),
        ("+ Rà soát", "+", None),
        ("Thực hiện tốt", "paragraph", None),
        ("Bước 2: Trung tâm chọn mẫu", "step", "2"),
        ("2020 và các năm tiếp theo", "paragraph", None),
        ("H. NHIỆM VỤ VÀ GIẢI PHÁP", "roman", "II"),  # a scan's misreadings of "II."
        ("II NHIỆM VỤ VÀ GIẢI PHÁP", "roman", "II"),
        ("1I. TỔ CHỨC THỰC HIỆN", "roman", "II"),
        ("IL. TỔ CHỨC THỰC HIỆN", "roman", "II"),
        ("Il. TỔ CHỨC THỰC HIỆN", "roman", "II"),
        ("H. Nguyễn Văn A", "paragraph", None),  # an initial before a name in lower case is no heading
        ("1. NHIỆM VỤ", "number1", "1"),
    ],
)
def test_item_labels(line: str, style: str, label: str | None) -> None:
    assert label_of(line)[:2] == (style, label)


def test_task_sections_are_decided_by_the_first_decisive_word_of_the_title() -> None:
    assert section_kind("II. NHIỆM VỤ VÀ GIẢI PHÁP") is True
    assert section_kind("1.1. Nội dung và mục tiêu") is True
    assert section_kind("1. Mục tiêu chung") is False
    assert section_kind("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH") is False
    assert section_kind("1. Tình hình thực hiện nhiệm vụ") is False
    assert section_kind("3. Kinh phí thực hiện") is False  # a Kinh phí section gives no tasks at any level
    assert section_kind("2.1. Cải cách thể chế") is None


SCANNED_PLAN = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

KẾ HOẠCH

Cải cách hành chính năm 2026

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao chất lượng phục vụ người dân, doanh nghiệp.

{heading} NHIỆM VỤ VÀ GIẢI PHÁP

1. Sở Nội vụ chủ trì rà soát chức năng, nhiệm vụ của các cơ quan chuyên môn.

2. Sở Tư pháp kiểm tra việc thực hiện các văn bản quy phạm pháp luật.
"""


@pytest.mark.parametrize("heading", ["II.", "H.", "II", "1I.", "IL."])
def test_a_roman_heading_a_scan_misread_still_opens_its_section(tmp_path: Path, heading: str) -> None:
    source = tmp_path / "kh.txt"  # "II." read "H.", or with its dot lost: the tasks under it are not "I."'s aims
    source.write_text(SCANNED_PLAN.format(heading=heading), encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert {t.section for t in tasks} == {"II. NHIỆM VỤ VÀ GIẢI PHÁP"}


def test_titles_that_describe_a_measure_account_for_results_or_fund_say_so_by_their_first_words() -> None:
    assert section_kind("II. NỘI DUNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH") is False  # what the index is made of
    assert section_kind("II. NỘI DUNG") is True
    assert section_kind("1. Báo cáo kết quả cải thiện môi trường đầu tư năm 2024 và các hoạt động năm 2025") is False
    assert section_kind("2. Nguồn kinh phí") is False
    assert section_kind("II. ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN") is True  # lists a part that assigns work
    assert section_kind("1. Tình hình thực hiện nhiệm vụ, giải pháp năm 2025") is False  # an account lists none
    assert section_kind("II. MỤC TIÊU VÀ NHIỆM VỤ") is False  # aims first: its sub-parts say which holds tasks
    assert section_kind("1. Thời gian thi đua") is False  # when, as a Lộ trình says
    assert section_kind("IV. THỜI GIAN THI ĐUA VÀ TIẾN ĐỘ THỰC HIỆN") is True
    # a solution that mobilises resources says neither: its part's title decides
    assert section_kind("4. Tăng cường ứng dụng công nghệ thông tin; bảo đảm kinh phí cho công tác xác định Chỉ số") is None


LETTER_ACCOUNT = """TRUNG TÂM XÚC TIẾN ĐẦU TƯ

Số: 644/TTXT-ĐTDN

V/v báo cáo tình hình cải thiện môi trường đầu tư

Kính gửi: Ủy ban nhân dân tỉnh

Thực hiện đề nghị của Sở Nội vụ, Trung tâm báo cáo cụ thể như sau:

1. Báo cáo kết quả cải thiện môi trường đầu tư kinh doanh, nâng cao chỉ số năng lực cạnh tranh cấp tỉnh năm 2024 (công bố trước sáp nhập tỉnh) và các hoạt động chủ yếu về nâng cao năng lực cạnh tranh năm 2025

1.1. Theo kết quả PCI năm 2024, tỉnh xếp thứ 20/63 tỉnh, thành phố, tăng 5 bậc so với năm 2023.

1.2. Ngay sau sáp nhập, Ủy ban nhân dân tỉnh đã tổ chức Hội nghị đối thoại doanh nghiệp năm 2025.

2. Kiến nghị, đề xuất

Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành tổ chức gặp mặt doanh nghiệp định kỳ hằng tháng.
"""


def test_a_letters_account_under_a_long_numbered_title_gives_no_tasks(tmp_path: Path) -> None:
    source = tmp_path / "cv.txt"  # the title, too long for an item's, heads numbered sub-items: it is a heading
    source.write_text(LETTER_ACCOUNT, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.text[:20] for t in tasks] == ["Đề nghị Ủy ban nhân "]


PLAN = TASKS_PLAN  # conftest.py and test_reliability.py import it from here


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """The records extracted from TASKS_PLAN."""
    path = tmp_path_factory.mktemp("plan") / "045_plan.txt"
    path.write_text(TASKS_PLAN, encoding="utf-8")
    return extract(repair(read(path)))


def by_start(tasks, words: str):
    return next(t for t in tasks if t.text.startswith(words))


def test_only_task_sections_give_tasks(extracted) -> None:
    texts = [t.text for t in extracted.tasks]
    assert not any(t.startswith("Quyết định số 225") for t in texts)  # Căn cứ
    assert not any("vướng mắc" in t for t in texts)  # closing formula
    assert not any(t == "Bộ Nội vụ" for t in texts)  # Nơi nhận
    assert len(extracted.tasks) == 7, texts


def test_item_codes_and_sections(extracted) -> None:
    task = by_start(extracted.tasks, "Rà soát, đơn giản hóa")
    assert task.code == "1.a"
    assert task.section == "II. NHIỆM VỤ VÀ GIẢI PHÁP > 1. Cải cách thủ tục hành chính"
    assert by_start(extracted.tasks, "Giao Sở Tư pháp").code == "2"


def test_owner_scope_rules(extracted) -> None:
    radio = by_start(extracted.tasks, "Tuyên truyền cải cách")
    assert radio.owners == ["Đài Phát thanh và Truyền hình tỉnh"]
    assert radio.co_owners == ["Sở Thông tin và Truyền thông"]
    for words in ("Kiểm tra công tác", "Tổ chức điều tra"):  # bullets under "(do Sở Nội vụ chủ trì), bao gồm:"
        assert by_start(extracted.tasks, words).owners == ["Sở Nội vụ"]
    assert by_start(extracted.tasks, "Bố trí kinh phí").owners == ["Sở Tài chính"]  # from the heading
    assert by_start(extracted.tasks, "Giao Sở Tư pháp").owners == ["Sở Tư pháp"]
    assert by_start(extracted.tasks, "Rà soát, đơn giản hóa").owners == []


def test_deadlines_in_items(extracted) -> None:
    quarter = by_start(extracted.tasks, "Rà soát, đơn giản hóa").deadline
    assert (quarter.start, quarter.end) == (date(2020, 4, 1), date(2020, 6, 30))
    assert by_start(extracted.tasks, "Giao Sở Tư pháp").deadline.recurrence == "quarterly"


def test_table_rows_become_tasks_with_budget_owners_and_deadline(extracted) -> None:
    task = by_start(extracted.tasks, "Tập huấn công chức")
    assert task.code == "1"
    assert task.owners == ["Sở Tư pháp"] and task.co_owners == ["Các sở, ban, ngành"]
    assert task.budget.total == 1250
    assert (task.deadline.start, task.deadline.end) == (date(2020, 7, 1), date(2020, 9, 30))
    assert not any(t.text.startswith("CẢI CÁCH THỂ CHẾ") for t in extracted.tasks)  # a group row


SHIFTED = """STT\tNội dung\tKinh phí\t\t\tThực hiện\tPhối hợp
\t\tTổng kinh phí\tTrong đó\t\t\t
\t\tNguồn sự nghiệp\tNguồn ngân sách tỉnh\t\t\t
Hoạt động 1\tMua sắm thiết bị\t300\t100\t200\tVăn phòng UBND tỉnh\tSở Tài chính
Hoạt động 2\tThuê phần mềm\t50\t\t50\tSở Nội vụ\t
"""


def test_funding_sources_from_a_header_shifted_by_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "shifted.txt"
    path.write_text("Đơn vị tính: triệu đồng\n\n" + SHIFTED, encoding="utf-8")
    tasks = extract(repair(read(path))).tasks
    first, second = tasks
    assert (first.budget.total, first.budget.unit) == (300, "triệu đồng")
    assert first.budget.sources == {"Nguồn sự nghiệp": 100, "Nguồn ngân sách tỉnh": 200}
    assert second.budget.sources == {"Nguồn ngân sách tỉnh": 50}
    assert first.owners == ["Văn phòng UBND tỉnh"] and first.co_owners == ["Sở Tài chính"]
    assert second.owners == ["Sở Nội vụ"] and second.co_owners == []


def test_scores_from_a_criteria_table(tmp_path: Path) -> None:
    path = tmp_path / "scores.txt"
    path.write_text(
        "STT\tTiêu chí\tĐiểm chuẩn\tĐiểm thẩm định\tĐiểm bị mất\tGiải pháp\tCơ quan chủ trì\n"
        "1\tCÔNG TÁC CHỈ ĐẠO\t10\t5,1611\t4,8389\t\t\n"
        "1.2\tChế độ báo cáo\t3\t0,75\t2,25\tBáo cáo đúng hạn\tSở Nội vụ\n",
        encoding="utf-8",
    )
    result = extract(repair(read(path)))
    assert [(s.code, s.max_points, s.achieved_points, s.lost_points) for s in result.scores] == [
        ("1", 10, 5.1611, 4.8389),
        ("1.2", 3, 0.75, 2.25),
    ]
    (task,) = result.tasks
    assert (task.code, task.text, task.owners) == ("1.2", "Báo cáo đúng hạn", ["Sở Nội vụ"])


MISMATCH = """Đơn vị tính: triệu đồng

STT\tNội dung\tTổng kinh phí\tNguồn sự nghiệp\tNguồn ngân sách tỉnh\tThực hiện
LĨNH VỰC I\tCẢI CÁCH THỂ CHẾ\t500\t\t\t
Hoạt động 1.1\tTập huấn pháp chế\t300\t100\t150\tSở Tư pháp
Hoạt động 1.2\tRà soát văn bản\t100\t\t100\tSở Tư pháp
Tổng cộng\t\t500\t\t\t
"""


def test_budgets_that_do_not_add_up_become_items_for_review(tmp_path: Path) -> None:
    path = tmp_path / "budget.txt"
    path.write_text(MISMATCH, encoding="utf-8")
    result = extract(repair(read(path)))
    assert [t.budget.total for t in result.tasks] == [300, 100]  # printed amounts kept, nothing fixed
    items = {(i.kind, i.code, i.expected, i.found) for i in result.review_items}
    assert items == {
        ("budget_sources", "Hoạt động 1.1", 300, 250),
        ("budget_group_total", "LĨNH VỰC I", 500, 400),
    }


@pytest.mark.parametrize(
    ("sentence", "after", "acts"),
    [
        ("Văn phòng UBND tỉnh cập nhật kịp thời các nội dung chỉ đạo", "Văn phòng UBND tỉnh", True),
        ("Các sở, ban, ngành có liên quan trực tiếp đến kết quả thực hiện", "Các sở, ban, ngành", True),
        ("Sở Nội vụ (03 bản);", "Sở Nội vụ", False),
        ("Sở Nội vụ và Sở Tài chính", "Sở Nội vụ", False),
    ],
)
def test_an_agency_is_an_owner_when_it_is_the_subject_of_a_verb(sentence: str, after: str, acts: bool) -> None:
    from vnplan.extractors.nlp import verb_follows

    assert verb_follows(sentence, len(after)) is acts


APPENDED_PLAN = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

KẾ HOẠCH

Kiểm tra công tác cải cách hành chính năm 2026

I. NỘI DUNG KIỂM TRA

1. Việc ban hành và tổ chức thực hiện kế hoạch cải cách hành chính năm 2026.

2. Việc tuyên truyền cải cách hành chính trên địa bàn.

II. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ chủ trì tổ chức kiểm tra theo Kế hoạch này, báo cáo kết quả trước ngày 15/12/2026.

Phụ lục II

ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ KIỂM TRA

(Kèm theo Kế hoạch số /KH-UBND của UBND tỉnh Lâm Đồng)

I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH

1. Việc ban hành và tổ chức thực hiện kế hoạch cải cách hành chính của cơ quan, đơn vị.

2. Việc tự kiểm tra cải cách hành chính của cơ quan, đơn vị.
"""


def test_a_report_outline_appended_to_a_plan_gives_no_tasks(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(APPENDED_PLAN, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    texts = [t.text for t in tasks]
    assert any(t.startswith("Sở Nội vụ chủ trì tổ chức kiểm tra") for t in texts)
    assert not any("của cơ quan, đơn vị" in t for t in texts)  # the outline's items are what reports answer


DECISION_WITH_ITS_PLAN = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI

QUYẾT ĐỊNH

Phê duyệt Kế hoạch bảo đảm thoát nước mùa mưa năm 2026

Điều 1. Phê duyệt Kế hoạch bảo đảm thoát nước mùa mưa năm 2026, kèm theo Quyết định này.

Điều 2. Quyết định này có hiệu lực từ ngày ký.

Nơi nhận:

- Như Điều 2;

- Lưu: VT.

KẾ HOẠCH

Bảo đảm thoát nước mùa mưa năm 2026

(Kèm theo Quyết định số 2280/QĐ-UBND ngày 29/4/2026 của UBND Thành phố)

I. MỤC ĐÍCH, YÊU CẦU

- Phát huy hiệu quả tiêu thoát nước của hệ thống hiện có.

II. NỘI DUNG KẾ HOẠCH

1. Dự báo tình hình úng ngập trong mùa mưa năm 2026:

- Với các trận mưa có lượng mưa dưới 50mm/h: không xảy ra úng ngập, chỉ tồn tại một vài vị trí ứ đọng nước cục bộ.

2. Nhiệm vụ

- Sở Xây dựng tổ chức nạo vét hệ thống cống theo lưu vực trước ngày 15/5/2026.
"""


@pytest.mark.parametrize("title", ["Bảo đảm thoát nước mùa mưa năm 2026", "Phân bổ kinh phí thoát nước năm 2026"])
def test_a_plan_issued_with_a_decision_after_its_signature_gives_the_tasks(tmp_path: Path, title: str) -> None:
    source = tmp_path / "decision.txt"  # the plan's title does not decide whether it holds tasks; its sections do
    source.write_text(DECISION_WITH_ITS_PLAN.replace("Bảo đảm thoát nước mùa mưa năm 2026\n\n(Kèm", f"{title}\n\n(Kèm"),
                      encoding="utf-8")  # fmt: skip
    tasks = extract(repair(read(source))).tasks
    assert [t.text for t in tasks] == ["Sở Xây dựng tổ chức nạo vét hệ thống cống theo lưu vực trước ngày 15/5/2026."]
    assert tasks[0].owners == ["Sở Xây dựng"]  # the forecast is background; the decision's articles no tasks


BROKEN_DIRECTIVE = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI

CHỈ THỊ

Về việc tăng cường an toàn công trình cầu

Chủ tịch UBND tỉnh yêu cầu:

1. Sở Nông nghiệp và Phát triển nông thôn (Cơ quan Thường trực về

Phòng, chống thiên tai): Phối hợp Đài Khí tượng Thủy văn Quảng Ngãi theo dõi chặt chẽ diễn biến mưa, lũ.

2. Sở Thông tin và Truyền thông chủ động phối hợp Sở Nông nghiệp và

Phát triển nông thôn (Cơ quan Thường trực về Phòng, chống thiên tai), Sở Giao thông vận tải và các địa phương tuyên truyền cho Nhân dân.
"""


def test_items_broken_inside_a_parenthesis_or_after_và_are_joined(tmp_path: Path) -> None:
    source = tmp_path / "ct.txt"
    source.write_text(BROKEN_DIRECTIVE, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert tasks[0].owners == ["Sở Nông nghiệp và Phát triển nông thôn"]
    assert tasks[1].owners == ["Sở Thông tin và Truyền thông"]
    assert tasks[1].co_owners == ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải"]


NOTICE_WITHOUT_SECTIONS = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI

THÔNG BÁO

Về việc treo cờ Tổ quốc

Nhân dịp Đại hội đại biểu toàn quốc Mặt trận Tổ quốc Việt Nam lần thứ XI. Ủy ban nhân dân thành phố Hà Nội đề nghị các sở, ban, ngành và Ủy ban nhân dân các phường, xã treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026.

Ủy ban nhân dân các phường, xã có trách nhiệm chỉ đạo, kiểm tra việc treo cờ ở địa bàn dân cư; Thủ trưởng các cơ quan, đơn vị chỉ đạo, kiểm tra việc treo cờ ở các đơn vị thuộc quyền quản lý./.

Ủy ban nhân dân thành phố đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.
"""


def test_a_notice_of_unnumbered_paragraphs_gives_those_that_direct_an_action(tmp_path: Path) -> None:
    source = tmp_path / "tb.txt"  # no task section, no "… như sau:": each paragraph that directs is a task
    source.write_text(NOTICE_WITHOUT_SECTIONS, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.text[:20] for t in tasks] == ["Nhân dịp Đại hội đại", "Ủy ban nhân dân các "]
    assert tasks[0].owners == ["Các sở, ban, ngành", "UBND cấp xã"]  # those asked, not the speaker
    assert (tasks[0].deadline.start, tasks[0].deadline.end) == (date(2026, 5, 10), date(2026, 5, 14))
    assert tasks[1].owners == ["UBND cấp xã", "Các cơ quan, đơn vị"]  # each clause's subject
    # the last paragraph only asks to carry out the notice: the closing formula


REPORT = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

BÁO CÁO

Công tác cải cách hành chính quý I năm 2026 và phương hướng, nhiệm vụ quý II năm 2026

I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH

1. Về mô hình, sáng kiến, giải pháp mới

Các sở, ngành, địa phương ban hành các kế hoạch và triển khai các mô hình, giải pháp mới.

2. Về công tác kiểm tra

Ủy ban nhân dân tỉnh giao Sở Nội vụ tổng hợp tự đánh giá chỉ số cải cách hành chính hằng tháng.

II. KẾT QUẢ THỰC HIỆN

1. Cải cách tài chính công

Tổng số kiến nghị xử lý về tài chính: 8.332 triệu đồng.

III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2026

1. Tập trung triển khai các giải pháp nâng cao các chỉ số PAR INDEX, PAPI.

2. Sở Nội vụ rà soát, hoàn thiện các quy định về vị trí việc làm.
"""


LETTER = """BỘ CÔNG AN

Số: 3980/C04-P6

V/v chuẩn bị triển khai Chương trình

Kính gửi: Đồng chí Chủ tịch UBND tỉnh Lâm Đồng

1. Về cơ sở cai nghiện ma túy

Các cơ sở cai nghiện của tỉnh Lâm Đồng đã xuống cấp. Như vậy, để bảo đảm tiến độ, đề nghị Ủy ban nhân dân tỉnh chỉ đạo rà soát, lập hồ sơ đầu tư.

2. Về phối hợp

Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các sở, ban, ngành chủ động phối hợp, cung cấp thông tin kịp thời.

Cục Cảnh sát điều tra tội phạm về ma túy trân trọng cảm ơn sự quan tâm chỉ đạo của Đồng chí./.
"""


def test_a_central_letters_requests_are_the_addressed_provinces_tasks(tmp_path: Path) -> None:
    source = tmp_path / "cv.txt"  # its account, then "đề nghị UBND tỉnh …"; its thanks close it
    source.write_text(LETTER, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert [t.owners for t in tasks] == [["UBND tỉnh Lâm Đồng"]] * 2  # a ministry's letter keeps the province


def test_a_report_gives_tasks_only_from_its_part_that_looks_ahead(tmp_path: Path) -> None:
    source = tmp_path / "bc.txt"  # what it says was directed or done, even "giao Sở X …", is its account
    source.write_text(REPORT, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert {t.section for t in tasks} == {"III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2026"}
    assert tasks[1].owners == ["Sở Nội vụ"]


def test_a_reports_proposals_are_its_part_that_looks_ahead(tmp_path: Path) -> None:
    """ "IV. ĐỀ XUẤT, KIẾN NGHỊ" holds no word of a plan's task titles, yet it is what a report asks for (spec §3)."""
    source = tmp_path / "bc.txt"
    source.write_text(
        REPORT.split("III. PHƯƠNG HƯỚNG")[0]
        + "III. ĐỀ XUẤT, KIẾN NGHỊ\n\n1. Thủ trưởng các sở, ban, ngành:\n\n"
        + "a) Chủ động áp dụng và nhân rộng các mô hình, sáng kiến cải cách hành chính.\n\n"
        + "2. Văn phòng UBND tỉnh:\n\n"
        + "a) Hoàn thành việc công khai thủ tục hành chính trước ngày 30/11/2025.\n\n"
        + "b) Hướng dẫn, đôn đốc các cơ quan, địa phương thực hiện.\n\n"
        + "(Kèm theo dự thảo Văn bản chỉ đạo của Chủ tịch UBND tỉnh).\n",  # what is attached is no task
        encoding="utf-8",
    )
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["1.a", "2.a", "2.b"]
    assert [t.owners for t in tasks] == [["Các sở, ban, ngành"]] + [["Văn phòng UBND tỉnh"]] * 2


RESOLUTION = """CHÍNH PHỦ

NGHỊ QUYẾT

Về việc chuyển giao Vườn quốc gia Ba Vì về Ủy ban nhân dân Thành phố Hà Nội quản lý

Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;

QUYẾT NGHỊ:

Điều 1.

1. Đồng ý chủ trương chuyển giao Vườn quốc gia Ba Vì về Ủy ban nhân dân Thành phố Hà Nội trực tiếp quản lý.

2. Giao Bộ Nông nghiệp và Môi trường chủ trì, phối hợp với các cơ quan có liên quan tổ chức bàn giao nguyên trạng tổ chức bộ máy.

3. Giao Ủy ban nhân dân Thành phố Hà Nội:

a) Phối hợp với Bộ Nông nghiệp và Môi trường tổ chức tiếp nhận và quản lý Vườn quốc gia Ba Vì.

b) Chủ trì thống nhất quản lý toàn bộ diện tích, ranh giới Vườn quốc gia Ba Vì.

Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.

Điều 3. Các Bộ trưởng, Chủ tịch Ủy ban nhân dân Thành phố Hà Nội chịu trách nhiệm thi hành Nghị quyết này./.
"""


def test_a_resolution_gives_the_articles_that_assign_work(tmp_path: Path) -> None:
    source = tmp_path / "nq.txt"  # "QUYẾT NGHỊ:" opens articles read as a decision's, whatever the type
    source.write_text(RESOLUTION, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [t.code for t in tasks] == ["2", "3.a", "3.b"]  # no approval, no entry into force, no "thi hành"
    assert tasks[0].owners == ["Bộ Nông nghiệp và Môi trường"]
    assert [t.owners for t in tasks[1:]] == [["UBND thành phố Hà Nội"]] * 2
    assert tasks[1].co_owners == ["Bộ Nông nghiệp và Môi trường"]


def passages_of(texts: list[str]) -> list[Passage]:
    return [Passage(1, 595.0, text, BlockKind.PARAGRAPH, [], [0]) for text in texts]


def test_the_province_a_central_document_writes_to() -> None:
    texts = ["Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng", "Tỉnh Lâm Đồng hiện có 04 cơ sở; tỉnh Lâm Đồng được bố trí"]
    assert addressed_province(passages_of(texts)) == "Lâm Đồng"
    assert addressed_province(passages_of(["UBND tỉnh Phú Thọ, tỉnh Hòa Bình và tỉnh Sơn La"])) is None


SUBMISSION_WITH_DRAFT = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI

TỜ TRÌNH

Về việc đề nghị giao dự toán năm 2025 cho Sở Dân tộc - Tôn giáo tỉnh

Kính gửi: Hội đồng nhân dân tỉnh

Ủy ban nhân dân tỉnh kính trình Hội đồng nhân dân tỉnh xem xét, giao dự toán năm 2025 là 10.506 triệu đồng.

Nơi nhận:

- Thường trực HĐND tỉnh;

- Lưu: VT.

DỰ THẢO NGHỊ QUYẾT

Về giao dự toán năm 2025 cho Sở Dân tộc - Tôn giáo tỉnh

Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;

QUYẾT NGHỊ:

Điều 1. Giao dự toán năm 2025 cho Sở Dân tộc - Tôn giáo tỉnh là 10.506 triệu đồng.

Điều 2. Tổ chức thực hiện

1. Ủy ban nhân dân tỉnh triển khai thực hiện Nghị quyết.

2. Thường trực Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết.

Điều 3. Nghị quyết này có hiệu lực thi hành từ ngày thông qua./.
"""


def test_a_draft_resolution_sent_with_a_submission_is_read_as_its_own_body(tmp_path: Path) -> None:
    source = tmp_path / "ttr.txt"  # after the Tờ trình's signature: its own heading, then "QUYẾT NGHỊ:"
    source.write_text(SUBMISSION_WITH_DRAFT, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [(t.section, t.code) for t in tasks] == [
        ("Điều 2. Tổ chức thực hiện", "1"),
        ("Điều 2. Tổ chức thực hiện", "2"),
    ]
    assert [t.owners for t in tasks] == [["UBND tỉnh"], ["Thường trực HĐND tỉnh"]]


RULES_ISSUED_BY_DECISION = """ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ

QUY ĐỊNH

Việc tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ

(Ban hành kèm theo Quyết định số 09/2010/QĐ-UBND ngày 21 tháng 01 năm 2010)

Điều 2. Tuyển chọn tổ chức, cá nhân chủ trì thực hiện các nhiệm vụ khoa học và công nghệ

1. Tuyển chọn là việc lựa chọn một tổ chức, cá nhân có năng lực tốt nhất để chủ trì nhiệm vụ.

2. Tuyển chọn được áp dụng cho các nhiệm vụ có nhiều tổ chức có khả năng tham gia.

Điều 11. Mở Hồ sơ

1. Sở Khoa học và Công nghệ chịu trách nhiệm mở hồ sơ tuyển chọn, xét chọn.

Điều 18. Tổ chức thực hiện

1. Giám đốc Sở Khoa học và Công nghệ có trách nhiệm hướng dẫn các đơn vị có liên quan thực hiện Quy định này.
"""


def test_rules_issued_by_a_decision_give_only_the_articles_that_assign_their_carrying_out(tmp_path: Path) -> None:
    source = tmp_path / "quy-dinh.txt"  # its articles are norms; "nhiệm vụ" is what they are about
    source.write_text(RULES_ISSUED_BY_DECISION, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert [(t.section, t.owners) for t in tasks] == [("Điều 18. Tổ chức thực hiện", ["Sở Khoa học và Công nghệ"])]


CONTACTS_PLAN = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI

KẾ HOẠCH

Thoát nước mùa mưa năm 2026

III. TỔ CHỨC THỰC HIỆN

1. Sở Xây dựng chủ trì kiểm tra, đôn đốc các đơn vị thoát nước trên địa bàn.

2. Số điện thoại trực bão của các đơn vị:

- Trung tâm Quản lý hạ tầng kỹ thuật thành phố Hà Nội: 0243.6269.37.23

- Công ty TNHH MTV Thoát nước Hà Nội: 0243.974.62.25 – 0243.976.22.45.
"""


def test_a_contact_list_gives_no_tasks(tmp_path: Path) -> None:
    source = tmp_path / "kh.txt"  # a body and its telephone numbers: where to call, not work
    source.write_text(CONTACTS_PLAN, encoding="utf-8")
    assert [t.code for t in extract(repair(read(source))).tasks] == ["1"]


CLOSING_WITH_A_DUTY = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI

CHỈ THỊ

Về việc tăng cường công tác thi hành án hành chính

1. Sở Tư pháp chủ trì triển khai Luật Tố tụng hành chính trên địa bàn tỉnh.

2. Tổ chức thực hiện

a) Đề nghị Tòa án nhân dân tỉnh:

Phối hợp với cơ quan Thi hành án dân sự trong việc chuyển giao kịp thời các bản án.

Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành triển khai thực hiện nghiêm túc Chỉ thị này. Giao Cục Thi hành án dân sự tỉnh theo dõi, đôn đốc việc thực hiện Chỉ thị, định kỳ báo cáo kết quả với Ủy ban nhân dân tỉnh./.
"""


def test_a_closing_paragraph_that_also_sets_a_duty_gives_that_duty(tmp_path: Path) -> None:
    source = tmp_path / "ct.txt"  # the formula's sentence is none; the duty after it is a task, its own words' owner's
    source.write_text(CLOSING_WITH_A_DUTY, encoding="utf-8")
    tasks = extract(repair(read(source))).tasks
    assert tasks[-1].text.startswith("Giao Cục Thi hành án dân sự tỉnh theo dõi")
    assert tasks[-1].owners == ["Cục Thi hành án dân sự tỉnh"]
    assert len(tasks) == 3


LEAD_IN_OVER_PARAGRAPHS = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI

KẾ HOẠCH

Thoát nước mùa mưa năm 2026

II. NHIỆM VỤ VÀ GIẢI PHÁP

1. Tuyến phố Nguyễn Trãi

Giải pháp lâu dài:

Sở Xây dựng nghiên cứu cải tạo hệ thống cống thoát nước trên tuyến phố.
"""


def test_a_lead_in_over_paragraphs_is_no_task(tmp_path: Path) -> None:
    source = tmp_path / "kh.txt"  # "Giải pháp lâu dài:" introduces the paragraph after it, which is the task
    source.write_text(LEAD_IN_OVER_PARAGRAPHS, encoding="utf-8")
    assert [t.text[:18] for t in extract(repair(read(source))).tasks] == ["Sở Xây dựng nghiên"]


@pytest.mark.parametrize("line", ["| VĂN PHÒNG CHÍNH PHỦ", "I VĂN PHÒNG CHÍNH PHỦ"])
def test_a_lone_stroke_before_capitals_is_no_roman_heading(line: str) -> None:
    assert label_of(line)[0] == "paragraph"  # a received stamp's debris: without a dot, two Roman letters or more
