"""A workspace's advocacy settings: the competitors tracked for share of voice, and the
webhook that crisis alerts go out to."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from app.advocacy.models import AdvocacySettings
from app.extensions import db
from app.models import Workspace
from app.services.errors import FieldError

MAX_COMPETITORS = 20
MAX_TERMS = 20


def settings_of(workspace: Workspace) -> AdvocacySettings:
    """Return the workspace's advocacy settings (empty ones until someone sets them)."""
    found = db.session.get(AdvocacySettings, workspace.id)
    return found or AdvocacySettings(workspace_id=workspace.id, competitors={})


def parse_competitors(text: str) -> dict[str, list[str]]:
    """Read competitors, one a line: a name, then more terms after commas (the name is a term).

    >>> parse_competitors("Globex, globex.com\\n\\nИнитек, Initech")
    {'Globex': ['globex', 'globex.com'], 'Инитек': ['инитек', 'initech']}
    """
    found: dict[str, list[str]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [part.strip() for part in line.split(",") if part.strip()]
        if not parts:
            continue
        name = parts[0][:200]
        if any(len(part) > 200 for part in parts):
            raise FieldError("competitors", f"line {number}: a term is longer than 200 characters")
        terms = list(dict.fromkeys(part.lower() for part in parts))[:MAX_TERMS]
        found[name] = terms
    if len(found) > MAX_COMPETITORS:
        raise FieldError("competitors", f"at most {MAX_COMPETITORS} competitors")
    return found


def competitors_text(settings: AdvocacySettings) -> str:
    """Return the competitors as the settings form shows them (one a line)."""
    return "\n".join(
        ", ".join([name] + [t for t in terms if t != name.lower()])
        for name, terms in (settings.competitors or {}).items()
    )


def check_webhook_url(url: str) -> str | None:
    """Return the URL if it is an http(s) address (``None`` when empty), else raise."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 1000:
        raise FieldError("webhook_url", "the webhook must be an http:// or https:// address")
    return url


def update_settings(
    workspace: Workspace,
    *,
    competitors: str | dict | None = None,
    webhook_url: str | None = None,
    new_secret: bool = False,
) -> AdvocacySettings:
    """Change the competitors and the webhook; a webhook gets a secret when it has none (or a
    new one when asked). Changed competitors rebuild the share of voice in the background."""
    settings = db.session.get(AdvocacySettings, workspace.id)
    if settings is None:
        settings = AdvocacySettings(workspace_id=workspace.id, competitors={})
        db.session.add(settings)
    changed = False
    if competitors is not None:
        parsed = parse_competitors(competitors) if isinstance(competitors, str) else competitors
        changed = parsed != (settings.competitors or {})
        settings.competitors = parsed
    if webhook_url is not None:
        settings.webhook_url = check_webhook_url(webhook_url)
        if settings.webhook_url and (new_secret or not settings.webhook_secret):
            settings.webhook_secret = secrets.token_urlsafe(32)
        if not settings.webhook_url:
            settings.webhook_secret = None
    db.session.commit()
    if changed:
        from app.services import jobs

        jobs.submit("app.advocacy.services.daily.refresh_job", workspace.id)
    return settings
