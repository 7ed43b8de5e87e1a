"""Writing batches of parsed records: one transaction per batch, bulk statements only.

This is the hot path of every import (DESIGN.md §6: ~180,000 rows/s is the ceiling of a bare
SQLite ``executemany``), so it speaks to the database driver directly with prepared
``executemany`` calls over plain tuples instead of building ORM objects or compiling a
statement per row. Timestamps are converted once per value into what each driver stores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy.engine import Connection

from app.extensions import db
from app.ingest.record import MentionRecord, normalize_handle, normalize_topic
from app.models import ImportRun, Workspace
from app.services import statistics

IN_CHUNK = 900  # keep IN (...) lists well inside every database's parameter limit


def brand_matcher(terms: list[str]) -> Callable[[str], list[str]]:
    """Return a function listing the brand terms (lower-cased) found in a text.

    A term matches at word boundaries; a Cyrillic term may carry a short inflection ending
    ("Яндекс" finds "Яндексу"), since Russian declines brand names.
    """
    patterns = []
    for term in terms:
        escaped = re.escape(term.lower())
        ending = r"\w{0,3}" if re.search("[а-яё]", term.lower()) else r"(?:'s)?"
        patterns.append((term.lower(), re.compile(rf"(?<!\w){escaped}{ending}(?!\w)")))
    if not patterns:
        return lambda text: []

    def find(text: str) -> list[str]:
        lowered = text.lower()
        return [term for term, pattern in patterns if term in lowered and pattern.search(lowered)]

    return find


def record_topics(record: MentionRecord, find_brands: Callable[[str], list[str]]) -> list[str]:
    """Return a record's topics as stored: its tags normalised, plus the brand terms it names."""
    topics = {normalize_topic(tag)[:200] for tag in record.tags}
    topics.update(find_brands(record.text))
    topics.discard("")
    return list(topics)


class _Driver:
    """The few driver differences the bulk statements care about: placeholders and timestamps."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"

    def sql(self, statement: str) -> str:
        """Return ``statement`` (written with ``?`` placeholders) in the driver's style."""
        return statement if self.sqlite else statement.replace("?", "%s")

    def timestamp(self, moment: datetime | None):
        """Return an aware UTC datetime as stored: naive UTC; on SQLite SQLAlchemy's text form."""
        if moment is None:
            return None
        naive = moment.replace(tzinfo=None)
        return naive.isoformat(" ", timespec="microseconds") if self.sqlite else naive


def _chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cut(value: str | None, limit: int = 255) -> str | None:
    return value[:limit] if value else None


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class BatchWriter:
    """Writes batches of records into one workspace, remembering author ids between batches."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace_id = workspace.id
        self.find_brands = brand_matcher(workspace.brand_terms or [])
        self.authors: dict[tuple[str, str], int] = {}  # (platform, handle key) -> author id
        self._all_loaded = False
        self.written = 0
        # Per poster: [newest post time, display handle, name, followers, url, author id].
        self.profiles: dict[tuple[str, str], list] = {}
        self._handles: dict[str, str] = {}
        self.touched = False

    def _key(self, handle: str) -> str:
        """Return ``normalize_handle(handle)``, memoised: the same handles recur all the time."""
        key = self._handles.get(handle)
        if key is None:
            if len(self._handles) > 1_000_000:
                self._handles.clear()
            key = self._handles[handle] = normalize_handle(handle)
        return key

    def write(self, batch: list[MentionRecord], result, run: ImportRun | None) -> None:
        """Write one batch (dedupe, authors, mentions, topics, edges) in one transaction.

        The records must be enriched already (language and sentiment, see ``enrich``).
        """
        conn = db.session.connection()
        driver = _Driver(conn)
        try:
            records = self._drop_duplicates(conn, driver, batch, result)
            if records:
                self._upsert_authors(conn, driver, records)
                links = [self._links(r) for r in records]
                stamps = [driver.timestamp(r.created_at) for r in records]
                mention_ids = self._reserve_ids(conn, driver, len(records))
                self._insert_mentions(conn, driver, records, links, stamps, mention_ids, run)
                self._insert_topics(conn, driver, records, mention_ids)
                self._insert_edges(conn, driver, links, stamps, mention_ids)
                result.imported += len(records)
                self.written += len(records)
                self.touched = True
            if run is not None:
                run.imported, run.duplicates, run.rejected = (
                    result.imported,
                    result.duplicates,
                    result.rejected,
                )
            db.session.commit()
        except BaseException:
            db.session.rollback()
            # Ids of authors created in the rolled-back batch are gone: forget the cache. (A
            # profile noted for such an id updates no row in finish().)
            self.authors.clear()
            self._all_loaded = False
            raise

    def finish(self) -> None:
        """Refresh the authors, and link replies, reposts and quotes known only by post id,
        now that all posts are in. Call it also after a failed batch: it keeps what landed."""
        if self.touched:
            conn = db.session.connection()
            self._refresh_authors(conn, _Driver(conn))
            resolve_pending_targets(conn, self.workspace_id)
            db.session.commit()
            if self.written >= statistics.BULK_ROWS:
                statistics.refresh(
                    db.session.connection(),
                    ("mentions", "authors", "interactions", "mention_topics"),
                )
                db.session.commit()

    # --- the steps ------------------------------------------------------------------------

    def _drop_duplicates(self, conn, driver: _Driver, batch: list[MentionRecord], result):
        unique: dict[tuple[str, str], MentionRecord] = {}
        for record in batch:
            key = (record.platform, record.id)
            if key in unique:
                result.duplicates += 1
            else:
                unique[key] = record
        by_platform: dict[str, list[str]] = {}
        for platform, external_id in unique:
            by_platform.setdefault(platform, []).append(external_id)
        for platform, ids in by_platform.items():
            for chunk in _chunks(ids):
                existing = conn.exec_driver_sql(
                    driver.sql(
                        "SELECT external_id FROM mentions WHERE workspace_id = ? AND platform = ?"
                        f" AND external_id IN ({_marks(len(chunk))})"
                    ),
                    (self.workspace_id, platform, *chunk),
                )
                for (external_id,) in existing:
                    del unique[(platform, external_id)]
                    result.duplicates += 1
        return list(unique.values())

    def _upsert_authors(self, conn, driver: _Driver, records: list[MentionRecord]) -> None:
        """Create unknown authors (posters and everyone they address); note posters' profiles.

        Profile data is "as of the post": the newest post that carries a value wins, also
        across batches and imports (posts need not come in time order). Profiles and the
        post counts are written once per import, in :meth:`finish`, not once per batch: most
        authors post in many batches, and an UPDATE per author per batch was a third of the
        import's time.
        """
        wanted: dict[tuple[str, str], str] = {}
        norm = self._key
        for r in records:
            wanted.setdefault((r.platform, norm(r.author)), r.author)
            for handle in (r.reply_to_author, r.repost_of_author, r.quote_of_author, *r.mentions):
                if handle:
                    target = (r.platform, norm(handle))
                    if target[1] and target not in wanted:
                        wanted[target] = handle.lstrip("@")
        self._ensure_authors(conn, driver, wanted)
        profiles, authors = self.profiles, self.authors
        for r in records:
            key = (r.platform, norm(r.author))
            p = profiles.get(key)
            if p is None:
                profiles[key] = [r.created_at, r.author, r.author_name, r.author_followers,
                                 r.author_url, authors[key]]  # fmt: skip
            elif r.created_at >= p[0]:
                p[0], p[1] = r.created_at, r.author
                if r.author_name is not None:
                    p[2] = r.author_name
                if r.author_followers is not None:
                    p[3] = r.author_followers
                if r.author_url is not None:
                    p[4] = r.author_url

    def _refresh_authors(self, conn, driver: _Driver) -> None:
        """Write the import's newest profile data and recount the authors' posts and dates."""
        if not self.profiles:
            return
        conn.exec_driver_sql(
            driver.sql(
                "UPDATE authors SET display_handle = ?, name = COALESCE(?, name),"
                " followers = COALESCE(?, followers), url = COALESCE(?, url)"
                " WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at <= ?)"
            ),
            [
                (_cut(display), _cut(name), followers, _cut(url, 1000), author_id,
                 driver.timestamp(latest))
                for latest, display, name, followers, url, author_id in self.profiles.values()
            ],
        )  # fmt: skip
        ids = [profile[5] for profile in self.profiles.values()]
        counts = (
            "SELECT author_id, COUNT(*) AS n, MIN(created_at) AS first_at, MAX(created_at) AS last_at"
            " FROM mentions WHERE workspace_id = ? {only} GROUP BY author_id"
        )
        update = (
            "UPDATE authors SET posts_count = s.n, first_seen_at = s.first_at,"
            " last_seen_at = s.last_at FROM ({counts}) AS s WHERE authors.id = s.author_id"
        )
        if len(ids) > 5000:  # most of the workspace: one pass over its mentions is cheaper
            conn.exec_driver_sql(
                driver.sql(update.format(counts=counts.format(only=""))), (self.workspace_id,)
            )
        else:
            for chunk in _chunks(ids):
                only = f"AND author_id IN ({_marks(len(chunk))})"
                conn.exec_driver_sql(
                    driver.sql(update.format(counts=counts.format(only=only))),
                    (self.workspace_id, *chunk),
                )
        self.profiles.clear()

    def _ensure_authors(self, conn, driver: _Driver, wanted: dict[tuple[str, str], str]) -> None:
        if not self._all_loaded:
            self._load_all_authors(conn, driver)
        new = [key for key in wanted if key not in self.authors]
        if not new:
            return
        # ON CONFLICT DO NOTHING: another import may have added the same account meanwhile;
        # the read-back below finds its id either way.
        conn.exec_driver_sql(
            driver.sql(
                "INSERT INTO authors (workspace_id, platform, handle, display_handle, posts_count)"
                " VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING"
            ),
            [(self.workspace_id, platform, handle[:255], wanted[(platform, handle)][:255])
             for platform, handle in new],
        )  # fmt: skip
        self._load_authors(conn, driver, new)

    def _load_all_authors(self, conn, driver: _Driver) -> None:
        """Remember every author key of the workspace: one scan instead of a query per batch."""
        for author_id, platform, handle in conn.exec_driver_sql(
            driver.sql("SELECT id, platform, handle FROM authors WHERE workspace_id = ?"),
            (self.workspace_id,),
        ):
            self.authors[(platform, handle)] = author_id
        self._all_loaded = True

    def _load_authors(self, conn, driver: _Driver, keys: list[tuple[str, str]]) -> None:
        by_platform: dict[str, dict[str, str]] = {}
        for platform, handle in keys:
            by_platform.setdefault(platform, {})[handle[:255]] = handle
        for platform, handles in by_platform.items():
            for chunk in _chunks(list(handles)):
                rows = conn.exec_driver_sql(
                    driver.sql(
                        "SELECT id, handle FROM authors"
                        " WHERE workspace_id = ? AND platform = ?"
                        f" AND handle IN ({_marks(len(chunk))})"
                    ),
                    (self.workspace_id, platform, *chunk),
                )
                for author_id, handle in rows:
                    self.authors[(platform, handles[handle])] = author_id

    def _author_id(self, platform: str, handle: str | None) -> int | None:
        if not handle:
            return None
        return self.authors.get((platform, self._key(handle)))

    def _links(self, r: MentionRecord) -> tuple:
        """Return the author ids a record points at: (author, reply, repost, quote, mentioned)."""
        author_id, platform = self._author_id, r.platform
        return (
            author_id(platform, r.author),
            author_id(platform, r.reply_to_author),
            author_id(platform, r.repost_of_author),
            author_id(platform, r.quote_of_author),
            [author_id(platform, handle) for handle in r.mentions],
        )

    def _reserve_ids(self, conn, driver: _Driver, count: int) -> list[int]:
        """Reserve ``count`` new mention ids, so rows need no read-back after the insert.

        On SQLite this batch already holds the write lock (the authors were written), so no
        other writer can take ids meanwhile; on PostgreSQL the sequence hands them out.
        """
        if driver.sqlite:
            top = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM mentions").scalar()
            return list(range(top + 1, top + 1 + count))
        return list(
            conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('mentions', 'id')) FROM generate_series(1, %s)",
                (count,),
            ).scalars()
        )

    def _insert_mentions(self, conn, driver, records, links, stamps, mention_ids, run) -> None:
        run_id = run.id if run is not None else None
        conn.exec_driver_sql(
            driver.sql(
                "INSERT INTO mentions (id, workspace_id, platform, external_id, author_id,"
                " created_at, kind, text, url, lang, reply_to_external_id, reply_to_author_id,"
                " repost_of_external_id, repost_of_author_id, quote_of_external_id,"
                " quote_of_author_id, likes, reposts, replies, views, sentiment,"
                " sentiment_score, sentiment_source, import_id)"
                f" VALUES ({_marks(24)})"
            ),
            [
                (mention_id, self.workspace_id, r.platform, r.id, link[0], stamp, r.kind, r.text,
                 _cut(r.url, 1000), _cut(r.lang, 16), _cut(r.reply_to_id), link[1],
                 _cut(r.repost_of_id), link[2], _cut(r.quote_of_id), link[3],
                 r.likes, r.reposts, r.replies, r.views, r.sentiment or "unknown",
                 r.sentiment_score, "computed" if r.sentiment_computed else "imported", run_id)
                for r, link, stamp, mention_id in zip(records, links, stamps, mention_ids, strict=True)
            ],
        )  # fmt: skip

    def _insert_topics(self, conn, driver, records, mention_ids) -> None:
        params = []
        workspace_id, find_brands = self.workspace_id, self.find_brands
        for r, mention_id in zip(records, mention_ids, strict=True):
            topics = r.topics if r.topics is not None else record_topics(r, find_brands)
            params.extend((workspace_id, mention_id, topic) for topic in topics)
        if params:
            conn.exec_driver_sql(
                driver.sql(
                    "INSERT INTO mention_topics (workspace_id, mention_id, topic) VALUES (?, ?, ?)"
                ),
                params,
            )

    def _insert_edges(self, conn, driver, links, stamps, mention_ids) -> None:
        """Insert the interactions a post implies; one edge per target, self-loops dropped."""
        params = []
        workspace_id = self.workspace_id
        for (source, reply, repost, quote, mentioned), at, mention_id in zip(
            links, stamps, mention_ids, strict=True
        ):
            seen = {source, None}
            for kind, target in (("reply", reply), ("repost", repost), ("quote", quote)):
                if target not in seen:
                    seen.add(target)
                    params.append((workspace_id, source, target, kind, at, mention_id))
            for target in mentioned:
                if target not in seen:
                    seen.add(target)
                    params.append((workspace_id, source, target, "mention", at, mention_id))
        if params:
            conn.exec_driver_sql(
                driver.sql(
                    "INSERT INTO interactions (workspace_id, source_author_id, target_author_id,"
                    " kind, at, mention_id) VALUES (?, ?, ?, ?, ?, ?)"
                ),
                params,
            )


_TARGETS = (
    ("reply", "reply_to_external_id", "reply_to_author_id"),
    ("repost", "repost_of_external_id", "repost_of_author_id"),
    ("quote", "quote_of_external_id", "quote_of_author_id"),
)


def resolve_pending_targets(conn: Connection, workspace_id: int) -> int:
    """Link posts that reply to, repost or quote a post known only by id, once it is imported.

    Returns how many edges were added. Works across imports: a reply imported before its parent
    is linked when the parent arrives.
    """
    driver = _Driver(conn)
    added = 0
    for kind, id_column, author_column in _TARGETS:
        pending = conn.exec_driver_sql(
            driver.sql(
                f"SELECT child.id, child.author_id, parent.author_id, child.created_at"
                f" FROM mentions AS child JOIN mentions AS parent"
                f" ON parent.workspace_id = child.workspace_id AND parent.platform = child.platform"
                f" AND parent.external_id = child.{id_column}"
                f" WHERE child.workspace_id = ? AND child.{id_column} IS NOT NULL"
                f" AND child.{author_column} IS NULL"
            ),
            (workspace_id,),
        ).all()
        if not pending:
            continue
        conn.exec_driver_sql(
            driver.sql(f"UPDATE mentions SET {author_column} = ? WHERE id = ?"),
            [(target, mention_id) for mention_id, _, target, _ in pending],
        )
        edges = [
            (workspace_id, source, target, kind, at, mention_id)
            for mention_id, source, target, at in pending
            if source != target
        ]
        if edges:
            conn.exec_driver_sql(
                driver.sql(
                    "INSERT INTO interactions (workspace_id, source_author_id, target_author_id,"
                    " kind, at, mention_id) VALUES (?, ?, ?, ?, ?, ?)"
                ),
                edges,
            )
        added += len(edges)
    return added
