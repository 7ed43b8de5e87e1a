"""Advocacy figures: promoters and detractors, advocacy score, net sentiment, their series,
each author's trajectory, advocates to recruit, detractors to win back and share of voice.

Every figure comes from one function here, over a :class:`Scope` (a period of local days in a
time zone, optionally one platform or one topic). The definitions, for a period:

- An author's **tally** counts their mentions with a known sentiment (positive, neutral or
  negative; posts, replies, quotes and reposts alike). The sentiment is the mention's own,
  which a person's correction overrides (see :mod:`app.sentiment.services`). Authors people
  confirmed as bots (``bot_verdicts.verdict = 'bot'``) are left out of every figure.
- ``net = (positive - negative) / counted``: a **promoter** when ``net >= 0.5``, a
  **detractor** when ``net <= -0.5``, otherwise a **passive** (compared in whole numbers:
  ``2 (positive - negative) >= counted``, so no rounding decides a class).
- **Advocacy score** ``= 100 x (promoters - detractors) / (promoters + passives +
  detractors)``, rounded half away from zero to one decimal; **reach-weighted**, each author
  counts with their followers (1 when unknown). ``None`` when nobody is counted.
- **Net sentiment** ``= (positive - negative) / mentions with known sentiment``, to 4
  decimals; ``None`` when there are none.

Tallies are read from the daily pre-aggregate when it holds for the scope's time zone
(:func:`app.advocacy.services.daily.fresh`), else computed from the mentions: the same numbers
either way (a test holds them equal).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
from sqlalchemy import and_, case, false, func, select
from sqlalchemy.sql import ColumnElement

from app.advocacy.models import AdvocacyDay, AdvocacyTopicDay, AdvocacyVoiceDay
from app.advocacy.services import daily
from app.advocacy.services.periods import Period, bucket_of, next_bucket
from app.extensions import db
from app.ingest.record import normalize_topic
from app.models import Author, AuthorScore, BotVerdict, Mention, MentionTopic, Workspace
from app.services.errors import FieldError

CLASSES = ("promoter", "passive", "detractor")
POSTS_PER_AUTHOR = 3  # posts shown with each advocate or detractor


# ---------------------------------------------------------------- the formulas (pure)


def classify(positive: int, negative: int, counted: int) -> str | None:
    """Return ``promoter``, ``passive`` or ``detractor`` for a tally (``None`` if empty).

    >>> classify(2, 0, 4), classify(1, 1, 3), classify(1, 3, 4), classify(0, 0, 0)
    ('promoter', 'passive', 'detractor', None)
    """
    if counted <= 0:
        return None
    if 2 * (positive - negative) >= counted:
        return "promoter"
    if 2 * (positive - negative) <= -counted:
        return "detractor"
    return "passive"


def _one_decimal(value: Fraction) -> float:
    rounded = Decimal(value.numerator) / Decimal(value.denominator)
    return float(rounded.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def advocacy_score(promoters: float, passives: float, detractors: float) -> float | None:
    """Return ``100 x (P - D) / (P + passives + D)`` to one decimal (``None`` when all are 0).

    >>> advocacy_score(3, 1, 1), advocacy_score(1, 14, 1), advocacy_score(1, 15, 0)
    (40.0, 0.0, 6.3)
    >>> advocacy_score(0, 0, 0) is None
    True
    """
    total = Fraction(promoters) + Fraction(passives) + Fraction(detractors)
    if total == 0:
        return None
    return _one_decimal(100 * (Fraction(promoters) - Fraction(detractors)) / total)


def net_sentiment(positive: int, negative: int, known: int) -> float | None:
    """Return ``(positive - negative) / known`` to 4 decimals (``None`` when ``known`` is 0).

    >>> net_sentiment(3, 1, 5), net_sentiment(0, 0, 0)
    (0.4, None)
    """
    if not known:
        return None
    return round((positive - negative) / known, 4)


# ---------------------------------------------------------------- scope and tallies


@dataclass(frozen=True)
class Scope:
    """What a figure covers: a period, and optionally one platform or one topic."""

    period: Period
    platform: str = ""
    topic: str = ""
    # whether the tallies come from the daily aggregate: decided once per answer by
    # :func:`prepared` (None: decided by each query)
    use_aggregate: bool | None = None
    cube: object = field(default=None, compare=False, repr=False)  # the columns, once loaded

    def within(self, first: date, last: date) -> Scope:
        """Return the same scope over the days ``first`` to ``last`` of its period."""
        return replace(self, period=Period(max(first, self.period.first),
                                           min(last, self.period.last), self.period.timezone))  # fmt: skip

    def as_json(self) -> dict:
        return self.period.as_json() | {"platform": self.platform or None,
                                         "topic": self.topic or None}  # fmt: skip


def resolve_topic(workspace: Workspace, text: str) -> str:
    """Return the topic a person means: the text as typed (lower-cased) when it is a topic of
    the workspace, else its hashtag form ("acme" finds the brand term, else "#acme")."""
    exact, tag = text.strip().lower(), normalize_topic(text)
    if exact == tag:
        return exact
    found = db.session.scalar(
        select(MentionTopic.topic)
        .where(MentionTopic.workspace_id == workspace.id, MentionTopic.topic == exact)
        .limit(1)
    )
    return exact if found is not None else tag


def confirmed_bots(workspace: Workspace):
    """Return a subquery of the authors people confirmed as bots (left out of every figure)."""
    return select(BotVerdict.author_id).where(
        BotVerdict.workspace_id == workspace.id, BotVerdict.verdict == "bot"
    )


def uses_aggregate(workspace: Workspace, scope: Scope) -> bool:
    """Say whether the scope's tallies can be read from the daily pre-aggregate."""
    if scope.use_aggregate is not None:
        return scope.use_aggregate
    return daily.fresh(workspace, scope.period.timezone)


def prepared(workspace: Workspace, scope: Scope, *, allow_stale: bool = False) -> Scope:
    """Return the scope with the choice of source made once, for the many queries of one
    answer (a series asks once per week). ``allow_stale`` reads an aggregate that is being
    rebuilt (the page says so) rather than the mentions (seconds on a million of them)."""
    if scope.use_aggregate is not None:
        return scope
    use = daily.fresh(workspace, scope.period.timezone)
    if not use and allow_stale:
        use = daily.usable(workspace, scope.period.timezone)
    cube = None
    if use:
        from app.advocacy.services.cube import cube_for

        cube = cube_for(workspace)
        use = cube is not None
    return replace(scope, use_aggregate=use, cube=cube)


def _cube(workspace: Workspace, scope: Scope):
    """Return the aggregate's columns when the scope may read them, else ``None``."""
    if not uses_aggregate(workspace, scope):
        return None
    if scope.cube is not None:
        return scope.cube
    from app.advocacy.services.cube import cube_for

    return cube_for(workspace)


def platforms(workspace: Workspace, scope: Scope) -> list[str]:
    """Return the platforms the workspace's figures can be filtered by."""
    cube = _cube(workspace, prepared(workspace, scope, allow_stale=True))
    if cube is not None:
        return list(cube.platforms)
    from app.services.mentions import platforms_of

    return platforms_of(workspace)


@dataclass
class Tally:
    """The counted authors of a scope (indexes into the cube's authors) and their sums;
    ``cls`` is each one's class: 1 promoter, 0 passive, -1 detractor."""

    idx: np.ndarray
    positive: np.ndarray
    neutral: np.ndarray
    negative: np.ndarray
    cls: np.ndarray = None  # worked out from the sums when not given

    def __post_init__(self) -> None:
        self.counted = self.positive + self.neutral + self.negative
        if self.cls is None:
            lead, counted = 2 * (self.positive - self.negative), self.counted
            self.cls = (lead >= counted).astype(np.int8) - (lead <= -counted).astype(np.int8)

    def of_class(self, name: str) -> np.ndarray:
        """Return a mask of the authors of class ``name`` (compared in whole numbers)."""
        return self.cls == {"promoter": 1, "passive": 0, "detractor": -1}[name]

    def take(self, mask: np.ndarray) -> Tally:
        return Tally(self.idx[mask], self.positive[mask], self.neutral[mask],
                     self.negative[mask], self.cls[mask])  # fmt: skip


def fast_tally(workspace: Workspace, scope: Scope, cube) -> Tally:
    """Return the scope's tallies from the aggregate's columns (see :func:`tallies`)."""
    first, last = scope.period.first, scope.period.last
    key = (first, last, scope.platform.lower(), scope.topic)
    if key in cube.memo:
        return cube.memo[key]
    if len(cube.memo) > 256:
        cube.memo.clear()
    if scope.topic:
        rows = cube.topic_days(resolve_topic(workspace, scope.topic), first, last)
        a, counts = cube.t_a[rows], [column[rows] for column in cube.t_counts]
    else:
        rows = cube.days(first, last)
        a, counts = cube.a[rows], [column[rows] for column in cube.counts]
    n = len(cube.authors)
    sums = np.stack([np.bincount(a, weights=c, minlength=n) for c in counts])
    # bots and other platforms are authors: their sums are dropped, rows are never filtered
    left_out = cube.bots
    if scope.platform:
        name = scope.platform.lower()
        code = cube.platforms.index(name) if name in cube.platforms else -1
        left_out = left_out | (cube.platform != code)
    sums[:, left_out] = 0
    idx = np.flatnonzero(sums[0] + sums[1] + sums[2])
    sums = sums[:, idx].astype(np.int64)
    cube.memo[key] = Tally(idx, sums[0], sums[1], sums[2])
    return cube.memo[key]


def _fast_figures(tally: Tally, cube, group: np.ndarray | None = None) -> dict:
    """Return :func:`_figures` of a tally (of the authors in ``group``, a mask, if given)."""
    if group is not None:
        tally = tally.take(group)
    weight = cube.weight[tally.idx]
    codes = tally.cls + 1  # 0 detractor, 1 passive, 2 promoter
    heads = np.bincount(codes, minlength=3)
    reach = np.bincount(codes, weights=weight, minlength=3)
    row = {"positive": int(tally.positive.sum()), "neutral": int(tally.neutral.sum()),
           "negative": int(tally.negative.sum())}  # fmt: skip
    for code, label in ((2, "promoters"), (1, "passives"), (0, "detractors")):
        row[label], row[f"{label}_reach"] = int(heads[code]), int(round(reach[code]))
    return _figures(SimpleNamespace(**row))


def tallies(workspace: Workspace, scope: Scope, author_id: int | None = None):
    """Return a subquery of each counted author's tally over the scope: ``author_id``,
    ``platform``, ``followers``, ``positive``, ``neutral``, ``negative``, ``counted``."""
    bots = confirmed_bots(workspace)
    topic = resolve_topic(workspace, scope.topic) if scope.topic else ""
    if uses_aggregate(workspace, scope):
        table = AdvocacyTopicDay if topic else AdvocacyDay
        where = [table.workspace_id == workspace.id, table.day >= scope.period.first,
                 table.day <= scope.period.last, table.author_id.not_in(bots)]  # fmt: skip
        if topic:
            where.append(table.topic == topic)
        if scope.platform:
            where.append(table.platform == scope.platform.lower())
        if author_id is not None:
            where.append(table.author_id == author_id)
        positive, neutral, negative = (func.sum(table.positive), func.sum(table.neutral),
                                       func.sum(table.negative))  # fmt: skip
        query = select(
            table.author_id.label("author_id"), func.max(table.platform).label("platform"),
            func.max(table.followers).label("followers"), positive.label("positive"),
            neutral.label("neutral"), negative.label("negative"),
            (positive + neutral + negative).label("counted"),
        ).where(*where).group_by(table.author_id)  # fmt: skip
        return query.subquery("tally")
    start, end = scope.period.bounds()
    where = [Mention.workspace_id == workspace.id, Mention.created_at >= start,
             Mention.created_at < end, Mention.sentiment.in_(daily.KNOWN),
             Mention.author_id.not_in(bots)]  # fmt: skip
    if scope.platform:
        where.append(Mention.platform == scope.platform.lower())
    if topic:
        where.append(Mention.id.in_(select(MentionTopic.mention_id).where(
            MentionTopic.workspace_id == workspace.id, MentionTopic.topic == topic)))  # fmt: skip
    if author_id is not None:
        where.append(Mention.author_id == author_id)
    positive, neutral, negative = daily.tallies(Mention.sentiment)
    query = (
        select(
            Mention.author_id.label("author_id"), func.max(Author.platform).label("platform"),
            func.max(Author.followers).label("followers"), positive.label("positive"),
            neutral.label("neutral"), negative.label("negative"),
            func.count().label("counted"),
        )
        .join(Author, Author.id == Mention.author_id)
        .where(*where)
        .group_by(Mention.author_id)
    )  # fmt: skip
    return query.subquery("tally")


def class_condition(tally, name: str) -> ColumnElement[bool]:
    """Return the SQL condition that a tally row is of class ``name``."""
    lead = 2 * (tally.c.positive - tally.c.negative)
    if name == "promoter":
        return lead >= tally.c.counted
    if name == "detractor":
        return lead <= -tally.c.counted
    if name == "passive":
        return and_(lead < tally.c.counted, lead > -tally.c.counted)
    raise FieldError("class", "class must be one of promoter, passive, detractor")


# ---------------------------------------------------------------- summary and series


def _figures(row) -> dict:
    promoters, passives, detractors = (int(row.promoters or 0), int(row.passives or 0),
                                       int(row.detractors or 0))  # fmt: skip
    positive, neutral, negative = (int(row.positive or 0), int(row.neutral or 0),
                                   int(row.negative or 0))  # fmt: skip
    return {
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "score": advocacy_score(promoters, passives, detractors),
        "score_reach_weighted": advocacy_score(
            int(row.promoters_reach or 0),
            int(row.passives_reach or 0),
            int(row.detractors_reach or 0),
        ),  # fmt: skip
        "net_sentiment": net_sentiment(positive, negative, positive + neutral + negative),
        "positive": positive,
        "neutral": neutral,
        "negative": negative,
    }


def _summary_columns(tally) -> list:
    weight = func.coalesce(tally.c.followers, 1)
    columns = []
    for name, label in (("promoter", "promoters"), ("passive", "passives"),
                        ("detractor", "detractors")):  # fmt: skip
        condition = class_condition(tally, name)
        columns.append(func.sum(case((condition, 1), else_=0)).label(label))
        columns.append(func.sum(case((condition, weight), else_=0)).label(f"{label}_reach"))
    columns += [func.sum(tally.c.positive).label("positive"),
                func.sum(tally.c.neutral).label("neutral"),
                func.sum(tally.c.negative).label("negative")]  # fmt: skip
    return columns


def summary(workspace: Workspace, scope: Scope) -> dict:
    """Return the scope's ``promoters``, ``passives``, ``detractors``, ``score``,
    ``score_reach_weighted`` and ``net_sentiment`` (with the ``positive``, ``neutral`` and
    ``negative`` mentions behind it)."""
    cube = _cube(workspace, scope)
    if cube is not None:
        return _fast_figures(fast_tally(workspace, scope, cube), cube)
    tally = tallies(workspace, scope)
    return _figures(db.session.execute(select(*_summary_columns(tally))).one())


def series(workspace: Workspace, scope: Scope, grain: str) -> list[dict]:
    """Return the summary of each week (from Monday) or month the period touches, each over
    the days of it inside the period: ``start`` (its first day), ``days`` and the figures."""
    scope, found = prepared(workspace, scope), []
    parts = [scope.within(start, next_bucket(start, grain) - timedelta(days=1))
             for start in scope.period.buckets(grain)]  # fmt: skip
    cube = _cube(workspace, scope)
    if cube is not None:
        figures_of = _parts_figures(workspace, scope, parts, cube)  # remembered: not changed
        return [{"start": bucket_of(part.period.first, grain).isoformat(),
                 "days": part.period.days} | figures
                for part, figures in zip(parts, figures_of, strict=True)]  # fmt: skip
    for part in parts:
        start = bucket_of(part.period.first, grain)
        found.append({"start": start.isoformat(), "days": part.period.days}
                     | summary(workspace, part))  # fmt: skip
    return found


def days_series(workspace: Workspace, scope: Scope) -> list[dict]:
    """Return each local day of the scope's period: ``day``, ``mentions`` (every mention that
    day, whatever its sentiment or author, as the mentions list counts it) and the day's
    figures (:func:`summary` over that day alone). Read from the daily aggregate when it
    holds (a stale one while it is rebuilt, see :func:`prepared`), else from the mentions.
    The scope's platform and topic narrow the figures, not ``mentions``."""
    scope = prepared(workspace, scope, allow_stale=True)
    first, last = scope.period.first, scope.period.last
    parts = [scope.within(first + timedelta(days=i), first + timedelta(days=i))
             for i in range(scope.period.days)]  # fmt: skip
    cube = _cube(workspace, scope)
    counts = None
    if cube is not None:
        figures_of = _day_figures(workspace, scope, cube)
        counts = cube.mentions_per_day(first, last)
        if counts is None and not cube.derived.get("rebuild asked"):
            # saved before the columns kept every mention per day: rebuild them (once)
            cube.derived["rebuild asked"] = True
            daily.rebuild_soon(workspace)
    else:
        figures_of = [summary(workspace, part) for part in parts]
    if counts is None:
        counts = daily.mentions_per_day(workspace, scope.period.zone, *scope.period.bounds())
    return [{"day": part.period.first.isoformat(), "mentions": counts.get(part.period.first, 0)}
            | figures for part, figures in zip(parts, figures_of, strict=True)]  # fmt: skip


def _day_figures(workspace: Workspace, scope: Scope, cube) -> list[dict]:
    """Return the figures of each day of the scope's period, from the aggregate's columns.

    A row of the columns is one author's day (per topic, one topic's author-day), so a day's
    figures need no grouping by author: each row is classified as it is, and the classes,
    reach and sentiments are summed per day. Those per-day sums hold for any period, so they
    are worked out once per loaded aggregate (and topic); a period then reads its days from
    them. A platform filter sums that platform's rows of the period instead."""
    first, last = scope.period.first, scope.period.last
    key = ("days", first, last, scope.platform.lower(), scope.topic)
    if key in cube.memo:
        return cube.memo[key]
    topic = resolve_topic(workspace, scope.topic) if scope.topic else None
    if scope.platform:
        name = scope.platform.lower()
        code = cube.platforms.index(name) if name in cube.platforms else -1
        rows = cube.topic_days(topic, first, last) if topic else cube.days(first, last)
        ords, heads, reach, sums = _per_day(cube, topic, rows, cube.bots | (cube.platform != code))
    else:
        derived = ("days", topic)
        if derived not in cube.derived:
            everything = (cube.topic_days(topic, date.min, date.max) if topic
                          else slice(0, len(cube.day)))  # fmt: skip
            cube.derived[derived] = _per_day(cube, topic, everything, cube.bots)
        ords, heads, reach, sums = cube.derived[derived]
    n, origin = scope.period.days, first.toordinal()
    lo = int(np.searchsorted(ords, origin, "left"))
    hi = int(np.searchsorted(ords, last.toordinal(), "right"))
    at = (ords[lo:hi] - origin).astype(np.intp)
    table = np.zeros((n, 9))
    table[at, 0:3], table[at, 3:6], table[at, 6:9] = heads[lo:hi], reach[lo:hi], sums[lo:hi]
    found = []
    for day in table.tolist():
        row = {"detractors": day[0], "passives": day[1], "promoters": day[2],
               "detractors_reach": round(day[3]), "passives_reach": round(day[4]),
               "promoters_reach": round(day[5]), "positive": day[6], "neutral": day[7],
               "negative": day[8]}  # fmt: skip
        found.append(_figures(SimpleNamespace(**row)))
    cube.memo[key] = found
    return found


def _per_day(cube, topic: str | None, rows: slice, left_out: np.ndarray):
    """Sum the rows (one slice, sorted by day) per day, without the authors ``left_out``:
    return the days' ordinals, and per day the authors of each class (detractor, passive,
    promoter), their reach, and the positive, neutral and negative mentions."""
    prefix = "t_" if topic else ""
    days, a = getattr(cube, prefix + "day")[rows], getattr(cube, prefix + "a")[rows]
    counts = [c[rows] for c in getattr(cube, prefix + "counts")]
    kept = ~left_out[a]
    days, a, counts = days[kept], a[kept], [c[kept] for c in counts]
    if not len(days):
        return np.zeros(0, np.int64), np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3))
    positive, neutral, negative = counts
    lead, counted = 2 * (positive - negative), positive + neutral + negative
    codes = (lead >= counted).astype(np.int64) - (lead <= -counted).astype(np.int64) + 1
    ords, starts = np.unique(days, return_index=True)
    index = np.repeat(np.arange(len(ords)), np.diff(np.append(starts, len(days))))
    cells, size = index * 3 + codes, 3 * len(ords)
    heads = np.bincount(cells, minlength=size).reshape(-1, 3).astype(np.float64)
    reach = np.bincount(cells, weights=cube.weight[a], minlength=size).reshape(-1, 3)
    sums = np.stack([np.add.reduceat(c, starts) for c in counts], axis=1)
    return ords.astype(np.int64), heads, reach, sums


def _parts_figures(workspace: Workspace, scope: Scope, parts: list[Scope], cube) -> list[dict]:
    """Return the figures of consecutive parts of the scope's period (its weeks or months):
    each part's rows are one slice of the columns (they are sorted by day), counted with two
    ``bincount``s, of ``positive - negative`` and of all known, which decide the classes."""
    n, first, last = len(cube.authors), scope.period.first, scope.period.last
    key = ("parts", tuple(p.period.first for p in parts), last, scope.platform.lower(), scope.topic)
    if key in cube.memo:
        return cube.memo[key]
    if scope.topic:
        rows = cube.topic_days(resolve_topic(workspace, scope.topic), first, last)
        days, a, counts = cube.t_day[rows], cube.t_a[rows], [c[rows] for c in cube.t_counts]
    else:
        rows = cube.days(first, last)
        days, a, counts = cube.day[rows], cube.a[rows], [c[rows] for c in cube.counts]
    left_out = cube.bots
    if scope.platform:
        name = scope.platform.lower()
        code = cube.platforms.index(name) if name in cube.platforms else -1
        left_out = left_out | (cube.platform != code)
    bounds = [p.period.first.toordinal() for p in parts] + [last.toordinal() + 1]
    offsets = np.searchsorted(days, bounds, "left")
    found = []
    for i in range(len(parts)):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        part_a = a[lo:hi]
        positive, neutral, negative = (c[lo:hi] for c in counts)
        lead = np.bincount(part_a, weights=positive - negative, minlength=n)
        counted = np.bincount(part_a, weights=positive + neutral + negative, minlength=n)
        counted[left_out] = 0
        idx = np.flatnonzero(counted)
        lead, counted = 2 * lead[idx], counted[idx]
        codes = (lead >= counted).astype(np.int8) - (lead <= -counted).astype(np.int8) + 1
        heads = np.bincount(codes, minlength=3)
        reach = np.bincount(codes, weights=cube.weight[idx], minlength=3)
        kept = ~left_out[part_a] if left_out.any() else slice(None)
        row = {"positive": int(positive[kept].sum()), "neutral": int(neutral[kept].sum()),
               "negative": int(negative[kept].sum())}  # fmt: skip
        for code, label in ((2, "promoters"), (1, "passives"), (0, "detractors")):
            row[label], row[f"{label}_reach"] = int(heads[code]), int(round(reach[code]))
        found.append(_figures(SimpleNamespace(**row)))
    cube.memo[key] = found
    return found


def by_platform(workspace: Workspace, scope: Scope) -> list[dict]:
    """Return the summary per platform over the scope, the platform with most authors first."""
    cube = _cube(workspace, scope)
    if cube is not None:
        counted = fast_tally(workspace, scope, cube)
        codes = cube.platform[counted.idx]
        found = [{"platform": cube.platforms[code]} | _fast_figures(counted, cube, codes == code)
                 for code in np.unique(codes)]  # fmt: skip
    else:
        tally = tallies(workspace, scope)
        rows = db.session.execute(
            select(tally.c.platform, *_summary_columns(tally)).group_by(tally.c.platform)
        ).all()
        found = [{"platform": row.platform} | _figures(row) for row in rows]
    return sorted(found, key=lambda f: (-(f["promoters"] + f["passives"] + f["detractors"]),
                                        f["platform"]))  # fmt: skip


def top_topics(workspace: Workspace, scope: Scope, limit: int = 10) -> list[str]:
    """Return the topics with most mentions of known sentiment over the scope."""
    start, end = scope.period.bounds()
    cube = _cube(workspace, scope)
    if cube is not None:
        first, last = scope.period.first.toordinal(), scope.period.last.toordinal()
        keep = (cube.t_day >= first) & (cube.t_day <= last)
        if scope.platform:
            name = scope.platform.lower()
            code = cube.platforms.index(name) if name in cube.platforms else -1
            keep &= cube.platform[cube.t_a] == code
        codes = np.repeat(np.arange(len(cube.topics)), np.diff(cube.topic_start))
        counts = np.bincount(codes[keep], weights=(cube.t_counts[0] + cube.t_counts[1] + cube.t_counts[2])[keep],
                             minlength=len(cube.topics))  # fmt: skip
        used = np.flatnonzero(counts)
        names = np.array(cube.topics, dtype=object)[used]
        order = sorted(range(len(used)), key=lambda i: (-counts[used[i]], names[i]))[:limit]
        return [str(names[i]) for i in order]
    if uses_aggregate(workspace, scope):
        t = AdvocacyTopicDay
        count = func.sum(t.positive + t.neutral + t.negative)
        query = select(t.topic).where(t.workspace_id == workspace.id, t.day >= scope.period.first,
                                      t.day <= scope.period.last)  # fmt: skip
        if scope.platform:
            query = query.where(t.platform == scope.platform.lower())
        query = query.group_by(t.topic).order_by(count.desc(), t.topic).limit(limit)
        return list(db.session.scalars(query))
    query = (
        select(MentionTopic.topic)
        .join(Mention, Mention.id == MentionTopic.mention_id)
        .where(MentionTopic.workspace_id == workspace.id, Mention.created_at >= start,
               Mention.created_at < end, Mention.sentiment.in_(daily.KNOWN))
    )  # fmt: skip
    if scope.platform:
        query = query.where(Mention.platform == scope.platform.lower())
    count = func.count()
    return list(db.session.scalars(
        query.group_by(MentionTopic.topic).order_by(count.desc(), MentionTopic.topic).limit(limit)
    ))  # fmt: skip


def by_topic(workspace: Workspace, scope: Scope, limit: int = 10) -> list[dict]:
    """Return the summary for each of the scope's ``limit`` biggest topics."""
    scope = prepared(workspace, scope)
    return [{"topic": topic} | summary(workspace, replace(scope, topic=topic))
            for topic in top_topics(workspace, scope, limit)]  # fmt: skip


# ---------------------------------------------------------------- authors


def latest_snapshot(workspace: Workspace):
    """Return the newest finished scoring run (roles, best scores, bot flags), or ``None``."""
    from app.services import scoring

    return scoring.latest_snapshot(workspace)


def suspicious_condition(workspace: Workspace, snapshot) -> ColumnElement[bool]:
    """Return the condition that an author (joined with ``AuthorScore``) is flagged suspicious
    by the snapshot and not cleared by a person ("not a bot")."""
    from app.services.influencers import bot_threshold

    if snapshot is None:
        return false()
    cleared = select(BotVerdict.author_id).where(
        BotVerdict.workspace_id == workspace.id, BotVerdict.verdict == "not_bot"
    )
    return and_(
        func.coalesce(AuthorScore.bot_score, 0) >= bot_threshold(snapshot),
        AuthorScore.author_id.not_in(cleared),
    )


def people_authors(workspace: Workspace):
    """Return a query of the ids of the workspace's authors who are already people in the
    relationship manager (an account of a person linked to them): :func:`advocates` excludes
    them, on both of its paths. ``None`` would mean nobody to exclude."""
    from app.crm.models import PersonAccount

    return select(PersonAccount.author_id).where(
        PersonAccount.workspace_id == workspace.id, PersonAccount.author_id.is_not(None)
    )


def _author_rows(workspace, scope, *, where, order, limit, offset=0):
    """Return the tallied authors meeting ``where`` with their handle, role and best score."""
    tally = tallies(workspace, scope)
    snapshot = latest_snapshot(workspace)
    score_join = and_(AuthorScore.author_id == tally.c.author_id,
                      AuthorScore.snapshot_id == (snapshot.id if snapshot else -1))  # fmt: skip
    conditions = [c(tally) if callable(c) else c for c in where]
    suspicious = suspicious_condition(workspace, snapshot)
    base = (
        select(tally, Author.display_handle, Author.name, AuthorScore.role, AuthorScore.best_score,
               case((suspicious, True), else_=False).label("suspicious"))
        .join(Author, Author.id == tally.c.author_id)
        .outerjoin(AuthorScore, score_join)
        .where(*conditions)
    )  # fmt: skip
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    ordering = [o(tally) if callable(o) else o for o in order]
    rows = db.session.execute(base.order_by(*ordering).limit(limit).offset(offset)).all()
    return total, [_author_json(row) for row in rows]


def _fast_people(workspace, scope, cube, wanted, rank: str, limit: int, offset: int = 0):
    """Return how many of the scope's authors are ``wanted`` (a mask of a tally), and the
    ``limit`` after ``offset`` in order: most mentions counted first (``rank="counted"``), or
    best role score first (unscored last), then most counted (``rank="best"``); ties by id."""
    counted = fast_tally(workspace, scope, cube)
    chosen = counted.take(wanted(counted, cube))
    ids, total = cube.authors[chosen.idx], len(chosen.idx)
    if rank == "best":
        best = cube.best[chosen.idx]
        order = np.lexsort((ids, -chosen.counted, -np.nan_to_num(best, nan=-1.0), np.isnan(best)))
    else:
        order = np.lexsort((ids, -chosen.counted))
    page = order[offset : offset + limit]
    details = _details(workspace, [int(i) for i in ids[page]])
    rows = []
    for i in page:
        author = int(ids[i])
        followers = int(cube.followers[chosen.idx[i]])
        rows.append(_author_json(SimpleNamespace(
            author_id=author, platform=cube.platforms[cube.platform[chosen.idx[i]]],
            followers=None if followers < 0 else followers, positive=int(chosen.positive[i]),
            neutral=int(chosen.neutral[i]), negative=int(chosen.negative[i]),
            counted=int(chosen.counted[i]), **details[author],
        )))  # fmt: skip
    return total, rows


def _details(workspace: Workspace, ids: list[int]) -> dict[int, dict]:
    """Return the handle, name, role, best score and suspicion of the authors ``ids``."""
    if not ids:
        return {}
    snapshot = latest_snapshot(workspace)
    score_join = and_(AuthorScore.author_id == Author.id,
                      AuthorScore.snapshot_id == (snapshot.id if snapshot else -1))  # fmt: skip
    suspicious = suspicious_condition(workspace, snapshot)
    rows = db.session.execute(
        select(Author.id, Author.display_handle, Author.name, AuthorScore.role,
               AuthorScore.best_score, case((suspicious, True), else_=False).label("suspicious"))
        .outerjoin(AuthorScore, score_join)
        .where(Author.workspace_id == workspace.id, Author.id.in_(ids))
    ).all()  # fmt: skip
    return {
        row.id: {"display_handle": row.display_handle, "name": row.name, "role": row.role,
                 "best_score": row.best_score, "suspicious": row.suspicious}
        for row in rows
    }  # fmt: skip


def _author_json(row) -> dict:
    positive, negative, counted = int(row.positive), int(row.negative), int(row.counted)
    return {
        "author_id": row.author_id,
        "handle": row.display_handle,
        "name": row.name,
        "platform": row.platform,
        "followers": row.followers,
        "class": classify(positive, negative, counted),
        "net": round((positive - negative) / counted, 4),
        "positive": positive,
        "neutral": int(row.neutral),
        "negative": negative,
        "counted": counted,
        "role": row.role,
        "best_score": None if row.best_score is None else round(row.best_score, 1),
        "suspicious": bool(row.suspicious),
    }


def authors(workspace: Workspace, scope: Scope, cls: str, *, page: int = 1,
            per_page: int = 50) -> tuple[int, list[dict]]:  # fmt: skip
    """Return how many authors of class ``cls`` the scope has, and one page of them: most
    mentions counted first, each with ``net``, the counts, role and best score."""
    if cls not in CLASSES:
        raise FieldError("class", "class must be one of promoter, passive, detractor")
    cube = _cube(workspace, scope)
    if cube is not None:
        return _fast_people(workspace, scope, cube, lambda t, cube: t.of_class(cls), "counted",
                            per_page, (page - 1) * per_page)  # fmt: skip
    return _author_rows(
        workspace, scope, where=[lambda t: class_condition(t, cls)],
        order=[lambda t: t.c.counted.desc(), lambda t: t.c.author_id],
        limit=per_page, offset=(page - 1) * per_page,
    )  # fmt: skip


def _with_posts(workspace: Workspace, scope: Scope, people: list[dict], sentiment: str) -> None:
    """Attach to each author the newest of their ``sentiment`` mentions in the scope."""
    if not people:
        return
    start, end = scope.period.bounds()
    newest = (
        func.row_number()
        .over(partition_by=Mention.author_id,
              order_by=(Mention.created_at.desc(), Mention.id.desc()))
        .label("n")
    )  # fmt: skip
    query = select(
        Mention.id, Mention.author_id, Mention.external_id, Mention.kind, Mention.created_at,
        Mention.text, Mention.url, newest,
    ).where(Mention.workspace_id == workspace.id,
            Mention.author_id.in_([p["author_id"] for p in people]),
            Mention.created_at >= start, Mention.created_at < end,
            Mention.sentiment == sentiment)  # fmt: skip
    if scope.topic:
        topic = resolve_topic(workspace, scope.topic)
        query = query.where(Mention.id.in_(select(MentionTopic.mention_id).where(
            MentionTopic.workspace_id == workspace.id, MentionTopic.topic == topic)))  # fmt: skip
    ranked = query.subquery()
    posts = defaultdict(list)
    rows = db.session.execute(
        select(ranked).where(ranked.c.n <= POSTS_PER_AUTHOR).order_by(ranked.c.author_id, ranked.c.n)
    )  # fmt: skip
    for row in rows:
        posts[row.author_id].append({
            "id": row.id, "external_id": row.external_id, "kind": row.kind,
            "created_at": row.created_at.isoformat(), "text": row.text, "url": row.url,
        })  # fmt: skip
    for person in people:
        person["posts"] = posts.get(person["author_id"], [])


def advocates(workspace: Workspace, scope: Scope, *, limit: int = 50) -> tuple[int, list[dict]]:
    """Return the advocates to recruit: promoters with at least 2 positive mentions and none
    negative in the scope, not suspicious, not yet people in the relationship manager,
    ranked by their best role score; each with the positive posts that make them one."""
    people = people_authors(workspace)
    cube = _cube(workspace, scope)
    if cube is not None:
        excluded = set(db.session.scalars(people)) if people is not None else set()

        def wanted(t: Tally, cube) -> np.ndarray:
            mask = t.of_class("promoter") & (t.positive >= 2) & (t.negative == 0)
            mask &= ~cube.suspicious[t.idx]
            if excluded:
                mask &= ~np.isin(cube.authors[t.idx], np.array(sorted(excluded), np.int64))
            return mask

        total, found = _fast_people(workspace, scope, cube, wanted, "best", limit)
        _with_posts(workspace, scope, found, "positive")
        return total, found
    suspicious = suspicious_condition(workspace, latest_snapshot(workspace))
    total, found = _author_rows(
        workspace, scope,
        where=[lambda t: class_condition(t, "promoter"), lambda t: t.c.positive >= 2,
               lambda t: t.c.negative == 0, ~suspicious,
               *([lambda t: t.c.author_id.not_in(people)] if people is not None else [])],
        order=_rank_columns(), limit=limit,
    )  # fmt: skip
    _with_posts(workspace, scope, found, "positive")
    return total, found


def _rank_columns() -> list:
    """Order: best role score (unscored authors last), then more mentions counted, then id."""
    return [
        case((AuthorScore.best_score.is_(None), 1), else_=0),
        AuthorScore.best_score.desc(),
        lambda t: t.c.counted.desc(),
        lambda t: t.c.author_id,
    ]


def detractors_to_win_back(workspace: Workspace, scope: Scope, *,
                           limit: int = 50) -> tuple[int, list[dict]]:  # fmt: skip
    """Return the detractors to win back: detractors of the scope, not suspicious, ranked by
    their best role score, each with the negative posts that make them one. (People already
    in the relationship manager stay listed: they are the ones to talk to first.)"""
    cube = _cube(workspace, scope)
    if cube is not None:
        total, people = _fast_people(
            workspace, scope, cube,
            lambda t, cube: t.of_class("detractor") & ~cube.suspicious[t.idx], "best", limit,
        )  # fmt: skip
        _with_posts(workspace, scope, people, "negative")
        return total, people
    suspicious = suspicious_condition(workspace, latest_snapshot(workspace))
    total, people = _author_rows(
        workspace, scope, where=[lambda t: class_condition(t, "detractor"), ~suspicious],
        order=_rank_columns(), limit=limit,
    )  # fmt: skip
    _with_posts(workspace, scope, people, "negative")
    return total, people


def trajectory(workspace: Workspace, author_id: int, timezone: str | None = None,
               months: int = 12) -> list[dict]:  # fmt: skip
    """Return the author's class per month (local months), for the ``months`` months up to
    their newest mention: ``month``, the counts, ``net`` and ``class`` (``None`` for a month
    without a mention of known sentiment)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone or workspace.timezone or "UTC")
    rows = db.session.execute(
        select(Mention.created_at, Mention.sentiment).where(
            Mention.workspace_id == workspace.id, Mention.author_id == author_id,
            Mention.sentiment.in_(daily.KNOWN),
        )
    ).all()  # fmt: skip
    if not rows:
        return []
    counts: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(daily.KNOWN, 0))
    for created_at, sentiment in rows:
        counts[bucket_of(created_at.astimezone(zone).date(), "month")][sentiment] += 1
    last = max(counts)
    first = last
    for _ in range(months - 1):
        first = bucket_of(first - timedelta(days=1), "month")
    found, month = [], max(first, min(counts))
    while month <= last:
        c = counts.get(month, dict.fromkeys(daily.KNOWN, 0))
        counted = sum(c.values())
        found.append({
            "month": month.isoformat(), **c, "counted": counted,
            "net": round((c["positive"] - c["negative"]) / counted, 4) if counted else None,
            "class": classify(c["positive"], c["negative"], counted),
        })  # fmt: skip
        month = next_bucket(month, "month")
    return found


# ---------------------------------------------------------------- share of voice


def share_of_voice(workspace: Workspace, period: Period) -> dict | None:
    """Return share of voice by week, or ``None`` when the workspace tracks no competitor.

    A mention counts for each tracked brand its text names (the workspace's brand terms, each
    competitor's terms; matched as brand terms are at import: whole words, any case, Russian
    endings allowed); a mention naming none counts for nobody. Each week (from Monday, over
    its days inside the period): ``brand`` (our mentions), ``total`` (the sum over all
    tracked brands, so a mention naming two brands counts for both), ``share`` =
    brand / total to 4 decimals (``None`` when total is 0), and ``brands`` (mentions per name).
    """
    terms = daily.terms_of(workspace)
    if not terms["competitors"]:
        return None
    names = [""] + list(terms["competitors"])
    per_day = _voice_days(workspace, period, terms)
    weeks = []
    for start in period.buckets("week"):
        stop = next_bucket(start, "week")
        counts = dict.fromkeys(names, 0)
        for (day, brand), n in per_day.items():
            if start <= day < stop and brand in counts:
                counts[brand] += n
        total = sum(counts.values())
        weeks.append({
            "start": start.isoformat(), "brand": counts[""], "total": total,
            "share": round(counts[""] / total, 4) if total else None,
            "brands": {(name or "ours"): n for name, n in counts.items()},
        })  # fmt: skip
    return {"competitors": list(terms["competitors"]), "weeks": weeks}


def _voice_days(workspace: Workspace, period: Period, terms: dict) -> dict:
    """Return mentions per (local day, brand) over the period, from the aggregate when it
    holds, else by matching the period's texts."""
    if daily.voice_fresh(workspace) and period.timezone == (workspace.timezone or "UTC"):
        rows = db.session.execute(
            select(AdvocacyVoiceDay.day, AdvocacyVoiceDay.brand, AdvocacyVoiceDay.mentions).where(
                AdvocacyVoiceDay.workspace_id == workspace.id,
                AdvocacyVoiceDay.day >= period.first, AdvocacyVoiceDay.day <= period.last,
            )
        ).all()  # fmt: skip
        return {(day, brand): n for day, brand, n in rows}
    start, end = period.bounds()
    matchers = daily.brand_matchers(terms)
    found: dict = defaultdict(int)
    rows = db.session.execute(
        select(Mention.created_at, Mention.text).where(
            Mention.workspace_id == workspace.id, Mention.created_at >= start,
            Mention.created_at < end,
        ).execution_options(yield_per=20_000)
    )  # fmt: skip
    for created_at, text in rows:
        day = created_at.astimezone(period.zone).date()
        for brand, find in matchers:
            if find(text or ""):
                found[(day, brand)] += 1
    return found


__all__ = [
    "CLASSES", "Scope", "advocacy_score", "advocates", "authors", "by_platform", "by_topic",
    "classify", "days_series", "detractors_to_win_back", "net_sentiment", "people_authors", "series",
    "share_of_voice", "summary", "tallies", "trajectory",
]  # fmt: skip


# ---------------------------------------------------------------- the page


def overview(workspace: Workspace, scope: Scope, *, topics: bool = False, lists: int = 10) -> dict:
    """Return everything the advocacy page shows for the scope: the summary, the weekly and
    monthly series, the figures per platform (and per topic when ``topics``), the top
    ``lists`` promoters and detractors, advocates to recruit, detractors to win back and
    share of voice. While the aggregate is being rebuilt the page reads the previous one:
    ``as_of`` says when that was built (``None`` when the figures are current)."""
    scope = prepared(workspace, scope, allow_stale=True)
    promoters_total, promoters = authors(workspace, scope, "promoter", per_page=lists)
    detractors_total, detractors = authors(workspace, scope, "detractor", per_page=lists)
    advocates_total, to_recruit = advocates(workspace, scope, limit=lists)
    win_back_total, win_back = detractors_to_win_back(workspace, scope, limit=lists)
    return {
        "summary": summary(workspace, scope),
        "weeks": series(workspace, scope, "week"),
        "months": series(workspace, scope, "month"),
        "platforms": by_platform(workspace, scope),
        "topics": by_topic(workspace, scope) if topics else None,
        "promoters": (promoters_total, promoters),
        "detractors": (detractors_total, detractors),
        "advocates": (advocates_total, to_recruit),
        "win_back": (win_back_total, win_back),
        "voice": None if scope.topic or scope.platform else share_of_voice(workspace, scope.period),
        "from_aggregate": scope.use_aggregate,
        "as_of": daily.state_of(workspace).built_at
        if scope.use_aggregate and not daily.fresh(workspace, scope.period.timezone)
        else None,
    }


def chart_data(view: dict) -> dict:
    """Return the series as the page's chart reads them (labels and one list per line)."""
    weeks = view["weeks"]
    return {
        "labels": [w["start"] for w in weeks],
        "score": [w["score"] for w in weeks],
        "score_reach_weighted": [w["score_reach_weighted"] for w in weeks],
        "net_sentiment": [
            None if w["net_sentiment"] is None else round(100 * w["net_sentiment"], 1)
            for w in weeks
        ],  # fmt: skip
    }
