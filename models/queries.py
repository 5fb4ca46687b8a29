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
        return "t.id IN (SELECT rowid FROM task_search WHERE task_search MATCH :phrase)"
    return "t.text_search @@ phraseto_tsquery('simple', :words)"


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
    ``role`` ``owner`` or ``co_owner``, ``document`` its number, ``search`` words of the task text.

    The page's task ids are chosen on the base tables first (in task order, so an index walk can
    stop at ``limit``); owners, deadlines and budgets are then read from the view for those only.
    """
    where, params = [], {}
    if agency:
        where.append(
            "t.id IN (SELECT ta.task_id FROM task_agencies ta JOIN agencies a ON a.id = ta.agency_id "
            "WHERE a.key = :agency" + (" AND ta.role = :role)" if role else ")")
        )
        params.update(agency=fold(canonical(agency)), role=role)
    _place_and_year(where, params, province, year, prefix="d.")
    if document:
        where.append("d.number = :document")
        params["document"] = document
    if search:
        words = fold(search)
        where.append(_search_clause(engine))
        params.update(words=words, phrase='"' + words.replace('"', " ") + '"')
    by_document = year is not None or bool(province) or bool(document)
    chosen = "SELECT t.id FROM tasks t" + (" JOIN documents d ON d.id = t.document_id" if by_document else "")
    chosen += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.id"
    if limit:
        chosen += f" LIMIT {int(limit)}"
    sql = f"SELECT * FROM task_overview WHERE task_id IN ({chosen}) ORDER BY task_id"
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def agency_workload(engine: Engine, year: int | None = None, province: str | None = None) -> pd.DataFrame:
    """Tasks owned and cooperated on, documents and budget owned, per agency (and province and year)."""
    where: list[str] = []
    params: dict[str, object] = {}
    _place_and_year(where, params, province, year)
    sql = "SELECT * FROM agency_workload" + (" WHERE " + " AND ".join(where) if where else "")
    with engine.connect() as conn:
        return pd.read_sql(text(sql + " ORDER BY tasks_owned DESC, agency"), conn, params=params)


def _place_and_year(
    where: list[str], params: dict[str, object], province: str | None, year: int | None, prefix: str = ""
) -> None:
    if year is not None:
        where.append(f"{prefix}year = :year")
        params["year"] = year
    if province:
        where.append(f"{prefix}province = :province")
        params["province"] = province
