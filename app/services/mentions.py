"""Reading mentions and authors for the pages, the CLI and the API; correcting sentiment."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.ingest.record import normalize_handle, normalize_topic
from app.models import MENTION_KINDS, SENTIMENTS, Author, Mention, MentionTopic, Workspace
from app.params import MAX_PAGE, ParamError, Params
from app.services import search_index
from app.services.errors import NotFound, ServiceError
from app.services.tenancy import in_workspace


@dataclass
class MentionFilters:
    """The filters of the mentions list, as they appear in the query string."""

    q: str = ""
    platform: str = ""
    author: str = ""
    sentiment: str = ""
    topic: str = ""
    kind: str = ""
    since: str = ""
    until: str = ""
    after: str = ""  # an instant (UTC, ISO 8601): posts from it on (an alert's hour)
    before: str = ""  # an instant: posts before it
    page: int = 1
    author_id: int | None = None  # set by the author page, not read from the query string
    errors: list[ParamError] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> MentionFilters:
        """Read filters from a query-string mapping; bad values are dropped with an error."""
        params = Params(args)
        filters = cls(
            q=params.text("q"),
            platform=params.text("platform"),
            author=params.text("author"),
            sentiment=params.choice("sentiment", SENTIMENTS),
            topic=params.text("topic"),
            kind=params.choice("kind", MENTION_KINDS),
            since=params.day("since"),
            until=params.day("until"),
            after=params.moment("after"),
            before=params.moment("before"),
            page=params.integer("page", 1, 1, MAX_PAGE),
        )
        filters.errors = params.errors
        return filters

    def query_args(self, **overrides) -> dict:
        """Return the non-empty filters as query-string arguments, with ``overrides`` applied."""
        values = {
            item.name: getattr(self, item.name) for item in fields(self) if item.name != "errors"
        }
        values.update(overrides)
        return {
            key: value
            for key, value in values.items()
            if value not in ("", None) and not (key == "page" and value == 1)
        }

    @property
    def active(self) -> bool:
        """Return whether any filter is set."""
        return any(self.query_args(page=1).values())


@dataclass
class Page:
    """One page of a list."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _day_bounds(workspace: Workspace, day: str, end: bool) -> datetime:
    zone = ZoneInfo(workspace.timezone or "UTC")
    moment = datetime.combine(date.fromisoformat(day), time.min, tzinfo=zone)
    if end:
        moment += timedelta(days=1)
    return moment


def _filtered(workspace: Workspace, filters: MentionFilters) -> Select:
    query = in_workspace(Mention, workspace.id)
    if filters.q:
        query = query.where(search_index.text_contains(filters.q))
    if filters.platform:
        query = query.where(Mention.platform == filters.platform.lower())
    if filters.author:
        # The author's ids first (one per platform at most): with the ids in hand the
        # database walks that author's mentions instead of the whole workspace's.
        handle = normalize_handle(filters.author)
        ids = db.session.scalars(
            select(Author.id).where(Author.workspace_id == workspace.id, Author.handle == handle)
        ).all()
        query = query.where(Mention.author_id.in_(ids))
    if filters.author_id is not None:
        query = query.where(Mention.author_id == filters.author_id)
    if filters.sentiment:
        query = query.where(Mention.sentiment == filters.sentiment)
    if filters.kind:
        query = query.where(Mention.kind == filters.kind)
    if filters.topic:
        topics = {filters.topic.strip().lower(), normalize_topic(filters.topic)}
        # Driven from the topic index: a topic's mentions are found, not searched for.
        query = query.where(
            Mention.id.in_(
                select(MentionTopic.mention_id).where(
                    MentionTopic.workspace_id == workspace.id, MentionTopic.topic.in_(topics)
                )
            )
        )
    if filters.since:
        query = query.where(Mention.created_at >= _day_bounds(workspace, filters.since, end=False))
    if filters.until:
        query = query.where(Mention.created_at < _day_bounds(workspace, filters.until, end=True))
    if filters.after:
        query = query.where(Mention.created_at >= datetime.fromisoformat(filters.after))
    if filters.before:
        query = query.where(Mention.created_at < datetime.fromisoformat(filters.before))
    return query


def list_mentions(workspace: Workspace, filters: MentionFilters, per_page: int = 50) -> Page:
    """Return one page of the workspace's mentions matching ``filters``, newest first."""
    query = _filtered(workspace, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(
        query.options(selectinload(Mention.author), selectinload(Mention.topics))
        .order_by(Mention.created_at.desc(), Mention.id.desc())
        .limit(per_page)
        .offset((filters.page - 1) * per_page)
    ).all()
    return Page(list(items), total or 0, filters.page, per_page)


def platforms_of(workspace: Workspace) -> list[str]:
    """Return the platforms the workspace has mentions from."""
    return list(
        db.session.scalars(
            select(Author.platform)
            .where(Author.workspace_id == workspace.id)
            .distinct()
            .order_by(Author.platform)
        )
    )


def mention_count(workspace: Workspace) -> int:
    """Return how many mentions the workspace has."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Mention).where(Mention.workspace_id == workspace.id)
        )
        or 0
    )


def get_author(workspace: Workspace, author_id: int) -> Author:
    """Return one of the workspace's authors, or raise ``NotFound``."""
    author = db.session.get(Author, author_id)
    if author is None or author.workspace_id != workspace.id:
        raise NotFound("no such author in this workspace")
    return author


def find_author(workspace: Workspace, platform: str, handle: str) -> Author | None:
    """Return the author with this handle on this platform, if any."""
    return db.session.scalar(
        in_workspace(Author, workspace.id).where(
            Author.platform == platform.lower(), Author.handle == normalize_handle(handle)
        )
    )


@dataclass
class AuthorSummary:
    """What the author page shows above the posts."""

    sentiments: dict[str, int]
    topics: list[tuple[str, int]]
    kinds: dict[str, int]


def author_summary(workspace: Workspace, author: Author) -> AuthorSummary:
    """Return the author's sentiment and kind counts and top topics."""
    sentiments = dict(
        db.session.execute(
            select(Mention.sentiment, func.count())
            .where(Mention.workspace_id == workspace.id, Mention.author_id == author.id)
            .group_by(Mention.sentiment)
        ).all()
    )
    kinds = dict(
        db.session.execute(
            select(Mention.kind, func.count())
            .where(Mention.workspace_id == workspace.id, Mention.author_id == author.id)
            .group_by(Mention.kind)
        ).all()
    )
    # Driven from the author's mentions (an IN over their ids): joined the other way, the
    # planner may start from every topic of the workspace.
    their_mentions = select(Mention.id).where(
        Mention.workspace_id == workspace.id, Mention.author_id == author.id
    )
    topics = db.session.execute(
        select(MentionTopic.topic, func.count())
        .where(MentionTopic.mention_id.in_(their_mentions))
        .group_by(MentionTopic.topic)
        .order_by(func.count().desc(), MentionTopic.topic)
        .limit(20)
    ).all()
    return AuthorSummary(sentiments, [(topic, count) for topic, count in topics], kinds)


def correct_sentiment(workspace: Workspace, mention_id: int, label: str) -> Mention:
    """Set a mention's sentiment by hand; a person's label is never overwritten by computation."""
    if label not in ("positive", "neutral", "negative"):
        raise ServiceError("sentiment must be positive, neutral or negative")
    mention = db.session.get(Mention, mention_id)
    if mention is None or mention.workspace_id != workspace.id:
        raise NotFound("no such mention in this workspace")
    mention.sentiment = label
    mention.sentiment_score = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}[label]
    mention.sentiment_source = "person"
    db.session.commit()
    return mention
