"""Queries downstream users run, as pandas DataFrames: tasks by agency, year, province or words; agency workload.

Search is accent-insensitive: "so noi vu" finds "Sở Nội vụ" (FTS5 on SQLite, a tsvector index on PostgreSQL,
both over the folded task text).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, text

from vnplan.models.vocabulary import Role
from vnplan.normalizers.agencies import canonical
from vnplan.normalizers.text import fold


def _search_clause(engine: Engine, words: str, params: dict[str, object]) -> str:
    """The phrase condition: FTS5 on SQLite; on PostgreSQL the phrase over the stored tsvector,
    found through the index of word pairs (migration 0009) when it has two words or more."""
    if engine.dialect.name == "sqlite":
        params["phrase"] = _fts_phrase(words)
        return "t.id IN (SELECT rowid FROM task_search WHERE task_search MATCH :phrase)"
    params["words"] = words
    with engine.connect() as conn:
        params["pairs"] = conn.scalar(text("SELECT phrase_pairs(:words)"), {"words": words})
    phrase = "text_search @@ phraseto_tsquery('simple', :words)"
    if not params["pairs"]:
        return "t." + phrase
    # OFFSET 0 keeps the phrase out of the inner query, so the planner looks the pairs up in their
    # index (the smaller posting lists) and checks the phrase only on the tasks that have them all.
    pairs = "SELECT id, text_search FROM tasks WHERE lexeme_pairs(text_search) @@ CAST(:pairs AS tsquery) OFFSET 0"
    return f"t.id IN (SELECT id FROM ({pairs}) candidates WHERE {phrase})"


def search_condition(engine: Engine, words: str, params: dict[str, object]) -> str:
    """The condition on ``t.id`` that the task text has ``words`` (accent-insensitive), its
    parameters added to ``params``: the search :func:`tasks` runs, for other queries over ``tasks t``."""
    return _search_clause(engine, fold(words), params)


def _fts_phrase(words: str) -> str:
    """The words as one FTS5 phrase."""
    return '"' + words.replace('"', " ") + '"'


def tasks(
    engine: Engine,
    agency: str | None = None,
    role: Role | None = None,
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
    A search alone walks the tasks in order and stops at the page's end where it can.
    """
    where: list[str] = []
    params: dict[str, object] = {}
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
    if search and limit and not where:  # the words alone: the page may be found by walking the tasks
        with engine.connect() as conn:
            page = _first_matches(conn, fold(search), int(limit))
        if page is not None:
            return _overview(engine, "SELECT * FROM task_overview WHERE task_id IN :ids ORDER BY task_id", ids=page)
    if search:
        where.append(_search_clause(engine, fold(search), params))
    by_document = year is not None or bool(province) or bool(document)
    chosen = "SELECT t.id FROM tasks t" + (" JOIN documents d ON d.id = t.document_id" if by_document else "")
    chosen += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.id"
    if limit:
        chosen += f" LIMIT {int(limit)}"
    return _overview(engine, f"SELECT * FROM task_overview WHERE task_id IN ({chosen}) ORDER BY task_id", **params)


def _overview(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    query = text(sql)
    if "ids" in params:
        query = query.bindparams(bindparam("ids", expanding=True))
    with engine.connect() as conn:
        return pd.read_sql(query, conn, params=params)


#: PostgreSQL looks for a page of search results among this many task ids, in order, before it
#: asks the search index, which must fetch and sort every match (slow for common phrases) ...
SEARCH_WALK = 20_000
#: ... and, when that first walk found some, on among as many as a page then needs, up to this many.
LONGEST_WALK = 100_000

WALK = text(  # the LIMIT keeps the phrase out of the inner scan: tasks are read in id order
    "SELECT id FROM (SELECT id, text_search FROM tasks WHERE id >= :start AND id < :stop ORDER BY id LIMIT :span) w "
    "WHERE w.text_search @@ phraseto_tsquery('simple', :words) ORDER BY id LIMIT :limit"
)


def _first_matches(conn: Connection, words: str, limit: int) -> list[int] | None:
    """The ids of the first ``limit`` tasks (by id) whose text has the phrase, found without fetching
    every match; None when this quick way cannot tell (PostgreSQL and a rare phrase)."""
    if conn.dialect.name == "sqlite":  # FTS5 yields matches in rowid order and stops at the limit
        sql = "SELECT rowid FROM task_search WHERE task_search MATCH :phrase ORDER BY rowid LIMIT :limit"
        return list(conn.scalars(text(sql), {"phrase": _fts_phrase(words), "limit": limit}))
    first, last = conn.execute(text("SELECT MIN(id), MAX(id) FROM tasks")).one()
    if first is None:
        return []
    found: list[int] = []
    start, span = first, SEARCH_WALK  # a window of task ids
    while True:
        window = {"start": start, "stop": start + span, "span": span, "limit": limit - len(found)}
        found += conn.scalars(WALK, {"words": words, **window})
        if len(found) == limit or start + span > last:  # a full page, or every task walked
            return found
        walked = start + span - first
        span = int(walked * limit / max(len(found), 1) * 1.25) - walked  # at the density seen so far
        if not found or walked + span > LONGEST_WALK:
            return None
        start = window["stop"]


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
