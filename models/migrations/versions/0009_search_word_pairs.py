"""PostgreSQL: index the task text's neighbouring word pairs, so a phrase search fetches only
the tasks that have every pair of its words (about the tasks that have the phrase) rather than
every task that has its words anywhere

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The lexemes at neighbouring positions of a tsvector, each pair as one lexeme "a b".
LEXEME_PAIRS = """
CREATE FUNCTION lexeme_pairs(doc tsvector) RETURNS tsvector IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  WITH p AS (SELECT u.lexeme, unnest(u.positions) AS pos FROM unnest(doc) AS u)
  SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
  FROM p a JOIN p b ON b.pos = a.pos + 1
$$
"""
#: A phrase's word pairs as the text of a tsquery ('a b' & 'b c'), empty for a single word.
PHRASE_PAIRS = """
CREATE FUNCTION phrase_pairs(words text) RETURNS text IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
  SELECT COALESCE(string_agg(quote_literal(pair), ' & '), '')
  FROM unnest(tsvector_to_array(lexeme_pairs(to_tsvector('simple', words)))) AS pair
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's FTS5 phrase queries use positions in its own index
    op.execute(LEXEME_PAIRS)
    op.execute(PHRASE_PAIRS)
    # An index on the expression, not a stored column: the rows stay as narrow as they were.
    op.execute("CREATE INDEX ix_tasks_text_pairs ON tasks USING gin (lexeme_pairs(text_search))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_tasks_text_pairs")
    op.execute("DROP FUNCTION phrase_pairs(text)")
    op.execute("DROP FUNCTION lexeme_pairs(tsvector)")
