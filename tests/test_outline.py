"""The outline's rules for what a reader, above all a scan's, makes of a document's structure."""

from __future__ import annotations

from vnplan.extractors.body_tasks import _is_form
from vnplan.extractors.outline import build_outline
from vnplan.extractors.passages import Passage
from vnplan.models.document import BlockKind, Line

PAGE_WIDTH = 596.0
LEFT, RIGHT = 87.0, 542.0  # the page's text column


def block(text: str, right: float = RIGHT, kind: BlockKind = BlockKind.PARAGRAPH, top: float = 100.0) -> Passage:
    """One block of one line ending at ``right``."""
    return Passage(1, PAGE_WIDTH, text, kind, [Line(text, (LEFT, top, right, top + 15))], [0])


def shown(root) -> list[tuple[str, str]]:
    """(style, text) of every node of the outline, in document order."""
    return [(n.style, n.text) for n in root.walk() if n.style != "root"]


def test_a_heading_whose_last_line_runs_to_the_margin_goes_on_in_the_next_block() -> None:
    root = build_outline(
        [
            block("1. Các Bộ, cơ quan trung ương dự kiến mục tiêu và đề xuất giải pháp để thực hiện", kind=BlockKind.HEADING),
            block("Chương trình giai đoạn 5 năm.", right=259.0),
            block("2. Bộ Quốc phòng dự kiến mục tiêu, nhiệm vụ.", right=300.0),
        ]
    )
    assert shown(root) == [
        ("number1", "Các Bộ, cơ quan trung ương dự kiến mục tiêu và đề xuất giải pháp để thực hiện Chương trình giai đoạn 5 năm."),
        ("number1", "Bộ Quốc phòng dự kiến mục tiêu, nhiệm vụ."),
    ]


def test_a_heading_that_stops_short_of_the_margin_stands_on_its_own() -> None:
    root = build_outline(
        [
            block("Thực hiện Kế hoạch của tỉnh, Ủy ban nhân dân tỉnh giao các cơ quan thực hiện các nhiệm vụ sau."),
            block("1. Nâng cao chất lượng thể chế", right=300.0, kind=BlockKind.HEADING),
            block("Sở Tư pháp rà soát các văn bản quy phạm pháp luật.", right=400.0),
        ]
    )
    assert shown(root)[1:] == [
        ("number1", "Nâng cao chất lượng thể chế"),
        ("paragraph", "Sở Tư pháp rà soát các văn bản quy phạm pháp luật."),
    ]


def test_a_misread_roman_label_in_any_case_numbers_the_next_part() -> None:
    texts = [
        "I. Dự kiến mục tiêu, nhiệm vụ của Chương trình:",
        "1. Các Bộ dự kiến mục tiêu, nhiệm vụ.",
        "H. Đề xuất nhu cầu dự toán chi ngân sách năm 2026:",
        "Các Bộ và Ủy ban nhân dân cấp tỉnh đề xuất nhu cầu dự toán.",
    ]
    root = build_outline([block(t, right=300.0) for t in texts])
    assert [(c.style, c.label) for c in root.children] == [("roman", "I"), ("roman", "II")]
    alone = build_outline([block(t, right=300.0) for t in texts[2:]])  # no part I before it: an initial, no label
    assert "roman" not in [c.style for c in alone.walk()]


def test_the_body_ends_at_its_closing_mark_and_at_the_recipients_list() -> None:
    texts = [
        "1. Sở Nội vụ rà soát thủ tục hành chính.",
        "Vậy, thông báo để các sở, ban, ngành biết và thực hiện./.",
        "T1.„CnU ? ‡CH",  # the signature's title as a scan read it
        "- Như trên;",
    ]
    assert [text for _, text in shown(build_outline([block(t, right=300.0) for t in texts]))] == [
        "Sở Nội vụ rà soát thủ tục hành chính.",
        "Vậy, thông báo để các sở, ban, ngành biết và thực hiện./.",
    ]
    unclosed = ["1. Sở Nội vụ rà soát thủ tục hành chính.", "Iới ahiận:", "- Như trên;", "- Lưu: VT."]
    assert len(shown(build_outline([block(t, right=300.0) for t in unclosed]))) == 1  # a misread "Nơi nhận:" too


def test_an_appendix_titled_in_capitals_after_a_scans_debris_is_known_by_its_title() -> None:
    assert _is_form("sối ĐỀ CƯƠNG LÀM VIỆC VỚI UBND CÁC CẤP VỀ CÔNG TÁC")
    assert not _is_form("sối DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026")
