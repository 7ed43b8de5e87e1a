"""Advocacy's tables: the daily pre-aggregate of sentiment, crisis alerts, and the settings.

The pre-aggregate (:class:`AdvocacyDay`, :class:`AdvocacyTopicDay`, :class:`AdvocacyVoiceDay`)
holds, per author and local day of the workspace's time zone, how many of their mentions are
positive, neutral and negative (mentions of unknown sentiment are not counted). It is rebuilt
from the mentions by :func:`app.advocacy.services.daily.refresh`; :class:`AdvocacyState` says
what it was built from, so that a stale aggregate is never read (the figures are then computed
from the mentions themselves, see :mod:`app.advocacy.services.tallies`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

ALERT_KINDS = ("spike", "influencer")
"""``spike``: an hour with many more negative mentions than usual; ``influencer``: a negative
post by an author whose best role score is 80 or more."""

DELIVERY_STATES = ("none", "queued", "sent", "failed")


class AdvocacyDay(Base):
    """One author's mentions of known sentiment on one local day (the workspace's time zone).

    ``followers`` is the author's follower count when the aggregate was built (reach weight).
    """

    __tablename__ = "advocacy_days"
    __table_args__ = (
        # the period's tallies group by author: the primary key walks them in that order
        Index("ix_advocacy_days_workspace_day", "workspace_id", "day"),
    )

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)


class AdvocacyTopicDay(Base):
    """As :class:`AdvocacyDay`, per topic of the mentions (a mention counts for each topic)."""

    __tablename__ = "advocacy_topic_days"
    __table_args__ = (
        Index("ix_advocacy_topic_days_topic", "workspace_id", "topic", "day"),
    )  # fmt: skip

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)


class AdvocacyVoiceDay(Base):
    """Mentions per local day that name a tracked brand: ``brand`` is ``""`` for the
    workspace's own brand, else the competitor's name (see ``share_of_voice``)."""

    __tablename__ = "advocacy_voice_days"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    brand: Mapped[str] = mapped_column(String(200), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=0)


class AdvocacyState(Base):
    """What the workspace's pre-aggregate was built from; it is read only while all still hold.

    ``mentions_upto`` is the highest mention id then (a newer import makes it stale),
    ``verdicts`` a fingerprint of people's bot verdicts, ``timezone`` the zone of its days,
    ``terms`` the brand and competitor terms of share of voice. ``stale`` is set when
    sentiments change (corrections, a model's labelling) until the next rebuild.
    """

    __tablename__ = "advocacy_state"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime | None]
    seconds: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    mentions_upto: Mapped[int] = mapped_column(BigInteger, default=0)
    verdicts: Mapped[str] = mapped_column(String(64), default="")
    terms: Mapped[dict] = mapped_column(JSON, default=dict)
    stale: Mapped[bool] = mapped_column(Boolean, default=True)
    # the aggregate as columns (numpy arrays, see app.advocacy.services.cube) and their names
    cube: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    cube_meta: Mapped[dict | None] = mapped_column(JSON)


class AdvocacySettings(Base):
    """A workspace's advocacy choices: competitors tracked for share of voice, alert webhook,
    the rates of earned media value.

    ``competitors`` maps a competitor's name to the terms that name it in a post.
    """

    __tablename__ = "advocacy_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    competitors: Mapped[dict] = mapped_column(JSON, default=dict)
    webhook_url: Mapped[str | None] = mapped_column(String(1000))
    # signs each delivery (HMAC-SHA256); shown once, kept to sign
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    # earned media value per platform: {"twitter": {"like": 0.02, "repost": 0.1, "reply": 0.15,
    # "view": 2.0}} (a view's rate is per thousand views); none set: no EMV
    emv_rates: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")


class AdvocacyAlert(Base):
    """A crisis alert: shown until someone acknowledges it, sent by webhook when one is set.

    ``key`` makes an alert once only: ``spike:<hour>`` or ``mention:<id>``. A spike covers the
    hour ``[starts_at, ends_at)`` with ``count`` negative mentions against ``threshold``
    (``max(5, mean + 3 sd)`` of the same hour of the week over the previous four weeks).
    """

    __tablename__ = "advocacy_alerts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_advocacy_alerts_open", "workspace_id", "acknowledged_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer, default=0)
    baseline_mean: Mapped[float | None] = mapped_column(Float)
    baseline_sd: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    mention_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    best_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    delivery: Mapped[str] = mapped_column(String(8), default="none")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None]
    delivery_error: Mapped[str | None] = mapped_column(Text)
