"""Users: creation, sign-in, passwords and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import ApiToken, User, utcnow
from app.services.errors import NotFound, ServiceError

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "icrm_"


def normalize_email(email: str) -> str:
    """Return the canonical form of an e-mail address, or raise ``ServiceError``."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ServiceError(f"{email!r} is not a valid e-mail address: {error}") from None


def get_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email: str, password: str, name: str = "") -> User:
    """Create a user; the e-mail must be new and the password long enough."""
    email = normalize_email(email)
    if get_by_email(email):
        raise ServiceError(f"a user with e-mail {email} already exists")
    check_password(password)
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def check_password(password: str) -> None:
    """Raise ``ServiceError`` if the password is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def set_password(user: User, password: str) -> None:
    """Change a user's password."""
    check_password(password)
    user.password_hash = generate_password_hash(password)
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """Return the user if the e-mail and password match, else ``None``."""
    try:
        user = get_by_email(email)
    except ServiceError:
        return None
    if user is None:
        # Hash anyway so that timing does not tell which e-mails exist.
        check_password_hash(generate_password_hash("x"), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def hash_token(token: str) -> str:
    """Return the stored form of an API token (its SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token; return it and the plain token, which is shown once and not kept."""
    name = name.strip()
    if not name:
        raise ServiceError("give the token a name, so you know later what uses it")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=plain[:12], token_hash=hash_token(plain))
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("no such token")
    db.session.delete(token)
    db.session.commit()


def user_for_token(plain: str) -> User | None:
    """Return the user owning this API token (and note its use), or ``None``."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user
