"""Scoring a workspace: load plain tuples, run ``graph.score_authors``, write a snapshot.

The graph package does the science; this module only moves data. Loading and writing go
through the driver in bulk (hundreds of thousands of rows), never through ORM objects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from app.extensions import db
from app.ingest.record import EARLIEST_POST, FUTURE_TOLERANCE
from app.ingest.vet import ANALYSED_CHARS
from app.models import (
    SCORE_COLUMNS,
    AuthorScore,
    BotVerdict,
    CommunitySummary,
    ScoreSnapshot,
    Workspace,
    utcnow,
)
from app.services import job_records, statistics
from app.services.bulk import bulk_work
from app.services.errors import ServiceError

log = logging.getLogger(__name__)

DETAIL_TOP = 200  # detailed reasons are kept for every author with a role and these per role
DETAIL_BATCH = 2000  # authors explained together while writing a snapshot
DETAIL_APART = 5000  # from this many notable authors, a worker process explains them
Progress = Callable[[str, float], None]


@dataclass
class LoadedWorkspace:
    """The window's data in columns, as the graph package scores it, plus per-author facts."""

    frame: object = None  # graph.build.Frame
    posts: int = 0
    interactions: int = 0
    followers: dict[int, int | None] = field(default_factory=dict)
    first_seen: dict[int, object] = field(default_factory=dict)  # as stored, written back as is
    activity: dict[int, tuple[int, int, float | None]] = field(default_factory=dict)
    window: tuple[float, float] = (0.0, 0.0)


def _epoch(conn: Connection, column: str) -> str:
    """Return SQL for a timestamp column as Unix seconds (a float) on this database."""
    if conn.dialect.name == "sqlite":
        return f"((julianday({column}) - 2440587.5) * 86400.0)"
    return f"EXTRACT(EPOCH FROM {column})::float8"


def _kind_code(column: str, kinds: tuple[str, ...]) -> str:
    """Return SQL for a kind column as its code (position in ``kinds``; -1 if unknown).

    A small integer comes off the driver as a shared object, a string as a new one per row.
    """
    whens = " ".join(f"WHEN '{kind}' THEN {code}" for code, kind in enumerate(kinds))
    return f"CASE {column} {whens} ELSE -1 END"


def _sql(conn: Connection, statement: str) -> str:
    return statement if conn.dialect.name == "sqlite" else statement.replace("?", "%s")


def _rows(conn: Connection, statement: str, params: tuple):
    """Run a query on the driver's own cursor and return it to iterate.

    Hundreds of thousands of rows go through here: SQLAlchemy's per-row result processing
    would cost more than the query.
    """
    cursor = conn.connection.driver_connection.cursor()
    cursor.execute(_sql(conn, statement), params)
    return cursor


def latest_activity(
    conn: Connection, workspace_id: int, now: datetime | None = None
) -> float | None:
    """Return the time of the workspace's newest mention in Unix seconds, if any, but never
    later than ``now`` (default: the wall clock).

    Posts dated before 2006 or more than a day after now are left out (app.ingest.vet: the
    import kept them with a warning): one post dated 9999 would otherwise carry the window's
    end there and leave every real post outside it. The newest time is read off the
    (workspace_id, created_at) index and converted once: converting every row first costs a
    full pass over a million mentions.
    """
    now = now or datetime.now(UTC)
    newest = _epoch(conn, "MAX(created_at)")
    bounds = [_stored_bound(conn, EARLIEST_POST), _stored_bound(conn, now + FUTURE_TOLERANCE)]
    found = conn.exec_driver_sql(
        _sql(
            conn,
            f"SELECT {newest} FROM mentions WHERE workspace_id = ?"
            " AND created_at >= ? AND created_at <= ?",
        ),
        (workspace_id, *bounds),
    ).scalar()
    return None if found is None else min(found, now.timestamp())


def _stored_bound(conn: Connection, moment: datetime):
    """Return a UTC time as a bound parameter compares with stored times (text on SQLite)."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    if conn.dialect.name == "sqlite":
        return naive.isoformat(" ", timespec="microseconds")
    return naive


def _scan_hint(conn: Connection, window_posts: int) -> str:
    """Return ``" NOT INDEXED"`` when SQLite should read a tenant table whole, else ``""``.

    Along the workspace index SQLite fetches every row by a separate table lookup, in index
    order: for a million interactions that takes twice as long as reading the whole table in
    storage order. When the window holds a quarter or more of all mentions, the workspace owns
    most of its interactions and topics too, and the scan wins. (PostgreSQL's planner makes
    this choice itself from its statistics.)
    """
    if conn.dialect.name != "sqlite" or not window_posts:
        return ""
    stored = conn.exec_driver_sql("SELECT MAX(rowid) FROM mentions").scalar() or 0
    return " NOT INDEXED" if 4 * window_posts >= stored else ""


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Turn rows into columns (``width`` empty ones when there are no rows)."""
    return [list(map(itemgetter(i), rows)) for i in range(width)]


def _epoch_ms(column: str) -> str:
    """Return SQLite SQL for a timestamp as the integer milliseconds julianday() counts in.

    julianday() is that count divided by 86,400,000; rounding its product back is exact
    (the error is under 0.1 ms), so :func:`_epoch_from_ms` yields, bit for bit, the float
    :func:`_epoch` computes in SQL.
    """
    return f"CAST(round(julianday({column}) * 86400000.0) AS INTEGER)"


def _epoch_from_ms(ms):
    """Return Unix seconds from :func:`_epoch_ms` values, with SQLite's own float steps."""
    import numpy as np

    return (np.asarray(ms, dtype=np.int64) / 86400000.0 - 2440587.5) * 86400.0


def _integer_table(conn: Connection, values: list[str], source: str, params: tuple, rows: int):
    """Return SQLite integer columns as an ``(n, len(values))`` int64 array, or ``None``.

    Fetched row by row, a million rows cost a tuple and an object per value, which is most
    of reading them; here SQLite writes the values into one text that numpy parses in C:
    a million interactions in 0.9 s instead of 1.7. ``values`` are SQL expressions that are
    never NULL (printf would write 0); ``source`` is the ``FROM ... WHERE ...`` of the query,
    read in the order a plain SELECT reads it. Returns ``None`` when ``rows`` (an upper
    bound) such rows could make a text longer than SQLite allows: the caller reads them row
    by row then.
    """
    import sqlite3

    import numpy as np

    driver = conn.connection.driver_connection
    if rows * len(values) * 21 >= driver.getlimit(sqlite3.SQLITE_LIMIT_LENGTH):
        return None
    row = ", ".join(["'" + ",".join(["%d"] * len(values)) + "'", *values])
    text = _rows(conn, f"SELECT group_concat(printf({row})) {source}", params).fetchone()[0]
    if not text:
        return np.zeros((0, len(values)), dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",").reshape(-1, len(values))


def _stored_rows(conn: Connection, table: str) -> int:
    """Return an upper bound of a table's rows (its largest rowid) on SQLite."""
    return conn.exec_driver_sql(f"SELECT MAX(rowid) FROM {table}").scalar() or 0


def _read_posts(conn: Connection, workspace_id: int, start_param, end_param) -> list:
    """Return the window's post columns: id, author, time, kind code, text, parent id (-1 for
    none), engagement, sentiment (``None`` when not scored) and the platform id of a parent
    that is not stored (``None`` otherwise).

    Read row by row: the texts must become Python strings anyway, and reading the numbers
    apart (as :func:`_read_edges` does) would read every post twice.
    """
    import numpy as np

    from graph.types import POST_KINDS

    at = _epoch(conn, "m.created_at")
    rows = _rows(
        conn,
        # a text is read up to ANALYSED_CHARS, as the import read it: a 1 MB post costs the
        # scoring's text steps (links, originals, hashtags) no more than a long one
        f"SELECT m.id, m.author_id, {at}, {_kind_code('m.kind', POST_KINDS)},"
        f" substr(m.text, 1, {ANALYSED_CHARS}),"
        " COALESCE(p.id, -1),"
        " COALESCE(m.likes, 0) + COALESCE(m.reposts, 0) + COALESCE(m.replies, 0),"
        " CASE WHEN m.sentiment = 'unknown' THEN NULL ELSE m.sentiment_score END,"
        # the platform id of a parent that is not stored: the original a repost spreads
        " CASE WHEN p.id IS NULL THEN"
        " COALESCE(m.repost_of_external_id, m.quote_of_external_id, m.reply_to_external_id) END"
        " FROM mentions m LEFT JOIN mentions p ON p.workspace_id = m.workspace_id"
        " AND p.platform = m.platform AND p.external_id ="
        " COALESCE(m.repost_of_external_id, m.quote_of_external_id, m.reply_to_external_id)"
        " WHERE m.workspace_id = ? AND m.created_at >= ? AND m.created_at <= ?",
        (workspace_id, start_param, end_param),
    ).fetchall()
    columns = _columns(rows, 9)
    del rows
    columns[3] = np.array(columns[3], dtype=np.int8)
    columns[5] = np.array(columns[5], dtype=np.int64)
    return columns


def _read_edges(conn: Connection, workspace_id: int, start_param, end_param, scan: str) -> list:
    """Return the window's interaction columns: source, target, kind code, time, post id."""
    import numpy as np

    from graph.types import INTERACTION_KINDS

    kind = _kind_code("kind", INTERACTION_KINDS)
    source = f"FROM interactions{scan} WHERE workspace_id = ? AND at >= ? AND at <= ?"
    params = (workspace_id, start_param, end_param)
    if conn.dialect.name == "sqlite":
        numbers = _integer_table(
            conn,
            ["source_author_id", "target_author_id", kind, _epoch_ms("at"),
             "COALESCE(mention_id, -1)"],
            source, params, _stored_rows(conn, "interactions"),
        )  # fmt: skip
        if numbers is not None:
            return [
                numbers[:, 0], numbers[:, 1], numbers[:, 2].astype(np.int8),
                _epoch_from_ms(numbers[:, 3]), numbers[:, 4],
            ]  # fmt: skip
    edges = _rows(
        conn,
        f"SELECT source_author_id, target_author_id, {kind}, {_epoch(conn, 'at')}, mention_id"
        f" {source}",
        params,
    ).fetchall()
    columns = _columns(edges, 5)
    del edges
    columns[2] = np.array(columns[2], dtype=np.int8)
    return columns


def load_workspace(conn: Connection, workspace_id: int, window_days: float) -> LoadedWorkspace:
    """Load the posts, interactions and authors of the window ending at the newest mention.

    The window ends at the newest mention, not at the wall clock: an archive imported today
    from last year is scored over its own last ``window_days``. Rows come off the driver in
    bulk and go into columns: no Python object per post or edge.
    """
    import numpy as np

    from graph.build import frame_from_columns
    from graph.types import link_domains

    data = LoadedWorkspace()
    end = latest_activity(conn, workspace_id)
    if end is None:
        return data
    start = max(end - window_days * 86400.0, EARLIEST_POST.timestamp())
    data.window = (start, end)
    start_at = datetime.fromtimestamp(start, tz=UTC).replace(tzinfo=None)
    # posts after the end (dated after now, app.ingest.vet) are not read at all; a second of
    # margin for the float round trip (the frame keeps exactly those up to ``end``)
    end_param = _stored_bound(conn, datetime.fromtimestamp(end, tz=UTC) + timedelta(seconds=1))
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        start_param = start_at.isoformat(" ", timespec="microseconds")
        # Map the whole file while scanning it: scoring may use up to 3 GB, an import may not,
        # so the connection default stays small (see app/extensions.py).
        conn.exec_driver_sql("PRAGMA mmap_size=2147483648")
    else:
        start_param = start_at
    try:
        ids, authors, moments, kinds, texts, parents, engagement, sentiment, origins = (
            _read_posts(conn, workspace_id, start_param, end_param)
        )
        if not len(ids):
            return data
        scan = _scan_hint(conn, len(ids))
        # All the workspace's topics, read along the (workspace_id, topic) index without a
        # join; those of posts outside the window are dropped by frame_from_columns.
        topics = _rows(
            conn,
            f"SELECT mention_id, topic FROM mention_topics{scan} WHERE workspace_id = ?",
            (workspace_id,),
        ).fetchall()
        topic_post, topic_name = _columns(topics, 2)
        del topics
        sources, targets, edge_kinds, edge_at, edge_posts = _read_edges(
            conn, workspace_id, start_param, end_param, scan
        )
        data.interactions = len(sources)
        platforms: dict[int, str] = {}
        for author_id, followers, platform, first_seen in _rows(
            conn, "SELECT id, followers, platform, first_seen_at FROM authors WHERE workspace_id = ?",
            (workspace_id,),
        ):  # fmt: skip
            data.followers[author_id] = followers
            platforms[author_id] = platform
            if first_seen is not None:
                data.first_seen[author_id] = first_seen
    finally:
        if sqlite:
            conn.exec_driver_sql("PRAGMA mmap_size=268435456")  # back to the connection default

    data.posts = len(ids)
    data.frame = frame = frame_from_columns(
        post_author=authors, post_id=ids, post_at=moments, post_kind=kinds, post_text=texts,
        post_domains=[link_domains(t) if "http" in t else () for t in texts], post_parent=parents,
        # topics numbered alphabetically, whatever order the rows came in
        topic_post=topic_post, topic_name=topic_name, topics=sorted(set(topic_name)),
        edge_source=sources, edge_target=targets, edge_kind=edge_kinds, edge_at=edge_at,
        edge_post=edge_posts, followers=data.followers, platforms=platforms,
        start=start, end=end, post_origin=origins,
    )  # fmt: skip
    # Per-author activity in the window, for the influencer list. The frame numbers authors
    # in the order of their ids, so the activity is keyed in that order too.
    n = frame.n
    posts_n = np.bincount(frame.p_author, minlength=n)
    engagement_sum = np.bincount(
        frame.p_author, weights=np.asarray(engagement, dtype=np.float64), minlength=n
    )
    values = np.array(sentiment, dtype=np.float64)  # None (not scored) becomes NaN
    scored = ~np.isnan(values)
    sentiment_sum = np.bincount(frame.p_author[scored], weights=values[scored], minlength=n)
    sentiment_n = np.bincount(frame.p_author[scored], minlength=n)
    posting = np.flatnonzero(posts_n)
    for i, posted, eng, s_sum, s_n in zip(
        posting.tolist(), posts_n[posting].tolist(), engagement_sum[posting].tolist(),
        sentiment_sum[posting].tolist(), sentiment_n[posting].tolist(), strict=True,
    ):  # fmt: skip
        data.activity[frame.keys[i]] = (posted, int(eng), round(s_sum / s_n, 3) if s_n else None)
    return data


def bot_overrides(workspace_id: int) -> dict[int, str]:
    """Return people's verdicts on suspicious accounts: author id -> ``not_bot`` / ``bot``."""
    return dict(
        db.session.execute(
            select(BotVerdict.author_id, BotVerdict.verdict).where(
                BotVerdict.workspace_id == workspace_id
            )
        ).all()
    )


def queue_scoring(workspace: Workspace, trigger: str = "manual") -> ScoreSnapshot:
    """Start a scoring run in the background, unless one is already waiting or running.

    A run whose job died without a trace is closed first (see job_records.close_stale).
    """
    from app.services import jobs

    pending = current_run(workspace)
    if pending is not None:
        return pending
    snapshot = ScoreSnapshot(workspace_id=workspace.id, trigger=trigger, status="queued")
    db.session.add(snapshot)
    db.session.commit()
    jobs.submit("app.services.scoring.run_snapshot", snapshot.id, record=snapshot)
    return snapshot


def run_snapshot(snapshot_id: int) -> None:
    """Background job: compute the queued snapshot; a failure is stored on it, not raised.

    Until a run is done, the workspace's pages show the previous finished snapshot.
    """
    snapshot = db.session.get(ScoreSnapshot, snapshot_id)
    if snapshot is None or snapshot.status not in ("queued", "running"):
        return
    workspace = db.session.get(Workspace, snapshot.workspace_id)
    try:
        compute(workspace, snapshot=snapshot)
    except ServiceError:
        pass  # its words are on the snapshot
    except Exception:  # the page says it failed; the trace goes to the log
        log.exception("scoring snapshot %s failed", snapshot_id)


def compute(
    workspace: Workspace,
    *,
    snapshot: ScoreSnapshot | None = None,
    trigger: str = "cli",
    window_days: float | None = None,
    progress: Progress | None = None,
    refresh_advocacy: bool = True,
) -> ScoreSnapshot:
    """Score the workspace now and store the snapshot; return it (status ``done``).

    ``refresh_advocacy`` queues the rebuild of the advocacy figures' daily aggregate in the
    background; a command passes ``False``, as a command waits for its background work before
    it exits (a minute and a half at a million mentions) and the figures are counted from the
    mentions meanwhile (``flask advocacy refresh`` rebuilds them)."""
    from graph import ScoringParams

    params = ScoringParams(window_days=window_days or workspace.score_window_days or 90)
    if snapshot is None:
        snapshot = ScoreSnapshot(workspace_id=workspace.id, trigger=trigger)
        db.session.add(snapshot)
    snapshot.status, snapshot.phase, snapshot.progress = "running", "loading", 0.0
    snapshot.params = params.to_dict()
    db.session.commit()

    def report(phase: str, fraction: float) -> None:
        snapshot.phase, snapshot.progress = phase, round(0.1 + 0.7 * fraction, 3)
        db.session.commit()
        if progress:
            progress(phase, snapshot.progress)

    record = ("scoring", snapshot.id)
    try:
        with bulk_work():
            done = _compute(workspace, snapshot, params, report)
    except BaseException as error:  # the snapshot says why, whoever runs it (a job, the CLI)
        db.session.rollback()
        if isinstance(error, ServiceError):
            message = str(error)
        elif isinstance(error, Exception):
            message = job_records.internal_error("scoring", type(error).__name__)
        else:  # Ctrl-C, or the process told to stop
            message = job_records.interrupted("scoring")
        job_records.fail(record, message)
        raise
    # the advocacy figures' daily aggregate follows the mentions and the new scores (alerts)
    from app.advocacy.services import daily

    daily.mark_stale(workspace)
    if refresh_advocacy:
        from app.services import jobs

        jobs.submit("app.advocacy.services.daily.refresh_job", workspace.id)
    return done


def _compute(workspace, snapshot, params, report) -> ScoreSnapshot:
    """Load the window, score it, write the snapshot: the body of :func:`compute`."""
    from graph import score_authors

    timings: dict[str, float] = {}
    clock = datetime.now(UTC)
    data = load_workspace(db.session.connection(), workspace.id, params.window_days)
    timings["load"] = round((datetime.now(UTC) - clock).total_seconds(), 3)
    if not data.posts:
        raise ServiceError(_("there are no mentions to score yet: import some first"))
    report("scoring", 0.0)
    result = score_authors(
        [], [], frame=data.frame, now=data.window[1], params=params,
        overrides=bot_overrides(workspace.id), progress=report, parallel=True,
    )  # fmt: skip
    data.frame = None  # the result keeps what it needs; free the columns before writing
    timings.update(result.timings)
    snapshot.phase, snapshot.progress = "writing", 0.85
    db.session.commit()
    clock = datetime.now(UTC)
    write_snapshot(db.session.connection(), workspace.id, snapshot.id, result, data)
    timings["write"] = round((datetime.now(UTC) - clock).total_seconds(), 3)
    statistics.refresh(db.session.connection(), ("author_scores", "author_topic_scores"))
    snapshot.window_start = datetime.fromtimestamp(data.window[0], tz=UTC)
    snapshot.window_end = datetime.fromtimestamp(data.window[1], tz=UTC)
    snapshot.counts = {
        "authors": len(result),
        "posts": data.posts,
        "interactions": data.interactions,
        "topics": len(result.topics),
        "communities": len(result.communities),
        "roles": {role: result.roles.count(role) for role in dict.fromkeys(result.roles)},
        "suspicious": int((result.bots.score >= params.bot_threshold).sum()),
    }
    snapshot.timings = timings
    snapshot.status, snapshot.phase, snapshot.progress = "done", None, 1.0
    snapshot.finished_at = utcnow()
    db.session.commit()
    return snapshot


def _notable(result) -> set[int]:
    """Authors whose full explanation is stored: everyone with a role, the top of each role,
    and every account with a bot score."""
    keep = {key for key, role in zip(result.keys, result.roles, strict=True) if role != "user"}
    for role in ("networker", "thought_leader", "trendsetter", "amplifier"):
        keep.update(result.top(role, DETAIL_TOP))
    scores = result.bots.score
    keep.update(result.keys[i] for i in (scores > 0).nonzero()[0].tolist())
    return keep


def write_snapshot(conn: Connection, workspace_id: int, snapshot_id: int, result, data) -> None:
    """Write every author's scores, the per-topic rankings and the communities, in bulk."""
    from graph.parallel import apart
    from graph.roles import explain_as_json

    notable = _notable(result)
    # Full reasons for the authors people look at; the long tail of one-post accounts is
    # explained on its page from the stored numbers (its scores are all low).
    explained = [key for key in result.keys if key in notable]
    # Explaining 17,000 notable authors takes a core for 1.5-2 s of pure Python, and the scores
    # can be written without them: a worker process explains them meanwhile (see
    # graph.parallel), and their rows get the texts after.
    explaining = apart(
        explain_as_json, result, explained, DETAIL_BATCH, parallel=len(explained) >= DETAIL_APART
    )
    try:
        _write_scores(conn, workspace_id, snapshot_id, result, data, explained, explaining)
    finally:
        explaining.close()
    # Explanations are for the newest snapshot; older ones keep the numbers for the history.
    # Only the previous finished snapshot still has them.
    previous = db.session.scalar(
        select(ScoreSnapshot.id)
        .where(
            ScoreSnapshot.workspace_id == workspace_id,
            ScoreSnapshot.id != snapshot_id,
            ScoreSnapshot.status == "done",
        )
        .order_by(ScoreSnapshot.id.desc())
        .limit(1)
    )
    if previous is not None:
        db.session.execute(
            update(AuthorScore)
            .where(AuthorScore.snapshot_id == previous, AuthorScore.detail.isnot(None))
            .values(detail=None)
        )


def _write_scores(conn, workspace_id, snapshot_id, result, data, explained, explaining) -> None:
    """Insert the snapshot's author rows, topic rankings and communities (see write_snapshot)."""
    import numpy as np

    keys = list(result.keys)
    n = len(keys)
    scores = [np.round(result.scores[role], 2).tolist() for role in SCORE_COLUMNS]
    best = np.max([result.scores[role] for role in SCORE_COLUMNS], axis=0).round(2)
    # the list's default order: role holders at their role's score, everyone else below them
    stacked = np.vstack([*(result.scores[role] for role in SCORE_COLUMNS), best - 100])
    column = {role: k for k, role in enumerate(SCORE_COLUMNS)}
    which = np.fromiter((column.get(r, len(SCORE_COLUMNS)) for r in result.roles), np.int64, n)
    standing = np.round(stacked[which, np.arange(n)], 2).tolist()
    best = best.tolist()
    # everyone they are in touch with, any kind of interaction, either way
    degree = result.context.get("contacts", result.values.get("partners"))
    degree = degree.astype(int).tolist() if degree is not None else [0] * n
    no_activity = (0, 0, None)
    activity = [data.activity.get(key, no_activity) for key in keys]
    posts, engagement, sentiment = zip(*activity, strict=True)
    details = {} if explaining.parallel else dict(zip(explained, explaining.result(), strict=True))
    # one column at a time, zipped into rows: no Python loop body per author
    rows = list(zip(
        [snapshot_id] * n, [workspace_id] * n, keys, result.roles, *scores, best, standing,
        np.round(result.bots.score, 3).tolist(), result.community.tolist(),
        map(data.followers.get, keys), posts, engagement, sentiment, degree,
        map(data.first_seen.get, keys), map(details.get, keys), strict=True,
    ))  # fmt: skip
    conn.exec_driver_sql(
        _sql(conn, "INSERT INTO author_scores (snapshot_id, workspace_id, author_id, role,"
                   " networker, thought_leader, trendsetter, amplifier, best_score, standing,"
                   " bot_score, community, followers, posts, engagement, sentiment, degree,"
                   " first_seen_at, detail) VALUES (" + ", ".join("?" * 19) + ")"),
        rows,
    )  # fmt: skip
    del rows
    topic_rows = []
    for topic in result.topics:
        # Thought leaders and trendsetters of the topic: either score makes the ranking.
        ranks = {rank.key: rank for rank in result.topic_ranking(topic, limit=None)}
        for rank in result.topic_ranking(topic, by="trendsetter", limit=None):
            ranks.setdefault(rank.key, rank)
        topic_rows.extend(
            (snapshot_id, workspace_id, rank.key, topic[:200], rank.thought_leader,
             rank.trendsetter, rank.posts)
            for rank in ranks.values()
        )  # fmt: skip
    if topic_rows:
        conn.exec_driver_sql(
            _sql(conn, "INSERT INTO author_topic_scores (snapshot_id, workspace_id, author_id,"
                       " topic, thought_leader, trendsetter, posts) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            topic_rows,
        )  # fmt: skip
    for community in result.communities:
        db.session.add(
            CommunitySummary(
                snapshot_id=snapshot_id, workspace_id=workspace_id, number=community.id,
                name=(community.label or f"Community {community.id}")[:300], size=community.size,
                top_topics=[[t, n] for t, n in community.top_topics],
                top_members=list(community.top_members),
            )
        )  # fmt: skip
    if explaining.parallel:  # the worker's texts, into the rows written without them
        texts = explaining.result()
        conn.exec_driver_sql(
            _sql(conn, "UPDATE author_scores SET detail = ?"
                       " WHERE snapshot_id = ? AND author_id = ?"),
            [(text, snapshot_id, key) for key, text in zip(explained, texts, strict=True)],
        )  # fmt: skip


def latest_snapshot(workspace: Workspace) -> ScoreSnapshot | None:
    """Return the newest finished snapshot of the workspace."""
    return db.session.scalar(
        select(ScoreSnapshot)
        .where(ScoreSnapshot.workspace_id == workspace.id, ScoreSnapshot.status == "done")
        .order_by(ScoreSnapshot.id.desc())
        .limit(1)
    )


def current_run(workspace: Workspace) -> ScoreSnapshot | None:
    """Return the scoring run under way (queued or running), if any."""
    job_records.close_stale("scoring", workspace.id)
    return db.session.scalar(
        select(ScoreSnapshot)
        .where(
            ScoreSnapshot.workspace_id == workspace.id,
            ScoreSnapshot.status.in_(("queued", "running")),
        )
        .order_by(ScoreSnapshot.id.desc())
        .limit(1)
    )


def snapshots(workspace: Workspace, limit: int = 50) -> list[ScoreSnapshot]:
    """Return the workspace's scoring runs, newest first."""
    job_records.close_stale("scoring", workspace.id)
    return list(
        db.session.scalars(
            select(ScoreSnapshot)
            .where(ScoreSnapshot.workspace_id == workspace.id)
            .order_by(ScoreSnapshot.id.desc())
            .limit(limit)
        )
    )


def set_bot_verdict(workspace: Workspace, author_id: int, verdict: str | None, user=None) -> None:
    """Record a person's verdict on an account (``not_bot``, ``bot``, or ``None`` to clear)."""
    if verdict not in ("not_bot", "bot", None):
        raise ServiceError(_("the verdict must be 'not_bot' or 'bot'"))
    db.session.execute(
        delete(BotVerdict).where(
            BotVerdict.workspace_id == workspace.id, BotVerdict.author_id == author_id
        )
    )
    if verdict is not None:
        db.session.add(
            BotVerdict(
                workspace_id=workspace.id, author_id=author_id, verdict=verdict,
                user_id=user.id if user is not None else None,
            )
        )  # fmt: skip
    db.session.commit()
    from app.advocacy.services import daily

    daily.invalidate(workspace)  # advocacy leaves confirmed bots out, and shows who is suspicious
