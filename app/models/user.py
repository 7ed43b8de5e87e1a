"""Users and their API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The interface language the person chose ("en", "ru"); None: the workspace's, then the
    # browser's (app.i18n.select_locale).
    language: Mapped[str | None] = mapped_column(String(8))

    memberships: Mapped[list[Membership]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The session this object was loaded for (app.services.sessions sets both; not stored).
    # Flask-Login keeps get_id() in the session cookie and in the remember cookie, so both
    # carry the session's token, and ending the session on the server ends both cookies.
    session_token = None
    session_record = None

    # Users compare as objects (one per row in a database session), not through get_id() as
    # UserMixin's do: get_id() exists only for a signed-in session.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def get_id(self) -> str:
        """Return ``"<user id>:<session token>"``, what the cookies carry (Flask-Login)."""
        if not self.session_token:
            raise RuntimeError("start a session (app.services.sessions.start) before signing in")
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(Base):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(Base):
    """One signed-in browser. Its cookies carry a random token; only the token's SHA-256 is
    stored. Deleting the row signs that browser out: signing out, a password change and "sign
    out everywhere" do, and a session ends by itself at ``expires_at``."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token before the last rotation, still accepted for a moment: a browser's requests
    # already under way with it are not signed out (app.services.sessions.ROTATION_GRACE).
    previous_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    rotated_at: Mapped[datetime | None]
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(back_populates="sessions")
