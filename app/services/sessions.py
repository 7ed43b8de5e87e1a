"""Signed-in sessions, one row per browser, so that signing out ends a session on the server.

Flask's session cookie is signed, not stored: before this, a copy of it kept working after
sign-out and after a password change, and the remember cookie was the same for a user forever.
Now each sign-in opens a :class:`~app.models.UserSession` with a new random token, the cookies
carry ``"<user id>:<token>"`` (:meth:`User.get_id`), and every request checks that the
session is still open. Signing out closes it; a password change and "sign out everywhere"
close all of the user's sessions; each ends :data:`SESSION_DAYS` after sign-in at the latest.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select

from app.extensions import db
from app.models import User, UserSession, utcnow
from app.params import MAX_ID

SESSION_DAYS = 30
"""A session, remembered or not, ends this many days after sign-in: then sign in again."""

ROTATION_GRACE = timedelta(minutes=1)
"""How long a remember token stays valid after it was replaced by a new one."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _attach(user: User, token: str, record: UserSession) -> User:
    user.session_token, user.session_record = token, record
    return user


def start(user: User, *, remember: bool = False, user_agent: str = "") -> None:
    """Open a session for ``user`` at sign-in; ``user.get_id()`` then names it.

    The user's sessions that have expired are deleted on the way.
    """
    now = utcnow()
    token = secrets.token_urlsafe(32)
    record = UserSession(
        user_id=user.id,
        token_hash=_digest(token),
        remember=remember,
        user_agent=(user_agent or "")[:200],
        created_at=now,
        expires_at=now + timedelta(days=SESSION_DAYS),
    )
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    db.session.add(record)
    db.session.commit()
    _attach(user, token, record)


def load(session_id: str) -> User | None:
    """Return the user whose open session ``session_id`` (``"<user id>:<token>"``) names.

    ``None`` for a closed, expired or unknown session, and for cookies written before
    sessions were stored (they carry the bare user id): those browsers sign in again.
    """
    user_id, _, token = (session_id or "").partition(":")
    if not (user_id.isdigit() and len(user_id) <= 10 and int(user_id) <= MAX_ID and token):
        return None
    digest, now = _digest(token), utcnow()
    row = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.user_id == int(user_id),
            UserSession.expires_at > now,
            or_(
                UserSession.token_hash == digest,
                and_(
                    UserSession.previous_hash == digest,
                    UserSession.rotated_at > now - ROTATION_GRACE,
                ),
            ),
        )
    ).first()
    if row is None:
        return None
    record, user = row
    return _attach(user, token, record)


def rotate(user: User) -> bool:
    """Give the user's current session a new token (when the remember cookie restored it).

    Return whether it was rotated: a token already replaced (a request that was under way
    when the browser got the new one) is accepted as it is, so the browser keeps the newer.
    """
    record = user.session_record
    if record is None or record.token_hash != _digest(user.session_token or ""):
        return False
    token = secrets.token_urlsafe(32)
    record.previous_hash, record.token_hash = record.token_hash, _digest(token)
    record.rotated_at = utcnow()
    db.session.commit()
    _attach(user, token, record)
    return True


def seconds_left(user: User) -> int:
    """Return how many seconds the user's current session has before it expires."""
    record = user.session_record
    if record is None:
        return 0
    return max(0, int((record.expires_at - utcnow()).total_seconds()))


def end(user: User) -> None:
    """Close the user's current session (signing out in this browser)."""
    if user.session_record is not None:
        db.session.execute(delete(UserSession).where(UserSession.id == user.session_record.id))
        db.session.commit()
    user.session_token = user.session_record = None


def end_all(user: User) -> int:
    """Close every session of the user, in every browser; return how many were open."""
    closed = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    user.session_token = user.session_record = None
    return closed.rowcount or 0


def open_sessions(user: User) -> list[UserSession]:
    """Return the user's open sessions (the browsers they are signed in on), newest first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.expires_at > utcnow())
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        )
    )
