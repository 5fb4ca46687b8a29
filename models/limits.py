"""The same length limits on SQLite and PostgreSQL: every VARCHAR(n) value is checked before a flush.

PostgreSQL refuses a value longer than its column's VARCHAR(n) with an error that aborts the
transaction; SQLite stores it. :func:`check_lengths` runs before every flush of any session and
refuses such a value on both, with a line saying which field, how long, and the limit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Session

#: How a column is named in the message, where its table's name says less than a word would.
NAMES = {("agencies", "name"): "agency name", ("corrections", "reviewer"): "reviewer's name"}


class TooLong(ValueError):
    """A value longer than its column allows."""


def _limit(column: Any) -> int | None:
    kind = column.type
    return kind.length if isinstance(kind, String) and not isinstance(kind, Text) else None


def check_row(row: object) -> None:
    """Raise TooLong when one of the row's VARCHAR(n) values is longer than n."""
    state = inspect(row)
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        limit = _limit(column)
        value = state.dict.get(attr.key)  # what is loaded or set: never a lazy load during a flush
        if limit and isinstance(value, str) and len(value) > limit:
            table = column.table.name
            name = NAMES.get((table, column.name), f"{table}.{column.name}")
            shown = value if len(value) <= 40 else value[:37] + "…"
            raise TooLong(f"{name} is {len(value)} characters, at most {limit} are kept: {shown!r}")


@event.listens_for(Session, "before_flush")
def check_lengths(session: Session, _context: object, _instances: object) -> None:
    """Check every new and changed row before it is written."""
    for row in (*session.new, *session.dirty):
        check_row(row)
