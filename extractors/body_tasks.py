"""Tasks in the body (spec §3.2): the items of task sections, with owners and dates in scope.

The document's outline (:mod:`vnplan.extractors.outline`) gives headings and items whatever read the
document. A section holds tasks when the first decisive word of its nearest titled heading says
so (:func:`section_kind`); in a directive, a conclusion notice or an official letter the numbered
instructions after the background hold tasks without such a title. Inside a task section every
item (lettered, numbered, bullet) or paragraph that has no sub-items is a task; an item with
sub-items is a heading. Who owns each task and when it is due follow :mod:`vnplan.extractors.scope`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from vnplan.extractors.outline import Node, build_outline
from vnplan.extractors.passages import Passage
from vnplan.extractors.scope import (
    ADDRESS_VERBS,
    DUTY_OF,
    GLOSS,
    SPEAKS,
    Scope,
    addressee,
    asked_addressee,
    duty_subjects,
    field_line,
    field_scope,
    leading_agencies,
    letter_addressee,
    named_addressee,
    own_words,
    resolve,
)
from vnplan.models.document import BlockKind
from vnplan.models.records import Task
from vnplan.normalizers.agencies import find_agencies
from vnplan.normalizers.deadlines import parse_deadline
from vnplan.normalizers.text import fold

#: Title words that make a section hold tasks, and those that make it background (spec §3.2), folded.
TASK_WORDS = (
    "nhiem vu",
    "giai phap",
    "noi dung",
    "cac hoat dong",
    "hoat dong",
    "to chuc thuc hien",
    "trach nhiem",
    "phan cong",
    "theo doi, kiem tra",
    "to chuc theo doi",
    "ke hoach hanh dong",
    "phuong huong",
    "chi dao",
    "tien do",
    "trien khai",
    "phuong an",
)
BACKGROUND_WORDS = (
    "can cu",
    "muc dich",
    "yeu cau",
    "muc tieu",
    "chi tieu",
    "lo trinh",
    "tinh hinh",
    "ket qua",
    "danh gia",
    "nguyen nhan",
    "kinh phi",
    "ton tai",
    "han che",
    "thuc trang",
    "boi canh",
    "quan diem",
    "pham vi",
    "doi tuong",
    "giai thich",
    "thanh phan",
    "dia diem",
    "du bao",
    "thoi gian",  # "1. Thời gian thi đua": when, as a Lộ trình says; "Thời gian và tiến độ thực hiện" lists its steps
    "kinh gui",
    "tieu chuan",
    "ho so",
    "diem",
    "bao cao ket qua",  # a letter's "1. Báo cáo kết quả … năm 2024 và các hoạt động năm 2025": its account
    "bao cao tinh hinh",
    "noi dung chi so",  # "II. Nội dung Chỉ số cải cách hành chính": what a measure is made of, not work
    "noi dung bo chi so",
    "noi dung tieu chi",
    "noi dung bo tieu chi",
)
#: Background words that say whom, where or when a plan's work concerns: a title listing them with a part that
#: assigns work ("Đối tượng, nội dung và hình thức …") holds tasks; an account's or aims' list ("Kết quả và các hoạt
#: động", "Mục tiêu và nhiệm vụ") leaves its sub-parts to say.
DESCRIPTOR_WORDS = ("doi tuong", "pham vi", "thanh phan", "dia diem", "thoi gian")
#: A funding title: "Kinh phí (thực hiện)", "Nguồn kinh phí", "Dự toán kinh phí"; "… bảo đảm kinh phí cho …" later in
#: a solution's title mobilises resources, and is no funding section (spec §3).
FUNDING = regex.compile(r"(?:nguon |du toan )?kinh phi\b")
#: In a report, the title words of the part that proposes work for the coming period, folded.
FORWARD_WORDS = ("nhiem vu", "giai phap", "phuong huong", "kien nghi", "de xuat", "ke hoach hanh dong", "phan cong")
#: In rules issued by a decision (Quy định, Quy chế), whose articles are norms, the title words of the articles
#: that assign their carrying out ("Điều 18. Tổ chức thực hiện"); "nhiệm vụ" there is what the rules are about.
RULES_WORDS = ("to chuc thuc hien", "trach nhiem", "phan cong")
#: The heading of rules issued by a decision, and how many passages (a letterhead's) may come before it.
RULES = regex.compile(r"^(?:QUY ĐỊNH|QUY CHẾ)\b")
HEAD_PASSAGES = 5
#: Words a title may open with before the word that says what it is ("Về công tác tự đánh giá"), folded.
OPENING_FILLER = regex.compile(
    r"^(?:(?:[ivxlc]+|\d{1,2}(?:\.\d{1,2})*|[a-z])\s*[.)]\s*)?"  # its label, when it has one
    r"(?:(?:ve|cong tac|mot so|cac|nhung|viec|ve viec|tiep tuc|tang cuong)\s+)*"
)
#: Document types whose parts need a "Nhiệm vụ"-like title to hold tasks; in any other (a directive, a
#: conclusion notice, a letter, a telegram) the numbered instructions after the background are tasks.
PLANNING_TYPES = {"KH", "QĐ", "BC"}
#: Label styles that number a document's parts; bullets and paragraphs at the top level are its preamble.
NUMBERED_STYLES = ("part", "article", "roman", "number1", "number2", "number3", "number4", "step", "letter")
#: An appendix heading ("PHỤ LỤC II", "Phụ lục 01: DANH MỤC NHIỆM VỤ"), with its title when on the same line.
APPENDIX = regex.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?[IVXLC\d]+[a-z]?)?\s*[:.–-]?\s*(?P<title>[^()]{0,200})$")
MAX_APPENDIX_HEADING = 160
#: The heading of a document issued with this one ("KẾ HOẠCH … (Kèm theo Quyết định số …)"): a decision approving
#: a plan, a programme or rules carries it after its own signature, and it is read as a body of its own.
ATTACHED = regex.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN)\b")
#: How many passages after an attached document's heading its "(Kèm theo …)" line may come.
ATTACHED_REACH = 3
#: The heading of a draft sent with a Tờ trình ("DỰ THẢO NGHỊ QUYẾT"), and how far its enacting line may follow it.
DRAFT = regex.compile(r"^(?:DỰ THẢO\s+)?(?:NGHỊ QUYẾT|QUYẾT ĐỊNH)\s*$")
DRAFT_REACH = 30
#: A title set in capitals: two words or more.
CAPITALS = regex.compile(r"\b\p{Lu}{2,}(?:[ ,]+\p{Lu}{2,})+\b")
#: The titles of appendices that only give a form to fill in.
REPORT_FORMS = ("de cuong", "mau ", "bieu mau", "phieu ")
#: A body or office holder that opens a line of a recipients or attendees list.
LISTED_BODY = regex.compile(
    r"^(?:Ban|Văn phòng|Đoàn|Chủ tịch|Phó Chủ tịch|Thường trực|Bộ|Sở|Cục|Vụ|Trung tâm|Hội|Ủy ban|UBND|HĐND|Tỉnh ủy|"
    r"Các|Lãnh đạo|Đại diện|Đồng chí|Lưu)\b"
)
#: A letter's thanks, which close it: "… trân trọng cảm ơn sự quan tâm chỉ đạo của Đồng chí".
THANKS = regex.compile(r"\b(?:trân trọng|xin|chân thành)\s+cảm ơn\b", regex.IGNORECASE)
#: Folded openings of what is no task: a target's or note's label, a closing, a note of what is attached ("(Kèm theo dự
#: thảo văn bản …)", "(Có phụ lục chi tiết kèm theo)").
NOT_TASK_START = (
    "muc tieu:", "chi tieu:", "trong do:", "ghi chu", "tren day la", "trong qua trinh", "noi nhan", "(kem theo",
    "(co phu luc",
)  # fmt: skip
CLOSING = regex.compile(r"\./\.\s*$")
#: The verb that assigns work to the agency after it.
ASSIGNS = regex.compile(r"\bgiao\s+(?:cho\s+)?(?=\p{Lu}|các\b)", regex.IGNORECASE)
#: The last words of a letter's or notice's preamble, before its instructions: "… có ý kiến như sau:".
AS_FOLLOWS = regex.compile(r"\b(?:như sau|sau đây|cụ thể như sau)\s*:\s*$", regex.IGNORECASE)
#: The verb by which a directive's opening sentence turns to its addressees.
ADDRESSING = regex.compile(r"\b(?:yêu cầu|đề nghị|chỉ thị|giao|hướng dẫn)\s+(?=\S)", regex.IGNORECASE)
#: The closing formula: asking the addressees to carry out this very document.
CARRY_OUT = regex.compile(
    r"(?:thực hiện|triển khai|tổ chức thực hiện|thi hành)(?: nghiêm túc| nghiêm| nghiêm túc, hiệu quả| có hiệu quả)?"
    r"(?: nội dung)? (?:Chỉ thị|Kế hoạch|Thông báo|Công điện|Quyết định|Nghị quyết|Công văn|Chương trình|văn bản) này",
    regex.IGNORECASE,
)
#: The line that opens a decision's or resolution's articles: "QUYẾT ĐỊNH:", "QUYẾT NGHỊ:".
ENACTS = regex.compile(r"^\s*(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT)\s*:\s*$")
#: Words of a sentence that only asks its addressees to carry out what they were sent (the closing formula), folded.
CARRY_OUT_WORDS = frozenset(
    regex.findall(
        r"\w+",
        "thuc hien trien khai to chuc nghiem tuc biet phoi hop quan tam kip thoi co hieu qua day du cac noi dung "
        "tren nay van ban thong bao ke hoach chi thi cong van quyet dinh theo dung quy dinh tot khan truong va de "
        "dam bao",
    )
)
#: Bullets shorter than this under an item ending in ":" enumerate that item rather than add tasks.
ENUMERATION_ITEM = 90
MIN_TASK_CHARS = 12
#: Longer than this, what follows an addressee's "chủ trì, phối hợp …" is a sentence with its own action.
LONG_LEAD = 120
#: Longest topic label before an item's colon ("Thanh tra khoa học và công nghệ: …").
MAX_TOPIC = 60
#: Where a sentence ends and the next begins.
SENTENCE_END = regex.compile(r"(?<=\.)\s+(?=\p{Lu})")
#: Telephone numbers alone, and the fewest digits a telephone number has.
PHONES = regex.compile(r"^[\d\s.\-–()/+,;]+$")
MIN_PHONE_DIGITS = 8
#: Longest title of an item, and of a numbered heading over numbered sub-items.
MAX_TITLE = 160
LONG_TITLE = 320
#: Confidence of a body task before the reading confidence is folded in.
BODY_CONFIDENCE = 0.85


@dataclass(frozen=True)
class Reading:
    """What a part of the document is read as: the plan's year, and, for a report or rules, the only title words that
    make a part of it hold tasks (``only``; every other part, titled or not, gives none)."""

    plan_year: int | None
    only: tuple[str, ...] | None = None
    addressee: tuple[str, ...] = ()  # the one body a letter is sent to ("Kính gửi: UBND tỉnh"), if one


@dataclass
class Candidate:
    """A task found in the outline, before a later field block may still claim it."""

    node: Node
    text: str
    code: str | None
    section: list[str]
    heading: Scope | None
    block: Scope | None = None
    own: Scope = field(default_factory=Scope)


def section_kind(title: str, only: tuple[str, ...] | None = None) -> bool | None:
    """True when a title assigns work, False when it is background, None when it says neither.

    The first decisive word wins: "Nội dung và mục tiêu" assigns work, "Tình hình thực hiện nhiệm vụ" is background.
    With ``only``, a title assigns work only by one of those words: in a report, the part that looks ahead
    ("Phương hướng, nhiệm vụ quý II", "Đề xuất, kiến nghị"), not what it says was directed or carried out
    ("Công tác chỉ đạo, điều hành").
    """
    key = fold(title)
    opening = OPENING_FILLER.match(key)
    start = opening.end() if opening else 0
    hits = [(m.start(), True) for w in TASK_WORDS if (m := regex.search(rf"\b{w}\b", key))] + [
        (m.start(), False)
        for w in BACKGROUND_WORDS
        if (m := regex.search(rf"\b{w}\b", key)) and m.start() == start and w != "kinh phi"
    ]  # background only as the title's first word: "Hướng dẫn tự đánh giá, chấm điểm" is no assessment
    if FUNDING.match(key, start):
        return False  # "Kinh phí" at any level gives no tasks
    if only is not None:  # its own words assign work too: "Đề xuất, kiến nghị" holds none of TASK_WORDS
        hits += [(m.start(), True) for w in only if (m := regex.search(rf"\b{w}\b", key))]
    if not hits:
        return None
    if only is not None:
        return min(hits)[1] and any(regex.search(rf"\b{w}\b", key[min(hits)[0] :]) for w in only)
    return min(hits)[1] or (key.startswith(DESCRIPTOR_WORDS, start) and _lists_work(key))


def _lists_work(key: str) -> bool:
    """A title that lists the parts it holds, one of which assigns work ("Đối tượng, nội dung và hình thức tuyên
    truyền"): it holds tasks where its sub-parts do not say otherwise. A task word inside the background's own phrase
    ("Tình hình thực hiện nhiệm vụ") lists nothing."""
    return any(regex.search(rf"(?:,|;| va)\s+{w}\b", key) for w in TASK_WORDS)


def extract_body_tasks(passages: list[Passage], plan_year: int | None, doc_type: str | None = None) -> list[Task]:
    """Tasks from the body's task sections, and from appendices that are not report outlines or forms, in
    document order."""
    decision = any(ENACTS.match(p.text) for p in passages)  # "QUYẾT NGHỊ:": articles, whatever the type says
    tasking: bool | None = None if doc_type in PLANNING_TYPES or decision else True  # None: as the titles say
    found: list[Candidate] = []
    addressee = tuple(letter_addressee([p.text for p in passages]))
    for k, (title, part) in enumerate(_parts(passages)):
        if title is None or not _is_form(title):
            reading = Reading(plan_year, _only_words(part, report=doc_type == "BC" and k == 0), addressee)
            found += _section(build_outline(part), [], None if reading.only else tasking, None, reading)
    return [_task(cand, plan_year) for cand in found]


def _only_words(part: list[Passage], report: bool) -> tuple[str, ...] | None:
    """The only title words that make a section of this part hold tasks: a report's body (documents issued with it
    are none) looks ahead by them, rules issued by a decision assign their carrying out by them; None otherwise."""
    if report:
        return FORWARD_WORDS
    if any(RULES.match(p.text.strip()) for p in part[:HEAD_PASSAGES]):
        return RULES_WORDS
    return None


def _parts(passages: list[Passage]) -> list[tuple[str | None, list[Passage]]]:
    """The body and each document issued with it (title None), and each appendix with its title: the
    heading's own words, else the blocks between "Phụ lục II" and its "(Kèm theo …)" line."""
    parts: list[tuple[str | None, list[Passage]]] = [(None, [])]
    for k, passage in enumerate(passages):
        text = passage.text.strip()
        if len(text) <= MAX_APPENDIX_HEADING and not text.endswith(".") and (m := APPENDIX.match(text)):
            parts.append((m.group("title"), []))
        elif k and ATTACHED.match(text) and _attached_to(passages[k : k + ATTACHED_REACH]):
            parts.append((None, []))  # a body, whatever its title says: "Kế hoạch phân bổ kinh phí" holds tasks
        elif k and DRAFT.match(text) and any(ENACTS.match(p.text) for p in passages[k : k + DRAFT_REACH]):
            parts.append((None, []))  # a Tờ trình's draft resolution or decision, after the Tờ trình's signature
        parts[-1][1].append(passage)
    titled = []
    for title, part in parts:
        if title == "":
            words = []
            for passage in part[1:4]:
                if passage.text.lstrip().startswith("("):
                    break
                words.append(passage.text.strip())
            title = " ".join(words)
        titled.append((title, part))
    return titled


def _attached_to(passages: list[Passage]) -> bool:
    """Whether these passages, from a document heading on, say the document is issued with another."""
    return any(regex.search(r"\(\s*(?:ban hành\s+)?kèm theo\b", p.text, regex.IGNORECASE) for p in passages)


def _is_form(title: str) -> bool:
    """An appendix that is a report outline, a form or background ("Đề cương báo cáo", "Mẫu …", "Kết quả …"):
    what it lists is not work the document assigns. Its title in capitals is its title, whatever a scan read
    before it ("Phụ lục số 1 ĐỀ CƯƠNG …" read "Phụ lụcsối ĐỀ CƯƠNG …")."""
    capitals = CAPITALS.search(title)
    titles = [title, capitals.group()] if capitals else [title]
    return any(fold(t).startswith(REPORT_FORMS) or section_kind(t) is False for t in titles)


def _task(cand: Candidate, plan_year: int | None) -> Task:
    """A candidate as a task: owners and dates by the scope rules' precedence, a due date in its own
    words where no rule gives one, and where it was found."""
    scope = resolve(cand.block, cand.own, cand.heading)
    task = Task(
        text=cand.text,
        code=cand.code,
        section=" > ".join(cand.section) or None,
        owners=scope.owners,
        co_owners=scope.co_owners,
        deadline=scope.deadline or parse_deadline(cand.text, plan_year, running_text=True),
        target=scope.target,
    )
    if cand.node.passage is not None:
        prov = cand.node.passage.provenance(0, len(cand.node.passage.text))
        prov.confidence = round(BODY_CONFIDENCE * prov.confidence, 4)
        task.provenance = prov
    return task


@dataclass
class FieldBlocks:
    """A section's field lines ("Cơ quan chủ trì: …") as they are met, and the candidates each block
    covers: those found since the previous block, or, when there are none yet, all the section's
    items (an opening block, directly under the heading)."""

    plan_year: int | None
    lines: list[tuple[str, str]] = field(default_factory=list)  # (field, value) of the block being read
    pending: list[Candidate] = field(default_factory=list)  # candidates since the last block
    opening: Scope | None = None

    def close(self) -> None:
        """End the block being read: its scope goes to the pending candidates, or opens the section."""
        if not self.lines:
            return
        scope = field_scope(self.lines, self.plan_year)
        if self.pending:
            for cand in self.pending:
                cand.block = scope if cand.block is None else cand.block.merge(scope)
            self.pending.clear()
        else:
            self.opening = scope if self.opening is None else self.opening.merge(scope)
        self.lines.clear()

    def found(self, cands: list[Candidate]) -> None:
        """Candidates found under one child of the section: the opening block covers those no block
        covers yet, and these wait for the next block."""
        for cand in cands:
            if self.opening is not None and cand.block is None:
                cand.block = self.opening
        self.pending += [c for c in cands if c.block is None or c.block is self.opening]


def _section(
    node: Node, path: list[str], tasking: bool | None, heading: Scope | None, reading: Reading
) -> list[Candidate]:
    """The candidates under a heading, in document order, each with the field block that covers it."""
    mine: list[Candidate] = []
    blocks = FieldBlocks(reading.plan_year)
    instructions = False  # past the preamble's last words, "… có ý kiến như sau:"
    for child in node.children:
        if (fl := field_line(child.text)) is not None and child.style in ("paragraph", "-", "+", "*", "•"):
            blocks.lines.append(fl)
            continue
        if node.style == "root" and child.style == "paragraph" and (named := _addressed(child.text)) is not None:
            heading = named  # "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành … thực hiện tốt:"
            instructions = True
            continue
        blocks.close()
        if instructions and tasking and node.style == "root" and child.style == "paragraph":
            got = _instruction(child, path, heading)
        elif tasking and node.style == "root" and child.style == "paragraph":
            got = _standalone(child, path, heading)
        else:
            got = _child(child, path, tasking, heading, reading)
        instructions = instructions or (node.style == "root" and bool(AS_FOLLOWS.search(child.text)))
        blocks.found(got)
        mine += got
        leaf = not child.paragraphs and all(field_line(c.text) is not None for c in child.items)
        if leaf:  # "1.2. …" with its "- Cơ quan thực hiện: …" lines nested under it
            blocks.lines += [fl for c in child.children if (fl := field_line(c.text)) is not None]
            blocks.close()
    blocks.close()
    return mine


def _child(
    child: Node, path: list[str], tasking: bool | None, heading: Scope | None, reading: Reading
) -> list[Candidate]:
    """The candidates one child of a section gives: itself and its paragraphs, or what lies under it."""
    if child.parent is not None and child.parent.style == "root" and child.style not in NUMBERED_STYLES:
        return []  # the preamble, background and recipient lists before the first numbered part
    kind = section_kind(_title_words(child), reading.only) if child.style not in ("paragraph", "lead") else None
    if reading.only and tasking is not None:
        kind = None  # its part's title decides for a report's sub-part: "I. Công tác chỉ đạo" > "6. … giải pháp mới"
    sub_items = [c for c in child.items if field_line(c.text) is None]
    scope = addressee(child.text)
    if not scope.owners and child.children:  # "3. Kiến nghị, đề xuất" in a letter to one body
        scope = asked_addressee(_title_words(child), reading.addressee)
    if sub_items and not _enumerates(child, sub_items):
        here = tasking if kind is None else kind
        if not scope.owners and not SPEAKS.search(child.text):  # a lead-in: "Triển khai (do Sở X chủ trì):"
            scope = own_words(child.text)
        if not scope.owners:
            scope = named_addressee(child.text)
        if here is None and scope.owners and ADDRESS_VERBS.match(child.text):
            here = True  # "3. Giao UBND Thành phố:" in a decision's article: its items are that body's tasks
        return _section(child, [*path, _section_title(child)], here, _inherit(scope, heading), reading)
    if not scope.owners and child.children:  # "1. Phòng Công nghệ thông tin" over its paragraphs
        scope = named_addressee(child.text)
    title = _is_title(child, scope)
    here = kind if title and kind is not None else tasking
    if not here and not (here is None and not reading.only and _assigns(child.text)):
        return []
    cands: list[Candidate] = []
    if not title and (text := _task_text(child, sub_items)):
        said = _strip_address(child.text)
        own = own_words(said if said.startswith(text[:MIN_TASK_CHARS]) else text)  # a closing paragraph's duty: its own
        topic = _after_topic(child.text)
        after_topic = own_words(topic) if topic else Scope()
        if after_topic.owners and any(not m.generic for m in find_agencies(topic or "")):
            own = after_topic  # "Thanh tra khoa học và công nghệ: UBND các huyện, thị xã làm đầu mối …"
        elif scope.owners:  # "Công an tỉnh: Chỉ đạo …": the item's own addressee leads it
            co = [c for c in [*scope.co_owners, *own.co_owners] if c not in scope.owners]
            own = Scope(owners=scope.owners, co_owners=list(dict.fromkeys(co)))
        cands.append(Candidate(child, text, _code(child), path, heading, own=own))
    if child.paragraphs:
        lead = scope if scope.owners else (cands[0].own if cands and cands[0].own.owners else None)
        inner = [*path, _section_title(child)] if title else path
        cands += _section(child, inner, here, _inherit(lead, heading), reading)
    return cands


def _assigns(text: str) -> bool:
    """An item that assigns work by its own words, "… giao Sở Nội vụ chủ trì …", "UBND huyện chịu trách nhiệm
    …", wherever it stands in a part whose title says neither task nor background (spec §3: sections by title
    and by content); not the article that has its addressees carry out the decision itself."""
    if CARRY_OUT.search(text):
        return False
    return (ASSIGNS.search(text) is not None and bool(own_words(text).owners)) or bool(duty_subjects(text))


def _standalone(child: Node, path: list[str], heading: Scope | None) -> list[Candidate]:
    """A paragraph of a notice's or letter's body that directs an action by itself, with no task section or
    "… như sau:" before it (spec §3: a stand-alone paragraph): its subjects given duties ("UBND các phường,
    xã có trách nhiệm …") or the bodies its subject asks to act ("UBND thành phố đề nghị các sở … treo cờ …")
    own it. Background, the preamble and the closing formula direct nothing."""
    text = " ".join(child.text.split())
    owners = duty_subjects(text)
    if not owners or len(text) < MIN_TASK_CHARS or fold(text).startswith(("kinh gui", "noi nhan", "can cu")):
        return []
    if not text.endswith((".", ";", "!", ")")):
        return []  # "… yêu cầu các sở … thực hiện các nội dung sau:" introduces what follows, or a page cut it
    if CARRY_OUT.search(text) or _only_carries_out(text):
        return []
    own = own_words(text)
    return [Candidate(child, text, None, path, heading, own=Scope(owners=owners, co_owners=own.co_owners))]


def _only_carries_out(text: str) -> bool:
    """A sentence whose words, its agencies left out, only ask them to carry out what they were sent
    ("Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.")."""
    rest = text
    for mention in reversed(find_agencies(text)):
        rest = rest[: mention.start] + rest[mention.end :]
    words = regex.findall(r"[\p{L}\p{M}]+", fold(rest))
    asked = regex.split(r"\b(?:de nghi|yeu cau|giao)\b", " ".join(words), maxsplit=1)
    tail = asked[-1].split()
    return len([w for w in tail if w not in CARRY_OUT_WORDS]) < 2


def _instruction(child: Node, path: list[str], heading: Scope | None) -> list[Candidate]:
    """An unnumbered paragraph after a letter's or notice's "… như sau:": an instruction, unless it only closes
    ("Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.")."""
    text = _task_text(child, [])
    if text is None or CLOSING.search(child.text) or fold(text).startswith(("kinh gui", "noi nhan")):
        return []
    return [Candidate(child, text, None, path, heading, own=own_words(text))]


def _addressed(text: str) -> Scope | None:
    """The agencies a directive's opening sentence addresses for all its instructions ("… yêu cầu X, Y:"), or None."""
    if not text.rstrip().endswith(":"):
        return None
    for m in ADDRESSING.finditer(text):
        scope = addressee(GLOSS.sub("", text[m.end() :]))  # "các bộ, cơ quan ngang bộ (gọi tắt là bộ) và …"
        if scope.owners:
            return scope
    return None


def _heading_kind(node: Node) -> bool:
    """Printed as a heading, or an article's title ("Điều 2. Nhiệm vụ của Tổ giúp việc"), which is one by its label."""
    return node.style == "article" or (node.passage is not None and node.passage.kind == BlockKind.HEADING)


def _title_words(node: Node) -> str:
    """The part of an item that can be a title: before its first colon, and short; longer for a numbered heading
    over numbered sub-items ("1. Báo cáo kết quả … năm 2024 … và các hoạt động chủ yếu năm 2025" over "1.1.")."""
    head = node.text.split(":")[0]
    numbered = any(c.style.startswith("number") for c in node.items)
    return head if len(head) < (LONG_TITLE if numbered else MAX_TITLE) else ""


def _section_title(node: Node) -> str:
    printed = node.printed()
    head = printed.split(":")[0].strip() if ":" in printed[:160] else printed
    return regex.sub(r"[:：.]\s*$", "", head).strip()


def _inherit(scope: Scope | None, heading: Scope | None) -> Scope | None:
    if scope is None or not scope.owners:
        return heading
    return scope


def _is_title(node: Node, scope: Scope) -> bool:
    """An addressee only ("b) Sở Tài chính") or a short title with no sentence ("1.1. Nội dung và mục tiêu")."""
    text = node.text.rstrip(" :")
    if scope.owners and len(text) < 200 and not _has_task_after_address(node.text, leaf=not node.children):
        return True
    if node.text.rstrip().endswith(":") and node.paragraphs and len(text) < 160:
        return True  # "b) Thời hạn thực hiện tự đánh giá:" over its paragraph: a title that introduces it
    ends_sentence = text.endswith((".", ";")) and not text.endswith("..")
    return bool(node.paragraphs) and _heading_kind(node) and len(text) < 160 and not ends_sentence


def _has_task_after_address(text: str, leaf: bool) -> bool:
    """ "Sở Nội vụ: Tham mưu …" carries a task after the addressee; "Sở Nội vụ:" or "Sở Nội vụ chủ trì, …:" does
    not, nor "Sở Nội vụ chủ trì, phối hợp với Sở X" over items of its own; a ``leaf`` item with nothing under it
    that goes on to an action does ("1. Sở Nội vụ chủ trì tổ chức kiểm tra …, báo cáo trước ngày …")."""
    head, sep, tail = text.partition(":")
    if DUTY_OF.match(head) and not tail.strip():
        return False  # "Điều 2. Chức năng, nhiệm vụ của Tổ giúp việc": a title naming whose duties follow
    if sep and len(tail.strip()) >= MIN_TASK_CHARS:
        return True
    if text.rstrip().endswith(":"):
        return False
    _, end = leading_agencies(head)
    rest = head[end:].strip(" ,;.")
    if len(rest) < MIN_TASK_CHARS:
        return False
    if leaf or len(rest) > LONG_LEAD:
        return True  # "Công an tỉnh, … phối hợp, hỗ trợ chính quyền địa phương … trong công tác phân luồng, …"
    return not regex.match(r"^(?:\(?chủ trì|phối hợp)", rest, regex.IGNORECASE)


def _enumerates(node: Node, sub_items: list[Node]) -> bool:
    """Short bullets after an item ending in ":" enumerate that item ("- Tác động đến …;")."""
    return (
        node.text.rstrip().endswith(":")
        and all(c.style in ("-", "+", "*", "•") and not c.children for c in sub_items)
        and all(len(c.text) < ENUMERATION_ITEM and c.text.rstrip().endswith((";", ".", ",")) for c in sub_items)
        and len(node.text) > 40
    )


def _task_text(node: Node, sub_items: list[Node]) -> str | None:
    """The task's own words (label and leading addressee removed), or None when the node is not a task."""
    text = _strip_address(node.text)
    if sub_items:  # an enumeration: its bullets are part of the item
        text = " ".join([text, *(c.printed() if c.style == "letter" else f"{c.style} {c.text}" for c in sub_items)])
    key = fold(text)
    if len(text) < MIN_TASK_CHARS or key.startswith(NOT_TASK_START):
        return None
    if node.style == "paragraph" and CARRY_OUT.search(text) and parse_deadline(text, None, running_text=True) is None:
        return _duty_after_formula(text)
    if CLOSING.search(text) and node.style in ("paragraph", "lead"):
        return None  # "… thông báo để các Bộ, cơ quan biết, thực hiện./.", not a numbered last item
    if THANKS.search(text):
        return None
    if node.style == "lead":
        return None  # a lead-in introduces its sub-items, or the paragraphs after it ("Giải pháp lâu dài:")
    if field_line(text) is not None or _only_names(text) or _contact(text):
        return None
    return text


def _duty_after_formula(text: str) -> str | None:
    """What a closing paragraph assigns beyond asking to carry out the document ("… triển khai thực hiện nghiêm túc
    Chỉ thị này. Giao Cục Thi hành án dân sự tỉnh theo dõi, đôn đốc …, định kỳ báo cáo …"), or None: the formula's
    sentence alone is no task (spec §3)."""
    rest = " ".join(s for s in SENTENCE_END.split(text) if not CARRY_OUT.search(s)).strip()
    return rest if len(rest) >= MIN_TASK_CHARS and _assigns(rest) else None


def _contact(text: str) -> bool:
    """A line of a contact list: a body and its telephone numbers ("Công ty Thoát nước: 0243.974.62.25.")."""
    _, sep, tail = text.rpartition(":")
    return bool(sep) and PHONES.match(tail.strip()) is not None and sum(c.isdigit() for c in tail) >= MIN_PHONE_DIGITS


def _only_names(text: str) -> bool:
    """A line of a recipients or attendees list: agencies and titles, no work ("Thường trực HĐND tỉnh;")."""
    if not text.rstrip().endswith((";", ",", ".", ":")):
        return False
    if len(text.split()) <= 8 and text.rstrip().endswith((";", ",")) and LISTED_BODY.match(text):
        return True  # "Ban Tuyên giáo Tỉnh ủy;", "Chủ tịch, các PCT UBND tỉnh;"
    rest = text
    for mention in reversed(find_agencies(text)):
        rest = rest[: mention.start] + rest[mention.end :]
    return len(regex.findall(r"[\p{L}\p{M}]+", rest)) < 3


def _after_topic(text: str) -> str | None:
    """What follows a short topic label that names no agency ("Tiêu chuẩn - đo lường - chất lượng: …"), else None."""
    head, sep, tail = text.partition(":")
    if not sep or len(head) > MAX_TOPIC or find_agencies(head) or len(tail.strip()) < MIN_TASK_CHARS:
        return None
    return tail.strip()


def _strip_address(text: str) -> str:
    """The item without a leading addressee ("Đề nghị X:", "Sở X:")."""
    head, sep, tail = text.partition(":")
    if sep and len(head) < 200:
        names, end = leading_agencies(head)
        if names and not head[end:].strip(" ,;.") and tail.strip():
            return tail.strip()
    return text.strip()


def _code(node: Node) -> str | None:
    """The item's label, prefixed by its heading's number for a lettered item; a paragraph takes its item's code."""
    if node.style == "paragraph":
        parent = node.parent
        return _code(parent) if parent is not None and parent.style not in ("root", "roman", "part") else None
    if node.style == "letter" and node.label:
        up = node.parent
        while up is not None and not (up.style.startswith("number") and up.label):
            up = up.parent
        return f"{up.label}.{node.label}" if up is not None else node.label
    if node.style.startswith("number"):
        return node.label
    if node.style == "step":
        return f"Bước {node.label}"
    if node.style == "article" and node.label:
        return f"Điều {node.label}"
    return None
