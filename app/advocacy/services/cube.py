"""The daily aggregate as columns in memory: any period's tallies in milliseconds.

A period's figures need each author's sums over the period; on a million-mention workspace
that is a million author-days to group, seconds for a database. So the rebuild of the
aggregate (:func:`app.advocacy.services.daily.refresh`) also stores it as columns
(:func:`build`, numpy arrays saved in ``advocacy_state.cube``): the author-days sorted by day,
the topic-author-days sorted by topic then day, and per author their platform, followers,
best role score in the latest scoring run and whether they look suspicious. A process loads
them once per rebuild (:func:`cube_for`, ~0.1 s for a million mentions) and keeps them; a
period is then two binary searches and a ``bincount`` per sentiment.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import select

from app.advocacy.models import AdvocacyState
from app.extensions import db
from app.models import AuthorScore, BotVerdict, Workspace

KEPT = 4  # workspaces whose columns a process keeps
_cache: OrderedDict[tuple, Cube] = OrderedDict()
_lock = threading.Lock()


@dataclass
class Cube:
    """A workspace's aggregate as columns; ``a`` are indexes into ``authors``."""

    authors: np.ndarray  # author ids, ascending
    platform: np.ndarray  # per author: index into ``platforms``
    platforms: list[str]
    followers: np.ndarray  # per author (-1: unknown)
    best: np.ndarray  # per author: best role score (nan: not scored)
    suspicious: np.ndarray  # per author (bool)
    bots: np.ndarray  # per author: confirmed a bot by a person (left out of every figure)
    day: np.ndarray  # author-days, by day: the day's ordinal
    a: np.ndarray
    counts: list  # three columns of the rows: positive, neutral, negative
    topics: list[str]
    topic_start: np.ndarray  # rows of topic i: topic_start[i]:topic_start[i + 1]
    t_day: np.ndarray
    t_a: np.ndarray
    t_counts: list
    memo: dict = field(default_factory=dict)  # tallies already worked out, by scope
    derived: dict = field(default_factory=dict)  # worked out once for any period (per day)
    # every mention per local day (any sentiment, any author): ``m_day`` ordinals ascending,
    # ``m_count`` their mentions; ``None`` in columns saved before they were kept
    m_day: np.ndarray = None
    m_count: np.ndarray = None
    weight: np.ndarray = None  # per author: reach weight, followers (1 when unknown)

    def __post_init__(self) -> None:
        if self.weight is None:
            self.weight = np.where(self.followers < 0, 1, self.followers)

    def mentions_per_day(self, first: date, last: date) -> dict[date, int] | None:
        """Return every mention per local day from ``first`` to ``last`` (days without any
        left out), or ``None`` when these columns were saved without them."""
        if self.m_day is None:
            return None
        lo = int(np.searchsorted(self.m_day, first.toordinal(), "left"))
        hi = int(np.searchsorted(self.m_day, last.toordinal(), "right"))
        return {date.fromordinal(int(d)): int(n)
                for d, n in zip(self.m_day[lo:hi], self.m_count[lo:hi], strict=True)}  # fmt: skip

    def days(self, first: date, last: date) -> slice:
        """Return the rows of the days ``first`` to ``last``."""
        lo = np.searchsorted(self.day, first.toordinal(), "left")
        hi = np.searchsorted(self.day, last.toordinal(), "right")
        return slice(int(lo), int(hi))

    def topic_days(self, topic: str, first: date, last: date) -> slice:
        """Return the topic rows of ``topic`` on the days ``first`` to ``last``."""
        try:
            index = self.topics.index(topic)
        except ValueError:
            return slice(0, 0)
        start, stop = int(self.topic_start[index]), int(self.topic_start[index + 1])
        days = self.t_day[start:stop]
        lo = start + int(np.searchsorted(days, first.toordinal(), "left"))
        hi = start + int(np.searchsorted(days, last.toordinal(), "right"))
        return slice(lo, hi)


def _ordinal_sql(dialect: str) -> str:
    if dialect == "sqlite":
        return "CAST(julianday(day) - 1721424.5 AS INTEGER)"
    return "(day - DATE '0001-01-01') + 1"


def _fetch(sql: str, workspace_id: int) -> list[tuple]:
    """Run ``sql`` whose one parameter (``:w``) is the workspace id; return its rows as plain
    tuples, from the driver's own cursor (numpy spends seconds probing SQLAlchemy's rows)."""
    raw = db.session.connection().connection.driver_connection
    cursor = raw.cursor()
    try:
        if db.session.get_bind().dialect.name == "sqlite":
            cursor.execute(sql.replace(":w", "?"), (workspace_id,))
        else:
            cursor.execute(sql.replace(":w", "%(w)s"), {"w": workspace_id})
        return cursor.fetchall()
    finally:
        cursor.close()


def _rows(sql: str, workspace_id: int, columns: int) -> np.ndarray:
    rows = _fetch(sql, workspace_id)
    if not rows:
        return np.zeros((0, columns), np.int64)
    return np.array(rows, dtype=np.int64).reshape(-1, columns)


def build(workspace: Workspace, upto: int | None = None) -> tuple[bytes, dict]:
    """Return the workspace's aggregate (as just rebuilt) as columns: the saved arrays and
    the names they index (platforms, topics)."""
    ordinal = _ordinal_sql(db.session.get_bind().dialect.name)
    days = _rows(
        f"SELECT author_id, {ordinal}, positive, neutral, negative FROM advocacy_days "
        "WHERE workspace_id = :w ORDER BY day, author_id", workspace.id, 5,
    )  # fmt: skip
    profile = _fetch(
        "SELECT author_id, max(platform), max(followers) FROM advocacy_days "
        "WHERE workspace_id = :w GROUP BY author_id ORDER BY author_id", workspace.id,
    )  # fmt: skip
    authors = np.array([r[0] for r in profile], dtype=np.int64)
    platforms = sorted({r[1] for r in profile})
    code = {name: i for i, name in enumerate(platforms)}
    platform = np.array([code[r[1]] for r in profile], dtype=np.int16)
    followers = np.array([-1 if r[2] is None else r[2] for r in profile], dtype=np.int64)
    topic_rows = _fetch(
        f"SELECT topic, author_id, {ordinal}, positive, neutral, negative FROM advocacy_topic_days "
        "WHERE workspace_id = :w ORDER BY topic, day, author_id", workspace.id,
    )  # fmt: skip
    topics = sorted({r[0] for r in topic_rows})
    topic_code = {name: i for i, name in enumerate(topics)}
    t = (np.array([(topic_code[r[0]], *r[1:]) for r in topic_rows], dtype=np.int64).reshape(-1, 6)
         if topic_rows else np.zeros((0, 6), np.int64))  # fmt: skip
    t = t[np.lexsort((t[:, 1], t[:, 2], t[:, 0]))]  # by topic, day (the database's collation
    # may order topics otherwise than Python)
    topic_start = np.searchsorted(t[:, 0], np.arange(len(topics) + 1), "left")
    best, suspicious = _scores(workspace, authors)
    confirmed = db.session.scalars(select(BotVerdict.author_id).where(
        BotVerdict.workspace_id == workspace.id, BotVerdict.verdict == "bot"))  # fmt: skip
    bots = np.isin(authors, np.array(list(confirmed), dtype=np.int64))
    arrays = {
        "authors": authors, "platform": platform, "followers": followers, "best": best,
        "suspicious": suspicious, "bots": bots,
        "day": days[:, 1].astype(np.int32),
        "a": np.searchsorted(authors, days[:, 0]).astype(np.int32),
        "counts": days[:, 2:5].T.astype(np.int32),
        "topic_start": topic_start.astype(np.int64),
        "t_day": t[:, 2].astype(np.int32),
        "t_a": np.searchsorted(authors, t[:, 1]).astype(np.int32),
        "t_counts": t[:, 3:6].T.astype(np.int32),
    }  # fmt: skip
    from zoneinfo import ZoneInfo

    from app.advocacy.services.daily import mentions_per_day

    per_day = sorted(mentions_per_day(workspace, ZoneInfo(workspace.timezone or "UTC"),
                                      upto=upto).items())  # fmt: skip
    arrays["m_day"] = np.array([d.toordinal() for d, _ in per_day], dtype=np.int32)
    arrays["m_count"] = np.array([n for _, n in per_day], dtype=np.int64)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue(), {"platforms": platforms, "topics": topics}


def _scores(workspace: Workspace, authors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each author's best role score (nan: unscored) and suspicion, as of the latest
    scoring run and people's verdicts."""
    from app.services import scoring
    from app.services.influencers import bot_threshold

    best = np.full(len(authors), np.nan)
    suspicious = np.zeros(len(authors), dtype=bool)
    snapshot = scoring.latest_snapshot(workspace)
    if snapshot is None or not len(authors):
        return best, suspicious
    cleared = set(db.session.scalars(select(BotVerdict.author_id).where(
        BotVerdict.workspace_id == workspace.id, BotVerdict.verdict == "not_bot")))  # fmt: skip
    threshold = bot_threshold(snapshot)
    rows = db.session.execute(
        select(AuthorScore.author_id, AuthorScore.best_score, AuthorScore.bot_score).where(
            AuthorScore.snapshot_id == snapshot.id
        )
    ).all()
    if rows:
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        at = np.searchsorted(authors, ids)
        found = (at < len(authors)) & (authors[np.minimum(at, len(authors) - 1)] == ids)
        best[at[found]] = np.array([r[1] for r in rows], dtype=float)[found]
        flagged = np.array([(r[2] or 0) >= threshold and r[0] not in cleared for r in rows])
        suspicious[at[found]] = flagged[found]
    return best, suspicious


def load(data: bytes, meta: dict) -> Cube:
    """Return the columns saved by :func:`build`."""
    arrays = np.load(io.BytesIO(data))
    # each column contiguous: a strided one made every period's tallies 5x slower
    columns = {name: np.ascontiguousarray(arrays[name]) for name in arrays.files}
    # as floats: bincount weighs with float64 and would convert them for every period
    columns["counts"] = [np.ascontiguousarray(c, dtype=np.float64) for c in columns["counts"]]
    columns["t_counts"] = [np.ascontiguousarray(c, dtype=np.float64) for c in columns["t_counts"]]
    return Cube(platforms=list(meta["platforms"]), topics=list(meta["topics"]), **columns)


def cube_for(workspace: Workspace) -> Cube | None:
    """Return the workspace's columns as of its latest rebuild (kept by this process)."""
    state = db.session.get(AdvocacyState, workspace.id)
    if state is None or state.built_at is None:
        return None
    key = (workspace.id, state.built_at.isoformat(), state.timezone)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    data = db.session.scalar(
        select(AdvocacyState.cube).where(AdvocacyState.workspace_id == workspace.id)
    )
    if data is None:
        return None
    cube = load(data, state.cube_meta or {"platforms": [], "topics": []})
    with _lock:
        for old in [k for k in _cache if k[0] == workspace.id]:
            del _cache[old]
        _cache[key] = cube
        while len(_cache) > KEPT:
            _cache.popitem(last=False)
    return cube
