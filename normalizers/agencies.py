"""Canonical agency names (extraction spec section 5) and finding agencies in text.

Every spelling of an agency maps to one canonical name, so that a query for
``Sở Thông tin và Truyền thông`` finds ``Sở TT&TT`` and ``Sở Thông tin - Truyền
thông`` too. Matching works on folded keys (no marks, lower case); stored names
keep their marks. An agency the table does not know is kept as written, with
abbreviations expanded, never dropped.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

import regex

from vnplan.normalizers.text import fold, fold_chars, nfc

#: Provincial departments: canonical name after "Sở ", and the other ways it is written.
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Nội vụ": (),
    "Tư pháp": (),
    "Tài chính": (),
    "Kế hoạch và Đầu tư": ("KH&ĐT", "KH & ĐT", "KHĐT", "Kế hoạch - Đầu tư", "Kế hoạch-Đầu tư", "Kế hoạch Đầu tư"),
    "Thông tin và Truyền thông": (
        "TT&TT",
        "TT & TT",
        "TTTT",
        "TT-TT",
        "TT- Truyền thông",
        "TT - Truyền thông",
        "Thông tin - Truyền thông",
        "Thông tin-Truyền thông",
        "Thông tin Truyền thông",
    ),
    "Khoa học và Công nghệ": (
        "KH&CN",
        "KH & CN",
        "KHCN",
        "Khoa học - CN",
        "Khoa học - Công nghệ",
        "Khoa học-Công nghệ",
        "Khoa học Công nghệ",
    ),
    "Văn hóa, Thể thao và Du lịch": (
        "VHTT&DL",
        "VHTTDL",
        "VH-TT&DL",
        "Văn hóa - TT & DL",
        "Văn hóa - TT&DL",
        "Văn hóa - Thể thao và Du lịch",
        "Văn hóa Thể thao và Du lịch",
        "Văn hóa, Thể thao, Du lịch",
    ),
    "Tài nguyên và Môi trường": ("TN&MT", "TNMT", "Tài nguyên - Môi trường"),
    "Giáo dục và Đào tạo": ("GD&ĐT", "GDĐT", "Giáo dục - Đào tạo"),
    "Lao động - Thương binh và Xã hội": (
        "LĐ-TB&XH",
        "LĐTBXH",
        "Lao động, Thương binh và Xã hội",
        "Lao động Thương binh và Xã hội",
    ),
    "Nông nghiệp và Phát triển nông thôn": ("NN&PTNT", "NNPTNT", "Nông nghiệp - Phát triển nông thôn"),
    "Giao thông vận tải": ("GTVT", "Giao thông - Vận tải"),
    "Công Thương": ("Công thương",),
    "Xây dựng": (),
    "Y tế": (),
    "Ngoại vụ": (),
    "Dân tộc": (),
    "Nông nghiệp và Môi trường": ("NN&MT", "Nông nghiệp - Môi trường"),
    "Dân tộc và Tôn giáo": ("Dân tộc - Tôn giáo",),
    "Văn hóa và Thể thao": ("Văn hóa - Thể thao",),
}
#: Ministries named like the departments ("Bộ Tư pháp"), and those with no department of the same name.
MINISTRIES: tuple[str, ...] = (*DEPARTMENTS, "Công an", "Quốc phòng", "Ngoại giao")
#: Province-level bodies and groups: canonical name and its other spellings.
BODIES: dict[str, tuple[str, ...]] = {
    "Chủ tịch UBND tỉnh": ("Chủ tịch Ủy ban nhân dân tỉnh",),
    "Văn phòng UBND tỉnh": ("Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh"),
    "Văn phòng HĐND tỉnh": ("Văn phòng Hội đồng nhân dân tỉnh", "Văn phòng HDND tỉnh", "VP HĐND tỉnh"),
    "UBND tỉnh": ("Ủy ban nhân dân tỉnh",),
    "HĐND tỉnh": ("Hội đồng nhân dân tỉnh", "HDND tỉnh"),
    "Thường trực HĐND tỉnh": ("Thường trực Hội đồng nhân dân tỉnh", "TT HĐND tỉnh", "TTHĐND tỉnh"),
    "Đài Phát thanh và Truyền hình tỉnh": (
        "Đài Phát thanh - Truyền hình tỉnh",
        "Đài PT-TH tỉnh",
        "Đài PTTH tỉnh",
        "Đài Phát thanh, Truyền hình tỉnh",
        "Đài PT- TH tỉnh",
        "Đài Phát thanh - truyền hình",
        "Đài Phát thanh và Truyền hình",
        "Đài P.TTH tỉnh",
        "Đài PT-TH",
        "Đài Phát thanh - Truyền hình",
    ),
    "Cổng thông tin điện tử tỉnh": (
        "Cổng Thông tin điện tử tỉnh",
        "Công thông tin điện tử tỉnh",
        "Cổng TTĐT tỉnh",
        "Công TTĐT tỉnh",
        "Cổng thông tin điện tử của tỉnh",
    ),
    "Bưu điện tỉnh": (),
    "Ban Chỉ đạo CCHC tỉnh": ("Ban Chỉ đạo cải cách hành chính tỉnh",),
    "Tỉnh ủy": ("Tỉnh Ủy",),
    "Công an tỉnh": (),
    "Kho bạc Nhà nước tỉnh": ("Kho bạc nhà nước tỉnh", "KBNN tỉnh"),
    "Cục Thuế tỉnh": (),
    "Bảo hiểm xã hội tỉnh": ("BHXH tỉnh",),
    "Ban Dân tộc tỉnh": (),
    "Thanh tra tỉnh": (),
    "Tỉnh đoàn": ("Tỉnh Đoàn", "Tỉnh đoàn Thanh niên"),
    "Liên đoàn Lao động tỉnh": (),
    "Bộ Chỉ huy Quân sự tỉnh": ("Bộ Chỉ huy quân sự tỉnh",),
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh": (
        "Ủy ban MTTQ Việt Nam tỉnh",
        "Ủy ban Mặt trận Tổ quốc tỉnh",
        "Ủy ban MTTQ tỉnh",
        "UBMTTQ Việt Nam tỉnh",
    ),
    "Các sở, ban, ngành": (
        "các sở, ban, ngành tỉnh",
        "các sở, ban, ngành thuộc UBND tỉnh",
        "các sở, ngành tỉnh",
        "các sở, ngành",
        "các cơ quan chuyên môn cấp tỉnh",
        "các cơ quan chuyên môn thuộc UBND tỉnh",
        "sở, ban, ngành tỉnh",
        "sở, ban, ngành",
        "các sở ban ngành",
        "các sở, ban ngành",
        "Thủ trưởng các sở, ban, ngành",
        "Giám đốc các sở, ban, ngành",
        "các Sở, ban, ngành tỉnh",
        "Thủ trưởng các Sở, ban, ngành",
        "các sở, ban, ngành, đoàn thể tỉnh",
        "các sở, ban, ngành, đoàn thể",
        "Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh",
        "các sở, ban ngành",
        "Thủ trưởng các sở, ban ngành",
    ),
    "UBND cấp huyện": (
        "UBND các huyện, thành phố",
        "UBND các huyện, thị xã, thành phố",
        "UBND các huyện, thị xã",
        "Ủy ban nhân dân các huyện, thành phố",
        "Ủy ban nhân dân cấp huyện",
        "UBND huyện, thành phố",
        "Chủ tịch UBND các huyện, thành phố",
        "Chủ tịch UBND cấp huyện",
        "UBND các huyện, Tp",
        "UBND các huyện, TP",
        "các huyện, thành phố",
        "các huyện, thị xã, thành phố",
        "UBND các huyện thành phố",
        "Ủy ban nhân dân các huyện thành phố",
        "UBND các huyện",
        "UBND huyện, thị xã",
        "Ủy ban nhân dân huyện, thị xã",
        "Ủy ban nhân dân các huyện, thị xã",
        "Chủ tịch UBND các huyện, thị xã",
        "Chủ tịch Ủy ban nhân dân các huyện, thị xã",
        "các huyện, thị xã",
        "huyện, thị xã",
        "huyện, thị xã, thành phố",
        "UBND các quận, huyện, thị xã",
        "UBND quận, huyện, thị xã",
        "Ủy ban nhân dân các quận, huyện, thị xã",
        "Chủ tịch UBND các quận, huyện, thị xã",
        "Chủ tịch Ủy ban nhân dân các quận, huyện, thị xã",
        "UBND các quận, huyện",
        "Ủy ban nhân dân các quận, huyện",
        "các quận, huyện, thị xã",
        "quận, huyện, thị xã",
    ),
    "UBND cấp xã": (
        "UBND các xã, phường, thị trấn",
        "Ủy ban nhân dân các xã, phường, thị trấn",
        "Ủy ban nhân dân cấp xã",
        "Chủ tịch UBND cấp xã",
        "Chủ tịch UBND các xã, phường, thị trấn",
        "UBND xã, phường, thị trấn",
        "UBND các xã, phường",
        "UBND các phường, xã",
        "Ủy ban nhân dân các phường, xã",
        "Chủ tịch UBND các phường, xã",
        "Chủ tịch Ủy ban nhân dân các phường, xã",
        "UBND phường, xã",
        "UBND xã, phường",
        "UBND các xã, phường, đặc khu",
        "Chủ tịch UBND các xã, phường",
        "Chủ tịch UBND các xã, phường, đặc khu",
        "Ủy ban nhân dân các xã, phường",
        "Ủy ban nhân dân các xã, phường, đặc khu",
        "Chủ tịch Ủy ban nhân dân các xã, phường",
        "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu",
        "UBND các xã",
        "các xã, phường, thị trấn",
        "các xã, phường",
    ),
    "HĐND cấp huyện": ("HĐND huyện, thành phố", "HĐND các huyện, thành phố", "HDND huyện, thành phố"),
    "Các đơn vị sự nghiệp công lập": ("các đơn vị sự nghiệp công lập", "các đơn vị sự nghiệp"),
    "Các cơ quan Trung ương trên địa bàn tỉnh": (
        "các cơ quan Trung ương đóng trên địa bàn tỉnh",
        "các cơ quan Trung ương đóng trên địa bàn",
        "các cơ quan Trung ương trên địa bàn",
        "các cơ quan trung ương đóng trên địa bàn tỉnh",
        "các cơ quan, đơn vị của Trung ương",
        "các cơ quan, đơn vị Trung ương",
    ),
    "Tòa án nhân dân tỉnh": ("Tòa án nhân dân tỉnh", "TAND tỉnh"),
    "Viện kiểm sát nhân dân tỉnh": ("Viện Kiểm sát nhân dân tỉnh", "VKSND tỉnh"),
    "Cục Thi hành án dân sự tỉnh": ("Cục THADS tỉnh",),
    "Cục Hải quan tỉnh": (),
    "Cục Thống kê tỉnh": (),
    "Hội Nông dân tỉnh": (),
    "Hội Liên hiệp Phụ nữ tỉnh": ("Hội LHPN tỉnh",),
    "Hội Cựu chiến binh tỉnh": (),
    "Liên minh Hợp tác xã tỉnh": (),
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": (),
    "Ban Quản lý Khu kinh tế tỉnh": (),
    "Trường Chính trị tỉnh": (),
    "Báo và Phát thanh, Truyền hình tỉnh": (
        "Báo và Đài Phát thanh, Truyền hình tỉnh",
        "Báo và Đài Phát thanh, Truyền hình",
        "Báo và Phát thanh, Truyền hình",
    ),
    "Các cơ quan thông tin, báo chí": ("các cơ quan thông tin, báo chí", "các cơ quan báo chí"),
    "Các bộ, cơ quan ngang bộ": (
        "Bộ trưởng, Thủ trưởng cơ quan ngang bộ",
        "Bộ trưởng, Thủ trưởng các cơ quan ngang bộ",
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
    ),
    "Các bộ, cơ quan trung ương": ("các bộ, ngành trung ương",),
    "UBND các tỉnh, thành phố": (
        "UBND các tỉnh, thành phố trực thuộc Trung ương",
        "UBND cấp tỉnh",
        "Ủy ban nhân dân cấp tỉnh",
        "Chủ tịch UBND các tỉnh, thành phố",
        "Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương",
        "Chủ tịch UBND tỉnh, thành phố trực thuộc Trung ương",
        "Ủy ban nhân dân các tỉnh, thành phố",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố",
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương",
        "UBND tỉnh, thành phố trực thuộc Trung ương",
        "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương",
    ),
}
#: Abbreviations expanded in names the table does not know.
EXPANSIONS = (
    (r"\bỦy ban nhân dân\b", "UBND"),
    (r"\bHội đồng nhân dân\b", "HĐND"),
    (r"\bHDND\b", "HĐND"),
    (r"\bTP\.?\s", "thành phố "),
    (r"\bTp\.?\s", "thành phố "),
)


@dataclass(frozen=True)
class Mention:
    """An agency found in text: canonical name and where it stands; ``generic`` for catch-all bodies."""

    name: str
    start: int
    end: int
    generic: bool = False


#: Words that make up a catch-all body ("các cơ quan, đơn vị liên quan"), folded.
CATCH_ALL = {
    "cac",
    "co",
    "quan",
    "don",
    "vi",
    "nganh",
    "to",
    "chuc",
    "dia",
    "phuong",
    "lien",
    "trong",
    "tinh",
    "tren",
    "ban",
    "va",
    "khac",
    "huu",
}
#: A catch-all body: "các cơ quan, đơn vị, địa phương (có) liên quan", "Thủ trưởng các đơn vị, địa phương".
GENERIC = regex.compile(
    r"(?<![\p{L}\p{M}])(?:(?:Thủ trưởng|thủ trưởng|người đứng đầu|Người đứng đầu|lãnh đạo|Lãnh đạo)\s+)?"
    r"((?:[Cc]ác\s+)(?:cơ quan|đơn vị|địa phương|ngành|tổ chức|[Bb]ộ(?=\s*,\s*cơ quan\b))"
    r"(?:\s*(?:,|và)\s*(?:cơ quan|đơn vị|địa phương|ngành|tổ chức))*"
    r"(?:\s+(?:có\s+)?liên quan|\s+trong tỉnh|\s+trên địa bàn(?:\s+tỉnh)?|\s+khác)?)(?![\p{L}\p{M}])"
)


def is_generic(name: str) -> bool:
    """True for a catch-all body made only of words like cơ quan, đơn vị, ngành, địa phương, liên quan."""
    words = re.findall(r"\w+", fold(name))
    return bool(words) and all(w in CATCH_ALL for w in words) and not fold(name).startswith("cac so")


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, others in DEPARTMENTS.items():
        for spelling in (name, *others):
            table[fold(f"Sở {spelling}")] = f"Sở {name}"
    for name in MINISTRIES:
        for spelling in (name, *DEPARTMENTS.get(name, ())):
            table[fold(f"Bộ {spelling}")] = f"Bộ {name}"
    for name, others in BODIES.items():
        for spelling in (name, *others):
            table[fold(spelling)] = name
    return table


ALIASES = _aliases()


def aliases_of(name: str) -> list[str]:
    """The other spellings the alias table knows for a canonical agency name."""
    if name.startswith("Sở ") and name[3:] in DEPARTMENTS:
        return [f"Sở {spelling}" for spelling in DEPARTMENTS[name[3:]]]
    return list(BODIES.get(name, ()))


_KEYS = sorted(ALIASES, key=len, reverse=True)
_ALIAS_PATTERN = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _KEYS) + r")(?![\w&])"
)
NEWSPAPER = regex.compile(r"\bBáo\s+(\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){0,2})")
LOCAL_UBND = regex.compile(
    r"\b(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+"
    r"(huyện|thành phố|Thành phố|TP\.?|thị xã|xã|phường|thị trấn|Phường)\s+"
    r"((?:\p{Lu}[\p{L}\p{M}]*|\d+)(?:\s(?:-\s)?(?:\p{Lu}[\p{L}\p{M}]*|\d+)){0,3})"
)


def _tier_word(word: str) -> str:
    """ "Thành phố", "Phường" as a tier's word in lower case ("UBND thành phố Hà Nội"); "TP." is expanded later."""
    return word if word.startswith("TP") else word.lower()


#: "UBND huyện: Bảo Thắng, Bắc Hà" names one UBND per district.
SHARED_PREFIX = regex.compile(
    r"\bUBND (?:các )?(huyện|xã|thành phố|thị xã)\s*:?\s*((?:\p{Lu}[\p{L}\p{M} ]*?)(?:\s*(?:,|\bvà\b)\s*"
    r"\p{Lu}[\p{L}\p{M} ]*?)+)(?=$|[;.)])"
)


#: A person named for the body they head, in a list of agencies ("Lãnh đạo Sở X" → Sở X).
HEAD_OF = regex.compile(
    r"^(?:Lãnh đạo|lãnh đạo|Thủ trưởng|thủ trưởng|Giám đốc|giám đốc|Người đứng đầu)\s+(?=\p{Lu}|các)"
)
#: "Tỉnh đoàn Quảng Ngãi", "Công an tỉnh Lâm Đồng": the province's name after a province-level body.
PROVINCE_NAME = regex.compile(
    r"^((?:.+\s)?tỉnh|Tỉnh ủy|Tỉnh đoàn)\s+\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*){0,2}$"
)


@lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """The canonical form of one agency name; unknown names as written, abbreviations expanded."""
    cleaned = HEAD_OF.sub("", " ".join(name.strip(" .;:,-").split()))
    if (m := PROVINCE_NAME.match(cleaned)) and (fold(m.group(1)) in ALIASES or m.group(1).endswith(" tỉnh")):
        cleaned = m.group(1)  # a province-level body keeps "tỉnh" and drops the province's name (spec §5)
    known = ALIASES.get(fold(cleaned))
    if known:
        return known
    for pattern, replacement in EXPANSIONS:
        cleaned = re.sub(pattern, replacement, cleaned)
    cleaned = re.sub(r"^UBND thành phố", "UBND thành phố", cleaned)
    return cleaned[:1].upper() + cleaned[1:] if cleaned else cleaned


def find_agencies(text: str) -> tuple[Mention, ...]:
    """Known agencies (and newspapers, named districts' UBND, the short names the document defines) mentioned
    in ``text``, in order."""
    return _find_agencies(text, SHORT_NAMES.get(), PROVINCE_BODIES.get())


#: "(gọi tắt là bộ)": the short name a document gives the body it has just named.
SHORT_NAME_GLOSS = regex.compile(r"\(\s*(?:sau đây\s+)?gọi\s+(?:tắt|chung)\s+là\s+([\p{L}\p{M} ]{1,20}?)\s*\)")


def defined_short_names(texts: list[str]) -> tuple[tuple[str, str], ...]:
    """(short name, canonical body) of each "X (gọi tắt là Y)" the texts hold, X an agency ending right there."""
    found: dict[str, str] = {}
    for text in texts:
        for m in SHORT_NAME_GLOSS.finditer(text):
            known = _find_agencies(text, (), None)
            before = [x for x in known if x.end <= m.start() and not text[x.end : m.start()].strip()]
            short = fold(m.group(1)).removeprefix("cac ").strip()
            if before and short:
                found.setdefault(short, before[-1].name)
    return tuple(found.items())


def _short_name_mentions(text: str, short_names: tuple[tuple[str, str], ...]) -> list[Mention]:
    """ "các bộ, tỉnh", "các bộ, các tỉnh", "lãnh đạo bộ, tỉnh": the short names a document defined, after "các" or a
    head's title."""
    if not short_names:
        return []
    names = dict(short_names)
    word = "|".join(regex.escape(k) for k in sorted(names, key=len, reverse=True))
    pattern = regex.compile(
        rf"(?<![\p{{L}}\p{{M}}])(?:cac|lanh dao)\s+({word})"
        rf"((?:\s*(?:,|va)\s*(?:cac\s+)?(?:{word}))*)(?![\p{{L}}\p{{M}}])"
    )
    one = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{word})(?![\p{{L}}\p{{M}}])")
    found = []
    folded = fold_chars(text).lower()
    for m in pattern.finditer(folded):
        for part in one.finditer(folded, m.start(1), m.end()):
            start = part.start()
            if part.start() == m.start(1):
                start = m.start()  # the first with its "các"
            elif own := regex.search(r"cac\s+$", folded[m.start() : part.start()]):
                start = m.start() + own.start()  # "các bộ, các tỉnh": a later one with its own "các"
            found.append(Mention(names[part.group()], start, part.end()))
    return found


@lru_cache(maxsize=8192)
def _find_agencies(
    text: str, short_names: tuple[tuple[str, str], ...], provinces: ProvinceBodies | None
) -> tuple[Mention, ...]:
    text = nfc(text)
    folded = fold_chars(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _ALIAS_PATTERN.finditer(folded):
        mention = _with_province(Mention(ALIASES[" ".join(m.group(1).split())], m.start(), m.end()), text, provinces)
        found.append(mention)
        taken.append((mention.start, mention.end))
    for pattern, make in (
        (NEWSPAPER, lambda m: f"Báo {m.group(1)}"),
        (LOCAL_UBND, lambda m: canonical(f"UBND {_tier_word(m.group(1))} {m.group(2).strip()}")),
    ):
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                found.append(Mention(make(m), m.start(), m.end()))
                taken.append((m.start(), m.end()))
    for mention in _short_name_mentions(text, short_names):
        if not any(s < mention.end and mention.start < e for s, e in taken):
            found.append(mention)
            taken.append((mention.start, mention.end))
    for m in GENERIC.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            name = regex.sub(r"\s+trên địa bàn(?:\s+tỉnh)?$", "", " ".join(m.group(1).split()))  # a place, not a body
            found.append(Mention(name[:1].upper() + name[1:], m.start(), m.end(), generic=True))
            taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda x: x.start))


#: A province-level body whose name ends in "tỉnh" ("UBND tỉnh", "Công an tỉnh"), not a group "trên địa bàn tỉnh".
PROVINCE_BODY = regex.compile(r"^(?!.*\bđịa bàn\b).+\stỉnh$")
#: The province's name after such a body: capitalised words, up to a word that opens another body's name.
PROVINCE_AFTER = regex.compile(
    r"\s+((?!(?:Sở|Ban|Bộ|Ủy|UBND|HĐND|Công|Văn|Trung|Cục|Chi|Đài|Báo|Hội|Các|Trường|Viện|Phòng|Kho|Ngân|Bảo|Tòa|"
    r"Tỉnh|Liên|Mặt|Đoàn)\b)\p{Lu}[\p{Ll}\p{M}]*(?:\s+(?!(?:Sở|Ban|Bộ|Ủy|UBND|Công|Văn|Trung|Các)\b)\p{Lu}[\p{Ll}\p{M}]*){0,2})"
)


def _with_province(mention: Mention, text: str, provinces: ProvinceBodies | None) -> Mention:
    """A province-level body with the province's name after it taken whole ("Công an tỉnh Lâm Đồng" is one body,
    never "Công an tỉnh" and "Lâm Đồng"); in a central body's document its name keeps the province (spec §5 drops
    it for a province's own bodies), or takes the one province the document is addressed to."""
    if not PROVINCE_BODY.match(mention.name):
        return mention
    if m := PROVINCE_AFTER.match(text, mention.end):
        name = f"{mention.name} {m.group(1)}" if provinces is not None else mention.name
        return Mention(name, mention.start, m.end(), mention.generic)
    if provinces is not None and provinces.addressed:
        return Mention(f"{mention.name} {provinces.addressed}", mention.start, mention.end, mention.generic)
    return mention


#: "các đơn vị thuộc Bộ Nội vụ": an agency that only qualifies the body before it.
OF_BODY = regex.compile(r"[\p{L}\p{M}]\s+(?:thuộc|trực thuộc|của)\s*$")


def _ends_piece(text: str, end: int) -> bool:
    """True when nothing but a separator follows ``end`` ("các đơn vị liên quan; Sở X", not "các đơn vị đã áp dụng")."""
    return re.match(r"\s*(?:$|[;.)]|,|\bvà\b)", text[end:]) is not None


#: "Các Bộ: Công Thương, Khoa học và Công nghệ, Nội vụ" names one ministry per name; "các Sở: Tài chính,
#: Xây dựng" one department per name.
BODY_LIST = regex.compile(r"\b[Cc]ác ([Bb]ộ|[Ss]ở)\s*:\s*")


def expand_body_list(text: str) -> str:
    """ "Các Bộ: Công Thương, Nội vụ" → "Bộ Công Thương, Bộ Nội vụ"; "các Sở: Tài chính, Xây dựng" →
    "Sở Tài chính, Sở Xây dựng"."""
    m = BODY_LIST.search(text)
    if m is None:
        return text
    kind = m.group(1).capitalize()
    names = sorted(MINISTRIES if kind == "Bộ" else DEPARTMENTS, key=len, reverse=True)
    out, rest = [], text[m.end() :]
    while True:
        after = regex.sub(r"^và\s+", "", rest.lstrip(" ,;"))
        name = next((n for n in names if fold(after[: len(n)]) == fold(n)), None)
        if name is None:
            break
        out.append(f"{kind} {name}")
        rest = after[len(name) :]
    return text[: m.start()] + ", ".join(out) + rest if out else text


def split_agency_list(text: str) -> list[str]:
    """The agencies a table cell or list names: known ones by the table, the rest split at ``;``/``,``/``và``."""
    text = expand_body_list(text)
    text = SHARED_PREFIX.sub(
        lambda m: "; ".join(f"UBND {m.group(1)} {n.strip()}" for n in re.split(r",|\bvà\b", m.group(2))), nfc(text)
    )
    found = [m for m in find_agencies(text) if not OF_BODY.search(text[: m.start])]
    mentions = [m for m in found if not m.generic or _ends_piece(text, m.end)]
    mentions += [
        _qualified(text, m)
        for m in found
        if m.generic and not _ends_piece(text, m.end) and QUALIFIER.match(text, m.end)
    ]
    mentions = [m for m in mentions if not any(o.start <= m.start and m.end < o.end for o in mentions)]
    mentions.sort(key=lambda m: m.start)
    rest = text
    for mention in reversed(mentions):
        rest = rest[: mention.start] + " ; " + rest[mention.end :]
    ordered = [m.name for m in mentions]
    for piece in re.split(r"[;,]|\bvà\b", rest):
        piece = HEAD_OF.sub("", piece.strip(" .;:-"))
        if fold(piece) in ("lanh dao", "thu truong", "giam doc") or NOT_A_BODY.search(piece):
            continue
        if fold(piece) in PLACE_WORDS:  # "các Sở, ngành Thành phố": the place the group is of, not a body
            continue
        if SHORT_UNIT.match(piece):
            piece = piece[0].upper() + piece[1:]  # "phòng CNTT": a unit named by its abbreviation
        if fold(piece) in ("dia phuong", "cac dia phuong") and (tier := LOCAL_TIER.get()):
            ordered.append(tier)  # one local tier since the 2025 reform: "các sở, ngành, địa phương"
        elif (len(piece) > 3 and any(c.isupper() for c in piece[:1])) or piece.lower().startswith(("các ", "đơn vị")):
            ordered.append(canonical(piece))
    return list(dict.fromkeys(x for x in ordered if x))


#: Words that open what qualifies a catch-all body: "(các đơn vị) trực tiếp sử dụng …", "được kiểm tra".
QUALIFIER = regex.compile(r"\s+(?:trực tiếp|được|đã|thuộc|trực thuộc|sử dụng|tham gia|đang)\b")
PIECE_END = regex.compile(r"[;.()]|,\s|\svà\s")


def _qualified(text: str, mention: Mention) -> Mention:
    """A catch-all body and the words that qualify it, up to the piece's end: one body, as written ("Các cơ
    quan, đơn vị trực tiếp sử dụng ngân sách nhà nước", "Các cơ quan, đơn vị được kiểm tra")."""
    stop = PIECE_END.search(text, mention.end)
    end = stop.start() if stop else len(text)
    whole = " ".join(text[mention.start : end].split()).rstrip(" ,")
    return Mention(
        whole[:1].upper() + whole[1:], mention.start, mention.start + len(text[mention.start : end].rstrip(" ,"))
    )


#: A unit written in lower case before its abbreviation, as running text does: "phòng CNTT", "trung tâm QLCL".
SHORT_UNIT = regex.compile(r"^(?:phòng|trung tâm|ban|văn phòng|chi cục|cục|tổ)\s+\p{Lu}{2,}[\p{Lu}\d&]*$")


#: The place a group of bodies is of, left alone after it ("các sở, ngành Thành phố"), folded.
PLACE_WORDS = ("thanh pho", "tinh", "thu do")
#: What a cell may say instead of naming a body: "Theo phân công tại Quyết định số 1737/QĐ-UBND".
NOT_A_BODY = regex.compile(r"^(?:[Tt]heo|[Cc]ăn cứ|[Nn]hư|[Tt]ại|[Xx]em)\b|\d+/[\p{L}\d]*-")
#: The body a bare "địa phương" stands for in the document being read: ``UBND cấp xã`` where the document
#: has one local tier (issued from 2025 on), unset otherwise. Set by the extract stage for its document.
LOCAL_TIER: ContextVar[str | None] = ContextVar("local_tier", default=None)


@dataclass(frozen=True)
class ProvinceBodies:
    """How a central body's document names a province's bodies: with the province's name ("UBND tỉnh Phú Thọ"),
    and a bare "UBND tỉnh" as that of the one province it is addressed to (``addressed``), if any."""

    addressed: str | None = None


#: Set by the extract stage for a document a central body issues (no province of its own), unset otherwise.
PROVINCE_BODIES: ContextVar[ProvinceBodies | None] = ContextVar("province_bodies", default=None)
#: The short names the document being read defines for bodies ("(gọi tắt là tỉnh)"), as (short, canonical) pairs.
SHORT_NAMES: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("short_names", default=())
