"""Keeping the database's planner statistics fresh after bulk writes.

Without them SQLite picks the first index that fits (say, workspace_id alone) and an author
page on a million-mention workspace takes seconds instead of milliseconds.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

BULK_ROWS = 5000  # writes smaller than this do not shift the statistics enough to matter


def refresh(conn: Connection, tables: tuple[str, ...]) -> None:
    """Re-gather the planner's statistics for ``tables`` (sampled: fast on any size)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")  # sample each index, do not scan it
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")
