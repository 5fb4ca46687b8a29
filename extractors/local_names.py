"""Names a document shortens for itself: "Trung tâm QLCL" where it also writes "Trung tâm Quản lý chất lượng"."""

from __future__ import annotations

from dataclasses import replace

from vnplan.models.records import Task
from vnplan.normalizers.text import fold

#: Fewest letters an abbreviation has ("QLCL", "KHCN"); shorter ones are too easily a coincidence.
MIN_LETTERS = 3


def _initials(words: list[str]) -> str:
    return "".join(fold(w[0]).upper() for w in words)


def expand_short_names(tasks: list[Task]) -> list[Task]:
    """Owners and co-owners written as a kind of body and an abbreviation ("Trung tâm QLCL") in the long form
    the same document uses for them, where exactly one of its names has those initials after that kind."""
    names = {n for t in tasks for n in [*t.owners, *t.co_owners]}
    long_forms: dict[tuple[str, str], set[str]] = {}
    for name in names:
        words = name.split()
        for k in range(1, len(words) - MIN_LETTERS + 1):
            rest = words[k:]
            if all(w[:1].isalpha() for w in rest):
                long_forms.setdefault((" ".join(words[:k]), _initials(rest)), set()).add(name)

    def long_form(name: str) -> str:
        kind, _, short = name.rpartition(" ")
        if not kind or len(short) < MIN_LETTERS or not short.isupper() or not short.isalpha():
            return name
        found = long_forms.get((kind, fold(short).upper()), set())
        return next(iter(found)) if len(found) == 1 else name

    def expanded(names: list[str]) -> list[str]:
        return list(dict.fromkeys(long_form(n) for n in names))

    return [replace(t, owners=expanded(t.owners), co_owners=expanded(t.co_owners)) for t in tasks]
