"""A document's title read from boxed lines, as a scan's or a PDF's layout gives them."""

from __future__ import annotations

from pathlib import Path

from vnplan.extractors.metadata import extract_metadata
from vnplan.extractors.passages import passages
from vnplan.models.document import Block, BlockKind, Document, Line, Page, ReadMethod

WIDTH = 595.0


def _page(blocks: list[list[tuple[float, float, str]]]) -> Document:
    """A one-page document whose blocks hold lines given as (left, right, text), one line per 16 points."""
    page = Page(1, WIDTH, 842.0, ReadMethod.OCR)
    top = 60.0
    for lines in blocks:
        block = Block(BlockKind.PARAGRAPH)
        for left, right, text in lines:
            block.lines.append(Line(text, (left, top, right, top + 12)))
            top += 16
        page.blocks.append(block)
        top += 10
    return Document(Path("ct.pdf"), "0" * 64, [page])


LETTERHEAD = [(110, 235, "ỦY BAN NHÂN DÂN"), (110, 235, "TỈNH QUẢNG NGÃI")]
BODY = [
    (120, 528, "Theo nhận định của Đài Khí tượng Thủy văn Quảng Ngãi, diễn biến thiên tai"),
    (92, 528, "trong thời gian đến rất phức tạp, nguy cơ bão, mưa, lũ xảy ra trên địa bàn tỉnh là rất lớn."),
]


def test_a_title_goes_on_over_a_centred_line_in_a_block_of_its_own() -> None:
    document = _page(
        [
            LETTERHEAD,
            [(297, 352, "CHỈ THỊ"), (142, 507, "Về tăng cường chỉ đạo Kỳ thi tốt nghiệp trung học phổ thông")],
            [(206, 444, "năm 2021 trên địa bàn tỉnh Quảng Ngãi")],
            BODY,
        ]
    )
    title = extract_metadata(passages(document)).title
    assert title == "Về tăng cường chỉ đạo Kỳ thi tốt nghiệp trung học phổ thông năm 2021 trên địa bàn tỉnh Quảng Ngãi"


def test_a_title_keeps_its_full_width_last_line_and_stops_at_the_body() -> None:
    document = _page(
        [
            LETTERHEAD,
            [(276, 334, "CHỈ THỊ")],
            [
                (112, 503, "Về việc tăng cường các biện pháp đảm bảo an toàn công trình cầu"),
                (94, 521, "giao thông trong mùa mưa, bão năm 2024 trên địa bàn tỉnh Quảng Ngãi"),
            ],
            BODY,
        ]
    )
    assert extract_metadata(passages(document)).title == (
        "Về việc tăng cường các biện pháp đảm bảo an toàn công trình cầu "
        "giao thông trong mùa mưa, bão năm 2024 trên địa bàn tỉnh Quảng Ngãi"
    )


def test_a_decision_s_mixed_case_title_ends_at_the_authority_in_capitals_and_the_basis() -> None:
    document = _page(
        [
            LETTERHEAD,
            [(270, 380, "QUYẾT ĐỊNH"), (150, 500, "Về việc phê duyệt Kế hoạch ứng phó sự cố tràn dầu")],
            [(200, 450, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")],
            [(120, 528, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;")],
        ]
    )
    assert extract_metadata(passages(document)).title == "Về việc phê duyệt Kế hoạch ứng phó sự cố tràn dầu"


def test_a_number_stamped_into_the_gap_before_its_label_is_the_document_s_number() -> None:
    document = _page([[(110, 235, "BỘ NỘI VỤ")], [(60, 235, "12094 Số: /BNV-CCHC")], BODY])
    assert extract_metadata(passages(document)).number == "12094/BNV-CCHC"
    unnumbered = _page([[(110, 235, "VỀ PHÁT TRIỂN KHCN VÀ ĐỀ ÁN 06"), (110, 235, "Số: /QĐ-BCĐ")], BODY])
    assert extract_metadata(passages(unnumbered)).number is None  # "06" ends the line above: not a stamp


def test_a_central_body_s_letter_its_issuer_type_and_subject_line() -> None:
    document = _page(
        [
            [(60, 300, "BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc")],
            [(60, 235, "12094 Số: /BNV-CCHC")],
            [(60, 500, "Hà Nội, ngày 15 tháng 12 năm 2025 V/v hướng dẫn triển khai Đề án xác định Chỉ số")],
            [(120, 528, "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.")],
            BODY,
        ]
    )
    meta = extract_metadata(passages(document))
    assert (meta.issuer, meta.province, meta.doc_type) == ("Bộ Nội vụ", None, "CV")
    assert meta.title == "V/v hướng dẫn triển khai Đề án xác định Chỉ số"
    letterhead = _page([[(60, 300, "VĂN PHÒNG CHÍNH PHỦ")], [(60, 300, "Số: 3722/VPCP-CN")], BODY])
    assert extract_metadata(passages(letterhead)).issuer == "Văn phòng Chính phủ"
