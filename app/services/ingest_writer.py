"""Writing batches of mentions: one transaction per batch, bulk statements only.

This is the hot path of every import (DESIGN.md §6: ~180,000 rows/s is the ceiling of a bare
SQLite ``executemany``), so it speaks to the database driver directly with ``executemany``
over plain tuples, never ORM objects. Everything a row needs that does not touch the database
(handles normalised, topics, the time as stored) is prepared before, by :func:`prepare` — in
the reading process when there is one — so the writer only maps keys to ids and inserts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from operator import itemgetter

from sqlalchemy.engine import Connection

from app.extensions import db
from app.ingest.rows import (
    _KIND_SHIFT,
    _LINK_COLUMNS,
    _LINK_SHIFT,
    _ROW_BITS,
    _ROW_OPTIONAL,
    _ROW_OPTIONAL_COLUMNS,
    _SOURCE_SHIFT,
    EDGE_KINDS,
    KINDS,
    SENTIMENT_SOURCES,
    TARGET_KINDS,
    Row,
    brand_matcher,
)
from app.models import ImportRun, Workspace
from app.models.mention import pending_target
from app.services import bulk_load, statistics
from app.services.errors import ServiceError

IN_CHUNK = 900  # keep IN (...) lists well inside every database's parameter limit
class WorkspaceGone(ServiceError):
    """The workspace was deleted while its import ran."""


class _Driver:
    """The few driver differences the bulk statements care about: placeholders and timestamps."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"

    def sql(self, statement: str) -> str:
        """Return ``statement`` (written with ``?`` placeholders) in the driver's style."""
        return statement if self.sqlite else statement.replace("?", "%s")

    def timestamp(self, at: str | None):
        """Return a row's time as the driver stores it: the text itself on SQLite."""
        if at is None or self.sqlite:
            return at
        return datetime.fromisoformat(at)


def _chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class BatchWriter:
    """Writes batches of rows into one workspace, remembering author ids between batches."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace_id = workspace.id
        self.find_brands = brand_matcher(
            workspace.brand_terms or [], apart=workspace.brand_hashtags_apart
        )
        self.authors: dict[tuple[str, str], int] = {}  # (platform, handle key) -> author id
        self._all_loaded = False
        self.written = 0
        # Per poster's id: [newest post time, display handle, name, followers, url, author id].
        self.profiles: dict[int, list] = {}
        self.touched = False
        self.indexes_deferred = False
        self._statements: dict[tuple, tuple[str, itemgetter]] = {}
        self._analyze_at = statistics.BULK_ROWS
        conn = db.session.connection()
        self.postgres = conn.dialect.name == "postgresql"
        if bulk_load.ensure_indexes(conn):  # an earlier import was cut off mid-way
            db.session.commit()

    def expect(self, rows: int) -> None:
        """Say how many posts the import will bring, about; a big one defers the indexes.

        Call it before the first write (bulk_load explains the trade-off).
        """
        if self.written or self.indexes_deferred:
            return
        conn = db.session.connection()
        if bulk_load.worth_deferring(conn, rows):
            bulk_load.drop_indexes(conn)
            self.indexes_deferred = True
        db.session.commit()

    def write(self, batch: list[Row], result, run: ImportRun | None) -> None:
        """Write one batch (dedupe, authors, mentions, topics, edges) in one transaction."""
        conn = db.session.connection()
        try:
            with bulk_load.writing_transaction(conn):
                self._write(conn, _Driver(conn), batch, result, run)
                db.session.flush()
            db.session.commit()
            self._keep_statistics_fresh()
        except BaseException:
            db.session.rollback()
            # Ids of authors created in the rolled-back batch are gone: forget the cache. (A
            # profile noted for such an id updates no row in finish().)
            self.authors.clear()
            self._all_loaded = False
            raise

    def _keep_statistics_fresh(self) -> None:
        """On PostgreSQL, re-gather the planner's statistics each time this import has doubled.

        The duplicate and author lookups use the unique indexes only while the planner knows
        how big the tables are. An import into a new workspace outgrows the statistics at once
        (and autovacuum may be off, or behind): seen here, without this the lookups of a
        1M-row import walked the whole workspace and 220,000 rows took 11 minutes.
        """
        if not self.postgres or self.written < self._analyze_at:
            return
        statistics.refresh(
            db.session.connection(), ("mentions", "authors", "interactions", "mention_topics")
        )
        db.session.commit()
        self._analyze_at = 2 * self.written

    def _write(self, conn, driver: _Driver, batch: list[Row], result, run) -> None:
        if not self._workspace_exists(conn, driver):
            raise WorkspaceGone("the workspace was deleted during the import")
        rows = self._drop_duplicates(conn, driver, batch, result)
        if rows:
            links = self._link_authors(conn, driver, rows)
            stamps = (
                [r.at for r in rows] if driver.sqlite else [driver.timestamp(r.at) for r in rows]
            )
            reserved = self._reserve_ids(conn, driver, len(rows))
            mention_ids = self._insert_mentions(conn, driver, rows, links, stamps, reserved, run)
            if driver.sqlite:  # posts stored before were skipped by the insert: leave them out
                rows, links, stamps, mention_ids = self._landed(
                    conn, rows, links, stamps, mention_ids, reserved, result
                )
            self._note_profiles(rows, links)
            self._insert_topics(conn, driver, rows, mention_ids)
            self._insert_edges(conn, driver, links, stamps, mention_ids)
            result.imported += len(rows)
            self.written += len(rows)
            self.touched = bool(self.touched or rows)
        if run is not None:
            run.imported, run.duplicates, run.rejected = (
                result.imported,
                result.duplicates,
                result.rejected,
            )

    def _workspace_exists(self, conn, driver: _Driver) -> bool:
        """Check the workspace is still there: with key checks off, nothing else would."""
        found = conn.exec_driver_sql(
            driver.sql("SELECT 1 FROM workspaces WHERE id = ?"), (self.workspace_id,)
        ).first()
        return found is not None

    def finish(self) -> None:
        """Refresh the authors, and link replies, reposts and quotes known only by post id,
        now that all posts are in. Call it also after a failed batch: it keeps what landed."""
        if self.indexes_deferred:
            bulk_load.ensure_indexes(db.session.connection())
            db.session.commit()
            self.indexes_deferred = False
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

    def _drop_duplicates(self, conn, driver: _Driver, batch: list[Row], result) -> list[Row]:
        """Drop the batch's repeats of a post, and (not on SQLite) the posts stored before.

        On SQLite the insert itself skips stored posts (ON CONFLICT DO NOTHING) and
        :meth:`_landed` finds which: cheaper than looking every post up first.
        """
        unique: dict[tuple[str, str], Row] = {}
        for row in batch:
            key = (row.platform, row.id)
            if key in unique:
                result.duplicates += 1
            else:
                unique[key] = row
        if driver.sqlite:
            return list(unique.values())
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

    def _landed(self, conn, rows, links, stamps, mention_ids, reserved, result):
        """Keep the rows whose insert landed (SQLite); count the others as duplicates.

        The ids of a batch are one run after the stored maximum, so counting the rows in that
        range tells at once whether all landed; only when some did not is the range read.
        """
        low, high = reserved[0], reserved[-1]
        landed = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM mentions WHERE id BETWEEN ? AND ?", (low, high)
        ).scalar()
        if landed == len(rows):
            return rows, links, stamps, mention_ids
        present = {
            mention_id
            for (mention_id,) in conn.exec_driver_sql(
                "SELECT id FROM mentions WHERE id BETWEEN ? AND ?", (low, high)
            )
        }
        keep = [i for i, mention_id in enumerate(mention_ids) if mention_id in present]
        result.duplicates += len(rows) - len(keep)
        return (
            [rows[i] for i in keep],
            [links[i] for i in keep],
            [stamps[i] for i in keep],
            [mention_ids[i] for i in keep],
        )

    def _note_profiles(self, rows: list[Row], links: list[tuple]) -> None:
        """Note the posters' profiles as of their newest post, for :meth:`finish` to write.

        Profile data is "as of the post": the newest post that carries a value wins, also
        across batches and imports (posts need not come in time order). Profiles and the
        post counts are written once per import, in :meth:`finish`, not once per batch: most
        authors post in many batches, and an UPDATE per author per batch was a third of the
        import's time.
        """
        profiles = self.profiles
        for row, link in zip(rows, links, strict=True):
            author_id = link[0]
            p = profiles.get(author_id)
            if p is None:
                profiles[author_id] = [row.at, row.author, row.author_name, row.author_followers,
                                       row.author_url, author_id]  # fmt: skip
            elif row.at >= p[0]:
                p[0], p[1] = row.at, row.author
                if row.author_name is not None:
                    p[2] = row.author_name
                if row.author_followers is not None:
                    p[3] = row.author_followers
                if row.author_url is not None:
                    p[4] = row.author_url

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
                (display, name, followers, url, author_id, driver.timestamp(latest))
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

    def _link_authors(self, conn, driver: _Driver, rows: list[Row]) -> list[tuple]:
        """Return each row's :meth:`_links`, creating the authors not met before (posters and
        everyone they address).

        One pass looks every handle up once: a row whose people are all known gets its links
        there; only the rows naming someone new are linked again once those are created.
        """
        if not self._all_loaded:
            self._load_all_authors(conn, driver)
        get = self.authors.get
        wanted: dict[tuple[str, str], str] = {}
        links: list = []
        unresolved: list[int] = []
        for position, row in enumerate(rows):
            platform = row.platform
            key = (platform, row.author_key)
            source = get(key)
            complete = source is not None
            if not complete:
                wanted.setdefault(key, row.author)
            if not row.targets:  # most posts address nobody
                links.append((source, None, None, None, ()))
            else:
                found = {}
                targets = []
                for kind, handle_key, handle in row.targets:
                    key = (platform, handle_key)
                    target = get(key)
                    if target is None:
                        wanted.setdefault(key, handle)
                        complete = False
                    targets.append((kind, target))
                    if kind != "mention":
                        found.setdefault(kind, target)
                links.append((source, found.get("reply"), found.get("repost"),
                              found.get("quote"), targets))  # fmt: skip
            if not complete:
                unresolved.append(position)
        if wanted:
            self._create_authors(conn, driver, wanted)
            for position in unresolved:
                links[position] = self._links(rows[position])
        return links

    def _create_authors(self, conn, driver: _Driver, wanted: dict[tuple[str, str], str]) -> None:
        """Insert the authors ``wanted`` (key -> handle as written) and remember their ids."""
        new = list(wanted)
        if driver.sqlite:
            self._insert_authors_with_ids(conn, new, wanted)
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

    def _insert_authors_with_ids(self, conn, new: list, wanted: dict) -> None:
        """Insert new authors with ids chosen here, so none has to be read back (SQLite).

        The batch holds the write lock, so the ids after ``MAX(id)`` are free. An account that
        another import added since this one loaded the authors is skipped by ON CONFLICT; the
        count of rows in the id range shows it, and only then are the ids read back.
        """
        top = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM authors").scalar()
        ids = range(top + 1, top + 1 + len(new))
        conn.exec_driver_sql(
            "INSERT INTO authors (id, workspace_id, platform, handle, display_handle,"
            f" posts_count) VALUES (?, {int(self.workspace_id)}, ?, ?, ?, 0)"
            " ON CONFLICT DO NOTHING",
            [(author_id, platform, handle[:255], wanted[(platform, handle)][:255])
             for author_id, (platform, handle) in zip(ids, new, strict=True)],
        )  # fmt: skip
        landed = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM authors WHERE id BETWEEN ? AND ?", (ids.start, ids.stop - 1)
        ).scalar()
        if landed == len(new):
            self.authors.update(zip(new, ids, strict=True))
        else:
            self._load_authors(conn, _Driver(conn), new)

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

    def _links(self, row: Row) -> tuple:
        """Return (author id, reply, repost, quote target ids, [(kind, id)] of all targets)."""
        authors, platform = self.authors, row.platform
        source = authors[(platform, row.author_key)]
        if not row.targets:  # most posts address nobody
            return (source, None, None, None, ())
        reply = repost = quote = None
        targets = []
        for kind, key, _ in row.targets:
            target = authors.get((platform, key))
            targets.append((kind, target))
            if kind == "mention":
                continue
            if kind == "reply":
                reply = target if reply is None else reply
            elif kind == "repost":
                repost = target if repost is None else repost
            else:
                quote = target if quote is None else quote
        return (source, reply, repost, quote, targets)

    def _reserve_ids(self, conn, driver: _Driver, count: int) -> list[int]:
        """Reserve ``count`` new mention ids, so rows need no read-back after the insert.

        On SQLite the batch holds the write lock from its start (bulk_load.writing_transaction),
        so no other writer can take ids meanwhile; on PostgreSQL the sequence hands them out.
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

    def _insert_mentions(self, conn, driver, rows, links, stamps, reserved, run) -> list[int]:
        """Insert the posts; return their ids, in the order of ``rows``.

        Rows are written in groups of one shape (``Row.shape``: the optional fields they
        carry, their kind and sentiment source), naming only the columns they fill: the rest
        take their default (NULL). Binding a NULL is the slowest parameter there is for
        Python's sqlite3 (it goes through the adapter lookup), and most posts lack half the
        optional fields, so this halves the cost of the biggest statement of an import. The
        reading process works the shape out, so here a row is only put into its group. Each
        group gets the next reserved ids, so the table still only grows at its end.
        Constants of a group (workspace, kind, sentiment source, import) are written into the
        statement instead of bound per row.
        """
        groups: dict[int, list[int]] = {}
        for position, row in enumerate(rows):
            group = groups.get(row.shape)
            if group is None:
                group = groups[row.shape] = []
            group.append(position)
        ids = [0] * len(rows)
        start = 0
        for shape, positions in groups.items():
            statement, pick_links, pick_row = self._mention_statement(shape, run, driver.sqlite)
            group_ids = reserved[start : start + len(positions)]
            start += len(positions)
            params = [
                (mention_id, stamps[p], *pick_links(links[p]), *pick_row(rows[p]))
                for p, mention_id in zip(positions, group_ids, strict=True)
            ]
            for p, mention_id in zip(positions, group_ids, strict=True):
                ids[p] = mention_id
            conn.exec_driver_sql(driver.sql(statement), params)
        return ids

    def _mention_statement(self, shape: int, run, sqlite: bool):
        """Return the INSERT for one shape of :meth:`_insert_mentions`, and the getters of
        its parameters from a row's links and from the row (all cached per shape)."""
        key = (shape, run.id if run is not None else None)
        statement = self._statements.get(key)
        if statement is None:
            kind = KINDS[(shape >> _KIND_SHIFT) & 3]
            source = SENTIMENT_SOURCES[(shape >> _SOURCE_SHIFT) & 1]
            optional = [i for i in range(len(_ROW_OPTIONAL)) if shape & _ROW_BITS[i]]
            linked = [i for i in range(len(TARGET_KINDS)) if shape >> (_LINK_SHIFT + i) & 1]
            constants = {"workspace_id": str(self.workspace_id), "kind": f"'{kind}'",
                         "sentiment_source": f"'{source}'"}  # fmt: skip
            if run is not None:
                constants["import_id"] = str(int(run.id))
            columns = [
                "id", "created_at", "author_id", *(_LINK_COLUMNS[i] for i in linked),
                "platform", "external_id", "text", "sentiment",
                *(_ROW_OPTIONAL_COLUMNS[i] for i in optional),
            ]  # fmt: skip
            fields = ["platform", "id", "text", "sentiment", *(_ROW_OPTIONAL[i] for i in optional)]
            statement = self._statements[key] = (
                f"INSERT INTO mentions ({', '.join([*columns, *constants])})"
                f" VALUES ({_marks(len(columns))}, {', '.join(constants.values())})"
                + (" ON CONFLICT DO NOTHING" if sqlite else ""),  # stored posts: see _landed
                # links are (author, reply, repost, quote, targets): always a tuple back
                itemgetter(0, *(1 + i for i in linked)) if linked else itemgetter(slice(0, 1)),
                itemgetter(*(Row._fields.index(name) for name in fields)),
            )
        return statement

    def _insert_topics(self, conn, driver, rows, mention_ids) -> None:
        params = [
            (mention_id, topic)
            for row, mention_id in zip(rows, mention_ids, strict=True)
            for topic in row.topics
        ]
        if params:
            conn.exec_driver_sql(
                driver.sql(
                    "INSERT INTO mention_topics (workspace_id, mention_id, topic)"
                    f" VALUES ({int(self.workspace_id)}, ?, ?)"
                ),
                params,
            )

    def _insert_edges(self, conn, driver, links, stamps, mention_ids) -> None:
        """Insert the interactions a post implies; one edge per target, self-loops dropped.

        One statement per kind, with the workspace and the kind written into it: fewer
        parameters to bind per edge.
        """
        by_kind: dict[str, list[tuple]] = {kind: [] for kind in EDGE_KINDS}
        for (source, _, _, _, targets), at, mention_id in zip(
            links, stamps, mention_ids, strict=True
        ):
            if not targets:  # most posts address nobody
                continue
            seen = {source, None}
            for kind, target in targets:
                if target not in seen:
                    seen.add(target)
                    by_kind[kind].append((source, target, at, mention_id))
        for kind, params in by_kind.items():
            if params:
                conn.exec_driver_sql(
                    driver.sql(
                        "INSERT INTO interactions (workspace_id, kind, source_author_id,"
                        " target_author_id, at, mention_id)"
                        f" VALUES ({int(self.workspace_id)}, '{kind}', ?, ?, ?, ?)"
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
    # The pending condition in full lets the partial index find the few such posts. SQLite
    # is told to use it: right after a big import, before the planner statistics are
    # refreshed, it took the unique index instead and read every post of the workspace
    # (3 x 1.3 s at a million posts, to find none).
    child = "mentions AS child"
    if driver.sqlite:
        child += " INDEXED BY ix_mentions_pending_targets"
    for kind, id_column, author_column in _TARGETS:
        pending = conn.exec_driver_sql(
            driver.sql(
                f"SELECT child.id, child.author_id, parent.author_id, child.created_at"
                f" FROM {child} JOIN mentions AS parent"
                f" ON parent.workspace_id = child.workspace_id AND parent.platform = child.platform"
                f" AND parent.external_id = child.{id_column}"
                f" WHERE child.workspace_id = ? AND ({pending_target('child.')})"
                f" AND child.{id_column} IS NOT NULL AND child.{author_column} IS NULL"
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
