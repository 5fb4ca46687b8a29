"""The outline of a document: headings and items nested by their labels, whoever read the document.

Plans, directives and conclusions number their parts with a handful of label styles:
``PHẦN I``, ``I.``, ``1.``, ``1.1.``, ``1.1.1.``, ``a)``, ``-``, ``+``, ``*``, ``•``. The styles
nest in the order a document first uses them, as a reader expects: a style already open on the
current path closes everything below it, a new one opens a level beneath. Unlabelled paragraphs
belong to the nearest open item. Tables and footnotes are left out (tables are read by the table
extractor). The outline ends at "Nơi nhận" and the signature block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from vnplan.extractors.passages import Passage
from vnplan.models.document import BlockKind
from vnplan.normalizers.text import fold

PART = regex.compile(r"^(?:PHẦN|Phần)\s+([IVXLC]+|\d+)\b[.:]?\s*")
ROMAN = regex.compile(r"^([IVXLC]+)\s*[.:)]\s*(?=\S)")
#: A Roman heading as OCR misreads it before a title in capitals: "H. NHIỆM VỤ", "1I. NHIỆM VỤ", "Il. …", and "II"
#: with its dot lost ("II NHIỆM VỤ"); a label of letters a scan confuses with I before a dot, or of two Roman letters
#: or more without it (a lone "|" or "I" before capitals is a stamp's or a table's debris).
OCR_ROMAN = regex.compile(r"^(?:([IVXHLl1|]{1,4})\s*[.:]\s*|([IVX]{2,4})\s+)(?=\p{Lu}{2,}\b)")
#: The letters OCR reads for the strokes of a Roman numeral: "H" is "II", the others "I".
OCR_STROKES = str.maketrans({"H": "II", "l": "I", "1": "I", "|": "I", "L": "I"})
#: The Roman numbers a document's parts use (I to XXX), written as they are printed.
VALID_ROMAN = regex.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})$")
#: A misread Roman label before a title in any case ("H. Đề xuất …"): taken only where it is the next part's number.
MISREAD_NEXT = regex.compile(r"^([IVXHLl1|]{1,4})\s*[.,:]\s*(?=\p{Lu})")
ROMAN_NUMBERS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
NUMBER = regex.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(?:(?:\.|\))?\s+|\.(?=\p{Lu}\p{Ll}))(?=\S)")
LETTER = regex.compile(r"^(?:[-–+]\s*)?([a-zđ])\s*\)\s*")
MARK = regex.compile(r"^([-–—+*•])\s*(?=\S)")
#: A heading word that opens an article of a decision ("Điều 1.") or a criterion ("Tiêu chí 2:").
ARTICLE = regex.compile(r"^(Điều|Mục)\s+(\d+)\s*[.:]\s*")
#: A step of a procedure: "Bước 1:".
STEP = regex.compile(r"^(?:[-–—+]\s*)?Bước\s+(\d{1,2})\s*[.:]\s*")
NUMBERED_HEADING = regex.compile(r"^(?:\d{1,2}\.)+\d{0,2}\.?\s+\p{Lu}[^.]{0,100}$")
#: A cited document's name that a scan's line break left at the start of a line.
CITATION = regex.compile(
    r"^(?:Nghị quyết|Nghị định|Quyết định|Thông báo|Thông tư|Công văn|Kế hoạch|Chỉ thị|Văn bản|Luật)\s+số\b"
)
END_OF_BODY = ("noi nhan", "tm. uy ban", "tm. ubnd", "kt. chu tich", "t/m ")
#: The mark that closes a document's text: "… thực hiện./.". What follows it is its recipients and signature.
CLOSED = regex.compile(r"\./\.\s*$")
#: The first line of every recipients list, "- Như trên;": the body has ended, even where a scan misread the
#: "Nơi nhận:" above it ("Iới ahiận:").
AS_ABOVE = regex.compile(r"^[-–+•]?\s*Như trên\s*[;,.:]?\s*$")
#: The signature block's first line: "KT. TỔ TRƯỞNG", "TM. ỦY BAN NHÂN DÂN", "TL. BỘ TRƯỞNG", "Q. GIÁM ĐỐC".
SIGNATURE = regex.compile(r"^(?:KT|TM|TL|TUQ|Q|K/T|T/M)\s*[.:]?\s+\p{Lu}{2,}(?:\s+\p{Lu}{2,})*\s*$")


@dataclass
class Node:
    """A heading, an item or a paragraph of the outline."""

    style: str  # "root", "part", "roman", "number1", …, "letter", "-", "+", "*", "•", "paragraph", "lead"
    label: str | None
    text: str  # the block's text without its label, whitespace collapsed
    passage: Passage | None = None
    rank: float = -1.0  # how deep its label style sits (see :func:`_rank`)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def items(self) -> list[Node]:
        """Labelled children (the node's sub-items), paragraphs left out."""
        return [c for c in self.children if c.style not in ("paragraph", "lead")]

    @property
    def paragraphs(self) -> list[Node]:
        """Unlabelled children."""
        return [c for c in self.children if c.style in ("paragraph", "lead")]

    def printed(self) -> str:
        """The node as printed: its label and its text."""
        if self.label is None:
            return self.text  # paragraphs, lead-ins and bullets
        if self.style == "letter":
            return f"{self.label}) {self.text}"
        if self.style == "step":
            return f"Bước {self.label}: {self.text}"
        if self.style == "article":
            return f"Điều {self.label}. {self.text}"
        if self.style == "part":
            return f"Phần {self.label}. {self.text}".rstrip(". ")
        return f"{self.label}. {self.text}" if self.style.startswith(("roman", "number")) else self.text

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def label_of(text: str) -> tuple[str, str | None, str]:
    """(style, label, text without the label) of a block's first words."""
    for pattern, style in ((PART, "part"), (ARTICLE, "article"), (STEP, "step")):
        if m := pattern.match(text):
            return style, m.group(m.lastindex or 1), text[m.end() :]
    if (m := ROMAN.match(text)) and not text.startswith(("I ", "V ")):
        if not VALID_ROMAN.match(m.group(1)) and (misread := _misread_roman(text)):
            return "roman", *misread  # "IL. TỔ CHỨC THỰC HIỆN": "II."
        return "roman", m.group(1), text[m.end() :]
    if misread := _misread_roman(text):
        return "roman", *misread
    if (m := NUMBER.match(text)) and not _is_date_or_amount(text, m.end()):
        return f"number{m.group(1).count('.') + 1}", m.group(1), text[m.end() :]
    if m := LETTER.match(text):
        return "letter", m.group(1), text[m.end() :]
    if m := MARK.match(text):
        mark = m.group(1)
        return ("-" if mark in "–—" else mark), None, text[m.end() :]
    return "paragraph", None, text


def _misread_roman(text: str) -> tuple[str, str] | None:
    """(label, rest) of a Roman heading a scan misread ("H. NHIỆM VỤ" for "II. NHIỆM VỤ", "II NHIỆM VỤ" with its dot
    lost), or None: its label, read back as strokes, is a Roman number, and a title in capitals follows it."""
    m = OCR_ROMAN.match(text)
    if m is None or (m.group(1) or "").isdigit():
        return None  # "1. NHIỆM VỤ" is a number
    label = (m.group(1) or m.group(2)).translate(OCR_STROKES)
    if not label or not VALID_ROMAN.match(label) or len(label) > len("XXIII"):
        return None
    return label, text[m.end() :]


def _next_roman(text: str, last: str | None) -> tuple[str, str] | None:
    """(label, rest) of a misread Roman label in any case ("H. Đề xuất …") that numbers the part after ``last``."""
    if last not in ROMAN_NUMBERS[:-1] or not (m := MISREAD_NEXT.match(text)) or m.group(1).isdigit():
        return None
    label = m.group(1).translate(OCR_STROKES)
    expected = ROMAN_NUMBERS[ROMAN_NUMBERS.index(last) + 1]
    return (label, text[m.end() :]) if label == expected and label != m.group(1) else None


def _is_date_or_amount(text: str, end: int) -> bool:
    """ "2020 và …", "15 tỷ đồng": a number that opens a sentence is no label."""
    head = text[:end].strip()
    return len(head.rstrip(".)")) > 2 and "." not in head.rstrip(".)")


def build_outline(passages: list[Passage]) -> Node:
    """The outline of the document's body: a root whose children are its top-level parts."""
    root = Node("root", None, "")
    path: list[Node] = [root]
    marks: list[str] = []  # bullet marks in the order the document first uses them
    recipients = False  # in the "Kính gửi:" list of a letter
    closed = False  # after the body's last words, "… biết và thực hiện./."
    last_roman: str | None = None  # the label of the last Roman part, for a misread next one
    edges = _right_edges(passages)
    texts = (
        (passage, text)
        for passage in passages[: _recipients_start(passages)]
        if passage.kind not in (BlockKind.TABLE, BlockKind.LETTERHEAD) and "\t" not in passage.text
        for text in _pieces(passage)
    )
    for passage, text in texts:
        if not text or (passage.kind is BlockKind.FOOTNOTE and not NUMBERED_HEADING.match(text)):
            continue  # a footnote, unless the page's foot holds a numbered heading a scan's layout took for one
        if fold(text).startswith(END_OF_BODY) or SIGNATURE.match(text) or AS_ABOVE.match(text) or closed:
            break
        closed = CLOSED.search(text) is not None
        style, label, rest = label_of(text)
        if style == "paragraph" and (misread := _next_roman(text, last_roman)):
            style, label, rest = "roman", *misread  # "I. …" then "H. Đề xuất …": part II
        if style == "roman":
            last_roman = label
        if style.startswith("number") and rest[:1].islower() and _last_text(path[-1]).rstrip().endswith(DATE_WORDS):
            style, label, rest = "paragraph", None, text  # "… trước ngày 10 tháng" | "5 năm 2026 …": a date, no label
        node = Node(style, label, rest.strip(), passage)
        recipients = recipients or fold(text).startswith("kinh gui")
        if style == "paragraph":
            if _continues(path[-1], rest, edges):
                node = _append_text(path[-1], rest)
            else:
                if recipients and len(path) == 2 and path[-1].style in marks:
                    path.pop()  # the letter goes on after its "Kính gửi:" list, which is not over it
                    recipients = False
                if path[-1].style == "lead":
                    path.pop()  # a lead-in introduces the items right after it, not later paragraphs
                node.parent = path[-1]
                path[-1].children.append(node)
            if node.style == "paragraph" and node.text.rstrip().endswith(":") and path[-1].style != "root":
                node.style = "lead"  # "Triển khai các hoạt động (do Sở X chủ trì):" introduces the items below
                node.rank = path[-1].rank + 0.5
                path.append(node)
            continue
        node.rank = _rank(style, marks)
        if style == "step" and path[-1].style != "root" and _last_text(path[-1]).rstrip().endswith(":"):
            node.rank = path[-1].rank + 0.5  # "b) … theo các bước sau:" | "Bước 1: …": the steps are b)'s
        elif style == "step" and path[-1].style == "step":
            node.rank = path[-1].rank  # the next step of the same procedure
        while len(path) > 1 and path[-1].rank >= node.rank:
            path.pop()
        node.parent = path[-1]
        path[-1].children.append(node)
        path.append(node)
    return root


#: The last line of a recipients list: "- Lưu: VT, KGVX."
FILED = regex.compile(r"^[-–+]?\s*Lưu\s*:?\s*VT\b")
#: A line of a recipients list: "- Ban Dân vận Tỉnh ủy;", or the seal's and signature's short debris beside it.
RECIPIENT_LINE = 80
DEBRIS = 25


def _recipients_start(passages: list[Passage]) -> int:
    """Where a recipients list ending in "Lưu: VT" starts when no "Nơi nhận:" heads it (a scan lost it): the run of
    short "- X;" lines, and the debris of seal and signature among them, before that line."""
    last = next((k for k in range(len(passages) - 1, -1, -1) if FILED.match(passages[k].text.strip())), None)
    if last is None:
        return len(passages)
    start = last
    while start > 0:
        text = " ".join(passages[start - 1].text.split())
        listed = MARK.match(text) and len(text) < RECIPIENT_LINE and text.endswith((";", ",", ":"))
        if not (listed or len(text) < DEBRIS):
            break
        start -= 1
    return start


def _last_text(node: Node) -> str:
    """The words the outline ended on under ``node``: its last paragraph's, or its own."""
    return node.children[-1].text if node.children and node.children[-1].style == "paragraph" else node.text


def _pieces(passage: Passage) -> list[str]:
    """The passage's texts: a step ("Bước 2: …") a reader joined to the lines before it starts a text of its
    own, and so does what follows an article's title line (:func:`_article_title_apart`)."""
    groups: list[list[str]] = []
    for k, line in enumerate(passage.lines):
        text = " ".join(line.text.split())
        if not groups or (k > 0 and STEP.match(text)):
            groups.append([])
        groups[-1].append(text)
    if len(groups) == 1:
        return _article_title_apart(passage)
    return [" ".join(g) for g in groups]


def _article_title_apart(passage: Passage) -> list[str]:
    """The passage's text, whitespace collapsed; an article's title line ("Điều 2. Nhiệm vụ của Tổ giúp việc")
    apart from the paragraph a reader joined to it, when that goes on with a capital on the next line."""
    text = " ".join(passage.text.split())
    lines = [" ".join(line.text.split()) for line in passage.lines]
    if len(lines) < 2 or not ARTICLE.match(lines[0]) or not lines[1][:1].isupper() or lines[0].endswith(DANGLING):
        return [text]
    if lines[0].endswith((".", ";", ":")) or not text.startswith(lines[0]) or not _short_line(passage):
        return [text]
    return [lines[0], text[len(lines[0]) :].strip()]


def _short_line(passage: Passage) -> bool:
    """The passage's first line stops well before the others' right edge: a title, not a sentence wrapped on."""
    first, rest = passage.lines[0], passage.lines[1:]
    if first.bbox and all(x.bbox for x in rest):
        right = max(x.bbox[2] for x in rest if x.bbox)
        left = min(x.bbox[0] for x in passage.lines if x.bbox)
        return first.bbox[2] < right - 0.15 * (right - left)
    return len(first.text) < 0.75 * max(len(x.text) for x in rest)


#: How deep each label style sits: the order of Decree 30's layout (Phần, Điều, I., 1., 1.1., a), then bullets).
RANKS = {
    "part": 0,
    "article": 1,
    "roman": 2,
    "number1": 3,
    "number2": 4,
    "number3": 5,
    "number4": 6,
    "step": 7,
    "letter": 8,
}


def _rank(style: str, marks: list[str]) -> float:
    """The depth of a label style; bullet marks nest under letters, in the order they are first used."""
    if style in RANKS:
        return RANKS[style]
    if style not in marks:
        marks.append(style)
    return 10 + marks.index(style)


#: What a heading or paragraph cannot end on (a comma, "và", a body's kind without its name): what follows
#: is the rest of the same sentence.
DANGLING = (
    ",",
    " và",
    " của",
    " về",
    " với",
    " các",
    " cho",
    " tại",
    " theo",
    " thuộc",
    " Sở",
    " Bộ",
    " UBND",
    " Ủy ban",
)


#: Words a date goes on after, so that a number opening the next line is its day, month or year.
DATE_WORDS = (" ngày", " tháng", " năm", " số")


#: How close to a page's right text edge (a share of the page's width) a line ends that was wrapped there.
WRAP_TOLERANCE = 0.03


def _right_edges(passages: list[Passage]) -> dict[int, float]:
    """The right edge of each page's text: where its widest lines end."""
    edges: dict[int, float] = {}
    for passage in passages:
        if passage.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM):
            for line in passage.lines:
                if line.bbox:
                    edges[passage.page] = max(edges.get(passage.page, 0.0), line.bbox[2])
    return edges


def _wrapped(passage: Passage, edges: dict[int, float]) -> bool:
    """A block whose last line runs to the page's right text edge: its sentence wraps onto the next line, whatever a
    layout analysis called it (a scan's first line of a paragraph taken for a heading)."""
    last = passage.lines[-1].bbox if passage.lines else None
    edge = edges.get(passage.page)
    return last is not None and edge is not None and last[2] >= edge - WRAP_TOLERANCE * passage.width


def _continues(current: Node, text: str, edges: dict[int, float]) -> bool:
    """A paragraph that carries on the one before it (split by a page break or a scan's line breaks).

    It starts in lower case, or inside a parenthesis the text before opened, or after a word that cannot end
    a line of its own ("và", "của"), or the text before it, not a heading, stops mid-sentence (on a comma or a
    word).
    """
    if current.style == "root" and not (current.children and current.children[-1].style == "paragraph"):
        return False
    last = current.children[-1] if current.children and current.children[-1].style == "paragraph" else current
    before = last.text.rstrip()
    if before.endswith(":") or (last.style == "article" and text[:1].isupper() and not before.endswith(DANGLING)):
        return False  # an article's title stands on its line: "Điều 2. Nhiệm vụ của Tổ giúp việc" | "Tổ giúp việc có …"
    if text[:1].islower() or before.count("(") > before.count(")") or before.endswith((*DANGLING, *DATE_WORDS)):
        return True  # "3. Sở X (Cơ quan Thường trực về" | "Phòng, chống …): …"; "… Sở Nông nghiệp và" | "Phát …"
    if current.style == "root":
        return False  # between the preamble's paragraphs only the signs above join
    heading = last.passage is not None and last.passage.kind == BlockKind.HEADING and not _wrapped(last.passage, edges)
    if heading or not before or before.endswith((".", ";", "!", "?")):
        return False
    return before.endswith((",", "-", "/")) or before[-1].islower() or CITATION.match(text) is not None


def _append_text(current: Node, text: str) -> Node:
    """Join ``text`` to the paragraph it carries on (or to the item itself); return what grew."""
    target = current.children[-1] if current.children and current.children[-1].style == "paragraph" else current
    target.text = f"{target.text} {text}"
    return target
