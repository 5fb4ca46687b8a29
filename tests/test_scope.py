"""The outline and the named scope rules of spec §3 ("Who owns a task, and when it is due"), one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnplan.extractors import extract
from vnplan.extractors.body_tasks import section_kind
from vnplan.extractors.outline import build_outline
from vnplan.extractors.passages import passages
from vnplan.extractors.scope import (
    Scope,
    addressee,
    duty_subjects,
    field_line,
    named_addressee,
    own_words,
    owners_of_list,
    resolve,
)
from vnplan.normalizers.agencies import LOCAL_TIER, PROVINCE_BODIES, ProvinceBodies, split_agency_list
from vnplan.pipeline.read import read
from vnplan.pipeline.repair import repair


def test_field_lines_name_the_field_they_fill() -> None:
    assert field_line("Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tài chính") == (
        "owners",
        "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính",
    )
    assert field_line("Đơn vị chủ trì thực hiện: Sở Tư pháp") == ("owners", "Sở Tư pháp")
    assert field_line("Đơn vị phối hợp: Các sở, ban, ngành") == ("co_owners", "Các sở, ban, ngành")
    assert field_line("Thời gian thực hiện: Quý II/2025")[0] == "deadline"
    assert field_line("Sản phẩm: Báo cáo kết quả")[0] == "target"
    assert field_line("Sở Nội vụ chủ trì thực hiện kế hoạch") is None


def test_a_lead_with_partners_and_a_plain_list() -> None:
    assert owners_of_list("Sở Nội vụ chủ trì, phối hợp với Sở Tài chính, các cơ quan, đơn vị liên quan") == (
        ["Sở Nội vụ"],
        ["Sở Tài chính"],  # the catch-all partner is left out
    )
    assert owners_of_list("Sở Tư pháp; Sở Tài chính") == (["Sở Tư pháp", "Sở Tài chính"], [])


def test_addressee_headings() -> None:
    assert addressee("Sở Tư pháp").owners == ["Sở Tư pháp"]
    scope = addressee("Sở Nội vụ: Chủ trì, phối hợp với Văn phòng UBND tỉnh, Sở Tư pháp thực hiện:")
    assert scope.owners == ["Sở Nội vụ"]
    assert scope.co_owners == ["Văn phòng UBND tỉnh", "Sở Tư pháp"]
    assert addressee("Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các xã, phường").owners == [
        "Các sở, ban, ngành",
        "UBND cấp xã",
    ]
    assert addressee(
        "Thủ trưởng các Sở, ban, ngành của tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thành phố trong tỉnh có trách nhiệm:"
    ).owners == ["Các sở, ban, ngành", "UBND cấp huyện"]
    assert addressee("Trách nhiệm của người đứng đầu các cơ quan, đơn vị trong công tác cải cách").owners == [
        "Các cơ quan, đơn vị"
    ]
    assert addressee("Giao Ban Quản lý dự án đầu tư xây dựng số 1:").owners == [
        "Ban Quản lý dự án đầu tư xây dựng số 1"
    ]
    assert addressee("Sở Nội vụ đã tham mưu ban hành nhiều văn bản").owners == []  # a sentence, not a heading


def test_a_lead_in_that_turns_to_the_body_it_asks_addresses_that_body() -> None:
    assert addressee("3. Kiến nghị, đề xuất: Trung tâm kính đề xuất UBND tỉnh:").owners == ["UBND tỉnh"]
    assert addressee("Để thực hiện tốt nhiệm vụ trên, Sở Tài chính kiến nghị Bộ Tài chính:").owners == ["Bộ Tài chính"]
    assert addressee("Kiến nghị, đề xuất:").owners == []  # a title only: no body asked
    # the body asked and then what it does is a sentence, not an addressee heading: its items name their own
    assert addressee("Bộ Công an đề nghị các bộ, ngành triển khai một số nội dung sau:").owners == []


def test_own_words_subject_lead_and_partners() -> None:
    assert own_words("Sở Tài chính bố trí kinh phí thực hiện").owners == ["Sở Tài chính"]
    scope = own_words("Tuyên truyền trên sóng (do Đài Phát thanh - Truyền hình tỉnh chủ trì, phối hợp với Sở TT&TT).")
    assert scope.owners == ["Đài Phát thanh và Truyền hình tỉnh"]
    assert scope.co_owners == ["Sở Thông tin và Truyền thông"]
    assert own_words("Phối hợp với Sở Y tế kiểm tra, báo cáo UBND tỉnh").co_owners == [
        "Sở Y tế"
    ]  # a recipient is no partner
    assert own_words(
        "Sở Nội vụ phối hợp với các đơn vị thuộc Bộ Nội vụ và các đơn vị liên quan điều tra"
    ).co_owners == [
        "Các đơn vị thuộc Bộ Nội vụ"  # a kind of body is kept as written, the catch-all dropped
    ]
    assert own_words("Chủ trì, phối hợp với Sở Tài chính, Sở Tư pháp; UBND các huyện, thành phố tổ chức").co_owners == [
        "Sở Tài chính",  # "tài" of Tài chính is not the preposition "tại"
        "Sở Tư pháp",
        "UBND cấp huyện",
    ]
    assert own_words("Thực hiện nghiêm các quy định do UBND tỉnh ban hành").owners == []  # "do X ban hành" is no lead


def test_precedence_block_then_own_words_then_heading() -> None:
    heading = Scope(owners=["Sở Nội vụ"], co_owners=["Sở Tư pháp"])
    own = Scope(owners=["UBND cấp huyện"])
    block = Scope(owners=["Sở Tài chính"])
    assert resolve(block, own, heading).owners == ["Sở Tài chính"]
    assert resolve(None, own, heading).owners == ["UBND cấp huyện"]
    merged = resolve(None, Scope(co_owners=["Sở Y tế"]), heading)
    assert merged.owners == ["Sở Nội vụ"]
    assert merged.co_owners == ["Sở Tư pháp", "Sở Y tế"]  # an item's own partner adds to the heading's


DECISION = """QUYẾT ĐỊNH

Phê duyệt Chương trình hành động năm 2025

II. NỘI DUNG HOẠT ĐỘNG

1. Cải cách thủ tục hành chính

1.1. Rà soát, đơn giản hóa thủ tục hành chính nội bộ.

1.2. Công khai thủ tục hành chính trên Cổng dịch vụ công.

- Cơ quan thực hiện: Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Tư pháp.

- Thời gian thực hiện: Quý II/2025.

1.3. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.

- Đơn vị chủ trì thực hiện: Sở Khoa học và Công nghệ.

2. Giao Sở Tư pháp

a) Theo dõi thi hành pháp luật về xử lý vi phạm hành chính.

b) Tổng hợp báo cáo UBND tỉnh trước ngày 15/12/2025.

III. KINH PHÍ

1. Kinh phí thực hiện từ ngân sách tỉnh.
"""


def test_a_labelled_block_covers_the_items_since_the_previous_block(tmp_path: Path) -> None:
    path = tmp_path / "decision.txt"
    path.write_text(DECISION, encoding="utf-8")
    tasks = {t.text[:20]: t for t in extract(repair(read(path))).tasks}
    assert set(tasks) == {
        "Rà soát, đơn giản hó",
        "Công khai thủ tục hà",
        "Số hóa hồ sơ, kết qu",
        "Theo dõi thi hành ph",
        "Tổng hợp báo cáo UBN",
    }  # field lines and the Kinh phí section give no task
    for key in ("Rà soát, đơn giản hó", "Công khai thủ tục hà"):  # the block after 1.1 and 1.2 covers both
        assert tasks[key].owners == ["Văn phòng UBND tỉnh"]
        assert tasks[key].co_owners == ["Sở Tư pháp"]
        assert tasks[key].deadline.end.isoformat() == "2025-06-30"
    assert tasks["Số hóa hồ sơ, kết qu"].owners == ["Sở Khoa học và Công nghệ"]
    assert tasks["Số hóa hồ sơ, kết qu"].deadline is None
    assert tasks["Theo dõi thi hành ph"].owners == ["Sở Tư pháp"]  # the addressee heading "2. Giao Sở Tư pháp"
    assert tasks["Tổng hợp báo cáo UBN"].deadline.end.isoformat() == "2025-12-15"


def test_outline_nests_label_styles_in_the_order_first_used(tmp_path: Path) -> None:
    path = tmp_path / "decision.txt"
    path.write_text(DECISION, encoding="utf-8")
    root = build_outline(passages(repair(read(path))))
    top = [n.printed() for n in root.items]
    assert top == ["II. NỘI DUNG HOẠT ĐỘNG", "III. KINH PHÍ"]
    part = root.items[0]
    assert [n.label for n in part.items] == ["1", "2"]
    assert [n.label for n in part.items[0].items] == ["1.1", "1.2", "1.3"]
    assert [n.label for n in part.items[1].items] == ["a", "b"]


def test_bodies_the_alias_table_does_not_know() -> None:
    assert named_addressee("Các khoa tham gia khảo sát").owners == ["Các khoa tham gia khảo sát"]
    assert named_addressee("Phòng Công nghệ thông tin").owners == ["Phòng Công nghệ thông tin"]
    assert named_addressee("Các giải pháp chủ yếu").owners == []  # a section title, not a body
    assert own_words("Công ty Điện lực Quảng Ngãi bảo đảm nguồn điện phục vụ Kỳ thi").owners == [
        "Công ty Điện lực Quảng Ngãi"
    ]
    assert split_agency_list("Theo phân công tại Quyết định số 1737/QĐ-UBND") == []  # no body is named
    assert own_words("Trung tâm Quản lý chất lượng thực hiện chọn mẫu ngẫu nhiên").owners == [
        "Trung tâm Quản lý chất lượng"  # the name ends at the clause's verb (underthesea's tagger)
    ]


def test_a_bare_local_partner_is_the_commune_tier_where_there_is_one_tier() -> None:
    assert split_agency_list("Các sở, ban, ngành, địa phương") == ["Các sở, ban, ngành"]
    token = LOCAL_TIER.set("UBND cấp xã")
    try:
        assert split_agency_list("Các sở, ban, ngành, địa phương") == ["Các sở, ban, ngành", "UBND cấp xã"]
    finally:
        LOCAL_TIER.reset(token)


def test_a_subject_after_an_opening_clause_and_a_long_list_of_subjects() -> None:
    assert own_words("Căn cứ Kế hoạch này, các cơ quan, đơn vị, địa phương chủ động xây dựng kế hoạch").owners == [
        "Các cơ quan, đơn vị, địa phương"
    ]
    ministries = "Các Bộ: Công Thương, Khoa học và Công nghệ, Nội vụ, Công an, Tài chính, Văn hóa, Thể thao và Du lịch"
    assert own_words(f"{ministries}, Xây dựng, Y tế nghiên cứu nội dung báo cáo").owners[-2:] == [
        "Bộ Xây dựng",
        "Bộ Y tế",
    ]


def test_a_company_named_with_commas_and_departments_listed_after_their_kind() -> None:
    company = "Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi"
    assert own_words(f"{company} tiếp thu các ý kiến tại cuộc họp, khẩn trương rà soát").owners == [company]
    scope = own_words(f"Giao Sở Nội vụ chủ trì, phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư, {company} rà soát")
    assert scope.owners == ["Sở Nội vụ"]
    assert scope.co_owners == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư", company]
    assert own_words("Công ty Điện lực Quảng Ngãi bảo đảm cung cấp điện cho Sở Y tế").owners == [
        "Công ty Điện lực Quảng Ngãi"
    ]


def test_a_heading_that_assigns_to_a_body_with_commas_in_its_name() -> None:
    centre = "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh"
    assert named_addressee(f"Giao {centre}").owners == [centre]  # the heading "a) Giao …" without its label
    lead_in = f"Thống nhất tổ chức Hội nghị theo đề xuất của Trung tâm. Giao {centre}:"
    assert addressee(lead_in).owners == [centre]
    assert addressee(f"Về nội dung dự thảo Kế hoạch, giao {centre}:").owners == [centre]
    partners = own_words("Phối hợp với Liên đoàn Thương mại và Công nghiệp Việt Nam (VCCI) rà soát dự toán")
    assert partners.co_owners == ["Liên đoàn Thương mại và Công nghiệp Việt Nam"]


def test_a_title_naming_whose_duties_follow_gives_their_owner() -> None:
    assert addressee("Chức năng, nhiệm vụ của Tổ giúp việc về Cải cách hành chính").owners == [
        "Tổ giúp việc về Cải cách hành chính"  # a body the alias table does not know, named by the title
    ]
    assert addressee("Nhiệm vụ, hoạt động của Tổ giúp việc").owners == ["Tổ giúp việc"]
    assert addressee("Nhiệm vụ của Sở Nội vụ").owners == ["Sở Nội vụ"]
    assert addressee("Nhiệm vụ trọng tâm năm 2026").owners == []  # a task section's title names no body


ARTICLES = """QUYẾT ĐỊNH

Về việc thành lập Tổ giúp việc

QUYẾT ĐỊNH:

Điều 1. Thành lập Tổ giúp việc gồm các ông (bà) có tên sau đây:

1. Tổ trưởng: Giám đốc Sở Nội vụ.

Điều 2. Nhiệm vụ, hoạt động của Tổ giúp việc
Tổ giúp việc có trách nhiệm tham mưu Hội đồng tổng hợp, chấm điểm và báo cáo kết quả Chỉ số cải cách hành chính.

Điều 3. Quyết định này có hiệu lực kể từ ngày ký.

KT. CHỦ TỊCH

- Ông Nguyễn Văn A (để thực hiện);
"""


def test_an_article_title_keeps_its_line_and_names_the_owner_of_its_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "decision.txt"
    path.write_text(ARTICLES, encoding="utf-8")
    tasks = extract(repair(read(path))).tasks
    assert [(t.code, t.owners) for t in tasks] == [("Điều 2", ["Tổ giúp việc"])]
    assert tasks[0].text.startswith("Tổ giúp việc có trách nhiệm")  # the title is the section, not the text
    assert tasks[0].section == "Điều 2. Nhiệm vụ, hoạt động của Tổ giúp việc"


def test_the_signature_block_ends_the_body(tmp_path: Path) -> None:
    path = tmp_path / "decision.txt"
    path.write_text(ARTICLES, encoding="utf-8")
    texts = [n.text for n in build_outline(passages(repair(read(path)))).walk()]
    assert not any("Nguyễn Văn A" in t for t in texts)  # "KT. CHỦ TỊCH" and what follows are not the body


def test_partners_follow_phoi_hop_voi_not_the_noun_phoi_hop() -> None:
    assert own_words("Nâng cao hiệu quả công tác phối hợp kiểm soát của Tổ Công tác và địa phương").co_owners == []
    assert own_words("Phối hợp phòng CNTT bảo đảm điều kiện kỹ thuật").co_owners == ["Phòng CNTT"]
    assert own_words("Phối hợp Sở Tài chính rà soát").co_owners == ["Sở Tài chính"]


LETTER = """VĂN PHÒNG CHÍNH PHỦ

Số: 3722/VPCP-CN

V/v cơ chế đặc thù xây dựng công trình khẩn cấp

Kính gửi:
- Các Bộ: Công an, Tư pháp, Tài chính;
- Ủy ban nhân dân tỉnh Đồng Nai.

Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND, Phó Thủ tướng có ý kiến như sau:

Giao các Bộ: Công an, Tài chính, Tư pháp có ý kiến đối với đề xuất của Ủy ban nhân dân tỉnh Đồng Nai, gửi trước ngày 10 tháng
5 năm 2026 để nghiên cứu, tiếp thu, báo cáo Thủ tướng Chính phủ.

Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.
"""


def test_a_letter_s_instruction_after_its_preamble_is_a_task(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    tasks = extract(repair(read(path))).tasks
    assert len(tasks) == 1  # the "Kính gửi:" list, the preamble and the closing line are no tasks
    assert tasks[0].text.startswith("Giao các Bộ") and tasks[0].text.endswith("Thủ tướng Chính phủ.")
    assert tasks[0].owners == ["Bộ Công an", "Bộ Tài chính", "Bộ Tư pháp"]
    assert tasks[0].deadline is not None and tasks[0].deadline.end.isoformat() == "2026-05-10"


def test_the_recipients_list_is_not_over_the_letter_and_a_date_s_number_is_no_label(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    root = build_outline(passages(repair(read(path))))
    assert [n.style for n in root.children if n.text.startswith(("Xét", "Giao", "Văn phòng"))] == ["paragraph"] * 3
    assert not any(n.label == "5" for n in root.walk())  # "… trước ngày 10 tháng" | "5 năm 2026": a date


def test_a_province_level_body_the_table_does_not_know_drops_the_province_s_name() -> None:
    assert split_agency_list("Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh Quảng Ngãi") == [
        "Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh"
    ]


GUIDANCE = """BỘ NỘI VỤ

V/v hướng dẫn triển khai Đề án

Thực hiện Quyết định số 1187/QĐ-BNV, Bộ Nội vụ hướng dẫn các bộ, cơ quan ngang bộ (gọi tắt là bộ) và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương (gọi tắt là tỉnh) thực hiện một số nội dung như sau:

1. Về công tác tự đánh giá, chấm điểm

a) Hướng dẫn tự đánh giá, chấm điểm:

- Căn cứ kết quả thực tế đạt được, các bộ, tỉnh triển khai công tác tự đánh giá, chấm điểm đối với từng tiêu chí.

- Đăng nhập phần mềm tại địa chỉ đã được cung cấp và nhập dữ liệu kết quả.

b) Nhập dữ liệu vào phần mềm theo các bước sau:
Bước 1: Đăng nhập phần mềm
Đăng nhập phần mềm theo tài khoản đã được cung cấp.
Bước 2: Gửi kết quả
Gửi kết quả tự đánh giá qua phần mềm.
"""


def test_short_names_a_document_defines_and_a_guidance_letter_s_addressees(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    tasks = {t.text[:12]: t for t in extract(repair(read(path))).tasks}
    both = ["Các bộ, cơ quan ngang bộ", "UBND các tỉnh, thành phố"]
    assert tasks["Căn cứ kết q"].owners == both  # "các bộ, tỉnh": the short names "(gọi tắt là bộ)", "(… là tỉnh)"
    assert tasks["Đăng nhập ph"].owners == both  # no subject: the letter's "hướng dẫn X … như sau:" addresses it
    # "Về công tác tự đánh giá": an activity's title, not an assessment ("Đánh giá" only opens background)
    assert {t.code for t in tasks.values()} >= {"Bước 1", "Bước 2"}  # steps a reader joined to the lead-in


def test_a_background_word_makes_a_title_background_only_as_its_first_word() -> None:
    assert section_kind("Tình hình thực hiện nhiệm vụ") is False
    assert section_kind("I. KẾT QUẢ ĐẠT ĐƯỢC") is None or section_kind("KẾT QUẢ ĐẠT ĐƯỢC") is False
    assert section_kind("Hướng dẫn tự đánh giá, chấm điểm") is None
    assert section_kind("Kinh phí thực hiện nhiệm vụ") is False  # "Kinh phí" at any level gives no tasks


def test_district_tier_with_towns_and_an_item_s_topic_label() -> None:
    assert split_agency_list("Các sở, ban, ngành, huyện, thị xã") == ["Các sở, ban, ngành", "UBND cấp huyện"]
    assert split_agency_list("Ủy ban nhân dân huyện, thị xã") == ["UBND cấp huyện"]


def test_an_item_s_own_subject_after_a_topic_label(tmp_path: Path) -> None:
    path = tmp_path / "directive.txt"
    text = (
        "CHỈ THỊ\n\nVề việc đẩy mạnh hoạt động khoa học\n\n1. Phân cấp quản lý nhà nước\n\n"
        "a) Thanh tra khoa học và công nghệ: Ủy ban nhân dân các huyện, thị xã làm đầu mối phát hiện, đề xuất xử lý.\n"
    )
    path.write_text(text, encoding="utf-8")
    assert [t.owners for t in extract(repair(read(path))).tasks] == [["UBND cấp huyện"]]


NOTICE = """THÔNG BÁO

Kết luận của Thủ tướng Chính phủ

1. Về triển khai các Nghị quyết

a) Thời hạn thực hiện:
Các bộ, cơ quan ngang bộ hoàn thành việc rà soát trước ngày 30/6/2026.

2.Bộ trưởng, Thủ trưởng cơ quan ngang bộ trực tiếp chỉ đạo việc thực hiện các nhiệm vụ nêu trên.

3. Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện các nhiệm vụ nêu trên./.
"""


def test_a_title_ending_in_a_colon_a_label_without_its_space_and_a_last_numbered_item(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    tasks = extract(repair(read(path))).tasks
    assert [t.code for t in tasks] == ["1.a", "2", "3"]  # "a) Thời hạn thực hiện:" introduces its paragraph
    assert tasks[1].owners == ["Các bộ, cơ quan ngang bộ"]  # "2.Bộ trưởng …": a label that lost its space
    assert tasks[2].owners == ["Văn phòng Chính phủ"]  # the last item, "./." and all, is still a task


def test_partners_whose_names_hold_an_action_word_or_end_on_tinh() -> None:
    scope = own_words("Phối hợp với Ban Quản lý dự án đầu tư xây dựng số 1, Sở Xây dựng rà soát hồ sơ")
    assert set(scope.co_owners) == {"Ban Quản lý dự án đầu tư xây dựng số 1", "Sở Xây dựng"}
    scope = own_words("Phối hợp với Trung tâm Phát triển quỹ đất tỉnh tập trung xét pháp lý")
    assert scope.co_owners == ["Trung tâm Phát triển quỹ đất tỉnh"]
    assert own_words("Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh chủ động xây dựng kế hoạch").owners == [
        "Các cơ quan, đơn vị, địa phương"  # "trên địa bàn tỉnh" says where, it names no other body
    ]


def test_a_recipients_list_ending_in_luu_vt_ends_the_body_when_nothing_heads_it(tmp_path: Path) -> None:
    path = tmp_path / "directive.txt"
    text = (
        "CHỈ THỊ\n\nVề tổ chức Kỳ thi\n\n1. Sở Giáo dục và Đào tạo chủ trì tổ chức Kỳ thi an toàn, nghiêm túc.\n\n"
        "- Bộ Giáo dục và Đào tạo;\n\n- Thường trực Tỉnh ủy;\n\nĐặng Văn Minh\n\n- Công an tỉnh;\n\n"
        "- Công ty Điện lực Quảng Ngãi;\n\n- Lưu: VT, KGVX.\n"
    )
    path.write_text(text, encoding="utf-8")
    assert [t.code for t in extract(repair(read(path))).tasks] == ["1"]  # the list a scan's layout left unheaded


def test_province_level_bodies_every_province_has() -> None:
    assert split_agency_list("Tòa án nhân dân tỉnh; Viện kiểm sát nhân dân tỉnh") == [
        "Tòa án nhân dân tỉnh",
        "Viện kiểm sát nhân dân tỉnh",
    ]
    assert own_words("Báo và Đài Phát thanh, Truyền hình Lâm Đồng tăng cường công tác tuyên truyền").owners == [
        "Báo và Phát thanh, Truyền hình tỉnh"
    ]
    assert split_agency_list("các cơ quan Trung ương đóng trên địa bàn") == ["Các cơ quan Trung ương trên địa bàn tỉnh"]


def test_ministries_agencies_and_localities_as_one_catch_all_lead() -> None:
    assert own_words("Các Bộ, cơ quan, địa phương tải tài liệu Phiên họp").owners == ["Các Bộ, cơ quan, địa phương"]


def test_a_long_cooperation_sentence_after_its_subjects_is_a_task_not_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "directive.txt"
    item = (
        "6. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh phối hợp, hỗ trợ chính quyền địa phương, Sở Giao thông vận tải "
        "trong công tác phân luồng, đảm bảo an toàn giao thông, cứu hộ, cứu nạn khi có sự cố xảy ra."
    )
    path.write_text(f"CHỈ THỊ\n\nVề bảo đảm an toàn\n\n{item}\n\nYêu cầu Thủ trưởng các cơ quan triển khai thực\n")
    tasks = extract(repair(read(path))).tasks
    assert [t.code for t in tasks][:1] == ["6"]
    assert tasks[0].owners == ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]


def test_a_qualified_catch_all_body_and_a_city_s_district_tier() -> None:
    assert split_agency_list("Các cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước") == [
        "Các cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước"  # one body: the catch-all and what qualifies it
    ]
    assert split_agency_list("Sở Tài chính; UBND các quận, huyện, thị xã") == ["Sở Tài chính", "UBND cấp huyện"]


def test_an_item_that_assigns_work_in_a_plan_s_part_whose_title_says_neither(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    text = (
        "KẾ HOẠCH\n\nKiểm tra công tác cải cách hành chính năm 2026\n\n"
        "I. ĐOÀN KIỂM TRA, ĐƠN VỊ ĐƯỢC KIỂM TRA\n\n"
        "1. Chủ tịch UBND tỉnh giao Sở Nội vụ chủ trì phối hợp với các ngành có liên quan tổ chức kiểm tra.\n\n"
        "2. Số lượng đơn vị kiểm tra: Tối thiểu 20% cơ quan chuyên môn thuộc UBND tỉnh.\n\n"
        "II. MỤC ĐÍCH\n\n1. Giao Sở Tư pháp theo dõi việc kiểm tra.\n"
    )
    path.write_text(text, encoding="utf-8")
    tasks = extract(repair(read(path))).tasks
    assert [(t.code, t.owners) for t in tasks] == [("1", ["Sở Nội vụ"])]  # not item 2, nor under "Mục đích"


def test_a_heading_naming_a_qualified_catch_all_body_and_partners_ending_at_an_adverb() -> None:
    assert addressee("Các cơ quan, đơn vị được kiểm tra").owners == ["Các cơ quan, đơn vị được kiểm tra"]
    assert own_words("Phối hợp với Cơ quan Thuế kịp thời tháo gỡ những khó khăn").co_owners == ["Cơ quan Thuế"]


def test_ministries_and_agencies_concerned_are_a_partner_that_names_a_tier() -> None:
    assert own_words("Bộ Tài chính chủ trì, phối hợp với các bộ, cơ quan liên quan hoàn thiện hồ sơ").co_owners == [
        "Các bộ, cơ quan liên quan"  # not a catch-all: "bộ" names the ministries' tier
    ]


def test_a_title_that_opens_with_a_score_is_background() -> None:
    assert section_kind("Điểm tự đánh giá, chấm điểm năm 2020") is False  # the points a criterion scored


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("UBND các phường, xã có trách nhiệm chỉ đạo, kiểm tra; Thủ trưởng các cơ quan, đơn vị chỉ đạo việc treo cờ",
         ["UBND cấp xã", "Các cơ quan, đơn vị"]),
        ("Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành; UBND cấp xã rà soát hồ sơ", ["Các sở, ban, ngành", "UBND cấp xã"]),
        ("Khi xảy ra sự cố, UBND huyện Nghĩa Hành phối hợp với Công an tỉnh xử lý", ["UBND huyện Nghĩa Hành"]),
        ("Sở Nội vụ đã tham mưu ban hành kế hoạch kiểm tra", []),  # reported work
        ("Ủy ban nhân dân tỉnh ban hành Kế hoạch số 962/KH-UBND về kiểm tra", []),
        ("Tỉnh Lâm Đồng hiện có 04 cơ sở cai nghiện cần cải tạo", []),
    ],
)  # fmt: skip
def test_duty_subjects_are_agencies_given_duties_or_asked_to_act(text: str, owners: list[str]) -> None:
    assert duty_subjects(text) == owners


def test_the_speaker_who_asks_is_not_the_owner() -> None:
    assert own_words("Ủy ban nhân dân thành phố Hà Nội đề nghị các sở, ban, ngành treo cờ Tổ quốc").owners == [
        "Các sở, ban, ngành"
    ]


def test_a_central_bodys_document_names_a_provinces_bodies_by_the_province() -> None:
    assert split_agency_list("Công an tỉnh Lâm Đồng") == ["Công an tỉnh"]  # one body, the province's own
    token = PROVINCE_BODIES.set(ProvinceBodies(addressed="Lâm Đồng"))
    try:  # the Government's or a ministry's document: the province's name is what tells its bodies apart
        assert split_agency_list("Bộ Nông nghiệp và Môi trường và Ủy ban nhân dân tỉnh Phú Thọ") == [
            "Bộ Nông nghiệp và Môi trường",
            "UBND tỉnh Phú Thọ",
        ]
        assert own_words("Đề nghị Ủy ban nhân dân tỉnh sớm cấp giấy chứng nhận").owners == ["UBND tỉnh Lâm Đồng"]
    finally:
        PROVINCE_BODIES.reset(token)


def test_a_letter_asks_bodies_to_act_after_its_account() -> None:
    text = "Tỉnh hiện có 03 xã đạt tiêu chí. Như vậy, để đạt mục tiêu, đề nghị Sở Nội vụ tiếp tục chỉ đạo rà soát."
    assert own_words(text).owners == ["Sở Nội vụ"]
    assert (
        own_words("Chuẩn hóa quy trình và yêu cầu các sở, ban, ngành giải quyết kiến nghị").owners == []
    )  # its action
    assert own_words("Thực hiện theo đề nghị của Sở Tài chính tại Công văn số 12/STC").owners == []


def test_the_body_a_long_opening_clause_leads_to_asks_others() -> None:
    text = (
        "Theo đề nghị của Bộ Thông tin và Truyền thông tại Công văn số 202/BTTTT-KHTC ngày 21/01/2025 về việc góp ý, "
        "bổ sung (được gửi trên Hệ thống), Chủ tịch UBND tỉnh giao Sở Thông tin và Truyền thông chủ trì góp ý dự thảo."
    )
    assert duty_subjects(text) == ["Sở Thông tin và Truyền thông"]


def test_short_names_each_after_its_own_cac() -> None:
    from vnplan.normalizers.agencies import SHORT_NAMES, find_agencies

    token = SHORT_NAMES.set((("bo", "Các bộ, cơ quan ngang bộ"), ("tinh", "UBND các tỉnh, thành phố")))
    try:
        both = ["Các bộ, cơ quan ngang bộ", "UBND các tỉnh, thành phố"]
        assert [m.name for m in find_agencies("b) Các bộ, các tỉnh")] == both
        assert addressee("Các bộ, các tỉnh").owners == both
        assert own_words("Các bộ, các tỉnh căn cứ Chỉ số được phê duyệt, nghiên cứu xây dựng bộ chỉ số.").owners == both
    finally:
        SHORT_NAMES.reset(token)


ONE_ADDRESSEE = """TRUNG TÂM XÚC TIẾN ĐẦU TƯ

Số: 12/TTXT-ĐT
V/v báo cáo tình hình hỗ trợ doanh nghiệp

Kính gửi: Ủy ban nhân dân tỉnh

Trung tâm báo cáo tình hình hỗ trợ doanh nghiệp năm 2026 như sau:

1. Kết quả thực hiện

Trung tâm đã tiếp nhận 120 kiến nghị của doanh nghiệp và đã trả lời 110 kiến nghị.

2. Kiến nghị, đề xuất

a) Tiếp tục chỉ đạo các sở, ngành giải quyết dứt điểm các kiến nghị còn tồn đọng của doanh nghiệp.

b) Sở Tài chính bố trí kinh phí tổ chức hội nghị đối thoại với doanh nghiệp trong Quý III/2026.

Trân trọng./.
"""


def test_a_letter_to_one_body_gives_it_the_items_of_its_asks_part(tmp_path: Path) -> None:
    from vnplan.extractors.scope import asked_addressee, letter_addressee

    assert letter_addressee(["Kính gửi: Ủy ban nhân dân tỉnh"]) == ["UBND tỉnh"]
    assert letter_addressee(["Kính gửi:", "- Sở Nội vụ;", "- Sở Tài chính."]) == []  # several: none is the one
    assert letter_addressee(["Kính gửi:", "- Sở Nội vụ."]) == ["Sở Nội vụ"]
    assert asked_addressee("Kiến nghị, đề xuất", ["UBND tỉnh"]).owners == ["UBND tỉnh"]
    assert asked_addressee("Kết quả thực hiện", ["UBND tỉnh"]).owners == []
    path = tmp_path / "letter.txt"
    path.write_text(ONE_ADDRESSEE, encoding="utf-8")
    tasks = {t.text[:12]: t for t in extract(repair(read(path))).tasks}
    assert tasks["Tiếp tục chỉ"].owners == ["UBND tỉnh"]  # no subject: the letter's addressee is asked
    assert tasks["Sở Tài chính"].owners == ["Sở Tài chính"]  # its own subject overrides the addressee


def test_the_place_a_group_is_of_is_no_body() -> None:
    assert split_agency_list("các Sở, ngành Thành phố, Sở Xây dựng") == ["Các sở, ban, ngành", "Sở Xây dựng"]
    assert split_agency_list("Sở Xây dựng, Thành phố Huế") == ["Sở Xây dựng", "Thành phố Huế"]  # a named city is kept


def test_the_central_tiers_a_ministry_s_letter_addresses() -> None:
    text = "Các Bộ, cơ quan trung ương và Ủy ban nhân dân cấp tỉnh đề xuất nhu cầu dự toán chi ngân sách."
    assert own_words(text).owners == ["Các bộ, cơ quan trung ương", "UBND các tỉnh, thành phố"]
