"""Queries downstream users run, as pandas DataFrames: tasks by agency, year, province or words; agency workload.

Search is accent-insensitive: "so noi vu" finds "Sở Nội vụ" (FTS5 on SQLite, a tsvector index on PostgreSQL,
both over the folded task text).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, text

from normalizers.agencies import canonical
from normalizers.text import fold


def _search_clause(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return "task_id IN (SELECT rowid FROM task_search WHERE task_search MATCH :phrase)"
    return "task_id IN (SELECT id FROM tasks WHERE text_search @@ phraseto_tsquery('simple', :words))"


def tasks(
    engine: Engine,
    agency: str | None = None,
    role: str | None = None,
    year: int | None = None,
    province: str | None = None,
    document: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The task overview, filtered: ``agency`` in any spelling (its aliases, with or without marks),
    ``role`` ``owner`` or ``co_owner``, ``document`` its number, ``search`` words of the task text."""
    where, params = [], {}
    if agency:
        where.append(
            "task_id IN (SELECT ta.task_id FROM task_agencies ta JOIN agencies a ON a.id = ta.agency_id "
            "WHERE a.key = :agency" + (" AND ta.role = :role)" if role else ")")
        )
        params.update(agency=fold(canonical(agency)), role=role)
    if year is not None:
        where.append("year = :year")
        params["year"] = year
    if province:
        where.append("province = :province")
        params["province"] = province
    if document:
        where.append("document_number = :document")
        params["document"] = document
    if search:
        words = fold(search)
        where.append(_search_clause(engine))
        params.update(words=words, phrase='"' + words.replace('"', " ") + '"')
    chosen = "SELECT task_id FROM task_overview" + (" WHERE " + " AND ".join(where) if where else "")
    if limit:  # choose the page's ids first: owners and budgets are then read for those rows only
        chosen += f" ORDER BY task_id LIMIT {int(limit)}"
    sql = f"SELECT * FROM task_overview WHERE task_id IN ({chosen}) ORDER BY task_id"
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def agency_workload(engine: Engine, year: int | None = None, province: str | None = None) -> pd.DataFrame:
    """Tasks owned and cooperated on, documents and budget owned, per agency (and province and year)."""
    where, params = [], {}
    if year is not None:
        where.append("year = :year")
        params["year"] = year
    if province:
        where.append("province = :province")
        params["province"] = province
    sql = "SELECT * FROM agency_workload" + (" WHERE " + " AND ".join(where) if where else "")
    with engine.connect() as conn:
        return pd.read_sql(text(sql + " ORDER BY tasks_owned DESC, agency"), conn, params=params)
