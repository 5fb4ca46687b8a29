"""Tasks in the body (spec section 3.2): items of task sections, with owners in scope.

The body is read as a heading tree (``I.``, ``1.``, ``1.1.``, ``a)`` sub-headings).
A section holds tasks when its deepest decisive title says so (Nhiệm vụ, Giải
pháp, Tổ chức thực hiện, Trách nhiệm, Phân công) and not when it is background
(Căn cứ, Mục đích, Yêu cầu, Mục tiêu). In such a section every lettered item,
bullet, numbered paragraph or stand-alone paragraph that directs an action is a
task. Owners come from the item ("do X chủ trì", "X chủ trì, phối hợp với Y",
"Giao X", "a) Sở X: …", an agency as the sentence's subject), else from the
nearest heading that names agencies, else from a section's "Cơ quan chủ trì" line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.nlp import verb_follows
from extractors.passages import Passage
from models.document import BlockKind
from models.records import Task
from normalizers.agencies import Mention, find_agencies, split_agency_list
from normalizers.deadlines import parse_deadline
from normalizers.text import fold, fold_chars

ROMAN = re.compile(r"^([IVXLC]+)\.\s*")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(?=\S)")
LETTERED = re.compile(r"^(?:[-–]\s*)?([a-zđ])\)\s*")
BULLET = re.compile(r"^[-+•*–]\s*")
INCLUDE = ("nhiem vu", "giai phap", "to chuc thuc hien", "trach nhiem", "phan cong", "chi thi")
EXCLUDE = ("can cu", "muc dich", "yeu cau", "muc tieu", "ket qua dat duoc", "danh gia ket qua", "noi nhan")
END_OF_BODY = ("noi nhan",)
CLOSING = re.compile(r"\./\.\s*$|/\.\s*$")
NOT_TASK_START = ("muc tieu:", "chu de cong tac", "trong do:", "ghi chu")
OWNER_LINE = re.compile(r"^co quan chu tri\s*:?", re.IGNORECASE)
COOWNER_LINE = re.compile(r"^co quan phoi hop\s*:?", re.IGNORECASE)
LEAD_VERBS = ("giao ", "de nghi ", "yeu cau ")
#: Bullets shorter than this after an item ending in ":" enumerate that item rather than add tasks.
ENUMERATION_ITEM = 90
#: Confidence of a body task before the reading confidence is folded in.
BODY_CONFIDENCE = 0.85


@dataclass
class Heading:
    level: int
    title: str  # as printed, without a trailing colon
    number: str | None
    owners: list[str] = field(default_factory=list)
    co_owners: list[str] = field(default_factory=list)


def label_of(text: str) -> tuple[int, str | None, str]:
    """(level, number or letter, text without the label) of a block's first line."""
    if m := ROMAN.match(text):
        return 1, m.group(1), text[m.end() :]
    if m := NUMBERED.match(text):
        return 1 + m.group(1).count(".") + 1, m.group(1), text[m.end() :]
    if m := LETTERED.match(text):
        return 10, m.group(1), text[m.end() :]
    if m := BULLET.match(text):
        return 11, None, text[m.end() :]
    return 12, None, text


def decisive(titles: list[str]) -> bool | None:
    """True/False for the deepest title that says task section or background; None if none says."""
    for title in reversed(titles):
        key = fold(title)
        inc = any(k in key for k in INCLUDE)
        exc = any(k in key for k in EXCLUDE)
        if inc != exc:
            return inc
    return None


def _leading_agencies(text: str) -> tuple[list[str], int]:
    """Agencies that open the text (its subject, or after "Giao"), and where they end."""
    lower = fold(text)
    start = next((len(v) for v in LEAD_VERBS if lower.startswith(v)), 0)
    names, end = [], start
    for mention in find_agencies(text):
        if mention.start > end + 6 or not re.fullmatch(r"[\s,;và]*", text[end : mention.start]):
            break
        names.append(mention.name)
        end = mention.end
    return names, end


def owners_in(text: str) -> tuple[list[str], list[str]]:
    """Owners and co-owners an item names: "do X chủ trì", "X chủ trì, phối hợp với Y", its subject."""
    mentions = find_agencies(text)
    folded = fold(text.replace("\n", " "))
    by_offset = fold_chars(text)  # folded once; offsets match ``text``
    cooperate = [m.start() for m in re.finditer(r"phoi hop", by_offset)]
    owners: list[str] = []
    co: list[str] = []
    for mention in mentions:
        after = by_offset[mention.end : mention.end + 14]
        before = by_offset[max(0, mention.start - 4) : mention.start]
        if cooperate and any(c < mention.start for c in cooperate) and not after.lstrip().startswith("chu tri"):
            co.append(mention.name)
        elif after.lstrip().startswith("chu tri") or before.endswith("do "):
            owners.append(mention.name)
    lead, end = _leading_agencies(text)
    if not owners and lead and "phoi hop" not in folded[:12] and verb_follows(text, end):
        owners = lead  # the agencies are the subject of the clause's verb
    return list(dict.fromkeys(owners)), [c for c in dict.fromkeys(co) if c not in owners]


def heading_scope(title: str) -> tuple[list[str], list[str]]:
    """Owners a heading assigns to everything under it ("Trách nhiệm của Sở X", "1. Sở X:")."""
    mentions: list[Mention] = find_agencies(title)
    if not mentions:
        return [], []
    owners, co = owners_in(title)
    if not owners:
        owners = [m.name for m in mentions if m.name not in co]
    return owners, co


def extract_body_tasks(passages: list[Passage], plan_year: int | None) -> list[Task]:
    """Tasks from the body's task sections, in document order."""
    stack: list[Heading] = []
    tasks: list[Task] = []
    section_owners: tuple[list[str], list[str]] | None = None
    intro_scope: tuple[list[str], list[str]] | None = None
    enumerating = False
    for passage in passages:
        if passage.kind in (BlockKind.TABLE, BlockKind.FOOTNOTE) or "\t" in passage.text:
            continue  # tables are read by the table extractor; footnotes are no tasks
        text = " ".join(passage.text.split())
        if not text:
            continue
        key = fold(text)
        if key.startswith(END_OF_BODY):
            break
        level, label, rest = label_of(text)
        is_heading = _is_heading(level, rest, passage)
        if is_heading:
            while stack and stack[-1].level >= level:
                stack.pop()
            number = label if level < 10 else None
            title = re.sub(r"[:：]\s*$", "", text).strip()
            head = Heading(level, title, number)
            head.owners, head.co_owners = heading_scope(rest.split(":")[0] if level < 10 else rest)
            stack.append(head)
            section_owners, intro_scope = None, None
            body_part = rest.split(":", 1)[1].strip() if level < 10 and ":" in rest and head.owners else ""
            if not body_part:
                continue
            rest, label, level = body_part, None, 12
        if not decisive([h.title for h in stack]):
            continue
        if OWNER_LINE.match(key):
            section_owners = (split_agency_list(rest.split(":", 1)[-1]), section_owners[1] if section_owners else [])
            continue
        if COOWNER_LINE.match(key):
            section_owners = (section_owners[0] if section_owners else [], split_agency_list(rest.split(":", 1)[-1]))
            continue
        if rest[:1].islower() and tasks and level == 12:
            tasks[-1].text = f"{tasks[-1].text} {rest}"  # a paragraph split by a page break
            continue
        if CLOSING.search(text) or fold(rest).startswith(NOT_TASK_START) or len(rest) < 12:
            continue
        short_item = level == 11 and len(rest) < ENUMERATION_ITEM and rest.rstrip().endswith((";", "."))
        if short_item and tasks and (enumerating or tasks[-1].text.endswith(":")):
            tasks[-1].text = f"{tasks[-1].text} {text}"  # "- Tác động đến …;": the item's own enumeration
            enumerating = True
            continue
        enumerating = False
        if level == 12 and rest.rstrip().endswith(":"):
            intro_scope = owners_in(rest)  # "Triển khai các hoạt động (do X chủ trì), bao gồm:"
            continue
        if level < 10 and not is_heading:
            intro_scope = None
        owners, co = _label_owner(rest)
        if owners:
            rest = rest.split(":", 1)[1].strip() if ":" in rest[:120] else rest
        else:
            owners, co = owners_in(rest)
        scope_owners, scope_co = _scope(stack, section_owners, intro_scope if level >= 11 else None)
        task = Task(
            text=rest.strip(),
            code=_code(stack, level, label),
            section=" > ".join(h.title for h in stack) or None,
            owners=owners or scope_owners,
            co_owners=co or ([] if owners else scope_co),
        )
        prov = passage.provenance(0, len(passage.text))
        prov.confidence = round(BODY_CONFIDENCE * prov.confidence, 4)
        task.provenance = prov
        tasks.append(task)
    for task in tasks:  # after page-break continuations have joined their items
        task.deadline = parse_deadline(task.text, plan_year, running_text=True)
    return tasks


def _label_owner(text: str) -> tuple[list[str], list[str]]:
    """ "Sở X: task" — the agencies before a colon that opens the item."""
    if ":" not in text[:120]:
        return [], []
    names, end = _leading_agencies(text)
    if names and text[end:].lstrip().startswith(":"):
        return names, []
    return [], []


def _is_heading(level: int, rest: str, passage: Passage) -> bool:
    if level >= 11:
        return False
    short = len(rest) < 160
    if level == 10:  # "a) Công tác tuyên truyền:" or "a) Sở Nội vụ"
        names, end = _leading_agencies(rest)
        only_agency = bool(names) and not rest[end:].strip(" :.")
        return only_agency or (short and rest.rstrip().endswith(":") and ". " not in rest)
    if level == 1:
        return True
    ends_sentence = rest.rstrip().endswith((".", ";")) and not rest.rstrip().endswith("..")
    return short and not ends_sentence


def _code(stack: list[Heading], level: int, label: str | None) -> str | None:
    if level == 10 and label:
        number = next((h.number for h in reversed(stack) if h.number and h.number[0].isdigit()), None)
        return f"{number}.{label}" if number else label
    if level < 10 and label and label[0].isdigit():
        return label
    return None


def _scope(
    stack: list[Heading], section: tuple[list[str], list[str]] | None, intro: tuple[list[str], list[str]] | None
) -> tuple[list[str], list[str]]:
    if intro and intro[0]:
        return intro
    if section and section[0]:
        return section
    for head in reversed(stack):
        if head.owners:
            return head.owners, head.co_owners
    return [], []
