"""text search index of mentions (SQLite FTS5 trigram, PostgreSQL pg_trgm)

A text search read every post of the workspace (about 2 s at a million posts). On SQLite an
FTS5 table with the trigram tokenizer indexes mentions.text (external content: the text is not
stored twice), and mention_search_state keeps the id up to which every post is indexed; the
app appends newer posts after each import (app/services/search_index.py). The posts already
stored are indexed here. On PostgreSQL a pg_trgm GIN index on lower(text) serves the search's
LIKE itself; where the extension can't be installed, searches keep scanning.

Revision ID: 8e41c7a2d5f3
Revises: 5d3c1e2a9b7f
Create Date: 2026-12-03 17:20:00.000000

"""
from alembic import op
from sqlalchemy.exc import DBAPIError


# revision identifiers, used by Alembic.
revision = '8e41c7a2d5f3'
down_revision = '5d3c1e2a9b7f'
branch_labels = None
depends_on = None


def has_trigram_search(bind):
    """SQLite 3.34+ built with FTS5 (Python's own builds are); elsewhere searches scan."""
    if bind.dialect.name != 'sqlite' or bind.dialect.dbapi.sqlite_version_info < (3, 34):
        return False
    return bool(bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())


def postgres_trigram_schema(bind):
    """The schema of pg_trgm, installed now if missing and allowed (a trusted extension since
    PostgreSQL 13); None where it can't be had."""
    find = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    schema = bind.exec_driver_sql(find).scalar()
    if schema is None:
        try:
            with bind.begin_nested():
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError:
            return None
        schema = bind.exec_driver_sql(find).scalar()
    return schema


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        schema = postgres_trigram_schema(bind)
        if schema is not None:
            op.execute(
                "CREATE INDEX IF NOT EXISTS mention_search_trgm ON mentions "
                f"USING gin (lower(text) {schema}.gin_trgm_ops)"
            )
        return
    if not has_trigram_search(bind):
        return
    op.execute(
        "CREATE TABLE IF NOT EXISTS mention_search_state ("
        "id INTEGER PRIMARY KEY, indexed_upto INTEGER NOT NULL DEFAULT 0)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS mention_search USING fts5("
        "text, content='mentions', content_rowid='id', tokenize='trigram')"
    )
    op.execute("INSERT INTO mention_search (rowid, text) SELECT id, text FROM mentions")
    op.execute(
        "INSERT INTO mention_search_state (id, indexed_upto) "
        "SELECT 1, COALESCE(MAX(id), 0) FROM mentions"
    )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS mention_search_trgm")
        return
    op.execute("DROP TABLE IF EXISTS mention_search")
    op.execute("DROP TABLE IF EXISTS mention_search_state")
