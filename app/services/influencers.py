"""Reading scores for people: the influencer list, per-topic leaders, an author's scores,
their history across snapshots, their neighbourhood, and the communities."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.ingest.record import normalize_handle, normalize_topic
from app.models import (
    Author,
    AuthorScore,
    AuthorTopicScore,
    BotVerdict,
    CommunitySummary,
    Interaction,
    ScoreSnapshot,
    Workspace,
)
from app.services.mentions import Page
from app.services.scoring import latest_snapshot

ROLES = ("networker", "thought_leader", "trendsetter", "amplifier", "user")
SCORES = ("networker", "thought_leader", "trendsetter", "amplifier")
SORTS = {
    "score": AuthorScore.best_score,
    "networker": AuthorScore.networker,
    "thought_leader": AuthorScore.thought_leader,
    "trendsetter": AuthorScore.trendsetter,
    "amplifier": AuthorScore.amplifier,
    "followers": AuthorScore.followers,
    "posts": AuthorScore.posts,
    "engagement": AuthorScore.engagement,
    "sentiment": AuthorScore.sentiment,
    "degree": AuthorScore.degree,
    "bot": AuthorScore.bot_score,
    "handle": Author.handle,
    "topic_thought_leader": AuthorTopicScore.thought_leader,
    "topic_trendsetter": AuthorTopicScore.trendsetter,
}
SENTIMENT_BANDS = {"positive": (0.05, None), "negative": (None, -0.05), "neutral": (-0.05, 0.05)}


@dataclass
class InfluencerFilters:
    """The influencer list's filters, sort and page, as they appear in the query string."""

    role: str = ""
    topic: str = ""
    platform: str = ""
    min_score: str = ""
    sentiment: str = ""
    community: str = ""
    q: str = ""
    suspicious: str = ""  # "" shows all, "hide" hides flagged accounts, "only" shows only them
    sort: str = "score"
    order: str = "desc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> tuple[InfluencerFilters, list[str]]:
        """Read filters from a query-string mapping; return them and the problems found."""
        filters, errors = cls(), []
        for item in fields(cls):
            if item.name != "page" and args.get(item.name):
                setattr(filters, item.name, str(args.get(item.name)).strip()[:200])
        try:
            filters.page = max(1, int(args.get("page", 1)))
        except ValueError:
            filters.page = 1
        checks = (
            ("role", ROLES), ("sentiment", tuple(SENTIMENT_BANDS)), ("suspicious", ("hide", "only")),
            ("sort", tuple(SORTS)), ("order", ("asc", "desc")),
        )  # fmt: skip
        for name, allowed in checks:
            if getattr(filters, name) and getattr(filters, name) not in allowed:
                errors.append(f"{name} must be one of {', '.join(allowed)}")
                setattr(filters, name, cls.__dataclass_fields__[name].default)
        for name in ("min_score", "community"):
            value = getattr(filters, name)
            if value:
                try:
                    float(value) if name == "min_score" else int(value)
                except ValueError:
                    errors.append(f"{name} {value!r} is not a number")
                    setattr(filters, name, "")
        if filters.sort.startswith("topic_") and not filters.topic:
            filters.sort = "score"
        return filters, errors

    def query_args(self, **overrides) -> dict:
        """Return the non-default filters as query-string arguments, with ``overrides``."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        values.update(overrides)
        defaults = {item.name: item.default for item in fields(self)}
        return {k: v for k, v in values.items() if v not in ("", None) and v != defaults[k]}


@dataclass
class InfluencerRow:
    """One row of the influencer list."""

    score: AuthorScore
    author: Author
    topic: AuthorTopicScore | None = None


def _query(workspace: Workspace, snapshot: ScoreSnapshot, filters: InfluencerFilters):
    query = (
        select(AuthorScore, Author)
        .join(Author, Author.id == AuthorScore.author_id)
        .where(AuthorScore.snapshot_id == snapshot.id, AuthorScore.workspace_id == workspace.id)
    )
    topic_alias = None
    if filters.topic:
        topic = resolve_topic(snapshot, filters.topic)
        topic_alias = aliased(AuthorTopicScore)
        query = query.add_columns(topic_alias).join(
            topic_alias,
            and_(
                topic_alias.snapshot_id == snapshot.id,
                topic_alias.author_id == AuthorScore.author_id,
                topic_alias.topic == topic,
            ),
        )
    if filters.role:
        query = query.where(AuthorScore.role == filters.role)
    if filters.platform:
        query = query.where(Author.platform == filters.platform.lower())
    if filters.min_score:
        column = (
            getattr(AuthorScore, filters.role) if filters.role in SCORES else AuthorScore.best_score
        )
        query = query.where(column >= float(filters.min_score))
    if filters.sentiment:
        low, high = SENTIMENT_BANDS[filters.sentiment]
        if low is not None:
            query = query.where(AuthorScore.sentiment >= low)
        if high is not None:
            query = query.where(AuthorScore.sentiment <= high)
    if filters.community:
        query = query.where(AuthorScore.community == int(filters.community))
    if filters.q:
        needle = "%" + normalize_handle(filters.q).replace("%", "") + "%"
        query = query.where(or_(Author.handle.like(needle), func.lower(Author.name).like(needle)))
    if filters.suspicious:
        flagged = AuthorScore.bot_score >= snapshot.params.get("bot_threshold", 0.5)
        query = query.where(flagged if filters.suspicious == "only" else ~flagged)
    column = SORTS[filters.sort]
    if filters.sort.startswith("topic_") and topic_alias is not None:
        column = getattr(topic_alias, filters.sort.removeprefix("topic_"))
    direction = column.asc() if filters.order == "asc" else column.desc()
    nulls_last = case((column.is_(None), 1), else_=0)
    return query.order_by(nulls_last, direction, AuthorScore.author_id)


def resolve_topic(snapshot: ScoreSnapshot, text: str) -> str:
    """Return the ranked topic a person means: the exact text (a brand term) if ranked,
    else the hashtag. "rstats" finds the brand term rstats when ranked, else #rstats."""
    exact, tag = text.strip().lower(), normalize_topic(text)
    found = set(
        db.session.scalars(
            select(AuthorTopicScore.topic)
            .where(
                AuthorTopicScore.snapshot_id == snapshot.id,
                AuthorTopicScore.topic.in_({exact, tag}),
            )
            .distinct()
        )
    )
    return exact if exact in found else tag


def list_influencers(
    workspace: Workspace, filters: InfluencerFilters, per_page: int = 50, snapshot=None
) -> Page:
    """Return one page of the latest snapshot's authors matching ``filters``."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return Page([], 0, 1, per_page)
    query = _query(workspace, snapshot, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((filters.page - 1) * per_page)).all()
    return Page([InfluencerRow(*row) for row in rows], total or 0, filters.page, per_page)


def iter_influencers(workspace: Workspace, filters: InfluencerFilters, limit: int = 100_000):
    """Yield every row of the current view (for exports), in its order, at most ``limit``."""
    snapshot = latest_snapshot(workspace)
    if snapshot is None:
        return
    query = _query(workspace, snapshot, filters).limit(limit)
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        yield InfluencerRow(*row)


def row_json(row: InfluencerRow) -> dict:
    """Return an influencer row as the API and CLI print it."""
    s, a = row.score, row.author
    data = {
        "author_id": a.id,
        "platform": a.platform,
        "handle": a.display_handle,
        "name": a.name,
        "role": s.role,
        "scores": {name: getattr(s, name) for name in SCORES},
        "followers": s.followers,
        "mentions": s.posts,
        "engagement": s.engagement,
        "sentiment": s.sentiment,
        "degree": s.degree,
        "community": s.community,
        "bot_score": s.bot_score,
    }
    if row.topic is not None:
        data["topic"] = {
            "topic": row.topic.topic,
            "thought_leader": row.topic.thought_leader,
            "trendsetter": row.topic.trendsetter,
            "posts": row.topic.posts,
        }
    return data


def ranked_topics(workspace: Workspace, snapshot=None) -> list[tuple[str, int]]:
    """Return the topics ranked in the latest snapshot with how many authors rank on each."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return []
    return [
        (topic, count)
        for topic, count in db.session.execute(
            select(AuthorTopicScore.topic, func.count())
            .where(AuthorTopicScore.snapshot_id == snapshot.id)
            .group_by(AuthorTopicScore.topic)
            .order_by(func.count().desc(), AuthorTopicScore.topic)
        )
    ]


def author_score(workspace: Workspace, author_id: int, snapshot=None) -> AuthorScore | None:
    """Return the author's scores in the latest snapshot, if scored."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return None
    return db.session.scalar(
        select(AuthorScore).where(
            AuthorScore.snapshot_id == snapshot.id,
            AuthorScore.workspace_id == workspace.id,
            AuthorScore.author_id == author_id,
        )
    )


def author_topics(workspace: Workspace, author_id: int, snapshot=None) -> list[AuthorTopicScore]:
    """Return the author's per-topic scores in the latest snapshot, best first."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return []
    return list(
        db.session.scalars(
            select(AuthorTopicScore)
            .where(
                AuthorTopicScore.snapshot_id == snapshot.id,
                AuthorTopicScore.workspace_id == workspace.id,
                AuthorTopicScore.author_id == author_id,
            )
            .order_by((AuthorTopicScore.thought_leader + AuthorTopicScore.trendsetter).desc())
        )
    )


def score_history(workspace: Workspace, author_id: int, limit: int = 200) -> list[tuple]:
    """Return ``(snapshot, score)`` pairs for the author across snapshots, oldest first."""
    rows = db.session.execute(
        select(ScoreSnapshot, AuthorScore)
        .join(AuthorScore, AuthorScore.snapshot_id == ScoreSnapshot.id)
        .where(AuthorScore.workspace_id == workspace.id, AuthorScore.author_id == author_id)
        .order_by(ScoreSnapshot.id.desc())
        .limit(limit)
    ).all()
    return [(snapshot, score) for snapshot, score in reversed(rows)]


@dataclass
class Neighbour:
    """Someone an author interacts with, and how."""

    author: Author
    outgoing: int
    incoming: int
    kinds: dict[str, int]


def neighbourhood(workspace: Workspace, author_id: int, limit: int = 30) -> list[Neighbour]:
    """Return the author's strongest ties: who they address and who addresses them."""
    out = db.session.execute(
        select(Interaction.target_author_id, Interaction.kind, func.count())
        .where(Interaction.workspace_id == workspace.id, Interaction.source_author_id == author_id)
        .group_by(Interaction.target_author_id, Interaction.kind)
    ).all()
    inc = db.session.execute(
        select(Interaction.source_author_id, Interaction.kind, func.count())
        .where(Interaction.workspace_id == workspace.id, Interaction.target_author_id == author_id)
        .group_by(Interaction.source_author_id, Interaction.kind)
    ).all()
    ties: dict[int, list] = {}
    for other, kind, count in out:
        tie = ties.setdefault(other, [0, 0, {}])
        tie[0] += count
        tie[2][f"{kind} →"] = tie[2].get(f"{kind} →", 0) + count
    for other, kind, count in inc:
        tie = ties.setdefault(other, [0, 0, {}])
        tie[1] += count
        tie[2][f"← {kind}"] = tie[2].get(f"← {kind}", 0) + count
    strongest = sorted(ties.items(), key=lambda item: -(item[1][0] + item[1][1]))[:limit]
    authors = {
        a.id: a
        for a in db.session.scalars(select(Author).where(Author.id.in_([k for k, _ in strongest])))
    }
    return [Neighbour(authors[k], t[0], t[1], t[2]) for k, t in strongest if k in authors]


def communities(workspace: Workspace, snapshot=None) -> list[tuple[CommunitySummary, list[Author]]]:
    """Return the latest snapshot's communities, largest first, with their top members."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return []
    summaries = list(
        db.session.scalars(
            select(CommunitySummary)
            .where(CommunitySummary.snapshot_id == snapshot.id)
            .order_by(CommunitySummary.size.desc())
        )
    )
    ids = {member for s in summaries for member in s.top_members[:5]}
    authors = {a.id: a for a in db.session.scalars(select(Author).where(Author.id.in_(ids)))}
    return [(s, [authors[m] for m in s.top_members[:5] if m in authors]) for s in summaries]


def bot_verdicts(workspace: Workspace) -> dict[int, str]:
    """Return people's verdicts on accounts: author id -> ``not_bot`` / ``bot``."""
    return dict(
        db.session.execute(
            select(BotVerdict.author_id, BotVerdict.verdict).where(
                BotVerdict.workspace_id == workspace.id
            )
        ).all()
    )
