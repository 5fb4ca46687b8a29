"""Who owns a task and when it is due (extraction spec §3, "Who owns a task"), as named rules.

Each rule reads one place where plans attach owners and dates:

- :func:`field_line`: a labelled line ("Cơ quan chủ trì: …", "Thời gian thực hiện: …");
- :func:`addressee`: a heading or instruction that names agencies ("2. Sở Tư pháp", "Giao Sở X:");
- :func:`own_words`: the item's own words (its subject, "do X chủ trì", "giao X", "phối hợp với Y").

:func:`resolve` applies the precedence: a labelled block beats the item's own words, which
override only an addressee heading; an item's "phối hợp với Y" adds co-owners to a heading's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from vnplan.extractors.nlp import leading_name_end, verb_follows
from vnplan.models.records import Budget, Deadline
from vnplan.normalizers.agencies import (
    QUALIFIER,
    Mention,
    expand_body_list,
    find_agencies,
    is_generic,
    split_agency_list,
)
from vnplan.normalizers.deadlines import parse_deadline
from vnplan.normalizers.text import fold_chars

#: Labelled field lines, matched on folded text: the field they fill.
FIELD_LABELS: tuple[tuple[str, regex.Pattern[str]], ...] = (
    ("co_owners", regex.compile(r"^(?:co quan|don vi)?\s*(?:\((?:co quan|don vi)\)\s*)?phoi hop(?:\s+thuc hien)?\s*:")),
    (
        "owners",
        regex.compile(
            r"^(?:(?:co quan|don vi|bo phan)\s*(?:\((?:co quan|don vi)\)\s*)?"
            r"(?:chu tri|thuc hien|tham muu|phu trach|dau moi)(?:\s+(?:thuc hien|tham muu|thuc hien chinh))?"
            r"|chu tri|trach nhiem thuc hien)\s*:"
        ),
    ),
    ("deadline", regex.compile(r"^(?:thoi gian(?:\s+\w+){0,2}|thoi han|tien do(?:\s+thuc hien)?)\s*:")),
    ("budget", regex.compile(r"^(?:kinh phi|du toan)(?:\s+thuc hien)?\s*:")),
    ("target", regex.compile(r"^(?:san pham|ket qua)(?:\s+(?:dau ra|du kien|dat duoc|can dat))?\s*:")),
    ("other", regex.compile(r"^(?:thanh phan|dia diem|hinh thuc|doi tuong|phuong phap|phuong thuc)(?:\s+\w+)?\s*:")),
)
#: Words that open an instruction before the agencies it addresses.
ADDRESS_VERBS = regex.compile(r"^(?:giao(?:\s+cho)?|đề nghị|yêu cầu|ủy quyền|đối với)\s+", regex.IGNORECASE)
#: A person who stands for the body they head ("Giám đốc Sở X" → Sở X).
HEAD_TITLES = regex.compile(
    r"^(?:(?:đồng chí\s+)?(?:thủ trưởng|giám đốc|người đứng đầu|lãnh đạo|trưởng ban|tổ trưởng|trưởng đoàn|trưởng|"
    r"(?:các\s+)?thành viên)\s+)",
    regex.IGNORECASE,
)
#: Words that open the name of a body the alias table may not know.
ORG_HEAD = regex.compile(
    r"^(?:Ban(?! hành)|Trung tâm|Phòng(?! chống| ngừa)|Văn phòng|Cục|Chi cục|Tổng cục|Công ty|Tổng công ty|Tập đoàn|"
    r"Hội(?! nghị| thảo)|Hội đồng|Hiệp hội|Liên đoàn|Viện|Trường(?! hợp)|Kho bạc|Bảo hiểm|Ngân hàng|Nhà đầu tư|"
    r"Chủ đầu tư|Đài|"
    r"Báo(?! cáo)|Tổ(?! chức)|Đoàn(?! kết)|Tỉnh đoàn|Công an|Bộ|Thanh tra|Ủy ban|UBND|Mặt trận|Khoa)\s+\S"
)
#: Verbs of the issuer's own voice: "Văn phòng Chính phủ trân trọng đề nghị:" names the speaker, not an addressee.
SPEAKS = regex.compile(r"\b(?:đề nghị|yêu cầu|thông báo|kết luận|chỉ đạo|giao|trân trọng|kính)\b", regex.IGNORECASE)
#: The words that give the bodies before them a duty, in a heading ("… có trách nhiệm:") as in a sentence.
DUTY_OPENERS = r"(?:có|chịu) trách nhiệm|cần|phải|khẩn trương|tập trung|chủ động"
#: What follows the addressees of a heading that only introduces their duties.
DUTY_WORDS = regex.compile(
    rf"^(?:{DUTY_OPENERS}|thực hiện(?: tốt| nghiêm)?"
    r"(?: (?:các|những|một số) (?:nội dung|nhiệm vụ|việc|công việc))?(?: sau(?: đây)?| cụ thể)?|theo chức năng[^:]*)"
    r"[\s\p{L}\p{M},]{0,40}$",
    regex.IGNORECASE,
)
#: A word inside a proper name that is not the clause's verb ("dịch vụ", not "bảo đảm", "tiếp thu").
_NAME_LOWER = (
    r"(?:\s+(?!(?:bảo|thực|triển|phối|chủ|tham|cung|hỗ|tiếp|khẩn|có|chịu|phải|cần|tổ|rà|kiểm|báo|đề|và)\b)"
    r"\p{Ll}[\p{L}\p{M}]*)"
)
#: What joins the parts of a proper name: a space, or ", " and " và " before a word that opens no other body
#: ("Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi", not "Công ty X, Sở Y").
_NAME_JOIN = (
    r"(?:\s+|(?:,\s+|\s+và\s+)(?!(?:Sở|Ban|UBND|Ủy|Bộ|Công ty|Công an|Báo|Đài|Văn|Trung|Các|Cục|Chi|Kho|Ngân|Bảo|Hội|"
    r"Liên|Tỉnh|Trường|Bệnh|Viện|Phòng)\b))"
)
#: The words of a proper name after its kind: capitalised ones, with lower-case words only between them
#: (up to three) or one at the end.
_NAME_PARTS = (
    rf"(?:{_NAME_JOIN}(?:\p{{Lu}}[\p{{L}}\p{{M}}]*|TNHH|MTV)"
    rf"(?:{_NAME_LOWER}{{1,3}}(?=\s+\p{{Lu}}|,|\s*$|\s*[;.:])|{_NAME_LOWER})?)+"
)
#: A body named by a proper name that opens a sentence: "Công ty Điện lực Quảng Ngãi bảo đảm …".
PROPER_BODY = regex.compile(
    rf"^(?:Công ty|Tổng công ty|Tập đoàn|Tỉnh đoàn|Ngân hàng|Bệnh viện|Trường){_NAME_PARTS}(?=\s+\p{{Ll}})"
)
#: A proper name anywhere in a list or heading, up to its end or a separator ("Trung tâm Xúc tiến Đầu tư,
#: Thương mại và Du lịch tỉnh").
PROPER_NAME = regex.compile(
    r"(?<![\p{L}\p{M}])(?:Công ty|Tổng công ty|Tập đoàn|Tỉnh đoàn|Ngân hàng|Bệnh viện|Trường|Trung tâm|Liên đoàn|"
    rf"Hiệp hội|Viện|Chi cục|Cục|Ban Quản lý){_NAME_PARTS}(?=\s+\p{{Ll}}|\s*$|\s*[,;.:])"
)
#: The last "giao X" of a lead-in, which names the owner of the items under it ("1. Thống nhất …. Giao X:").
LAST_ASSIGNMENT = regex.compile(r"(?:^|[.;,]\s+)(giao(?:\s+cho)?\s+)(?!.*\bgiao\s)", regex.IGNORECASE)
#: The last "(kính) đề nghị / đề xuất / kiến nghị X:" of a lead-in, where its speaker turns to the body it asks
#: ("3. Kiến nghị, đề xuất: Trung tâm kính đề xuất UBND tỉnh:").
LAST_ASK = regex.compile(
    r"(?:^|\s)(?:kính\s+|trân trọng\s+)?((?:đề nghị|đề xuất|kiến nghị)\s+)(?!.*\b(?:đề nghị|đề xuất|kiến nghị)\s)",
    regex.IGNORECASE,
)
#: A gloss in parentheses after a name: "(Cơ quan Thường trực về Phòng, chống thiên tai)".
GLOSS = regex.compile(r"\s*\([^()]*\)")
#: What closes the list of partners in a clause.
CLAUSE_STOP = regex.compile(r"[:.()]|\s-\s|;(?!\s*(?:UBND|Ủy ban|Sở|Ban|Các|các|Văn phòng|Đài|Báo|Công an))")
#: The action that partners join in, which ends their list ("phối hợp với Sở X, Sở Y tổ chức …").
ACTION = regex.compile(
    r"(?<![\p{L}\p{M}])(?:tổ chức|thực hiện|triển khai|tham mưu|xây dựng|rà soát|kiểm tra|hướng dẫn|tuyên truyền|"
    r"đề xuất|theo dõi|điều tra|khảo sát|đánh giá|báo cáo|tổng hợp|cập nhật|hoàn thiện|nghiên cứu|ban hành|"
    r"chỉ đạo|đôn đốc|xử lý|giải quyết|quản lý|bố trí|đảm bảo|bảo đảm|tiếp tục|đẩy mạnh|tăng cường|nâng cao|"
    r"cung cấp|hỗ trợ|công bố|vận hành|áp dụng|duy trì|giám sát|chuẩn bị|đề nghị|trình|lập|thông báo|tham gia|"
    r"xác định|lựa chọn|phát hành|đưa|giúp|trong|tại|để|nhằm|theo|về việc|khi|sau khi|"
    r"kịp thời|khẩn trương|chủ động|tích cực|thường xuyên)(?![\p{L}\p{M}])",
    regex.IGNORECASE,
)
#: "số 1" after a word: the word is part of a numbered body's name, not the partners' shared action.
NUMBERED_NAME = regex.compile(r"\s+số\s+\d")
#: "tỉnh" before a lower-case word that joins no other name: the end of a province-level body's name.
PROVINCE_CLOSES = regex.compile(r"(?<=[\p{L}\p{M}]\s+tỉnh)(?=\s+(?!và\b|của\b|có\b|liên\b)\p{Ll})")
#: A heading naming a kind of body: "Các khoa tham gia khảo sát", "Các phòng ban tham gia đào tạo".
KINDS_OF_BODY = regex.compile(
    r"^Các\s+(?:khoa|phòng|phòng ban|trường|tổ chức|doanh nghiệp|hội|đoàn thể|hợp tác xã)\b[^:;.]{0,60}:?\s*$"
)
#: A clause of reason or time before the subject: "Căn cứ Kế hoạch này, …", "Quý I/2027, …", "Hằng năm, …".
OPENING_CLAUSE = regex.compile(
    r"^(?:Căn cứ|Trên cơ sở|Để|Sau khi|Khi|Trường hợp|Trong|Quý|Tháng|Năm|Hằng năm|Hàng năm|Định kỳ|Đến|Trước|Từ)\b"
    r"[^,;:]{0,120},\s*"
)
#: A body named by the kind of unit and a capitalised name: "Phòng Đào tạo", "Trung tâm Quản lý chất lượng".
NAMED_BODY = regex.compile(r"^(?:Phòng|Trung tâm|Khoa|Viện|Trường|Chi cục|Cục|Vụ|Văn phòng|Ban Quản lý)\s+\p{Lu}")
#: A head's title right before the body it stands for, in a list of addressees.
TITLE_BEFORE = regex.compile(r"(?:thủ trưởng|giám đốc|chủ tịch|người đứng đầu|lãnh đạo)\s*$", regex.IGNORECASE)
#: A heading that assigns duties to the agencies it names.
DUTY_OF = regex.compile(
    r"^(?:(?:chức năng|nhiệm vụ|quyền hạn|hoạt động|trách nhiệm)(?:\s*,\s*|\s+và\s+))*"
    r"(?:trách nhiệm|nhiệm vụ|quyền hạn|hoạt động|phân công(?: nhiệm vụ| trách nhiệm)?)(?:\s+(?:của|cho|đối với))?\s+",
    regex.IGNORECASE,
)
SEPARATORS = regex.compile(
    r"^[\s,;&]*(?:(?:của|trong|thuộc|trên địa bàn)\s+tỉnh\b)?[\s,;&]*(?:(?:và|cùng|với)\b[\s,;]*)*$"
)
COOPERATE = regex.compile(r"phoi hop(?:\s+(?:chat che\s+)?voi)?|cung voi")
LEAD = regex.compile(r"^\s*(?:\(\s*)?chu tri\b")
DO_LEAD = regex.compile(r"^\s*(?:chu tri|thuc hien|phu trach|dam nhiem|lam dau moi|trien khai)\b")


#: "Kính gửi:", the line that names a letter's addressees, folded.
TO = regex.compile(r"^kinh gui\s*:?\s*")
#: A part of a letter in which its writer asks the addressee to act: "3. Kiến nghị, đề xuất", "Đề xuất".
ASKS_PART = regex.compile(
    r"^(?:(?:kien nghi|de xuat|de nghi)(?:\s*(?:,|va)\s*)?){1,3}\s*(?:cua\s+[\w\s]{1,40})?:?\s*$"
)


def letter_addressee(texts: Sequence[str]) -> list[str]:
    """The one body a letter is sent to ("Kính gửi: UBND tỉnh"), or [] for none or several."""
    for k, text in enumerate(texts):
        folded = fold_chars(text.strip())
        if m := TO.match(folded):
            named = text.strip()[m.end() :]
            lines = [named] if named.strip() else []
            for after in texts[k + 1 : k + 6] if not lines else ():
                if not after.lstrip().startswith(("-", "+", "•")):
                    break
                lines.append(after.lstrip(" -+•"))
            names = [n for line in lines for n in split_agency_list(line)]
            return names if len(names) == 1 else []
    return []


def asked_addressee(title: str, addressee: Sequence[str]) -> Scope:
    """A letter's part that asks for action ("Kiến nghị, đề xuất") with no body named: the letter's one
    addressee owns its items (spec §3, a letter's single addressee); an empty scope otherwise."""
    if addressee and ASKS_PART.match(fold_chars(title.strip()).lower()):
        return Scope(owners=list(addressee))
    return Scope()


@dataclass
class Scope:
    """What a rule says about a task's owners and timing; empty fields say nothing."""

    owners: list[str] = field(default_factory=list)
    co_owners: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    budget: Budget | None = None
    target: str | None = None

    def merge(self, other: Scope) -> Scope:
        """This scope with the fields ``other`` fills and this one leaves empty."""
        return Scope(
            self.owners or other.owners,
            self.co_owners or other.co_owners,
            self.deadline or other.deadline,
            self.budget or other.budget,
            self.target or other.target,
        )


def field_line(text: str) -> tuple[str, str] | None:
    """(field, value) of a labelled field line ("Cơ quan thực hiện: X chủ trì, …"), else None."""
    folded = fold_chars(text)
    for name, pattern in FIELD_LABELS:
        if m := pattern.match(folded):
            return name, text[m.end() :].strip()
    return None


def field_scope(lines: list[tuple[str, str]], plan_year: int | None) -> Scope:
    """The scope a block of field lines gives."""
    scope = Scope()
    for name, value in lines:
        if name == "owners":
            owners, co = owners_of_list(value)
            scope.owners = scope.owners or owners
            scope.co_owners = scope.co_owners or co
        elif name == "co_owners":
            scope.co_owners = partners(split_agency_list(value))
        elif name == "deadline":
            scope.deadline = parse_deadline(value, plan_year) or Deadline(value) if value else None
            if scope.deadline and not (scope.deadline.start or scope.deadline.end or scope.deadline.recurrence):
                scope.deadline = None
        elif name == "target":
            scope.target = value or None
    return scope


def owners_of_list(text: str) -> tuple[list[str], list[str]]:
    """ "X chủ trì, phối hợp với Y, Z" → ([X], [Y, Z]); "A; B" with no "chủ trì" → ([A, B], [])."""
    folded = fold_chars(text)
    cut = COOPERATE.search(folded)
    if cut is None:
        names = split_agency_list(regex.sub(r"\(?\bchủ trì\b\)?", ",", text))
        return names, []
    lead = regex.sub(r"\(?\bchủ trì\b\)?[\s,;]*$", "", text[: cut.start()].strip(" ,;"))
    owners = split_agency_list(lead)
    co = partners(split_agency_list(text[cut.end() :]))
    return owners, [c for c in co if c not in owners]


def partners(names: list[str]) -> list[str]:
    """Co-owners without the catch-all partners ("các cơ quan, đơn vị liên quan")."""
    return [n for n in names if not is_generic(n)]


def addressee(title: str) -> Scope:
    """The owners a heading or instruction names for everything under it ("3. Sở Nội vụ: Chủ trì, phối hợp với …")."""
    title = expand_body_list(title)
    head, sep, tail = title.partition(":")
    if m := DUTY_OF.match(head):  # "Trách nhiệm của người đứng đầu các cơ quan, đơn vị trong công tác …"
        names, end = leading_agencies(head[m.end() :])
        if names and end < 80:
            return Scope(owners=names)
        return _named_body(head[m.end() :]) if not sep or not tail.strip() else Scope()  # "Nhiệm vụ của Tổ giúp việc"
    names, end = leading_agencies(head)
    mentions = find_agencies(head)
    if len(names) == 1 and mentions and mentions[0].generic and QUALIFIER.match(head, end) and len(head) < 80:
        return Scope(owners=[split_agency_list(head.strip(" .:"))[0]])  # "2. Các cơ quan, đơn vị được kiểm tra"
    if not names and sep and not tail.strip() and (m := LAST_ASSIGNMENT.search(head)) and m.start(1) > 0:
        return addressee(head[m.start(1) :] + ":")  # "1. Thống nhất … theo đề xuất. Giao Trung tâm X:"
    if not names and title.rstrip().endswith(":") and (m := LAST_ASK.search(title)) and m.start(1) > 0:
        return addressee("đề nghị " + title[m.end(1) :])  # "… Trung tâm kính đề xuất UBND tỉnh:" asks UBND tỉnh
    if not names:
        return _named_body(head) if sep else Scope()
    rest = regex.sub(r"^(?:của|trong|thuộc|trên địa bàn)\s+(?:tỉnh|thành phố)\b\s*", "", head[end:].strip(" ,;."))
    folded_rest = fold_chars(rest)
    sentence = rest and not LEAD.match(folded_rest) and not COOPERATE.match(folded_rest.lstrip(", "))
    duty = sep and not tail.strip() and DUTY_WORDS.match(rest)  # "…, Chủ tịch UBND các huyện có trách nhiệm:"
    if sentence and not duty and not _only_agency_words(rest):
        return Scope()  # "1. Sở Nội vụ đã tham mưu …": a sentence, not an addressee heading
    co = _cooperating(head[end:] + (":" + tail if tail else "")) if (rest or tail) else []
    return Scope(owners=names, co_owners=[c for c in co if c not in names])


def named_addressee(title: str) -> Scope:
    """A heading that is only the name of a body the alias table does not know ("1. Phòng Công nghệ thông tin",
    "3.3. Các khoa tham gia khảo sát")."""
    if len(title) >= 90 or title.rstrip().endswith("."):
        return Scope()
    if KINDS_OF_BODY.match(title):
        return Scope(owners=[title.strip(" :")])
    return _named_body(title)


def _named_body(head: str) -> Scope:
    """An addressee the alias table does not know, alone before a colon or on its line ("Ban Quản lý dự án số 1")."""
    name = ADDRESS_VERBS.sub("", head.strip(), count=1).strip(" .;")
    if len(name) > 90 or not ORG_HEAD.match(name) or regex.search(r"[.;]", name) or SPEAKS.search(name):
        return Scope()
    name = name.split(" của ")[0]  # "Nhà đầu tư của 02 dự án …": the body, not what it is of
    return Scope(owners=_split_partners(name))


def _only_agency_words(rest: str) -> bool:
    """What may follow the agencies of an addressee heading: a qualifier, a place's name, a parenthesis."""
    place = r"(?:(?:tỉnh|thành phố)\s+)?\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*){0,2}"
    qualifier = r"(?:của|trong|thuộc|trên địa bàn)?\s*(?:tỉnh|thành phố)"
    return bool(regex.fullmatch(rf"(?:{qualifier}|{place}|\(.*\))?", rest.strip()))


def leading_agencies(text: str) -> tuple[list[str], int]:
    """The agencies that open ``text`` (after "Giao", "Đề nghị", a head's title), and where they end."""
    start = 0
    if m := ADDRESS_VERBS.match(text):
        start = m.end()
    if m := HEAD_TITLES.match(text[start:]):
        start += m.end()
    names: list[str] = []
    end = start
    for mention in find_agencies(text):
        if mention.end <= start:
            continue
        gap = text[end : mention.start]
        if not SEPARATORS.match(TITLE_BEFORE.sub("", gap)):  # "…; Chủ tịch UBND các huyện": a head, then the body
            break
        names.append(mention.name)
        end = mention.end
    return names, end


def own_words(text: str) -> Scope:
    """Owners and co-owners an item names itself: its subject, "do X chủ trì", "giao X", "phối hợp với Y"."""
    text = expand_body_list(text)
    mentions = find_agencies(text)
    folded = fold_chars(text)
    owners: list[str] = []
    for run in _runs(mentions, text):
        after = folded[run[-1].end : run[-1].end + 12]
        before = folded[max(0, run[0].start - 6) : run[0].start]
        by = before.endswith("do ") and DO_LEAD.match(after)  # "do X chủ trì", not "do UBND tỉnh ban hành"
        if LEAD.match(after) or by or before.endswith(("giao ", "giao cho ")):
            owners += [m.name for m in run if not _cooperating_at(folded, m.start)]
    subject, end = leading_agencies(text)
    if not subject and (m := OPENING_CLAUSE.match(text)):  # "Căn cứ Kế hoạch này, các cơ quan, đơn vị … xây dựng"
        subject, end = leading_agencies(text[m.end() :])
        end += m.end()
    if not subject and (m := PROPER_BODY.match(text)):
        subject, end = [" ".join(m.group(0).split())], m.end()  # "Công ty Điện lực Quảng Ngãi bảo đảm …"
    elif not subject and NAMED_BODY.match(text) and (name_end := leading_name_end(text)):
        subject, end = [text[:name_end]], name_end  # "Trung tâm Quản lý chất lượng thực hiện …"
    if not owners and subject and (asked := _asked(text, end)):
        owners, subject = asked, []  # "UBND thành phố đề nghị các sở, ban, ngành treo cờ …": the speaker asks others
    if not owners and subject and not COOPERATE.match(folded.lstrip()) and verb_follows(text, end):
        owners = subject
    if not owners and not subject:
        owners = _asked_within(text)  # "Tỉnh Lâm Đồng hiện có …. Như vậy, …, đề nghị UBND tỉnh tiếp tục …"
    co = _cooperating(text)
    owners = list(dict.fromkeys(owners))
    return Scope(owners=owners, co_owners=[c for c in co if c not in owners])


#: "đề nghị" / "yêu cầu" opening a clause, where a letter turns to the bodies it asks (not "theo đề nghị của …", nor
#: an action's "… và yêu cầu các cơ quan chức năng giải quyết").
ASKED_WITHIN = regex.compile(r"(?:^|(?<=[,.;:]\s))(?:đề nghị|yêu cầu)\s+(?!của\b)", regex.IGNORECASE)


def _asked_within(text: str) -> list[str]:
    """The bodies a sentence of a letter asks to act after its account ("…, đề nghị UBND tỉnh chỉ đạo …"): the
    first "đề nghị X" followed by X's action."""
    for m in ASKED_WITHIN.finditer(text):
        names, stop = leading_agencies(text[m.end() :])
        if names and verb_follows(text[m.end() :], stop):
            return names
    return []


#: The verb by which a subject asks others to act: "UBND tỉnh đề nghị / yêu cầu / giao X …".
ASKS = regex.compile(r"\s*(?:trân trọng\s+)?(?:đề nghị|yêu cầu|giao(?:\s+cho)?)\s+", regex.IGNORECASE)


#: What follows an agency that is given a duty, not one whose work is reported ("đã", "đang" never follow).
DUTY_START = regex.compile(
    rf"\s*(?:{DUTY_OPENERS}|chủ trì|tiếp tục|chỉ đạo|tổ chức|"
    r"thực hiện|triển khai|rà soát|tham mưu|phối hợp|bố trí|bảo đảm|đảm bảo|xây dựng|hướng dẫn|theo dõi|nghiên cứu|"
    r"tăng cường|đẩy mạnh|quán triệt|nghiêm túc|kịp thời|thường xuyên|làm đầu mối|sẽ)\b",
    regex.IGNORECASE,
)


def _asked(text: str, end: int) -> list[str]:
    """The agencies a subject asks to act right after its name ("… đề nghị các sở, ban, ngành treo cờ"), else []."""
    m = ASKS.match(text, end)
    if m is None:
        return []
    names, stop = leading_agencies(text[m.end() :])
    return names if names and verb_follows(text[m.end() :], stop) else []


def duty_subjects(text: str) -> list[str]:
    """The agencies a body paragraph sets duties for: each sentence's or clause's (";") subject followed by a duty word
    ("UBND các phường, xã có trách nhiệm chỉ đạo …; Thủ trưởng các cơ quan, đơn vị chỉ đạo …"), or those its
    subject asks to act ("UBND thành phố đề nghị các sở, ban, ngành treo cờ …"). Past or reported work
    ("Sở Nội vụ đã tham mưu …") names none."""
    found: list[str] = []
    for sentence in regex.split(r"(?<=[.])\s+(?=\p{Lu})", expand_body_list(text)):
        speaker = next((m for m in find_agencies(sentence) if m.start and ASKS.match(sentence, m.end)), None)
        if speaker is not None and (asked := _asked(sentence, speaker.end)):
            found += asked  # "Theo đề nghị của Bộ X tại Công văn số …, Chủ tịch UBND tỉnh giao Sở Y chủ trì …"
            continue
        for k, clause in enumerate(regex.split(r";\s+", sentence)):
            clause = OPENING_CLAUSE.sub("", clause, count=1)
            subject, end = leading_agencies(clause)
            if not subject:
                continue
            if k == 0 and (asked := _asked(OPENING_CLAUSE.sub("", sentence, count=1), end)):
                found += asked  # the bodies asked may run on past a ";": "đề nghị các cơ quan …; các sở, ban, ngành …"
            elif DUTY_START.match(clause, end):
                found += subject
    return list(dict.fromkeys(found))


def _runs(mentions: Sequence[Mention], text: str) -> list[list[Mention]]:
    """Mentions grouped into runs joined only by separators ("Sở A, Sở B và UBND cấp huyện")."""
    runs: list[list[Mention]] = []
    for mention in mentions:
        if runs and SEPARATORS.match(text[runs[-1][-1].end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return runs


def _cooperating_at(folded: str, offset: int) -> bool:
    window = folded[max(0, offset - 40) : offset]
    return COOPERATE.search(window) is not None and not LEAD.search(window[-12:])


def _cooperating(text: str) -> list[str]:
    """The partners named after each "phối hợp (với)", as far as the action they join in; catch-alls left out.

    Known agencies come by the alias table; a partner that names a kind of body ("các cơ sở đào tạo có đủ
    thẩm quyền", "các đơn vị thuộc Bộ Nội vụ") is kept as written.
    """
    folded = fold_chars(text)
    found: list[str] = []
    for m in COOPERATE.finditer(folded):
        if not m.group().endswith("voi") and not _names_next(text, m.end()):
            continue  # "công tác phối hợp kiểm soát …": the noun, not "phối hợp với" partners
        span = GLOSS.sub("", text[m.end() : _partners_end(text, m.end())])
        found += partners(_split_partners(span))
    return list(dict.fromkeys(found))


#: A unit written in lower case before its name or abbreviation, as running text does: "phòng CNTT".
UNIT_KIND = regex.compile(r"(?:phòng|ban|trung tâm|sở|văn phòng|chi cục|cục|tổ|đoàn|hội|viện|trường)\s+\p{Lu}")


def _names_next(text: str, offset: int) -> bool:
    """True when an agency (or a capitalised name) comes right after ``offset``: "phối hợp Sở Tài chính"."""
    rest = text[offset:]
    gap = len(rest) - len(rest.lstrip())
    if rest[gap : gap + 1].isupper() or UNIT_KIND.match(rest[gap:]):
        return True
    return any(m.start == offset + gap for m in find_agencies(text))


def _split_partners(span: str) -> list[str]:
    """The agencies a list of partners names, proper names with commas in them kept whole ("Công ty TNHH
    MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi")."""
    found, last = [], 0
    for m in PROPER_NAME.finditer(span):
        if not regex.search(r",|\svà\s", m.group(0)):
            continue  # a name without commas is split as any list is
        found += split_agency_list(span[last : m.start()])
        found.append(" ".join(m.group(0).split()))
        last = m.end()
    return found + split_agency_list(span[last:])


def _partners_end(text: str, start: int) -> int:
    """Where the partners after "phối hợp với" end: punctuation that closes the clause, or the shared action
    (a word of an agency's name, "Sở Tài chính", or a capitalised word is never taken for one)."""
    stop = CLAUSE_STOP.search(text, start)
    while stop and stop.group() == "(" and (close := text.find(")", stop.end())) != -1:
        if not regex.match(r"\s*(?:,|và\b)", text[close + 1 :]):
            break  # "Sở X (Cơ quan thường trực), Sở Y": a partner's gloss, and the list goes on
        stop = CLAUSE_STOP.search(text, close + 1)
    end = stop.start() if stop else len(text)
    if province := PROVINCE_CLOSES.search(text, start, end):
        end = province.start()  # "Trung tâm Phát triển quỹ đất tỉnh | tập trung …": "tỉnh" ends a body's name
    names = [(m.start, m.end) for m in find_agencies(text)]
    for action in ACTION.finditer(text, start, end):
        capitalised = text[action.start()].isupper()  # "Công ty … Đầu tư, Xây dựng và …": a word of a name
        numbered = NUMBERED_NAME.match(text, action.end())  # "Ban Quản lý dự án đầu tư xây dựng số 1"
        if not capitalised and not numbered and not any(s <= action.start() < e for s, e in names):
            return action.start()
    return end


def resolve(block: Scope | None, own: Scope, heading: Scope | None) -> Scope:
    """Precedence (spec §3): a labelled block, then the item's own words, then an addressee heading."""
    block = block or Scope()
    heading = heading or Scope()
    if block.owners:
        owners = block.owners
        co = block.co_owners or own.co_owners
    elif own.owners:
        owners, co = own.owners, own.co_owners
    else:
        owners = heading.owners
        co = list(dict.fromkeys([*(block.co_owners or heading.co_owners), *own.co_owners]))
    return Scope(
        owners=owners,
        co_owners=[c for c in co if c not in owners],
        deadline=block.deadline or own.deadline,
        budget=block.budget or own.budget,
        target=block.target or own.target,
    )
