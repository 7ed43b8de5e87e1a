"""Loading big imports into SQLite fast: indexes built once at the end, no per-row key checks.

Two standard bulk-load techniques, used only on SQLite (the embedded default) and only while
one import writes:

- **Deferred indexes.** Each post lands in random places of the by-author, by-topic and
  graph-edge indexes; at a million rows keeping them up to date row by row took three times
  as long as the inserts themselves (bench/RESULTS.md), while building them afterwards is one
  sort each. An import expected to add at least :data:`DEFER_MIN_ROWS` rows, and at least
  half as many as the tables hold, drops those indexes (:data:`DEFERRED_INDEXES`) and builds
  them again before it finishes (also after a failure). The unique indexes stay:
  duplicates are still found. Queries in other workspaces still answer meanwhile, only slower.
  If the process is killed mid-import, the next import builds the missing indexes first
  (:func:`ensure_indexes`).
- **No foreign-key checks per row.** The writer only inserts ids it has just read or made in
  the same transaction, so SQLite's checks of every reference (five per post) are switched
  off for the writing transaction and on again right after (:func:`writing_transaction`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Index
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex, DropIndex

from app.models.base import Base

DEFER_MIN_ROWS = 100_000  # below this, keeping the indexes up to date costs less than a rebuild
# The indexes an import fills in random order (by author, by topic, by edge end). The others
# grow at their end as posts arrive in time order (by time, by import, edges by post) and stay
# live: building one means reading the whole table again, which costs more than keeping it.
DEFERRED_INDEXES = {
    "mentions": ("ix_mentions_workspace_author",),
    "interactions": ("ix_interactions_workspace_source", "ix_interactions_workspace_target"),
    "mention_topics": ("ix_mention_topics_workspace_topic",),
}


def deferrable_indexes() -> list[Index]:
    """Return the indexes a big import builds at its end (their definitions from the models)."""
    found = []
    for table, names in DEFERRED_INDEXES.items():
        indexes = {index.name: index for index in Base.metadata.tables[table].indexes}
        found.extend(indexes[name] for name in names)
    return found


def worth_deferring(conn: Connection, expected_rows: int) -> bool:
    """Return whether an import of about ``expected_rows`` posts should defer the indexes."""
    if conn.dialect.name != "sqlite" or expected_rows < DEFER_MIN_ROWS:
        return False
    stored = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM mentions").scalar()
    return expected_rows * 2 >= stored


def drop_indexes(conn: Connection) -> None:
    """Drop the deferrable indexes (SQLite only); :func:`ensure_indexes` brings them back."""
    for index in deferrable_indexes():
        conn.execute(DropIndex(index, if_exists=True))


def ensure_indexes(conn: Connection) -> list[str]:
    """Build any deferrable index that is missing; return the names of those built.

    Cheap when all exist (one catalogue read), so every import starts with it: an import that
    was killed while its indexes were dropped is mended by the next one.
    """
    if conn.dialect.name != "sqlite":
        return []
    present = {
        name
        for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    missing = [index for index in deferrable_indexes() if index.name not in present]
    if missing:
        # Sorting is most of an index build; SQLite can spread it over helper threads.
        conn.exec_driver_sql("PRAGMA threads=4")
        for index in missing:
            conn.execute(CreateIndex(index, if_not_exists=True))
    return [index.name for index in missing]


@contextmanager
def writing_transaction(conn: Connection) -> Iterator[None]:
    """Run one batch's writes on ``conn`` in a transaction of their own, without key checks.

    On SQLite the transaction is begun here with ``BEGIN IMMEDIATE``, so the batch owns the
    database's write lock from its first statement and the ids it reserves (``MAX(id) + 1``
    onwards) cannot be taken by another writer meanwhile. Foreign-key checks are switched off
    before (SQLite ignores the pragma inside a transaction). The block's work is committed on
    leaving it (rolled back on an error), and the checks are on again before the connection
    can go back to the pool; every checkout switches them on as well (``app.extensions``).
    Flush ORM changes inside the block; the session's own commit afterwards writes nothing.
    Other databases are left alone: the session's commit ends their transaction.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        raw.rollback()
        raise
    else:
        raw.commit()
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
