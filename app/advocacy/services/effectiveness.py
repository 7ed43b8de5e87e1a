"""What a campaign brought for its cost: attributed mentions, engagements, reach, views, new
authors and sentiment, cost per engagement / thousand reached / view, and the lift of brand
mentions during the campaign against the days right before it (issue 15, section 2).

Attribution: a mention belongs to a campaign when it was posted between the campaign's start
and its end + :data:`AFTER_END_DAYS` days (whole days in the workspace's time zone) and carries
one of its tracked hashtags (as a topic), links or promo codes (in its text, any case), and
every placement's linked post belongs to it whenever it was posted. Money is in the
currency's units (fees and gift values are stored in cents). A ratio whose denominator is zero
or unknown is ``None``.

EMV (earned media value) needs rates per platform that the workspace sets; until then it and
ROI are ``None`` (see :func:`emv`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, Integer, any_, bindparam, false, func, or_, select

from app.advocacy.services.daily import local_day_sql
from app.advocacy.services.periods import local_midnight
from app.crm import models as crm
from app.crm.services.campaigns import get_campaign
from app.extensions import db
from app.ingest.record import normalize_topic
from app.models import Author, Mention, MentionTopic, Workspace

AFTER_END_DAYS = 7  # posts keep coming after a campaign ends: a week of them still counts
SENTIMENTS = ("positive", "neutral", "negative", "unknown")
RATE_KINDS = ("like", "repost", "reply", "view")  # a view's rate is per thousand views


@dataclass
class Tally:
    """The figures of a set of attributed mentions."""

    posts: int = 0
    engagements: int = 0
    reach: int = 0
    views: int | None = None
    new_authors: int = 0
    sentiment: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SENTIMENTS, 0))
    emv: float | None = None


def window(
    workspace: Workspace, campaign: crm.Campaign, today: date, after_end: int = AFTER_END_DAYS
) -> tuple[datetime, datetime]:
    """Return the UTC bounds ``[start, end)`` of a campaign's days, as local days of the
    workspace: its start (today when it has none) to its end (today when it has none) plus
    ``after_end`` days, whose posts it may claim."""
    zone = ZoneInfo(workspace.timezone or "UTC")
    start_day = campaign.start_on or today
    end_day = (campaign.end_on or today) + timedelta(days=after_end)
    return local_midnight(start_day, zone), local_midnight(end_day + timedelta(days=1), zone)


def _tracked(campaign: crm.Campaign):
    """The SQL condition "carries a tracked hashtag, link or promo code" (false with none)."""
    conditions = []
    tags = sorted({normalize_topic(tag) for tag in campaign.tags or [] if tag.strip()})
    if tags:
        conditions.append(
            Mention.id.in_(
                select(MentionTopic.mention_id).where(
                    MentionTopic.workspace_id == campaign.workspace_id,
                    MentionTopic.topic.in_(tags),
                )
            )
        )
    for needle in [*(campaign.links or []), *(campaign.promo_codes or [])]:
        needle = needle.strip().lower()
        if needle:
            escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(func.lower(Mention.text).like(f"%{escaped}%", escape="\\"))
    return or_(*conditions) if conditions else false()


def attributed_posts(workspace: Workspace, campaign: crm.Campaign, today: date) -> dict:
    """Return the mentions attributed to a campaign (see the module's docstring) by id, each
    with what the figures read of it: author, platform, counts, sentiment and the author's
    followers. Read once per report; every figure of it is summed from these rows."""
    start, end = window(workspace, campaign, today)
    posts = select(
        Mention.id, Mention.author_id, Mention.platform, Mention.likes, Mention.reposts,
        Mention.replies, Mention.views, Mention.sentiment, Author.followers,
    ).join(Author, Author.id == Mention.author_id).where(Mention.workspace_id == workspace.id)  # fmt: skip
    found = {
        row.id: row
        for row in db.session.execute(
            posts.where(Mention.created_at >= start, Mention.created_at < end, _tracked(campaign))
        )
    }
    linked = select(crm.Placement.mention_id).where(
        crm.Placement.campaign_id == campaign.id, crm.Placement.mention_id.is_not(None)
    )
    found.update((row.id, row) for row in db.session.execute(posts.where(Mention.id.in_(linked))))
    return found


def _one_of(column, values: list[int]):
    """``column IN (values)``; on PostgreSQL as ``= ANY(array)``: one parameter, not thousands
    (planning thousands took half the time of a campaign's first-mention query)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("values", values, type_=ARRAY(Integer)))
    return column.in_(values)


def attributed_ids(workspace: Workspace, campaign: crm.Campaign, today: date) -> set[int]:
    """Return the ids of the mentions attributed to a campaign (see the module's docstring)."""
    return set(attributed_posts(workspace, campaign, today))


def first_mentions(workspace: Workspace, author_ids: Iterable[int]) -> dict[int, datetime]:
    """Return when each of these authors first mentioned the brand in the workspace."""
    authors = sorted(set(author_ids))
    if not authors:
        return {}
    return {
        author_id: _aware(first)
        for author_id, first in db.session.execute(
            select(Mention.author_id, func.min(Mention.created_at))
            .where(Mention.workspace_id == workspace.id, _one_of(Mention.author_id, authors))
            .group_by(Mention.author_id)
        )
        if first is not None
    }


def emv_rates(workspace: Workspace) -> dict[str, dict[str, float]]:
    """Return the workspace's EMV rates per platform (``{"twitter": {"like": 0.02, ...}}``)."""
    from app.advocacy.models import AdvocacySettings

    settings = db.session.get(AdvocacySettings, workspace.id)
    return dict(getattr(settings, "emv_rates", None) or {})


def set_rates(workspace: Workspace, platform: str, rates: dict[str, str]) -> None:
    """Set a platform's EMV rates (``{"like": "0.02", ...}``); raise ``ValueError`` naming a
    bad kind or value. Kinds not given keep their rate."""
    from app.advocacy.models import AdvocacySettings

    platform = platform.strip().lower()
    if not platform:
        raise ValueError("platform is missing")
    parsed = {}
    for kind, value in rates.items():
        if kind not in RATE_KINDS:
            raise ValueError(f"rate '{kind}' is not one of: {', '.join(RATE_KINDS)}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"rate {kind}={value!r} is not a number") from None
        if not 0 <= number < 1e9:
            raise ValueError(f"rate {kind}={value} must be 0 or more")
        parsed[kind] = number
    settings = db.session.get(AdvocacySettings, workspace.id)
    if settings is None:
        settings = AdvocacySettings(workspace_id=workspace.id, competitors={})
        db.session.add(settings)
    current = dict(settings.emv_rates or {})
    current[platform] = {**current.get(platform, {}), **parsed}
    settings.emv_rates = current
    db.session.commit()


def emv(rows, rates: dict[str, dict[str, float]]) -> float | None:
    """Σ likes × r_like + reposts × r_repost + replies × r_reply + views / 1000 × r_view, with
    each platform's rates; ``None`` when the workspace has set no rates at all."""
    if not rates:
        return None
    total = 0.0
    for row in rows:
        rate = rates.get(row.platform, {})
        total += (
            (row.likes or 0) * rate.get("like", 0.0)
            + (row.reposts or 0) * rate.get("repost", 0.0)
            + (row.replies or 0) * rate.get("reply", 0.0)
            + (row.views or 0) / 1000 * rate.get("view", 0.0)
        )
    return round(total, 2)


def tally(rows, firsts: dict[int, datetime], start: datetime, end: datetime,
          rates: dict[str, dict[str, float]]) -> Tally:  # fmt: skip
    """Return the figures of some attributed posts (rows of :func:`attributed_posts`);
    ``new_authors`` are their authors whose first mention (``firsts``) falls inside
    ``[start, end)``."""
    rows = list(rows)
    result = Tally(posts=len(rows))
    result.engagements = sum((r.likes or 0) + (r.reposts or 0) + (r.replies or 0) for r in rows)
    known_views = [r.views for r in rows if r.views is not None]
    result.views = sum(known_views) if known_views else None
    for row in rows:
        result.sentiment[row.sentiment if row.sentiment in SENTIMENTS else "unknown"] += 1
    followers = {row.author_id: row.followers for row in rows}  # each author counted once
    result.reach = sum(count or 0 for count in followers.values())
    result.new_authors = sum(
        1 for author_id in followers if author_id in firsts and start <= firsts[author_id] < end
    )
    result.emv = emv(rows, rates)
    return result


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(scale * numerator / denominator, 4)


def cost_of(placements) -> float:
    """Fees and gift values of the placements that are not cancelled, in currency units."""
    cents = sum(
        (p.fee_cents or 0) + (p.gift_value_cents or 0) for p in placements if p.status != "cancelled"
    )
    return cents / 100


def lift_window(workspace: Workspace, campaign: crm.Campaign, today: date) -> tuple[date, int]:
    """Return the first local day of a campaign's lift window and how many days it has: its
    start to its end, or to today while it runs (days still to come have no mentions yet);
    0 days when it has not started."""
    first = campaign.start_on or today
    last = min(campaign.end_on or today, today)
    return first, max(0, (last - first).days + 1)


def lift(workspace: Workspace, start: datetime, end: datetime, authors: list[int] | None = None) -> dict:
    """Brand mentions per day inside ``[start, end)`` (bounds at local midnights of the
    workspace) against the same number of local days right before it: ``lift = during /
    before - 1`` (``None`` when nothing came before, or the window has no day yet)."""
    zone = ZoneInfo(workspace.timezone or "UTC")
    first = start.astimezone(zone).date()
    days = max(0, (end.astimezone(zone).date() - first).days)
    # local days, not 24-hour steps: a window across a clock change still starts at midnight
    before_start = local_midnight(first - timedelta(days=days), zone)

    def count(lo: datetime, hi: datetime) -> int:
        query = select(func.count()).select_from(Mention).where(
            Mention.workspace_id == workspace.id,
            Mention.created_at >= lo,
            Mention.created_at < hi,
        )
        if authors is not None:
            query = query.where(Mention.author_id.in_(authors)) if authors else query.where(false())
        return db.session.scalar(query) or 0

    if not days:
        return lift_of(0, 0, 0)
    return lift_of(days, count(start, end), count(before_start, start))


def lift_of(days: int, during: int, before: int) -> dict:
    """Return the lift of ``during`` mentions in ``days`` days against ``before`` in as many
    days right before: both rates per day, and ``during / before - 1`` (``None`` when nothing
    came before, or there is no day yet)."""
    if not days:
        return {"days": 0, "during_per_day": None, "before_per_day": None, "lift": None}
    per_day_during, per_day_before = during / days, before / days
    return {
        "days": days,
        "during_per_day": round(per_day_during, 4),
        "before_per_day": round(per_day_before, 4),
        "lift": _ratio(per_day_during, per_day_before) - 1 if before else None,
    }


def daily_mentions(workspace: Workspace, first: date, days: int,
                   authors: list[int] | None = None) -> list[dict]:  # fmt: skip
    """Return brand mentions per local day of the ``days`` days from ``first`` (the campaign's
    lift window) and of as many days right before, oldest first: ``{"day", "phase"
    ("before" or "during"), "mentions", "people"}``, ``people`` counting those by ``authors``
    (the campaign's people's accounts). The sums per phase are the counts behind :func:`lift`.

    Days are the workspace's local days (a day when clocks change lasts 23 or 25 hours)."""
    if days <= 0:
        return []
    zone = ZoneInfo(workspace.timezone or "UTC")
    before_first = first - timedelta(days=days)
    lo, hi = local_midnight(before_first, zone), local_midnight(first + timedelta(days=days), zone)
    dialect = db.session.get_bind().dialect.name
    day = local_day_sql(Mention.created_at, zone, lo, hi, dialect).label("day")
    window = [Mention.workspace_id == workspace.id, Mention.created_at >= lo, Mention.created_at < hi]
    totals = _aggregated_days(workspace, before_first, first + timedelta(days=days - 1))
    if totals is None:  # no fresh daily aggregate: count the window's mentions
        totals = {_as_date(found): total for found, total in db.session.execute(
            select(day, func.count()).where(*window).group_by(day))}  # fmt: skip
    people = {}
    if authors:  # the people's own posts: a few, found through the author index
        people = {_as_date(found): total for found, total in db.session.execute(
            select(day, func.count()).where(*window, Mention.author_id.in_(authors))
            .group_by(day))}  # fmt: skip
    rows = []
    for offset in range(2 * days):
        current = before_first + timedelta(days=offset)
        total, people_count = totals.get(current, 0), people.get(current, 0)
        rows.append({"day": current, "phase": "before" if offset < days else "during",
                     "mentions": total, "people": people_count})  # fmt: skip
    return rows


def _aggregated_days(workspace: Workspace, first: date, last: date) -> dict[date, int] | None:
    """Return every mention per local day from the daily aggregate, or ``None`` unless it is
    up to date in the workspace's time zone (then the mentions are counted instead, so the
    days always add up to :func:`lift`'s counts)."""
    from app.advocacy.services import daily
    from app.advocacy.services.cube import cube_for

    if not daily.fresh(workspace, workspace.timezone or "UTC"):
        return None
    cube = cube_for(workspace)
    return cube.mentions_per_day(first, last) if cube is not None else None


def _as_date(value) -> date:
    """A day as SQL returns it: a date (PostgreSQL) or ``YYYY-MM-DD`` text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _figures(t: Tally, cost: float) -> dict:
    return {
        "posts": t.posts,
        "engagements": t.engagements,
        "reach": t.reach,
        "views": t.views,
        "new_authors": t.new_authors,
        "sentiment": t.sentiment,
        "cost": round(cost, 2),
        "cpe": _ratio(cost, t.engagements),
        "cpm": _ratio(cost, t.reach, 1000),
        "cpv": _ratio(cost, t.views),
        "emv": t.emv,
        "roi": _ratio(t.emv - cost, cost) if t.emv is not None else None,
    }


def campaign_report(workspace: Workspace, campaign_id: int, today: date | None = None) -> dict:
    """Return a campaign's figures, its lift, the same figures per placement and person, and
    the brand mentions of each day of its lift window and of the days before it (``daily``)."""
    campaign = get_campaign(workspace, campaign_id)
    today = today or datetime.now(ZoneInfo(workspace.timezone or "UTC")).date()
    start, end = window(workspace, campaign, today)
    rates = emv_rates(workspace)
    posts = attributed_posts(workspace, campaign, today)
    firsts = first_mentions(workspace, (row.author_id for row in posts.values()))
    placements = list(
        db.session.scalars(
            select(crm.Placement).where(crm.Placement.campaign_id == campaign.id).order_by(crm.Placement.id)
        )
    )
    accounts = db.session.execute(
        select(crm.PersonAccount.person_id, crm.PersonAccount.author_id).where(
            crm.PersonAccount.person_id.in_(sorted({p.person_id for p in placements if p.person_id})),
            crm.PersonAccount.author_id.is_not(None),
        )
    ).all()
    authors_of: dict[int, list[int]] = {}
    for person_id, author_id in accounts:
        authors_of.setdefault(person_id, []).append(author_id)
    by_author: dict[int, list] = {}
    for row in posts.values():
        by_author.setdefault(row.author_id, []).append(row)

    per_placement = []
    for placement in placements:
        own = [posts[placement.mention_id]] if placement.mention_id in posts else []
        figures = _figures(tally(own, firsts, start, end, rates), cost_of([placement]))
        per_placement.append({
            "id": placement.id, "person_id": placement.person_id, "platform": placement.platform,
            "deliverable": placement.deliverable, "status": placement.status,
            "erid": placement.erid, "label_checked": placement.label_checked,
            "post_linked": placement.mention_id is not None, **figures,
        })  # fmt: skip
    per_person = []
    for person_id in sorted(authors_of):
        theirs = [row for a in set(authors_of[person_id]) for row in by_author.get(a, ())]
        cost = cost_of([p for p in placements if p.person_id == person_id])
        per_person.append({"person_id": person_id, **_figures(
            tally(theirs, firsts, start, end, rates), cost)})  # fmt: skip
    people_authors = sorted({a for authors in authors_of.values() for a in authors})
    first, days = lift_window(workspace, campaign, today)
    daily = daily_mentions(workspace, first, days, people_authors)
    # the lift's counts are the sums of the days before and during (one read, not four)
    sums = {(phase, key): sum(row[key] for row in daily if row["phase"] == phase)
            for phase in ("before", "during") for key in ("mentions", "people")}  # fmt: skip
    return {
        "campaign_id": campaign.id,
        "from": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "to": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        **_figures(tally(posts.values(), firsts, start, end, rates), cost_of(placements)),
        "lift": lift_of(days, sums["during", "mentions"], sums["before", "mentions"]),
        "people_lift": lift_of(days, sums["during", "people"], sums["before", "people"]),
        "per_placement": per_placement,
        "per_person": per_person,
        "daily": [row | {"day": row["day"].isoformat()} for row in daily],
        "emv_rates_set": bool(rates),
    }

