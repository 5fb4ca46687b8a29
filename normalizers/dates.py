"""Vietnamese calendar dates: ``ngày 13 tháng 12 năm 2017``, ``08/11/2011``, ``20-6-2018``."""

from __future__ import annotations

import re
from datetime import date

WORDY = r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})"
NUMERIC = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
DATE = re.compile(rf"(?:{WORDY})|(?:{NUMERIC})", re.IGNORECASE)


def iso_text(value: date | None) -> str | None:
    """A date as stored in JSON (``2020-06-30``), None for none."""
    return value.isoformat() if value else None


def from_iso(value: str | None) -> date | None:
    """The date a JSON value (``2020-06-30``) names, None for none."""
    return date.fromisoformat(value) if value else None


def make_date(day: str, month: str, year: str) -> date | None:
    """A valid date from its parts, else None."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first date written in ``text``, or None."""
    for m in DATE.finditer(text):
        parts = m.groups()[:3] if m.group(1) else m.groups()[3:]
        found = make_date(*parts)
        if found:
            return found
    return None
