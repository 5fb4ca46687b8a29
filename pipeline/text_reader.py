"""Plain-text input: one page, paragraphs split at blank lines, Markdown marks removed."""

from __future__ import annotations

import re

from models.document import Line, Page, ReadMethod
from pipeline.errors import InputError

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
EMPHASIS = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")


def strip_markdown(line: str) -> str:
    """Drop converter marks (``**bold**``, ``*italic*``, ``# heading``, links) but keep the words."""
    return EMPHASIS.sub("", LINK.sub(r"\1", HEADING.sub("", line)))


def read_text(data: bytes) -> list[Page]:
    """Decode UTF-8 text into a single page of lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not a PDF, an image or UTF-8 text") from exc
    if "\x00" in text:
        raise InputError("not a PDF, an image or UTF-8 text (binary data)")
    lines: list[Line] = []
    block = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            block += 1
            continue
        lines.append(Line(text=strip_markdown(raw).strip(), block=block))
    return [Page(number=1, width=0.0, height=0.0, method=ReadMethod.TEXT_FILE, lines=lines)]
