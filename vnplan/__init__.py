"""vnplan's Python API: the database as pandas DataFrames.

import vnplan
vnplan.tasks("sqlite:///plans.db", agency="Sở Nội vụ", year=2018)
vnplan.tasks("postgresql://user@host/db", search="so noi vu")
vnplan.agency_workload("sqlite:///plans.db", province="Lào Cai")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Engine

from models import queries
from models.database import connect, upgrade
from pipeline import __version__

__all__ = ["__version__", "agency_workload", "tasks"]


@contextmanager
def _database(db_url: str) -> Iterator[Engine]:
    engine = connect(db_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def tasks(db_url: str, **filters: object) -> pd.DataFrame:
    """Tasks with document, owners, co-owners, deadline and budget; filters as in :func:`models.queries.tasks`."""
    with _database(db_url) as engine:
        return queries.tasks(engine, **filters)


def agency_workload(db_url: str, **filters: object) -> pd.DataFrame:
    """Per agency: tasks owned, tasks cooperated on, documents and budget owned."""
    with _database(db_url) as engine:
        return queries.agency_workload(engine, **filters)
