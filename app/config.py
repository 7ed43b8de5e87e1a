"""Configuration defaults; every key can be overridden by a ``FLASK_*`` environment variable."""

from __future__ import annotations

import math
import os
import secrets
from datetime import timedelta
from pathlib import Path


def default_database_url(instance_path: str) -> str:
    """Return ``DATABASE_URL`` from the environment, else a SQLite file under ``instance/``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; we use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return "sqlite:///" + str(Path(instance_path) / "influence.db")


def local_secret_key(instance_path: str) -> str:
    """Return the secret key stored in ``instance/secret_key``, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def defaults(instance_path: str) -> dict:
    """Return the default configuration for an app whose instance folder is ``instance_path``."""
    return {
        "SQLALCHEMY_DATABASE_URI": default_database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # "production" turns on Secure cookies and HSTS and requires a long SECRET_KEY.
        "INFLUENCE_ENV": os.environ.get("INFLUENCE_ENV")
        or ("production" if os.environ.get("FLASK_ENV") == "production" else ""),
        # How many proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host
        # (app/security.py); 0 ignores those headers.
        "TRUSTED_PROXIES": 0,
        # The largest request, so the largest upload (the import page says it): 200 MB.
        "MAX_CONTENT_LENGTH": 200_000_000,
        "UPLOAD_FOLDER": str(Path(instance_path) / "uploads"),
        "EXPORT_FOLDER": str(Path(instance_path) / "exports"),  # network GEXF/GraphML files
        "MENTIONS_PER_PAGE": 50,
        # From this many people the network page draws dots as GL points and ties as 1-px GL
        # lines: ten times faster to draw than sigma's discs and thick ties (bench/RESULTS.md).
        "NETWORK_POINTS_FROM_NODES": 3000,
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "JOBS_INLINE": False,
        # Seconds any background job (scoring, an upload's import, a graph export) may run
        # before it is stopped and its record marked failed. Scoring a million mentions takes
        # well under a minute here (bench/RESULTS.md): an hour means something is stuck.
        "JOB_TIME_LIMIT": 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # "Keep me signed in": a new random token per sign-in, kept 30 days at most
        # (app.services.sessions); production adds Secure to both cookies.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # Failed sign-ins allowed per account and per client address (Flask-Limiter's
        # notation); then "try again in N minutes". Counted in Redis when REDIS_URL is set
        # (shared by every worker), else in the process's memory.
        "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": "50 per 15 minutes",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_KEY_PREFIX": "influence",
        # A Redis outage must not lock everyone out: sign-ins then go unthrottled (logged).
        "RATELIMIT_SWALLOW_ERRORS": True,
    }


def check_job_time_limit(value: object) -> float:
    """Return ``JOB_TIME_LIMIT`` as seconds; ``ValueError`` naming the setting if it is not > 0."""
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if isinstance(value, bool) or not 0 < seconds < math.inf:
        raise ValueError(
            f"FLASK_JOB_TIME_LIMIT must be a number of seconds greater than 0, not {value!r}"
        )
    return seconds
