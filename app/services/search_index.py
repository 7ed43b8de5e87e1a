"""Text search of mentions through trigram indexes: SQLite's FTS5, or PostgreSQL's pg_trgm.

A substring search used to read every post of the workspace (about 2 s at a million posts on
SQLite). A trigram index finds the posts holding a string of three or more characters, in any
case (Unicode case folding: Cyrillic too), in milliseconds.

- ``mention_search`` is an external-content FTS5 table over ``mentions.text``: the text is not
  stored twice. Posts are only ever added, so :func:`catch_up` appends every post above the
  high-water mark in ``mention_search_state``. It runs after an import (before rescoring),
  not inside it: the import keeps its bulk speed, and a big one is indexed afterwards at
  about 140,000 posts/s (bench/RESULTS.md).
- :func:`candidates` gives a search its posts: those the index finds plus every post above the
  mark (not indexed yet). The caller still checks each with the Unicode ``lower(text) LIKE``
  it always used, so the results are a full scan's, indexed or not (but for the odd letter
  whose case SQLite and Python fold differently, like the Kelvin sign).
- On PostgreSQL a pg_trgm GIN index on ``lower(text)`` (the migration installs the extension
  where the database user may) serves the same ``LIKE`` directly: nothing to catch up.
- Searches shorter than three characters, and databases without either index, scan.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    column,
    func,
    select,
    table,
    text,
    union_all,
)

from app.extensions import db
from app.models import Mention

TABLE = "mention_search"  # made by the migration (and create_all): app/models/mention.py
MIN_LENGTH = 3  # a trigram index knows nothing of shorter strings
BATCH = 200_000  # posts per transaction: other writers wait at most a couple of seconds
QUEUE_TAIL = 20_000  # a search that finds this many posts unindexed asks for a catch-up
_queued_at: dict[str, float] = {}


def available(conn: Connection) -> bool:
    """Return whether ``conn``'s database has the search index (SQLite with the table)."""
    if conn.dialect.name != "sqlite":
        return False
    return bool(
        conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        ).scalar()
    )


def indexed_upto(conn: Connection) -> int:
    """Return the id of the last post in the index (every post up to it is in)."""
    upto = conn.exec_driver_sql("SELECT indexed_upto FROM mention_search_state WHERE id = 1")
    return upto.scalar() or 0


def catch_up(batch: int = BATCH) -> int:
    """Index every post not yet in the search index; return how many were added.

    Safe to run while an import writes and from two places at once: each batch first takes
    the write lock (an update of the mark), then reads the mark, so no post is indexed twice.
    """
    conn = db.session.connection()
    if not available(conn):
        return 0
    added = 0
    while True:
        conn = db.session.connection()
        conn.exec_driver_sql(
            "INSERT INTO mention_search_state (id, indexed_upto) VALUES (1, 0) "
            "ON CONFLICT (id) DO UPDATE SET indexed_upto = indexed_upto"
        )
        start = indexed_upto(conn)
        end = conn.exec_driver_sql(
            "SELECT COALESCE(MAX(id), 0) FROM mentions WHERE id <= ?", (start + batch,)
        ).scalar()
        if end <= start:
            db.session.commit()
            return added
        added += conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (rowid, text) SELECT id, text FROM mentions "
            "WHERE id > ? AND id <= ?",
            (start, end),
        ).rowcount
        conn.exec_driver_sql(
            "UPDATE mention_search_state SET indexed_upto = ? WHERE id = 1", (end,)
        )
        db.session.commit()


def queue_catch_up() -> None:
    """Ask for :func:`catch_up` in the background (at most once a minute from this process)."""
    from app.services import jobs

    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if time.monotonic() - _queued_at.get(key, -120.0) < 60:
        return
    _queued_at[key] = time.monotonic()
    jobs.submit("app.services.search_index.catch_up")


def text_contains(query: str) -> ColumnElement[bool]:
    """Return the condition "the post's text contains ``query``, in any case" for a search.

    On SQLite, with the index, only its candidates are checked; on PostgreSQL the pg_trgm
    index serves the ``LIKE`` itself, and a query too short for trigrams is written so that
    the planner scans instead (walking the whole trigram index would be slower).
    """
    folded = query.lower()
    if len(query) < MIN_LENGTH and db.session.connection().dialect.name == "postgresql":
        return func.strpos(func.lower(Mention.text), folded) > 0
    contains = func.lower(Mention.text).contains(folded, autoescape=True)
    narrowed = candidates(query)
    # the posts the index finds (and those not indexed yet), each checked
    return contains if narrowed is None else and_(narrowed, contains)


def candidates(query: str) -> ColumnElement[bool] | None:
    """Return a condition on ``Mention.id`` that every post containing ``query`` meets (a
    superset: check the text too), or ``None`` where the index can't help."""
    if len(query) < MIN_LENGTH:
        return None
    conn = db.session.connection()
    if not available(conn):
        return None
    upto = indexed_upto(conn)
    if db.session.scalar(select(Mention.id).where(Mention.id > upto + QUEUE_TAIL).limit(1)):
        queue_catch_up()
    phrase = '"' + query.replace('"', '""') + '"'
    index = table(TABLE, column("rowid"))
    found = select(index.c.rowid).where(text(f"{TABLE} MATCH :phrase").bindparams(phrase=phrase))
    # One list of ids (found, then not yet indexed) lets SQLite fetch just those posts.
    later = select(Mention.id).where(Mention.id > upto).correlate(None)
    return Mention.id.in_(union_all(found, later))
