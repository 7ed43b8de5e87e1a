"""Users: creation, sign-in, passwords and personal API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import ApiToken, User, utcnow
from app.services import sessions
from app.services.errors import FieldError, NotFound, ServiceError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 3
"""zxcvbn's score, 0-4, a new password needs: 3 is "safely unguessable" (10^8 guesses or more)."""

TOKEN_PREFIX = "icrm_"

_ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters decide
_ZXCVBN_LOCK = threading.Lock()  # zxcvbn keeps the words of the person checked in a global
# A Russian password typed on the English layout ("пароль" -> "gfhjkm") is in the common
# lists; a Latin one typed on the Russian layout ("йцукен" = "qwerty") is a keyboard pattern.
_RUSSIAN_TO_ENGLISH_KEYS = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~",
)


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
    """Create a user; the e-mail must be new and the password strong enough."""
    email = normalize_email(email)
    if get_by_email(email):
        raise ServiceError(_("a user with e-mail %(email)s already exists", email=email))
    check_password(password, user_inputs=(email, name))
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def check_password(password: str, user_inputs=()) -> None:
    """Raise ``FieldError`` (field ``password``) unless the password is fit for a new account:
    at least 12 characters and not guessable.

    Guessable is what zxcvbn scores below :data:`MIN_PASSWORD_SCORE`: common passwords
    (its list of 30,000), words, names, dates, repeats, sequences and keyboard patterns,
    the person's own e-mail and name (``user_inputs``), also typed on the other layout of a
    Russian keyboard. Existing passwords are not checked at sign-in: people whose password
    predates these rules still sign in, and meet them when they change it.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError(
            "password",
            _("the password must have at least %(count)s characters", count=MIN_PASSWORD_LENGTH),
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FieldError(
            "password", f"the password must have at most {MAX_PASSWORD_LENGTH} characters"
        )
    warning = _guessable(password, user_inputs)
    if warning is not None:
        # zxcvbn's warnings are fixed English sentences; the catalog has them
        # (app.stored_texts.PASSWORDS)
        warning = _(warning) if warning else warning
        reason = f" ({warning[:1].lower()}{warning[1:].rstrip('.')})" if warning else ""
        raise FieldError(
            "password",
            _(
                "the password is too easy to guess%(reason)s: add a few uncommon words, "
                "or let a password manager make one",
                reason=reason,
            ),
        )


def _guessable(password: str, user_inputs) -> str | None:
    """Return zxcvbn's warning ("" if it has none) when the password is guessable, else None."""
    from zxcvbn import zxcvbn  # its word lists take 40 ms to load: only when a password is set

    words = ["influence", "crm"]
    for value in user_inputs:
        if value:
            words += [value, *value.replace("@", " ").replace(".", " ").split()]
    candidates = [password[:_ZXCVBN_MAX_LENGTH]]
    swapped = password.translate(_RUSSIAN_TO_ENGLISH_KEYS)[:_ZXCVBN_MAX_LENGTH]
    if swapped != candidates[0]:
        candidates.append(swapped)
    with _ZXCVBN_LOCK:
        results = [zxcvbn(candidate, user_inputs=words) for candidate in candidates]
    weakest = min(results, key=lambda result: result["score"])
    if weakest["score"] >= MIN_PASSWORD_SCORE:
        return None
    return weakest["feedback"]["warning"] or ""


def set_password(user: User, password: str) -> None:
    """Change a user's password and close all their sessions: every browser signed in with
    the old password (or a stolen cookie) is signed out."""
    check_password(password, user_inputs=(user.email, user.name))
    user.password_hash = generate_password_hash(password)
    db.session.commit()
    sessions.end_all(user)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password of a user who gave their current one (see :func:`set_password`)."""
    if not check_password_hash(user.password_hash, current):
        raise FieldError("current", _("the current password is wrong"))
    set_password(user, new)


def authenticate(email: str, password: str) -> User | None:
    """Return the user if the e-mail and password match, else ``None``."""
    try:
        user = get_by_email(email)
    except ServiceError:
        return None
    if user is None:
        # Check against a hash anyway so that timing does not tell which e-mails exist (one
        # check, as for a real user: hashing a new one each time took twice as long).
        check_password_hash(_unknown_user_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


@functools.cache
def _unknown_user_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def hash_token(token: str) -> str:
    """Return the stored form of an API token (its SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def set_language(user: User, language: str | None) -> User:
    """Set the person's interface language ("en", "ru"), or ``None``: the workspace's or the
    browser's."""
    from app.i18n import LANGUAGES

    if language and language not in LANGUAGES:
        raise ServiceError(f"the language must be one of {', '.join(LANGUAGES)}")
    user.language = language or None
    db.session.commit()
    return user


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token; return it and the plain token, which is shown once and not kept."""
    name = name.strip()
    if not name:
        raise ServiceError(_("give the token a name, so you know later what uses it"))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=plain[:12], token_hash=hash_token(plain))
    db.session.add(token)
    db.session.commit()
    return token, plain


def revoke_token(user: User, token_id: int) -> None:
    """Delete one of the user's tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("no such token"))
    db.session.delete(token)
    db.session.commit()


@dataclass(frozen=True)
class RevokedToken:
    """What a revoked API token was: its name, first characters and owner."""

    name: str
    prefix: str
    email: str


def revoke_token_value(plain: str) -> RevokedToken:
    """Delete the API token ``plain`` (the token itself, as a script holds it)."""
    plain = (plain or "").strip()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None:
        raise NotFound(_("no such API token (it may be revoked already)"))
    revoked = RevokedToken(token.name, token.prefix, token.user.email)
    db.session.delete(token)
    db.session.commit()
    return revoked


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
