"""Scoring snapshots: each run's parameters and counts, every author's roles and scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

ROLE_NAMES = ("networker", "thought_leader", "trendsetter", "amplifier", "user")
SCORE_COLUMNS = ("networker", "thought_leader", "trendsetter", "amplifier")


class ScoreSnapshot(Base):
    """One scoring run of a workspace over a time window; kept to follow roles over months."""

    __tablename__ = "score_snapshots"
    __table_args__ = (Index("ix_score_snapshots_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]  # when a background runner took it up (its clock)
    finished_at: Mapped[datetime | None]
    trigger: Mapped[str] = mapped_column(String(16), default="manual")  # manual/cli/import/api
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued/running/done/failed
    phase: Mapped[str | None] = mapped_column(String(32))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    timings: Mapped[dict] = mapped_column(JSON, default=dict)
    message: Mapped[str | None] = mapped_column(Text)


class AuthorScore(Base):
    """An author's roles and scores in one snapshot; ``detail`` explains them (latest only)."""

    __tablename__ = "author_scores"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "author_id"),
        Index("ix_author_scores_author", "workspace_id", "author_id", "snapshot_id"),
        Index("ix_author_scores_snapshot_best", "snapshot_id", "best_score"),
        # the list's default order: people with a role first (see ``standing``)
        Index("ix_author_scores_snapshot_standing", "snapshot_id", "standing"),
        # The influencer list filters by role and by the suspicious flag: these keep those
        # views of a 200k-author snapshot in tens of ms. (An index per sortable column would
        # add a second per index to every scoring run; those sorts take ~200 ms unindexed.)
        Index("ix_author_scores_snapshot_role", "snapshot_id", "role", "best_score"),
        Index("ix_author_scores_snapshot_bot", "snapshot_id", "bot_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("score_snapshots.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    networker: Mapped[float] = mapped_column(Float)
    thought_leader: Mapped[float] = mapped_column(Float)
    trendsetter: Mapped[float] = mapped_column(Float)
    amplifier: Mapped[float] = mapped_column(Float)
    best_score: Mapped[float] = mapped_column(Float)
    # the default order of the influencer list: a role holder's role score; for everyone
    # else best_score - 100, so people with a role (and the evidence it needs) come first
    standing: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    bot_score: Mapped[float] = mapped_column(Float, default=0.0)
    community: Mapped[int] = mapped_column(Integer, default=-1)
    followers: Mapped[int | None] = mapped_column(BigInteger)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    engagement: Mapped[int] = mapped_column(BigInteger, default=0)
    sentiment: Mapped[float | None] = mapped_column(Float)
    degree: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime | None]
    detail: Mapped[dict | None] = mapped_column(JSON)

    def lacks_evidence(self, role: str, threshold: float = 50.0) -> bool:
        """Say whether the ``role`` score reaches the role threshold and still is not the
        author's role, or below a role they have: the evidence the role needs is missing.

        (A primary role is the best score that reaches the threshold with its evidence, so a
        higher score that did not make it lacks evidence.) The author page says what is missing.
        """
        value = getattr(self, role)
        if value < threshold or role == self.role:
            return False
        return self.role not in SCORE_COLUMNS or value > getattr(self, self.role)


class AuthorTopicScore(Base):
    """An author's thought-leader and trendsetter scores on one topic in one snapshot."""

    __tablename__ = "author_topic_scores"
    __table_args__ = (
        Index("ix_author_topic_scores_topic", "snapshot_id", "topic", "thought_leader"),
        Index("ix_author_topic_scores_author", "snapshot_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("score_snapshots.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(200))
    thought_leader: Mapped[float] = mapped_column(Float)
    trendsetter: Mapped[float] = mapped_column(Float)
    posts: Mapped[int] = mapped_column(Integer, default=0)


class CommunitySummary(Base):
    """A detected community of one snapshot, named by its top topics and members."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("snapshot_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("score_snapshots.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    top_topics: Mapped[list] = mapped_column(JSON, default=list)
    top_members: Mapped[list] = mapped_column(JSON, default=list)


class BotVerdict(Base):
    """A person's verdict on an account flagged as suspicious: ``not_bot`` or ``bot``."""

    __tablename__ = "bot_verdicts"
    __table_args__ = (UniqueConstraint("workspace_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
