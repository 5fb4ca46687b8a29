"""vnplan's Python API: the database as pandas DataFrames.

import vnplan
vnplan.tasks("sqlite:///plans.db", agency="Sở Nội vụ", year=2018)
vnplan.tasks("postgresql://user@host/db", search="so noi vu")
vnplan.agency_workload("sqlite:///plans.db", province="Lào Cai")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from vnplan.models.database import connect, upgrade
from vnplan.pipeline import __version__

if TYPE_CHECKING:  # pandas is loaded by the first query, not by every ``vnplan`` command
    import pandas as pd
    from sqlalchemy import Engine

__all__ = ["__version__", "agency_workload", "tasks"]


@contextmanager
def _database(db_url: str) -> Iterator[Engine]:
    engine = connect(db_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def tasks(db_url: str, **filters: Any) -> pd.DataFrame:
    """Tasks with document, owners, co-owners, deadline and budget; filters as in
    :func:`vnplan.models.queries.tasks`."""
    from vnplan.models import queries

    with _database(db_url) as engine:
        return queries.tasks(engine, **filters)


def agency_workload(db_url: str, **filters: Any) -> pd.DataFrame:
    """Per agency: tasks owned, tasks cooperated on, documents and budget owned."""
    from vnplan.models import queries

    with _database(db_url) as engine:
        return queries.agency_workload(engine, **filters)
