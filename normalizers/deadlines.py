"""Deadlines (extraction spec section 4): Vietnamese date and period phrases → start, end, recurrence.

    Quý IV năm 2018, Quý IV/2018      2018-10-01 … 2018-12-31
    Trong tháng 8 năm 2018            2018-08-01 … 2018-08-31
    Trong năm 2018, năm 2018          2018-01-01 … 2018-12-31
    … và các năm tiếp theo            start of that year, no end, yearly
    trước ngày 15/12/2018             … 2018-12-15
    (yêu cầu) đến 30/5/2026 phải …    … 2026-05-30
    (bắt đầu) từ tháng 01/2026        2026-01-01 …   (also: từ năm 2026; with a period word, its start)
    trước ngày 05 của tháng liền kề   monthly;  trước ngày 31/01 năm liền kề: yearly
    đến năm 2020                      … 2020-12-31
    giai đoạn 2021-2025               2021-01-01 … 2025-12-31
    Quý I, 6 tháng, Quý III và năm    quarterly (also: định kỳ hàng quý)
    hàng năm, hằng năm                yearly;  hàng tháng, mỗi tháng: monthly
    thường xuyên                      continuous

A year left implicit ("trong Quý II") takes the plan's year. The date of a document the text cites
("Quyết định số 1441/QĐ-UBND ngày 25/9/2025") is never a deadline, in a time cell either.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from vnplan.models.records import Deadline
from vnplan.normalizers.dates import make_date
from vnplan.normalizers.text import fold_chars

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Patterns run over the folded text (no marks, lower case, same offsets); the first match in the
# text wins, ties going to the pattern listed first.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "quarters_report",
        re.compile(
            r"(?:dinh ky\s+)?(?:hang\s+)?quy(?:\s+i)?\s*,\s*6 thang\s*,\s*(?:9 thang|quy\s+i{2,3})"
            r"\s*(?:,|va)\s*(?:ca\s+)?nam"
        ),
    ),
    ("quarterly", re.compile(r"(?:dinh ky\s+)?(?:hang|moi)\s+quy\b")),
    (
        "semiannual",
        re.compile(
            r"(?:dinh ky\s+)?(?:(?:6|sau) thang mot lan|moi (?:6|sau) thang|hang (?:6|sau) thang)"
            r"|(?:dinh ky|bao cao)\s+(?:6|sau) thang\b|\b(?:6|sau) thang\s*(?:,|va)\s*(?:hang\s+|ca\s+)?nam\b"
        ),
    ),
    ("twice_a_year", re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*(?:,|va)\s*(?:ngay\s*)?\d{1,2}\s*/\s*\d{1,2}\s+hang nam\b")),
    ("monthly", re.compile(r"(?:dinh ky\s+)?(?:hang thang|moi thang)\b")),
    (
        "next_month_day",
        re.compile(
            r"(?:truoc|cham nhat)\s+(?:la\s+)?ngay\s*\d{1,2}\s+(?:cua\s+|hang\s+)?thang\s+(?:lien ke|sau|tiep theo)\b"
        ),
    ),
    (
        "next_year_day",
        re.compile(
            r"(?:truoc|cham nhat)\s+(?:la\s+)?(?:ngay\s*)?\d{1,2}\s*/\s*\d{1,2}\s+(?:cua\s+)?nam\s+"
            r"(?:truoc\s+)?(?:lien ke|sau|tiep theo)\b"
        ),
    ),
    ("periodic_day", re.compile(r"dinh ky\s+(?:truoc|cham nhat)\s+(?:ngay\s*)?\d{1,2}\s*/\s*\d{1,2}(?!\s*/\s*\d)")),
    ("yearly", re.compile(r"(?:dinh ky\s+)?hang nam\b")),
    ("continuous", re.compile(r"\bthuong xuyen\b")),
    (
        "before_date",
        re.compile(
            r"(?:truoc|cham nhat|han chot)\s+(?:la\s+)?(?:\d{1,2}\s*gio(?:\s*\d{1,2}\s*phut)?\s*,?\s*)?"
            r"(?:ngay\s*)?(\d{1,2})(?:\s*[/.-]\s*|\s+thang\s+)(\d{1,2})(?:\s*[/.-]\s*|\s+nam\s+)(\d{4})"
        ),
    ),
    (
        "date_range",
        re.compile(
            r"(?:tu\s+)?(?:ngay\s*)?(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.]\s*(\d{4}))?(?:\s*\([^)]{0,12}\))?"
            r"\s*(?:-|–|den(?:\s+het)?|va(?:\s+ca)?)\s*(?:(?:chieu|sang|toi)\s+)?(?:ngay\s*)?"
            r"(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})"
        ),
    ),
    ("from_date", re.compile(r"\btu\s+(?:ngay\s*)?(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})")),
    ("from_month", re.compile(r"\btu\s+thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})(?!\s*(?:-|–|den)\s*(?:thang\s*)?\d)")),
    ("from_year", re.compile(r"\btu\s+nam\s+(\d{4})(?!\s*(?:-|–|den)\s*(?:nam\s*)?\d)")),
    (
        "until_date",
        re.compile(r"(?<!tinh )\bden\s+(?:het\s+)?(?:ngay\s*)?(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})"),
    ),
    ("days", re.compile(r"ngay\s+(\d{1,2})\s*,\s*(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})")),
    (
        "day",
        re.compile(
            r"ngay\s*(\d{1,2})(?:\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})|\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?)"
        ),
    ),
    (
        "quarter_range",
        re.compile(
            r"qu[yi]\s+(iv|iii|ii|i|[1-4])\s*[/-]\s*(\d{4})\s*(?:-|–|den)\s*qu[yi]\s+(iv|iii|ii|i|[1-4])\s*[/-]\s*(\d{4})"
        ),
    ),
    ("quarter", re.compile(r"(?:trong\s+)?qu[yi]\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|nam)\s*(\d{4}))?")),
    ("month", re.compile(r"(?:trong\s+)?thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})")),
    ("period", re.compile(r"(?:giai doan\s+)?\b(\d{4})\s*[-–]\s*(\d{4})\b")),
    ("until_year", re.compile(r"(?:den|truoc)\s+nam\s+(\d{4})")),
    ("year", re.compile(r"(?:trong\s+)?nam\s+(\d{4})(\s+va\s+(?:cac|nhung)\s+nam\s+tiep\s+theo)?")),
    ("bare_year", re.compile(r"^\s*(\d{4})\s*\.?$")),
]


PATTERN_OF = dict(PATTERNS)
#: A document's number right before a date: the date is the cited document's ("Quyết định số 1441/QĐ-UBND ngày …").
CITED_NUMBER = re.compile(r"\d+\s*/\s*[a-z0-9.&-]*[a-z][a-z0-9.&-]*\s*,?\s*$")
#: Nouns a period word qualifies rather than the task ("kế hoạch hàng năm", "việc đánh giá kết quả hàng năm").
QUALIFIED = re.compile(
    r"(?:ke hoach|kinh phi|du toan|ngan sach|danh gia|ket qua|chi tieu|thi dua|khen thuong|"
    r"chuong trinh|cong tac|nhiem vu|so lieu|chi so)(?:\s+\w+){0,2}\s*$"
)
#: A plan or an index named earlier in the clause that a period word closes ("Kế hoạch đào tạo … hằng năm").
PLAN_IN_CLAUSE = re.compile(r"\b(?:ke hoach|chuong trinh|chi so)\b[^.;:]*$")


def _stated_as_deadline(kind: str, m: re.Match[str], folded: str, plan_year: int | None, anywhere: bool) -> bool:
    """In running text, only phrases that read as a due date count (not "kế hoạch hàng năm", "giai đoạn").

    ``anywhere``: a recurrence counts wherever it stands (a table row's short activity and target).
    """
    before = folded[max(0, m.start() - 12) : m.start()]
    opens = m.start() == 0 or before.rstrip().endswith((".", "(", ";", ":", "-")) or "dinh ky" in m.group(0)
    if kind in ("period", "bare_year"):
        return False  # "giai đoạn 2021-2025" in a sentence names a plan's span
    if kind == "until_year":  # a horizon of a noun phrase or a target ("quy hoạch … đến năm 2030") is none
        return opens or m.group(0).startswith("truoc") or bool(re.search(r"(?:hoan thanh|xong)\s*$", before))
    if kind in ("from_month", "from_year"):  # "bắt đầu thực hiện từ tháng 01/2026", not "so với … từ năm 2020"
        return opens or bool(re.search(r"(?:bat dau|thuc hien|trien khai|ap dung|ke)\s*$", before))
    if kind == "until_date":  # "yêu cầu đến 30/5/2026 phải bàn giao", not "số liệu tính đến ngày 30/6/2025"
        due = re.match(r"[^.;:]{0,20}\b(?:phai|hoan thanh|xong|ban giao)\b", folded[m.end() :])
        return bool(due or re.search(r"(?:yeu cau|hoan thanh|xong|cham nhat)\s*$", before))
    if kind in ("day", "days", "date_range"):  # a bare date in a sentence is mostly a cited document's
        opened = re.search(r"(?:trong|vao|tu|gio|phut|chieu|sang|toi|hop)\s*,?\s*$", before)
        return bool(opened) or m.group(0).startswith("tu")
    if kind in ("yearly", "continuous"):
        qualifies = QUALIFIED.search(folded[max(0, m.start() - 30) : m.start()])
        of_a_noun = folded[m.end() : m.end() + 5].startswith(" cua") or PLAN_IN_CLAUSE.search(
            folded[max(0, m.start() - 90) : m.start()]
        )  # "kế hoạch chuyển đổi số hằng năm của tỉnh"
        return opens or anywhere or not (qualifies or of_a_noun)
    if kind == "year" and re.search(r"(?:so voi|tu|ke tu|den|truoc)\s*$", before):
        return False  # a baseline ("so với năm 2020"), or a horizon, which until_year judges
    if kind == "year":
        closes = re.match(r"\s*(?:[.;:(]|$)", folded[m.end() :]) is not None
        named = QUALIFIED.search(folded[max(0, m.start() - 40) : m.start()]) or PLAN_IN_CLAUSE.search(
            folded[max(0, m.start() - 90) : m.start()]
        )  # "… các kế hoạch về cải cách thủ tục hành chính năm 2026.": the year names the plan
        within = m.group(0).startswith("trong")
        if m.group(2):  # "… năm 2026 và các năm tiếp theo": yearly, unless it names a plan ("Kế hoạch … năm 2026 và …")
            return within or not named
        return int(m.group(1)) == plan_year and (within or (closes and not named))
    # "ngày 02 tháng 4 năm 2026": the month of a cited document's date, which "day" judges, is none
    return not (kind == "month" and re.search(r"ngay\s*\d{1,2}\s*$", before))


def _start(kind: str, m: re.Match[str]) -> date | None:
    """The first day a "từ ngày …", "từ tháng …" or "từ năm …" phrase names."""
    if kind == "from_date":
        return make_date(*m.groups())
    if kind == "from_month":
        return make_date("1", m.group(1), m.group(2))
    return date(int(m.group(1)), 1, 1)


def _stated_start(folded: str, plan_year: int | None, running_text: bool) -> date | None:
    """When a recurring task starts, if the phrase says ("hằng tháng …, bắt đầu thực hiện từ tháng 01/2026")."""
    for kind in ("from_date", "from_month", "from_year"):
        for m in PATTERN_OF[kind].finditer(folded):
            if not running_text or _stated_as_deadline(kind, m, folded, plan_year, True):
                return _start(kind, m)
    return None


def _period_beside(folded: str) -> str | None:
    """A period word in a phrase that also says "thường xuyên" (spec §4: the period wins)."""
    for kind, recurrence in (("quarterly", "quarterly"), ("semiannual", "semiannual"), ("monthly", "monthly"),
                             ("yearly", "yearly")):  # fmt: skip
        if PATTERN_OF[kind].search(folded):
            return recurrence
    return None


def parse_deadline(
    text: str, plan_year: int | None = None, running_text: bool = False, recurrence_anywhere: bool = False
) -> Deadline | None:
    """The deadline phrase in ``text``, or None.

    In a table's time cell the first phrase wins. In ``running_text`` (a paragraph) phrases are
    taken by strength (a stated recurrence or quarter before a bare year), and only where they
    read as a due date.
    """
    folded = fold_chars(text)
    best: tuple[int, int, str, re.Match[str]] | None = None
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(folded):
            if kind in ("day", "days") and CITED_NUMBER.search(folded[max(0, m.start() - 30) : m.start()]):
                continue  # the date of a document the text cites, in a time cell too
            if running_text and not _stated_as_deadline(kind, m, folded, plan_year, recurrence_anywhere):
                continue
            order = (rank, m.start()) if running_text else (m.start(), rank)
            if best is None or order < best[:2]:
                best = (*order, kind, m)
            break
    if best is None:
        return None
    _, _, kind, m = best
    raw = text[m.start() : m.end()].strip()
    recurring = {
        "quarters_report": "quarterly",
        "quarterly": "quarterly",
        "semiannual": "semiannual",
        "monthly": "monthly",
        "yearly": "yearly",
        "continuous": "continuous",
        "twice_a_year": "semiannual",
        "periodic_day": "yearly",
        "next_month_day": "monthly",
        "next_year_day": "yearly",
    }
    if kind == "continuous" and (period := _period_beside(folded)):
        return Deadline(raw, recurrence=period)  # "thường xuyên, hằng năm": the period wins
    if kind in recurring:
        return Deadline(raw, start=_stated_start(folded, plan_year, running_text), recurrence=recurring[kind])
    if kind == "quarter_range":
        q1, y1, q2, y2 = m.groups()
        return Deadline(raw, date(int(y1), 3 * ROMAN[q1] - 2, 1), _month_end(int(y2), 3 * ROMAN[q2]))
    if kind in ("from_date", "from_month", "from_year"):
        start = _start(kind, m)
        return Deadline(raw, start) if start else None
    if kind == "until_date":
        end = make_date(*m.groups())
        return Deadline(raw, end=end) if end else None
    if kind == "bare_year":
        return Deadline(raw, date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31))
    if kind == "before_date":
        end = make_date(*m.groups())
        return Deadline(raw, end=end) if end else None
    if kind == "date_range":
        d1, m1, y1, d2, m2, y2 = m.groups()
        start, end = make_date(d1, m1, y1 or y2), make_date(d2, m2, y2)
        return Deadline(raw, start, end) if start and end else None
    if kind == "days":
        d1, d2, month, year = m.groups()
        start, end = make_date(d1, month, year), make_date(d2, month, year)
        return Deadline(raw, start, end) if start and end else None
    if kind == "day":
        day, month, year = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5) or plan_year
        when = make_date(day, month, str(year)) if year else None
        return Deadline(raw, when, when) if when else None
    if kind == "quarter":
        year = int(m.group(2)) if m.group(2) else plan_year
        if not year:
            return None
        q = ROMAN[m.group(1)]
        return Deadline(raw, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    if kind == "month":
        month, year = int(m.group(1)), int(m.group(2))
        return Deadline(raw, date(year, month, 1), _month_end(year, month)) if 1 <= month <= 12 else None
    if kind == "period":
        return Deadline(raw, date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31))
    if kind == "until_year":
        return Deadline(raw, end=date(int(m.group(1)), 12, 31))
    year = int(m.group(1))
    if m.group(2):
        return Deadline(raw, date(year, 1, 1), None, "yearly")
    return Deadline(raw, date(year, 1, 1), date(year, 12, 31))
