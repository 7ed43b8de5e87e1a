"""Workspaces (one brand or client: the tenant boundary), memberships and invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow

ROLES = ("owner", "manager", "agent", "viewer")
"""Membership roles, most powerful first."""

ROLE_RANK = {role: rank for rank, role in enumerate(reversed(ROLES))}
"""viewer=0 < agent=1 < manager=2 < owner=3: compare with ``ROLE_RANK[a] >= ROLE_RANK[b]``."""


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    brand_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    work_start: Mapped[str] = mapped_column(String(5), default="09:00")
    work_end: Mapped[str] = mapped_column(String(5), default="18:00")
    work_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 2, 3, 4, 5])
    # Authors are scored over the mentions of this many days before the newest one.
    score_window_days: Mapped[int] = mapped_column(default=90, server_default="90")
    # The languages its posts are expected in (ISO 639-1 codes): the prior for short posts.
    expected_languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # The interface language of members who chose none ("en", "ru"); None: each browser's.
    # Deferred: read only by the locale selector, and code that runs against an older schema
    # (tests of earlier migrations) keeps working.
    language: Mapped[str | None] = mapped_column(String(8), deferred=True)
    # Whether a one-word brand term stays a topic of its own beside its hashtag ("python" and
    # "#python"); by default they are one topic (app.ingest.record.brand_topic). Deferred for
    # the reason above.
    brand_hashtags_apart: Mapped[bool] = mapped_column(
        default=False, server_default=false(), deferred=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Workspace {self.slug}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")  # noqa: F821


class Invitation(Base):
    """A pending invitation for ``email``: that person signs up (or in) through the link and
    joins with ``role``; nobody else can accept it."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    workspace: Mapped[Workspace] = relationship()
