"""TCVN3 and VNI text layers of PDF pages converted to Unicode, character by character, before the
page's words, tables and layer verdict are made from them.

Each font of the page is judged on all its text (its name first: ``.VnTime``, ``VNI-Times``; then
the text itself), so a page mixing legacy and Unicode fonts converts only the legacy ones.
"""

from __future__ import annotations

import pdfplumber

from vnplan.normalizers.legacy_encoding import (
    LEGACY_CHAR,
    UNICODE_VIETNAMESE,
    decode_glyphs,
    font_reading,
    readings_by_font,
)

#: A gap wider than this share of the font size between two characters is a space.
SPACE_GAP = 0.15
#: A page without legacy font names holding this many Unicode-only Vietnamese letters per Latin-1 one is Unicode.
UNICODE_SHARE = 0.1


def font_texts(chars: list[dict]) -> dict[str, str]:
    """Each font's text on the page, with spaces where its characters stand apart."""
    parts: dict[str, list[str]] = {}
    last: dict[str, dict] = {}
    for char in chars:
        font = char.get("fontname") or ""
        prev = last.get(font)
        size = float(char.get("size") or 10.0)
        if prev is not None and (
            abs(char["top"] - prev["top"]) > size / 2 or char["x0"] - prev["x1"] > SPACE_GAP * size
        ):
            parts.setdefault(font, []).append(" ")
        parts.setdefault(font, []).append(char["text"])
        last[font] = char
    return {font: "".join(texts) for font, texts in parts.items()}


def convert_legacy_chars(page: pdfplumber.page.Page) -> int:
    """Convert the page's characters typed in TCVN3 or VNI fonts to Unicode, in place; returns how many
    characters changed. A page without a legacy font name that is plainly Unicode Vietnamese is left alone at once."""
    chars = page.chars
    if not any(font_reading(f) for f in {c.get("fontname") or "" for c in chars}):
        text = "".join(c["text"] for c in chars)
        legacy = len(LEGACY_CHAR.findall(text))
        if not legacy or len(UNICODE_VIETNAMESE.findall(text)) >= UNICODE_SHARE * legacy:
            return 0  # no legacy font, and the page is Unicode Vietnamese (or has nothing to convert)
    readings = readings_by_font((text, font) for font, text in font_texts(chars).items())
    changed = 0
    for font, reading in readings.items():
        if not reading.legacy:
            continue
        mine = [c for c in chars if (c.get("fontname") or "") == font]
        letter = None
        for char, text in zip(mine, decode_glyphs([c["text"] for c in mine], reading), strict=True):
            if text != char["text"]:
                char["text"] = text
                changed += 1
            if text:
                letter = char
            elif letter is not None:  # a VNI mark joined to its letter: the letter's box takes the mark's in
                letter["x1"] = max(letter["x1"], char["x1"])
                letter["width"] = letter["x1"] - letter["x0"]
    if changed:
        chars[:] = [c for c in chars if c["text"]]
    return changed
