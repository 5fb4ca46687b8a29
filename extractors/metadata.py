"""Document metadata (spec section 1): type, number, date, province, issuer, title, signer, year."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import regex

from vnplan.extractors.passages import Passage
from vnplan.models.document import Line
from vnplan.models.records import Metadata
from vnplan.normalizers.agencies import MINISTRIES
from vnplan.normalizers.dates import parse_date
from vnplan.normalizers.doc_numbers import DOC_TYPE_OF_CODE, NUMBER, canonical_number, type_code
from vnplan.normalizers.text import fold

#: Heading words that open a document's title, folded, with the doc_type each implies.
TITLE_HEADINGS = {
    "ke hoach": "KH",
    "chi thi": "CT",
    "quyet dinh": "QĐ",
    "bao cao": "BC",
    "thong bao": "TB",
    "cong van": "CV",
}
OWN_NUMBER = re.compile(rf"\bS[ốô]\s*[:.]?\s*({NUMBER.pattern})")
#: A number an e-office system stamps into the gap of "Số:    /BNV-CCHC", read before its label: "12094 Số: /BNV-CCHC".
STAMPED_NUMBER = re.compile(r"^[ \t]*(\d{1,5})[ \t]+S[ốô][ \t]*[:.]?[ \t]*/[ \t]?([^\s,;]+)", re.MULTILINE)
ANNEX_NUMBER = re.compile(
    rf"kèm theo\s+(?:kế hoạch|chỉ thị|quyết định|báo cáo|thông báo|công văn)?\s*(?:số)?\s*[:.]?\s*({NUMBER.pattern})"
    r"(\s*,?\s*ngày[^()]{0,30})?",
    re.IGNORECASE,
)
PLACE_DATE = re.compile(r"[^\W\d_][^,\n]{0,30},\s*ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}", re.IGNORECASE)
PROVINCE = regex.compile(r"\btỉnh +(\p{Lu}\p{Ll}+(?: +\p{Lu}\p{Ll}+){0,2})")
HEADER_PROVINCE = regex.compile(
    r"(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+TỈNH[ \t]+(\p{Lu}+(?:[ \t]+\p{Lu}+){0,2})(?![\p{L}\p{M}])"
)
UPPER_PROVINCE = regex.compile(r"\bTỈNH[ \t]+(\p{Lu}+(?:[ \t]+\p{Lu}+){0,2})(?![\p{L}\p{M}])")
#: The year of a place-and-date line whose day or month was left blank ("Lâm Đồng, ngày    tháng 4 năm 2026").
DATE_LINE_YEAR = re.compile(r"ngày\s*\S{0,4}\s*tháng\s*\S{0,4}\s*năm\s*(\d{4})", re.IGNORECASE)
PERSON = regex.compile(r"^\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4}$")
SIGNATURE_CELL = regex.compile(r"\b(?:TM|KT|TL|TUQ|Q)\.|CHỦ TỊCH|GIÁM ĐỐC")
#: A person's name that closes a signature cell: "… KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Ngọc Phúc".
PERSON_AT_END = regex.compile(r"(?<=[\p{Lu}\s.)])\s(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4})\s*$")
SECTION_START = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?\s|[a-zđ]\)|-|\+)")
SIGNATURE_MARKS = ("tm.", "kt.", "q. ", "chu tich", "noi nhan")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
#: How far into the document the letterhead and title are looked for.
HEAD_PASSAGES = 12


def extract_metadata(passages: list[Passage]) -> Metadata:
    """Metadata from the letterhead, title, appendix heading and signature of a document."""
    head = passages[:HEAD_PASSAGES]
    head_text = "\n".join(p.text for p in head)
    meta = Metadata()
    number_match = OWN_NUMBER.search(head_text)
    stamped = STAMPED_NUMBER.search(head_text)
    annex = next((m for p in passages for m in [ANNEX_NUMBER.search(p.text)] if m), None)
    if number_match:
        meta.number = canonical_number(number_match.group(1))
    elif stamped and NUMBER.fullmatch(f"{stamped.group(1)}/{stamped.group(2)}"):
        meta.number = canonical_number(f"{stamped.group(1)}/{stamped.group(2)}")
    elif annex:
        meta.number = canonical_number(annex.group(1))
    place_date = PLACE_DATE.search(head_text)
    if place_date:
        meta.issued_date = parse_date(place_date.group())
    elif annex and annex.group(2):
        meta.issued_date = parse_date(annex.group(2))
    heading_at, heading_type = find_heading(head)
    code = type_code(meta.number) if meta.number else None
    # the printed heading (KẾ HOẠCH) names the document even where a misread number says otherwise
    meta.doc_type = heading_type or DOC_TYPE_OF_CODE.get(code or "", "other" if meta.number else None)
    if heading_at is not None:
        meta.title = find_title(head, heading_at)
    subject = next((m for p in head for m in [SUBJECT_LINE.search(p.text)] if m), None)
    if meta.doc_type in (None, "other") and subject:
        meta.doc_type = "CV"  # a letter: "V/v …" is its subject line, and its title
        meta.title = meta.title or " ".join(subject.group(0).split())
    central = central_issuer(head)
    meta.province = None if central else find_province(passages)
    meta.issuer = central or find_issuer(passages, meta)
    meta.signer = find_signer(passages)
    meta.year = find_year(meta)
    if meta.year is None and (m := DATE_LINE_YEAR.search(head_text)):
        meta.year = int(m.group(1))
    return meta


def heading_key(text: str) -> str:
    """A line's folded words without surrounding marks: ``**KẾ HOẠCH`` → ``ke hoach``."""
    return re.sub(r"^\W+|\W+$", "", fold(text))


def find_heading(head: list[Passage]) -> tuple[tuple[int, int] | None, str | None]:
    """(passage, line) index of the KẾ HOẠCH / CHỈ THỊ heading line, and the type it names."""
    for i, passage in enumerate(head):
        for k, line in enumerate(passage.lines):
            key = heading_key(line.text)
            if key in TITLE_HEADINGS:
                return (i, k), TITLE_HEADINGS[key]
    return None, None


def find_title(head: list[Passage], at: tuple[int, int]) -> str | None:
    """The line(s) after the heading, as far as they read as one title.

    An upper-case title goes on while lines stay upper case; a mixed-case one goes on over lines centred
    between the text's margins (a scan's layout may put them in blocks of their own) and over the last
    line of its own short block, or, where lines have no boxes, stays in its block.
    A section heading (``I.``, ``1.``, ``a)``) always ends it.
    """
    following = [(i, line) for i, p in enumerate(head) for k, line in enumerate(p.lines) if (i, k) > at]
    if not following:
        return None
    first_passage, first = following[0]
    title = [first.text]
    upper = first.text.isupper()
    margins = text_margins(head)
    for i, line in following[1:]:
        text = line.text
        if SECTION_START.match(text) or (upper and not text.isupper()) or (not upper and _authority_or_basis(text)):
            break
        block = head[i]
        closes_short_block = i == first_passage and line is block.lines[-1] and len(block.lines) <= 3
        centred = looks_centred(line, margins, block.width) or (closes_short_block and not text.rstrip().endswith("."))
        if not upper and ((i != first_passage and line.bbox is None) or not centred):
            break
        title.append(text)
    return " ".join(" ".join(title).split()) or None


def _authority_or_basis(text: str) -> bool:
    """What follows a decision's mixed-case title: the authority that decides in capitals ("ỦY BAN NHÂN DÂN TỈNH
    QUẢNG NGÃI", "CHỦ TỊCH HỘI ĐỒNG …") or the first legal basis ("Căn cứ Luật …")."""
    letters = [c for c in text if c.isalpha()]
    return (len(letters) >= 6 and text.isupper()) or text.lstrip().startswith(("Căn cứ", "Xét đề nghị", "Theo đề nghị"))


def text_margins(passages: list[Passage]) -> tuple[float, float] | None:
    """The left and right edges of the text on the first pages (None when lines have no boxes)."""
    boxes = [line.bbox for p in passages for line in p.lines if line.bbox]
    return (min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None


def looks_centred(line: Line, margins: tuple[float, float] | None, width: float) -> bool:
    """True when the line has no box, or stands in from both margins of the text by about as much on each
    side, as centred text does (a justified body line reaches both, an indented one only the right)."""
    if line.bbox is None or margins is None or width <= 0:
        return True
    left, right = line.bbox[0] - margins[0], margins[1] - line.bbox[2]
    return min(left, right) > 0.02 * width and abs(left - right) < 0.08 * width


def find_province(passages: list[Passage]) -> str | None:
    """The province named in the letterhead, else the one the text names most often."""
    for passage in passages[:HEAD_PASSAGES]:
        m = HEADER_PROVINCE.search(passage.text) or (
            UPPER_PROVINCE.search(passage.text) if "ỦY BAN NHÂN DÂN" in passage.text else None
        )  # a letterhead whose two columns were read as one line: "ỦY BAN NHÂN DÂN CỘNG HÒA … TỈNH QUẢNG NGÃI"
        if m:
            return m.group(1).title()
    counts = Counter(m.group(1) for p in passages for m in PROVINCE.finditer(p.text))
    return counts.most_common(1)[0][0] if counts else None


#: How often, and how far above any other, a central body's document must name one province to be addressed to it.
ADDRESSED_MENTIONS = 2
ADDRESSED_SHARE = 0.75


def addressed_province(passages: list[Passage]) -> str | None:
    """The one province a central body's document is written to or about ("tỉnh Lâm Đồng" named again and again),
    else None (a letter to every province names none, or many)."""
    counts = Counter(m.group(1) for p in passages for m in PROVINCE.finditer(p.text))
    if not counts:
        return None
    name, count = counts.most_common(1)[0]
    return name if count >= ADDRESSED_MENTIONS and count >= ADDRESSED_SHARE * sum(counts.values()) else None


#: A letter's subject line, up to the line or block's end: "V/v hướng dẫn triển khai Đề án …".
SUBJECT_LINE = re.compile(r"\bV/[vV]\.?\s+[^\n]{5,250}")
#: The first line of a central body's letterhead: "VĂN PHÒNG CHÍNH PHỦ", "BỘ NỘI VỤ", "THỦ TƯỚNG CHÍNH PHỦ".
CENTRAL_HEAD = regex.compile(
    r"^\W*(VĂN PHÒNG CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|BỘ(?: [\p{Lu},&-]+)+?)(?=\s+CỘNG HÒA|\s*\n|\s*$)"
)


def central_issuer(head: list[Passage]) -> str | None:
    """The central body whose letterhead opens the document ("Bộ Nội vụ", "Văn phòng Chính phủ"), else None."""
    for passage in head[:3]:
        m = CENTRAL_HEAD.match(passage.text.strip())
        if m is None:
            continue
        name = " ".join(m.group(1).split())
        if name.startswith("BỘ "):
            return next((f"Bộ {x}" for x in MINISTRIES if fold(x) == fold(name[3:])), None)
        return name.capitalize().replace("chính phủ", "Chính phủ")
    return None


def find_issuer(passages: list[Passage], meta: Metadata) -> str | None:
    """``UBND tỉnh <Province>`` (or HĐND) when the number or signature shows who issued it."""
    if not meta.province:
        return None
    issuer_code = meta.number.rsplit("-", 1)[-1] if meta.number and "-" in meta.number else ""
    if issuer_code in ("UBND", "HĐND"):
        return f"{issuer_code} tỉnh {meta.province}"
    text = fold(" ".join(p.text for p in passages))
    if "hoi dong nhan dan" in text and "tm. hoi dong nhan dan" in text:
        return f"HĐND tỉnh {meta.province}"
    if "uy ban nhan dan" in text or "ubnd" in text:
        return f"UBND tỉnh {meta.province}"
    return None


def find_signer(passages: list[Passage]) -> str | None:
    """The first person's name after the last signature mark (TM., KT., CHỦ TỊCH, Nơi nhận).

    A signature block in a table (as Word files lay it out) is one cell: the name closes it.
    """
    for passage in reversed(passages):
        for line in reversed(passage.lines):
            for cell in reversed(line.text.split("\t")):
                if SIGNATURE_CELL.search(cell) and (m := PERSON_AT_END.search(cell)):
                    return m.group(1)
    lines = [line.text.strip(" *") for p in passages for line in p.lines]
    marks = [i for i, text in enumerate(lines) if fold(text).startswith(SIGNATURE_MARKS)]
    for start in reversed(marks):
        for text in lines[start + 1 : start + 40]:
            if PERSON.match(text):
                return text
    return None


def find_year(meta: Metadata) -> int | None:
    """A plan's first year (from its title), else the year it was issued."""
    if meta.doc_type == "KH" and meta.title:
        m = YEAR.search(meta.title)
        if m:
            return int(m.group(1))
    return meta.issued_date.year if isinstance(meta.issued_date, date) else None
