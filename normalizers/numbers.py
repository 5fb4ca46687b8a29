"""Vietnamese numbers: ``.`` groups thousands, ``,`` marks decimals (1.529; 5.428.326; 61,4203)."""

from __future__ import annotations

import re

NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^-?\d+(?:,\d+)?$|^-?\d+\.\d+$")


def parse_number(text: str) -> float | None:
    """The number a cell or phrase holds, or None; ``1.529`` is 1529, ``61,4203`` is 61.4203."""
    s = text.strip().replace(" ", "")
    if not s or not NUMBER.match(s):
        return None
    if re.match(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$", s):
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".")
    return float(s)
