"""Reading scores for people: the influencer list, per-topic leaders, an author's scores,
their history across snapshots, their neighbourhood, and the communities."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.crm.services import touches as contact_service
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
from app.params import MAX_ID, MAX_PAGE, ParamError, Params
from app.services import job_records
from app.services.errors import NotFound
from app.services.mentions import Page
from app.services.scoring import latest_snapshot

ROLES = ("networker", "thought_leader", "trendsetter", "amplifier", "user")
SCORES = ("networker", "thought_leader", "trendsetter", "amplifier")
SORTS = {
    "score": AuthorScore.standing,  # people with a role first, then by their best score
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
CONTACTED = ("no", "yes")


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
    contacted: str = ""  # "" shows all, "no" only authors not contacted yet, "yes" the others
    sort: str = "score"
    order: str = "desc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> tuple[InfluencerFilters, list[ParamError]]:
        """Read filters from a query-string mapping; return them and the problems found."""
        params = Params(args)
        min_score = params.number("min_score", None, 0, 100)
        community = params.integer("community", None, 0, MAX_ID)
        filters = cls(
            role=params.choice("role", ROLES),
            topic=params.text("topic"),
            platform=params.text("platform"),
            min_score="" if min_score is None else params.raw("min_score"),
            sentiment=params.choice("sentiment", SENTIMENT_BANDS),
            community="" if community is None else str(community),
            q=params.text("q"),
            suspicious=params.choice("suspicious", ("hide", "only")),
            contacted=params.choice("contacted", CONTACTED),
            sort=params.choice("sort", SORTS, default="score"),
            order=params.choice("order", ("asc", "desc"), default="desc"),
            page=params.integer("page", 1, 1, MAX_PAGE),
        )
        if filters.sort.startswith("topic_") and not filters.topic:
            filters.sort = "score"
        return filters, params.errors

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
    last_contacted: datetime | None = None

    @property
    def reasons(self) -> list[str]:
        """Return the reasons for the author's role, in plain words."""
        return reasons_of(self.score)


NULLABLE_SORTS = frozenset({"followers", "sentiment"})


def _topic_join(query, snapshot: ScoreSnapshot, topic: str, with_columns: bool):
    alias = aliased(AuthorTopicScore)
    if with_columns:
        query = query.add_columns(alias)
    query = query.join(
        alias,
        and_(
            alias.snapshot_id == snapshot.id,
            alias.author_id == AuthorScore.author_id,
            alias.topic == topic,
        ),
    )
    return query, alias


def _ordering(filters: InfluencerFilters, topic_alias) -> list:
    column = SORTS[filters.sort]
    if filters.sort.startswith("topic_") and topic_alias is not None:
        column = getattr(topic_alias, filters.sort.removeprefix("topic_"))
    direction = column.asc() if filters.order == "asc" else column.desc()
    # Only nullable columns need "nulls last"; a CASE on the others would keep the database
    # from walking the (snapshot_id, standing) index for the default order.
    if filters.sort in NULLABLE_SORTS:
        return [case((column.is_(None), 1), else_=0), direction, AuthorScore.author_id]
    return [direction, AuthorScore.author_id]


def _query(
    workspace: Workspace,
    snapshot: ScoreSnapshot,
    filters: InfluencerFilters,
    *,
    count: bool = False,
    ids: bool = False,
    topic: str | None = None,
):
    """Return the view's query: its rows, or with ``count`` its count, or with ``ids`` the
    ordered ids of its score rows; authors are joined only where a filter or sort needs them."""
    needs_author = bool(filters.platform) or (ids and filters.sort == "handle")
    if count:
        query = select(func.count()).select_from(AuthorScore)
    elif ids:
        query = select(AuthorScore.id)
    else:
        query = select(AuthorScore, Author)
        needs_author = True
    if needs_author:
        query = query.join(Author, Author.id == AuthorScore.author_id)
    # The snapshot is the workspace's (list_influencers checks it), so it alone scopes the
    # rows. Naming the workspace too tempted SQLite into its (workspace, author, snapshot)
    # index, which walks every snapshot ever kept: 0.3 s at 16 snapshots of 180k authors.
    query = query.where(AuthorScore.snapshot_id == snapshot.id)
    topic_alias = None
    if filters.topic:
        topic = topic or resolve_topic(snapshot, filters.topic)
        query, topic_alias = _topic_join(query, snapshot, topic, not (count or ids))
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
        # Matching authors are found once, on the authors table, rather than row by row
        # while walking the scores in order.
        needle = normalize_handle(filters.q)
        needle = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = select(Author.id).where(
            Author.workspace_id == workspace.id,
            or_(Author.handle.like(needle, escape="\\"), _name_like(needle)),
        )
        query = query.where(AuthorScore.author_id.in_(matching))
    if filters.suspicious:
        flagged = AuthorScore.bot_score >= bot_threshold(snapshot)
        query = query.where(flagged if filters.suspicious == "only" else ~flagged)
    if filters.contacted:
        query = query.where(
            contact_service.contacted_filter(
                workspace.id, AuthorScore.author_id, contacted=filters.contacted == "yes"
            )
        )
    if count:
        return query
    return query.order_by(*_ordering(filters, topic_alias))


def _page_query(workspace, snapshot, filters: InfluencerFilters, topic: str | None, limit, offset):
    """Return the rows of one page: the page's ids are chosen on the narrow score rows first,
    then only those rows are joined to their authors (a late row lookup: sorting 200k rows
    joined to their authors costs twice as much)."""
    page_ids = _query(workspace, snapshot, filters, ids=True, topic=topic).limit(limit)
    page_ids = page_ids.offset(offset)
    query = select(AuthorScore, Author).join(Author, Author.id == AuthorScore.author_id)
    topic_alias = None
    if filters.topic:
        query, topic_alias = _topic_join(query, snapshot, topic, True)
    query = query.where(AuthorScore.id.in_(page_ids.scalar_subquery()))
    return query.order_by(*_ordering(filters, topic_alias))


def _name_like(needle: str):
    """Match a lower-cased LIKE pattern against author names, ignoring case.

    SQLite's LIKE already ignores ASCII case, so an ASCII pattern skips lower() (a Python
    function there, registered for Cyrillic, which costs ~1 µs a row on 200k authors).
    """
    if needle.isascii() and db.session.get_bind().dialect.name == "sqlite":
        return Author.name.like(needle, escape="\\")
    return func.lower(Author.name).like(needle, escape="\\")


def bot_threshold(snapshot: ScoreSnapshot | None) -> float:
    """Return the bot score from which the snapshot flags an account as suspicious."""
    return float(((snapshot.params or {}) if snapshot else {}).get("bot_threshold", 0.5))


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


def _count(workspace, snapshot, filters: InfluencerFilters, topic: str | None) -> int:
    """Return how many rows the view has. "Not contacted" is counted as everyone minus the
    contacted: counting those is a lookup per contacted author, where counting the others
    directly would test every scored author (~130 ms more on 200k)."""
    if filters.contacted == "no":
        everyone = replace(filters, contacted="")
        touched = replace(filters, contacted="yes")
        return _count(workspace, snapshot, everyone, topic) - _count(
            workspace, snapshot, touched, topic
        )
    return db.session.scalar(_query(workspace, snapshot, filters, count=True, topic=topic)) or 0


def list_influencers(
    workspace: Workspace, filters: InfluencerFilters, per_page: int = 50, snapshot=None
) -> Page:
    """Return one page of the latest snapshot's authors matching ``filters``."""
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return Page([], 0, 1, per_page)
    if snapshot.workspace_id != workspace.id:
        raise NotFound("no such scoring run in this workspace")
    topic = resolve_topic(snapshot, filters.topic) if filters.topic else None
    total = _count(workspace, snapshot, filters, topic)
    offset = (filters.page - 1) * per_page
    rows = [
        InfluencerRow(*row)
        for row in db.session.execute(
            _page_query(workspace, snapshot, filters, topic, per_page, offset)
        )
    ]
    # One grouped lookup on the contacts index for the page's authors only.
    latest = contact_service.last_contacted(workspace, [row.author.id for row in rows])
    for row in rows:
        row.last_contacted = latest.get(row.author.id)
    return Page(rows, total or 0, filters.page, per_page)


def iter_influencers(workspace: Workspace, filters: InfluencerFilters, limit: int = 100_000):
    """Yield every row of the current view (for exports), in its order, at most ``limit``."""
    snapshot = latest_snapshot(workspace)
    if snapshot is None:
        return
    query = _query(workspace, snapshot, filters).limit(limit)
    # Contacted authors are few next to the scored ones: their latest contacts fit in memory.
    latest = contact_service.last_contacted(workspace)
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        item = InfluencerRow(*row)
        item.last_contacted = latest.get(item.author.id)
        yield item


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
        "last_contacted_at": row.last_contacted.isoformat() if row.last_contacted else None,
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


# ---------------------------------------------------------------------------------------------
# The pages: discovery table, exports, runs, topics, communities, suspicious accounts, author.


def sentiment_label(value: float | None) -> str:
    """Return the band of an average sentiment score: positive, neutral, negative or unknown."""
    if value is None:
        return "unknown"
    if value >= SENTIMENT_BANDS["positive"][0]:
        return "positive"
    if value <= SENTIMENT_BANDS["negative"][1]:
        return "negative"
    return "neutral"


def describe_feature(name: str, value: float) -> str:
    """Return a feature in plain words ("talks with 12 distinct people") from graph.FEATURES."""
    from graph.roles import FEATURES

    spec = FEATURES.get(name)
    if spec is None:
        return f"{name.replace('_', ' ')}: {value:g}"
    # Per-author context (how many adopters, posts, which share) is kept for notable authors
    # only: a sentence that needs it is the feature's name and value instead ("addressed by:
    # 14"; app.reasons names it in Russian), not a sentence with a hole in it.
    context = {"topic": "their main topic"}
    try:
        text = spec[2].format(v=value, **context)
    except (ValueError, KeyError, IndexError):
        text = f"{name.replace('_', ' ')}: {value:g}"
    return " ".join(text.split())


def feature_role(name: str) -> str:
    """Return the role a feature counts towards."""
    from graph.roles import FEATURES

    return FEATURES[name][0] if name in FEATURES else ""


def reasons_of(score: AuthorScore | None, limit: int = 3) -> list[str]:
    """Return the reasons for the author's role: stored ones, else their strongest features.

    The long tail of quiet accounts has no stored reasons (a snapshot keeps them for the
    authors with a role, the top of each role and flagged accounts): they are explained
    from the scores and activity kept for everyone.
    """
    if score is None:
        return []
    if not score.detail:
        return quiet_reasons(score)
    if score.detail.get("reasons"):
        return list(score.detail["reasons"])
    ranked = sorted(
        ((item[1], name, item[0]) for name, item in (score.detail.get("features") or {}).items()),
        key=lambda entry: -entry[0],
    )
    return [
        f"{describe_feature(name, value)} ({percentile:.0f}th percentile)"
        for percentile, name, value in ranked[:limit]
        if percentile > 0
    ]


def quiet_reasons(score: AuthorScore) -> list[str]:
    """Explain a quiet account's role from its stored scores and activity."""
    best = max(SCORES, key=lambda role: getattr(score, role))
    snapshot = db.session.get(ScoreSnapshot, score.snapshot_id)
    threshold = float((snapshot.params or {}).get("role_threshold", 50)) if snapshot else 50.0
    posts = "post" if score.posts == 1 else "posts"
    people = "person" if score.degree == 1 else "people"
    return [
        f"no role: best is {best.replace('_', ' ')} at {getattr(score, best):.0f}, "
        f"role threshold {threshold:.0f}",
        f"{score.posts:,} {posts} in the window, in touch with {score.degree:,} {people}",
    ]


@dataclass
class RunState:
    """The scoring runs a page talks about: the one shown, and the one under way or failed."""

    snapshot: ScoreSnapshot | None
    run: ScoreSnapshot | None  # queued, running, or failed after the shown snapshot

    @property
    def threshold(self) -> float:
        return bot_threshold(self.snapshot)

    @property
    def role_threshold(self) -> float:
        """The score a role needs in the shown snapshot."""
        return float(((self.snapshot.params or {}) if self.snapshot else {}).get("role_threshold", 50))


def run_state(workspace: Workspace) -> RunState:
    """Return the latest finished snapshot and any newer run that is under way or failed.

    A failed run never replaces the snapshot shown: the previous scores stay in place.
    """
    job_records.close_stale("scoring", workspace.id)
    snapshot = latest_snapshot(workspace)
    newest = db.session.scalar(
        select(ScoreSnapshot)
        .where(ScoreSnapshot.workspace_id == workspace.id)
        .order_by(ScoreSnapshot.id.desc())
        .limit(1)
    )
    run = newest if newest is not None and newest.status != "done" else None
    return RunState(snapshot, run)


def get_snapshot(workspace: Workspace, snapshot_id: int) -> ScoreSnapshot | None:
    """Return one of the workspace's scoring runs, or ``None``."""
    job_records.close_stale("scoring", workspace.id)
    snapshot = db.session.get(ScoreSnapshot, snapshot_id)
    return snapshot if snapshot is not None and snapshot.workspace_id == workspace.id else None


@dataclass
class Discovery:
    """What the influencer list shows: the runs, one page of rows, and community names."""

    state: RunState
    page: Page
    communities: dict[int, str]
    platforms: list[str]


def community_names(snapshot: ScoreSnapshot | None, numbers) -> dict[int, str]:
    """Return the names of the snapshot's communities with these numbers."""
    numbers = {n for n in numbers if n is not None and n >= 0}
    if snapshot is None or not numbers:
        return {}
    return dict(
        db.session.execute(
            select(CommunitySummary.number, CommunitySummary.name).where(
                CommunitySummary.snapshot_id == snapshot.id,
                CommunitySummary.number.in_(numbers),
            )
        ).all()
    )


def discovery(workspace: Workspace, filters: InfluencerFilters, per_page: int = 50) -> Discovery:
    """Return the influencer list page: one page of the view, its count, and what it needs."""
    from app.services.mentions import platforms_of

    state = run_state(workspace)
    page = list_influencers(workspace, filters, per_page=per_page, snapshot=state.snapshot)
    numbers = [row.score.community for row in page.items]
    if filters.community:
        numbers.append(int(filters.community))
    return Discovery(state, page, community_names(state.snapshot, numbers), platforms_of(workspace))


EXPORT_HEADER = [
    "handle", "name", "platform", "role", "networker", "thought_leader", "trendsetter",
    "amplifier", "followers", "mentions", "engagement", "sentiment", "community", "degree",
    "bot_score", "suspicious", "top_reason", "profile_url", "last_contacted_utc",
]  # fmt: skip
TOPIC_HEADER = ["topic", "topic_thought_leader", "topic_trendsetter", "topic_posts"]


def export_rows(workspace: Workspace, filters: InfluencerFilters, limit: int = 100_000):
    """Yield the header, then every row of the current view as plain values, in its order."""
    snapshot = latest_snapshot(workspace)
    threshold = bot_threshold(snapshot)
    yield EXPORT_HEADER + (TOPIC_HEADER if filters.topic else [])
    for row in iter_influencers(workspace, filters, limit=limit):
        s, a = row.score, row.author
        reasons = reasons_of(s, limit=1)
        values = [
            a.display_handle, a.name or "", a.platform, s.role, s.networker, s.thought_leader,
            s.trendsetter, s.amplifier, s.followers, s.posts, s.engagement, s.sentiment,
            s.community, s.degree, s.bot_score, "yes" if s.bot_score >= threshold else "",
            reasons[0] if reasons else "", a.url or "",
            row.last_contacted.strftime("%Y-%m-%d %H:%M") if row.last_contacted else "",
        ]  # fmt: skip
        if filters.topic:
            t = row.topic
            values += [t.topic, t.thought_leader, t.trendsetter, t.posts] if t else ["", "", "", ""]
        yield values


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value) -> str | float | int | None:
    """Keep a spreadsheet from running text as a formula (CSV injection): prefix with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(workspace: Workspace, filters: InfluencerFilters):
    """Yield the current view as CSV text chunks: UTF-8 with a BOM so Excel reads Cyrillic."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for number, values in enumerate(export_rows(workspace, filters)):
        writer.writerow(["" if v is None else _cell_text(v) for v in values])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_xlsx(workspace: Workspace, filters: InfluencerFilters) -> bytes:
    """Return the current view as an Excel workbook (write-only, so large views stay light;
    text is never a formula: see app.services.spreadsheet)."""
    from app.services.spreadsheet import workbook

    return workbook([("Influencers", export_rows(workspace, filters))])


def export_filename(workspace: Workspace, extension: str) -> str:
    """Return the download name of an export: influencers-<slug>-<date>.<extension>."""
    from datetime import date

    return f"influencers-{workspace.slug}-{date.today().isoformat()}.{extension}"


@dataclass
class TopicLeaders:
    """Who leads the conversation about one topic."""

    topic: str
    thought_leaders: list[tuple[AuthorTopicScore, Author]]
    trendsetters: list[tuple[AuthorTopicScore, Author]]


def topic_leaders(workspace: Workspace, text: str, limit: int = 15) -> TopicLeaders | None:
    """Return the top thought leaders and trendsetters on a topic in the latest snapshot."""
    snapshot = latest_snapshot(workspace)
    if snapshot is None or not text.strip():
        return None
    topic = resolve_topic(snapshot, text)

    def top(column):
        return [
            (score, author)
            for score, author in db.session.execute(
                select(AuthorTopicScore, Author)
                .join(Author, Author.id == AuthorTopicScore.author_id)
                .where(
                    AuthorTopicScore.snapshot_id == snapshot.id,
                    AuthorTopicScore.workspace_id == workspace.id,
                    AuthorTopicScore.topic == topic,
                    column > 0,
                )
                .order_by(column.desc(), AuthorTopicScore.author_id)
                .limit(limit)
            )
        ]

    return TopicLeaders(
        topic, top(AuthorTopicScore.thought_leader), top(AuthorTopicScore.trendsetter)
    )


def community_page(workspace: Workspace, page: int = 1, per_page: int = 50) -> Page:
    """Return one page of the latest snapshot's communities, largest first, with top members."""
    snapshot = latest_snapshot(workspace)
    if snapshot is None:
        return Page([], 0, 1, per_page)
    where = (
        CommunitySummary.snapshot_id == snapshot.id,
        CommunitySummary.workspace_id == workspace.id,
    )
    total = db.session.scalar(select(func.count()).select_from(CommunitySummary).where(*where))
    summaries = list(
        db.session.scalars(
            select(CommunitySummary)
            .where(*where)
            .order_by(CommunitySummary.size.desc(), CommunitySummary.number)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    ids = {member for s in summaries for member in s.top_members[:8]}
    authors = {
        a.id: a
        for a in db.session.scalars(
            select(Author).where(Author.workspace_id == workspace.id, Author.id.in_(ids))
        )
    }
    items = [(s, [authors[m] for m in s.top_members[:8] if m in authors]) for s in summaries]
    return Page(items, total or 0, page, per_page)


@dataclass
class SuspiciousRow:
    """An account flagged as a likely bot, or judged by a person."""

    score: AuthorScore
    author: Author
    verdict: str | None


def suspicious_accounts(workspace: Workspace, page: int = 1, per_page: int = 50) -> Page:
    """Return flagged accounts (bot score at or above the threshold) and judged ones, worst first."""
    snapshot = latest_snapshot(workspace)
    if snapshot is None:
        return Page([], 0, 1, per_page)
    judged = select(BotVerdict.author_id).where(BotVerdict.workspace_id == workspace.id)
    condition = and_(
        AuthorScore.snapshot_id == snapshot.id,  # the workspace's latest: it scopes the rows
        or_(AuthorScore.bot_score >= bot_threshold(snapshot), AuthorScore.author_id.in_(judged)),
    )
    total = db.session.scalar(select(func.count()).select_from(AuthorScore).where(condition))
    rows = db.session.execute(
        select(AuthorScore, Author, BotVerdict.verdict)
        .join(Author, Author.id == AuthorScore.author_id)
        .outerjoin(
            BotVerdict,
            and_(
                BotVerdict.workspace_id == workspace.id,
                BotVerdict.author_id == AuthorScore.author_id,
            ),
        )
        .where(condition)
        .order_by(AuthorScore.bot_score.desc(), AuthorScore.author_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page([SuspiciousRow(*row) for row in rows], total or 0, page, per_page)


def verdict_of(workspace: Workspace, author_id: int) -> str | None:
    """Return a person's verdict on the account (``not_bot`` / ``bot``), if any."""
    return db.session.scalar(
        select(BotVerdict.verdict).where(
            BotVerdict.workspace_id == workspace.id, BotVerdict.author_id == author_id
        )
    )


@dataclass
class FeatureRow:
    """One feature behind a score, in plain words, with its raw value."""

    name: str
    text: str
    value: float
    percentile: float
    share: float | None


@dataclass
class RoleExplanation:
    """One of the four scores with the reasons and features behind it."""

    role: str
    score: float
    lines: list[str]
    features: list[FeatureRow]


@dataclass
class AuthorProfile:
    """Everything the author page shows about an author's influence."""

    snapshot: ScoreSnapshot | None
    score: AuthorScore | None
    reasons: list[str]
    roles: list[RoleExplanation]
    history: list[tuple[ScoreSnapshot, AuthorScore]]
    chart: dict
    topics: list[AuthorTopicScore]
    neighbours: list[Neighbour]
    community: CommunitySummary | None
    verdict: str | None
    threshold: float

    @property
    def suspicious(self) -> bool:
        return self.score is not None and self.score.bot_score >= self.threshold

    @property
    def role_threshold(self) -> float:
        """The score a role needs in the shown snapshot."""
        params = (self.snapshot.params or {}) if self.snapshot else {}
        return float(params.get("role_threshold", 50))


def _explain_roles(score: AuthorScore) -> list[RoleExplanation]:
    detail = score.detail or {}
    explanations = detail.get("explanations") or {}
    features = detail.get("features") or {}
    roles = []
    for role in SCORES:
        rows = [
            FeatureRow(
                name, describe_feature(name, item[0]), item[0], item[1],
                item[2] if len(item) > 2 else None,
            )
            for name, item in features.items()
            if feature_role(name) == role
        ]  # fmt: skip
        rows.sort(key=lambda row: -(row.share if row.share is not None else row.percentile))
        roles.append(
            RoleExplanation(role, getattr(score, role), list(explanations.get(role, [])), rows)
        )
    return roles


def history_chart(history: list[tuple[ScoreSnapshot, AuthorScore]]) -> dict:
    """Return the score history as plain data for the chart (labels, one series per score)."""
    return {
        "labels": [
            (snap.finished_at or snap.created_at).strftime("%Y-%m-%d %H:%M") for snap, _ in history
        ],
        "series": {role: [getattr(score, role) for _, score in history] for role in SCORES},
    }


def author_profile(workspace: Workspace, author_id: int) -> AuthorProfile:
    """Return the author's role, reasons, explained scores, history, topics and ties."""
    snapshot = latest_snapshot(workspace)
    score = author_score(workspace, author_id, snapshot) if snapshot else None
    history = score_history(workspace, author_id) if snapshot else []
    community = None
    if score is not None and score.community >= 0:
        community = db.session.scalar(
            select(CommunitySummary).where(
                CommunitySummary.snapshot_id == snapshot.id,
                CommunitySummary.number == score.community,
            )
        )
    return AuthorProfile(
        snapshot=snapshot,
        score=score,
        reasons=reasons_of(score, limit=5),
        roles=_explain_roles(score) if score is not None else [],
        history=history,
        chart=history_chart(history),
        topics=author_topics(workspace, author_id, snapshot) if snapshot else [],
        neighbours=neighbourhood(workspace, author_id, limit=20),
        community=community,
        verdict=verdict_of(workspace, author_id),
        threshold=bot_threshold(snapshot),
    )
