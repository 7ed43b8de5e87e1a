"""text search index of mentions on SQLite (FTS5 trigram)

A text search read every post of the workspace (about 2 s at a million posts). On SQLite an
FTS5 table with the trigram tokenizer indexes mentions.text (external content: the text is not
stored twice), and mention_search_state keeps the id up to which every post is indexed; the
app appends newer posts after each import (app/services/search_index.py). The posts already
stored are indexed here. PostgreSQL keeps searching by scan: nothing to do there.

Revision ID: 8e41c7a2d5f3
Revises: 5d3c1e2a9b7f
Create Date: 2026-12-03 17:20:00.000000

"""
from alembic import op


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


def upgrade():
    if not has_trigram_search(op.get_bind()):
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
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute("DROP TABLE IF EXISTS mention_search")
    op.execute("DROP TABLE IF EXISTS mention_search_state")
