"""The daily pre-aggregate: per author and local day, their mentions by sentiment.

:func:`refresh` rebuilds a workspace's aggregate from its mentions in a few statements (the
database groups; nothing per mention in Python but share of voice's text matching, done only
when competitors are tracked). It runs as a background job (:func:`refresh_job`) after every
scoring run (so after imports), after a model relabels, after corrections, and by
``flask --app wsgi advocacy refresh``. Until it has run, :func:`fresh` says the aggregate does
not hold, and the figures are computed from the mentions (same results, slower).

Days are local days of the workspace's time zone. SQL has no portable time-zone arithmetic,
so each mention's day is its UTC time shifted by the zone's offset in force at that instant:
the offsets of the span of the workspace's mentions are found here (a zone changes offset a
few times a year), and one ``CASE`` picks the shift by instant.
"""

from __future__ import annotations

import logging
import time as clock
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    case,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal_column,
    select,
    update,
)

from app.advocacy.models import (
    AdvocacyDay,
    AdvocacySettings,
    AdvocacyState,
    AdvocacyTopicDay,
    AdvocacyVoiceDay,
)
from app.extensions import db
from app.models import Author, BotVerdict, Mention, MentionTopic, Workspace, utcnow
from app.models.mention import dated_in_range
from app.services import statistics

log = logging.getLogger(__name__)

KNOWN = ("positive", "neutral", "negative")


# ---------------------------------------------------------------- state


def state_of(workspace: Workspace) -> AdvocacyState | None:
    """Return what the workspace's aggregate was built from (``None``: never built)."""
    return db.session.get(AdvocacyState, workspace.id)


def verdicts_fingerprint(workspace: Workspace) -> str:
    """Return a short text that changes whenever people's bot verdicts change (a digest of
    every verdict: people judge a few hundred accounts, not millions) or a scoring run ends
    (the aggregate keeps each author's best role score and suspicion)."""
    import hashlib

    from app.services.scoring import latest_snapshot

    pairs = db.session.execute(
        select(BotVerdict.author_id, BotVerdict.verdict)
        .where(BotVerdict.workspace_id == workspace.id)
        .order_by(BotVerdict.author_id)
    ).all()
    digest = hashlib.sha1(repr([tuple(p) for p in pairs]).encode()).hexdigest()[:16]
    snapshot = latest_snapshot(workspace)
    return f"{len(pairs)}:{digest}:{snapshot.id if snapshot else 0}"


def terms_of(workspace: Workspace) -> dict:
    """Return the brand's and the competitors' terms, as share of voice counts them."""
    settings = db.session.get(AdvocacySettings, workspace.id)
    return {
        "brand": sorted(workspace.brand_terms or []),
        "competitors": {k: sorted(v) for k, v in sorted((settings.competitors or {}).items())}
        if settings
        else {},
    }


def fresh(workspace: Workspace, timezone: str | None = None) -> bool:
    """Say whether the aggregate holds: built in ``timezone`` (the workspace's by default),
    from every bot verdict there is now, with no import or sentiment change since (imports,
    corrections and relabelling mark it stale: :func:`mark_stale`)."""
    state = state_of(workspace)
    zone = timezone or workspace.timezone or "UTC"
    return (
        state is not None
        and not state.stale
        and state.timezone == zone
        and state.timezone == (workspace.timezone or "UTC")
        and state.verdicts == verdicts_fingerprint(workspace)
    )


def usable(workspace: Workspace, timezone: str | None = None) -> bool:
    """Say whether an aggregate was built in ``timezone`` (and the workspace's), current or
    not: what a page may show, saying when it was built, while a rebuild runs."""
    state = state_of(workspace)
    zone = timezone or workspace.timezone or "UTC"
    return (
        state is not None
        and state.built_at is not None
        and state.timezone == zone == (workspace.timezone or "UTC")
    )


def voice_fresh(workspace: Workspace) -> bool:
    """Say whether the share-of-voice counts hold (the aggregate holds, same terms)."""
    state = state_of(workspace)
    return fresh(workspace) and state.terms == terms_of(workspace)


def mark_stale(workspace: Workspace) -> None:
    """Say that mentions or sentiments changed: the aggregate is not read until it is rebuilt.

    (A workspace without an aggregate has nothing to mark; nor has a database migrated only
    up to a revision before advocacy, as an upgrade's own tests import into.)
    """
    if not inspect(db.session.connection()).has_table(AdvocacyState.__tablename__):
        return
    db.session.execute(
        update(AdvocacyState).where(AdvocacyState.workspace_id == workspace.id).values(stale=True)
    )
    db.session.commit()


def invalidate(workspace: Workspace) -> None:
    """Say that sentiments changed: the aggregate is not read until it is rebuilt, which is
    queued now (in the background)."""
    mark_stale(workspace)
    from app.services import jobs

    jobs.submit("app.advocacy.services.daily.refresh_job", workspace.id)


# ---------------------------------------------------------------- local days in SQL


def offset_segments(
    zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime | None, int]]:
    """Return the zone's UTC offsets between two instants: ``(until, minutes)`` in order,
    each offset holding for instants before ``until`` (``None`` for the last).

    >>> from zoneinfo import ZoneInfo
    >>> segs = offset_segments(ZoneInfo("Europe/Berlin"), datetime(2026, 3, 1, tzinfo=UTC),
    ...                        datetime(2026, 4, 1, tzinfo=UTC))
    >>> [(u.isoformat() if u else None, m) for u, m in segs]
    [('2026-03-29T01:00:00+00:00', 60), (None, 120)]
    """

    def offset(at: datetime) -> int:
        return int(at.astimezone(zone).utcoffset().total_seconds() // 60)

    segments: list[tuple[datetime | None, int]] = []
    at = start.astimezone(UTC) - timedelta(days=1)
    stop = end.astimezone(UTC) + timedelta(days=1)
    current = offset(at)
    while at < stop:
        step = at + timedelta(days=1)
        if offset(step) != current:
            low, high = at, step  # the change lies in (low, high]: halve to the second
            while (high - low) > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            segments.append((high, current))
            current = offset(step)
        at = step
    segments.append((None, current))
    return segments


def _shifted_day(column, minutes: int, dialect: str):
    if dialect == "sqlite":
        return func.date(column, f"{minutes:+d} minutes")
    return cast(column + literal_column(f"INTERVAL '{int(minutes)} minutes'"), Date)


def local_day_sql(column, zone: ZoneInfo, start: datetime, end: datetime, dialect: str):
    """Return an SQL expression of the local day (in ``zone``) of the UTC timestamp ``column``,
    valid for instants between ``start`` and ``end``."""
    segments = offset_segments(zone, start, end)
    if len(segments) == 1:
        return _shifted_day(column, segments[0][1], dialect)
    whens = [(column < until, _shifted_day(column, minutes, dialect))
             for until, minutes in segments[:-1]]  # fmt: skip
    return case(*whens, else_=_shifted_day(column, segments[-1][1], dialect))


def mentions_per_day(workspace: Workspace, zone: ZoneInfo, start: datetime | None = None,
                     end: datetime | None = None, upto: int | None = None) -> dict[date, int]:
    """Return how many mentions the workspace has on each local day (in ``zone``) between the
    instants ``start`` and ``end`` (all of them when not given): every mention, whatever its
    sentiment or author, as the mentions list counts them for that day."""
    where = [Mention.workspace_id == workspace.id, dated_in_range()]
    if upto is not None:
        where.append(Mention.id <= upto)
    if start is None or end is None:
        span = db.session.execute(
            select(func.min(Mention.created_at), func.max(Mention.created_at)).where(*where)
        ).one()
        if span[0] is None:
            return {}
        start, end = span[0], span[1] + timedelta(seconds=1)
    else:
        where += [Mention.created_at >= start, Mention.created_at < end]
    start, end = _aware(start), _aware(end)
    day = local_day_sql(Mention.created_at, zone, start, end, db.session.get_bind().dialect.name)
    rows = db.session.execute(select(day.label("day"), func.count()).where(*where).group_by(day))
    found: dict[date, int] = {}
    for value, count in rows:
        found[value if isinstance(value, date) else date.fromisoformat(str(value))] = int(count)
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------- rebuilding


def refresh(workspace: Workspace) -> AdvocacyState:
    """Rebuild the workspace's aggregate from its mentions now; return its new state."""
    started = clock.perf_counter()
    state = state_of(workspace)
    if state is None:
        state = AdvocacyState(workspace_id=workspace.id)
        db.session.add(state)
    zone_name = workspace.timezone or "UTC"
    upto = db.session.scalar(
        select(func.max(Mention.id)).where(Mention.workspace_id == workspace.id)
    ) or 0  # fmt: skip
    verdicts, terms = verdicts_fingerprint(workspace), terms_of(workspace)
    for model in (AdvocacyDay, AdvocacyTopicDay, AdvocacyVoiceDay):
        db.session.execute(delete(model).where(model.workspace_id == workspace.id))
    first, last = db.session.execute(
        select(func.min(Mention.created_at), func.max(Mention.created_at)).where(
            Mention.workspace_id == workspace.id, Mention.id <= upto, dated_in_range()
        )
    ).one()
    if first is not None:
        _insert_days(workspace, ZoneInfo(zone_name), first, last, upto)
        if terms["competitors"]:
            _insert_voice(workspace, ZoneInfo(zone_name), terms, upto)
    from app.advocacy.services import cube

    state.cube, state.cube_meta = cube.build(workspace, upto=upto)
    state.timezone, state.mentions_upto, state.verdicts, state.terms = (
        zone_name,
        upto,
        verdicts,
        terms,
    )
    state.stale, state.built_at = False, utcnow()
    state.seconds = round(clock.perf_counter() - started, 3)
    db.session.commit()
    statistics.refresh(db.session.connection(), ("advocacy_days", "advocacy_topic_days"))
    db.session.commit()
    return state


def _insert_days(workspace, zone, first, last, upto) -> None:
    dialect = db.session.get_bind().dialect.name
    day = local_day_sql(Mention.created_at, zone, first, last, dialect).label("day")
    known = (
        Mention.workspace_id == workspace.id,
        Mention.id <= upto,
        Mention.sentiment.in_(KNOWN),
        dated_in_range(),  # a post dated 9999 is flagged, not a day of the figures
    )
    inner = (
        select(Mention.author_id, Author.platform, Author.followers, day, Mention.sentiment)
        .join(Author, Author.id == Mention.author_id)
        .where(*known)
        .subquery()
    )
    db.session.execute(
        insert(AdvocacyDay).from_select(
            ["workspace_id", "author_id", "day", "platform", "followers",
             "positive", "neutral", "negative"],
            select(
                literal_column(str(int(workspace.id))), inner.c.author_id, inner.c.day,
                func.max(inner.c.platform), func.max(inner.c.followers),
                *tallies(inner.c.sentiment),
            ).group_by(inner.c.author_id, inner.c.day),
        )
    )  # fmt: skip
    inner = (
        select(MentionTopic.topic, Mention.author_id, Author.platform, Author.followers, day,
               Mention.sentiment)
        .join(Mention, Mention.id == MentionTopic.mention_id)
        .join(Author, Author.id == Mention.author_id)
        .where(MentionTopic.workspace_id == workspace.id, *known)
        .subquery()
    )  # fmt: skip
    db.session.execute(
        insert(AdvocacyTopicDay).from_select(
            ["workspace_id", "topic", "author_id", "day", "platform", "followers",
             "positive", "neutral", "negative"],
            select(
                literal_column(str(int(workspace.id))), inner.c.topic, inner.c.author_id, inner.c.day,
                func.max(inner.c.platform), func.max(inner.c.followers),
                *tallies(inner.c.sentiment),
            ).group_by(inner.c.topic, inner.c.author_id, inner.c.day),
        )
    )  # fmt: skip


def tallies(sentiment) -> tuple:
    """Return the sums of positive, neutral and negative rows of a ``sentiment`` column."""
    return tuple(func.sum(case((sentiment == label, 1), else_=0)) for label in KNOWN)


def brand_matchers(terms: dict):
    """Return ``(brand, find)`` pairs: ``""`` for the workspace's own brand, then each
    competitor by name; ``find(text)`` says whether the text names that brand."""
    from app.services.ingest import brand_matcher

    pairs = [("", brand_matcher(terms["brand"]))] if terms["brand"] else []
    pairs += [(name, brand_matcher(words)) for name, words in terms["competitors"].items()]
    return pairs


def _insert_voice(workspace, zone, terms, upto) -> None:
    """Count, per local day, the mentions naming each tracked brand (see share of voice)."""
    matchers = brand_matchers(terms)
    counts: Counter = Counter()
    rows = db.session.execute(
        select(Mention.created_at, Mention.text)
        .where(Mention.workspace_id == workspace.id, Mention.id <= upto, dated_in_range())
        .execution_options(yield_per=20_000)
    )
    for created_at, text in rows:
        named = [brand for brand, find in matchers if find(text or "")]
        if named:
            day = created_at.astimezone(zone).date()
            for brand in named:
                counts[(day, brand)] += 1
    if counts:
        db.session.execute(
            insert(AdvocacyVoiceDay),
            [
                {"workspace_id": workspace.id, "day": day, "brand": brand, "mentions": n}
                for (day, brand), n in counts.items()
            ],  # fmt: skip
        )


def rebuild_soon(workspace: Workspace) -> None:
    """Queue a rebuild of the aggregate even though it holds (its saved columns lack what
    this version reads: a rebuild adds it)."""
    from app.services import jobs

    jobs.submit("app.advocacy.services.daily.rebuild_job", workspace.id)


def rebuild_job(workspace_id: int) -> None:
    """Background job: rebuild the aggregate now."""
    workspace = db.session.get(Workspace, workspace_id)
    if workspace is not None:
        refresh(workspace)


def refresh_job(workspace_id: int) -> None:
    """Background job: rebuild the aggregate unless it holds, then look for crisis alerts."""
    workspace = db.session.get(Workspace, workspace_id)
    if workspace is None:
        return
    if not voice_fresh(workspace):
        state = refresh(workspace)
        log.info("advocacy aggregate of %s rebuilt in %.1f s", workspace.slug, state.seconds)
    from app.advocacy.services import alerts

    alerts.detect(workspace)
