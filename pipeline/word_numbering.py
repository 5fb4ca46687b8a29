"""Word's automatic numbering, rendered as printed: ``1.``, ``a)``, ``I.``, ``1.2.``, bullets as ``-``.

A paragraph's ``w:numPr`` (or its style's) names a list instance (``numId``) and a level
(``ilvl``); ``numbering.xml`` gives each level its start, format (``decimal``,
``lowerLetter``, ``upperRoman``…) and text pattern (``%1.%2.``). Counters are kept per
list instance as Word keeps them: a level counts up, the levels below it start again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml.etree import _Element

#: Bullet characters kept as printed; any other bullet (Symbol/Wingdings glyphs, "o", "§") becomes "-".
PLAIN_BULLETS = "-+–*•"
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def roman(n: int) -> str:
    """``n`` in lower-case Roman numerals (``4`` → ``iv``)."""
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """Word's letter numbering: a … z, then aa … zz, aaa …"""
    n = max(1, n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a level's number format."""
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats Vietnamese documents do not use


@dataclass
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False  # w:isLgl: every counter shown as a decimal
    suffix: str = " "


@dataclass
class Numbering:
    """The list definitions of a document and the counters of every list instance."""

    abstract_of: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId → ilvl → Level
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → start
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → current value

    @classmethod
    def from_part(cls, root: _Element | None) -> Numbering:
        """Read ``numbering.xml`` (None when the document has none)."""
        numbering = cls()
        if root is None:
            return numbering
        for abstract in root.iterfind(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _level(lvl)
            numbering.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterfind(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                numbering.abstract_of[num_id] = ref.get(qn("w:val"))
            for override in num.iterfind(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    ilvl = int(override.get(qn("w:ilvl"), "0"))
                    numbering.overrides.setdefault(num_id, {})[ilvl] = int(start.get(qn("w:val"), "1"))
        return numbering

    def level(self, num_id: str, ilvl: int) -> Level | None:
        return self.levels.get(self.abstract_of.get(num_id, ""), {}).get(ilvl)

    def _start(self, num_id: str, ilvl: int) -> int:
        level = self.level(num_id, ilvl)
        return self.overrides.get(num_id, {}).get(ilvl, level.start if level else 1)

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """The label of the next paragraph of list ``num_id`` at level ``ilvl`` (None: numbering off)."""
        level = self.level(num_id, ilvl)
        if num_id == "0" or level is None:
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else self._start(num_id, ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            below = self.level(num_id, deeper)
            if below is None or below.restart is None or below.restart > ilvl:  # restart 0: never
                del counters[deeper]
        if level.fmt == "bullet":
            mark = level.text.strip()
            return (mark if mark and mark in PLAIN_BULLETS else "-") + " "
        text = level.text
        for k in range(9, -1, -1):
            if f"%{k + 1}" not in text:
                continue
            shown = self.level(num_id, k)
            value = counters.get(k, self._start(num_id, k))
            fmt = "decimal" if level.legal and shown is not None else (shown.fmt if shown else "decimal")
            text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return (text + level.suffix) if text.strip() else None


def _level(lvl: _Element) -> Level:
    def val(tag: str) -> str | None:
        el = lvl.find(qn(tag))
        return None if el is None else el.get(qn("w:val"))

    restart = val("w:lvlRestart")
    suffix = {"nothing": "", "space": " "}.get(val("w:suff") or "tab", " ")
    legal = lvl.find(qn("w:isLgl")) is not None and val("w:isLgl") not in ("0", "false", "off")
    return Level(
        start=int(val("w:start") or 1),
        fmt=val("w:numFmt") or "decimal",
        text=val("w:lvlText") or "",
        restart=int(restart) if restart is not None else None,
        legal=legal,
        suffix=suffix,
    )
