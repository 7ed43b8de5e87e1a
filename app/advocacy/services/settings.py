"""A workspace's advocacy settings: the competitors tracked for share of voice, the webhook
that crisis alerts go out to, and the rates of earned media value per platform."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import gettext as _

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


# ---------------------------------------------------------------- earned media value rates

MAX_RATE = Decimal(1_000_000)  # per action or per thousand views: more is surely a typo
NEW = "__new__"  # the form's row for a platform the workspace has no mention from yet
PLATFORM_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")


def rate_rows(workspace: Workspace) -> list[tuple[str, dict[str, float]]]:
    """Return ``(platform, rates)`` for each platform the workspace has mentions from or has
    rates for, by name (rates not set are absent)."""
    from app.advocacy.services.effectiveness import emv_rates
    from app.services.mentions import platforms_of

    rates = emv_rates(workspace)
    return [(name, rates.get(name, {})) for name in sorted({*platforms_of(workspace), *rates})]


def rate_field(platform: str, kind: str) -> str:
    """Return the name of the settings form's input for a platform's rate of one kind."""
    return f"rate-{platform}-{kind}"


def rate_text(value: float | None) -> str:
    """Return a stored rate as the form shows it: plain decimals, never an exponent.

    >>> rate_text(2e-05), rate_text(10.8), rate_text(None)
    ('0.00002', '10.8', '')
    """
    return "" if value is None else format(Decimal(str(value)).normalize(), "f")


def parse_rate(text: str) -> Decimal | None:
    """Read a rate as people write it: ``0.02``, ``0,02`` or ``1 000`` (``None`` when empty);
    raise ``ValueError`` for anything else, or a negative or too large number.

    >>> parse_rate(" 0,05 "), parse_rate("1 000.5"), parse_rate("")
    (Decimal('0.05'), Decimal('1000.5'), None)
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text or "").replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a number")
    if number < 0:
        raise ValueError("negative")
    if number > MAX_RATE:
        raise ValueError("too large")
    return number


def save_rates(workspace: Workspace, form) -> dict[str, str]:
    """Replace the workspace's EMV rates with the settings form's (``form``: a mapping of
    input names to text, see :func:`rate_field`); an empty input sets no rate. Return the
    errors by input name, in plain words; with any error nothing is saved."""
    from app.advocacy.services.effectiveness import RATE_KINDS

    errors: dict[str, str] = {}
    rates: dict[str, dict[str, float]] = {}
    known = [name for name, _ in rate_rows(workspace)]
    new_name = (form.get("new_platform") or "").strip().lower()
    for platform in [*known, NEW]:
        found = {}
        for kind in RATE_KINDS:
            field = rate_field(platform, kind)
            text = (form.get(field) or "").strip()
            try:
                value = parse_rate(text)
            except ValueError as error:
                errors[field] = _rate_error(platform if platform != NEW else new_name, kind,
                                            text, str(error))  # fmt: skip
                continue
            if value is not None:
                found[kind] = float(value)
        if platform == NEW:
            if not found and not new_name:
                continue
            if not PLATFORM_NAME.fullmatch(new_name):
                errors["new_platform"] = _(
                    "Name the new platform in lowercase letters, digits, dots, dashes or "
                    "underscores (at most 32), like instagram or dzen.ru."
                )
                continue
            platform = new_name
        if found:
            rates[platform] = {**rates.get(platform, {}), **found}
    if errors:
        return errors
    settings = db.session.get(AdvocacySettings, workspace.id)
    if settings is None:
        settings = AdvocacySettings(workspace_id=workspace.id, competitors={})
        db.session.add(settings)
    settings.emv_rates = rates
    db.session.commit()
    return {}


def _rate_error(platform: str, kind: str, text: str, problem: str) -> str:
    what = {"like": _("a like"), "repost": _("a repost"), "reply": _("a reply"),
            "view": _("a thousand views")}[kind]  # fmt: skip
    if problem == "negative":
        return _("%(platform)s, %(what)s: a rate cannot be negative (“%(text)s”).",
                 platform=platform or "?", what=what, text=text)  # fmt: skip
    if problem == "too large":
        return _("%(platform)s, %(what)s: “%(text)s” is too large (at most 1,000,000).",
                 platform=platform or "?", what=what, text=text)  # fmt: skip
    return _("%(platform)s, %(what)s: “%(text)s” is not a number; write it like 0.02 or 0,02.",
             platform=platform or "?", what=what, text=text)  # fmt: skip
