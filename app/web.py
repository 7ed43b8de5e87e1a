"""Helpers shared by the page blueprints: workspace access, navigation, template filters."""

from __future__ import annotations

import re
from functools import wraps

from flask import Flask, abort, current_app, flash, g, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.routing import IntegerConverter

from app.params import MAX_ID, MAX_PAGE, ParamError, Params
from app.services import workspaces as workspace_service


def workspace_view(minimum_role: str = "viewer"):
    """Decorate a view taking ``slug``: sign-in required, 404 unless a member, 403 below the role.

    The view receives the workspace's :class:`~app.services.workspaces.Access` as ``access``
    (also in ``g.access``). A non-member gets 404, so workspaces cannot be discovered.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(slug: str, **kwargs):
            access = workspace_service.access_for(current_user, slug)
            if access is None:
                abort(404)
            if not access.allows(minimum_role):
                abort(403, f"your role ({access.role}) does not allow this; ask an owner")
            g.access = access
            return view(access=access, **kwargs)

        return wrapper

    return decorator


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route, bounded by the largest database id: a 20-digit id in a
    URL is a 404, not an overflow in the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def notice_ignored(errors: list[ParamError]) -> None:
    """Flash each refused query parameter: the page goes on without it and says so."""
    for error in errors:
        flash(f"Filter ignored: {error}.", "warning")


def page_number() -> int:
    """Return the ``page`` query parameter (1 when absent or refused, with a notice)."""
    params = Params(request.args)
    page = params.integer("page", 1, 1, MAX_PAGE)
    notice_ignored(params.errors)
    return page


UPLOAD_ENDPOINTS = {
    "workspaces.import_form": "agent",
    "crm.people_import": "agent",
    "crm.placements_import": "manager",
}
"""Views that take file uploads, with the role they need: checked before the body is read."""


def guard_uploads():
    """Refuse an upload before reading its body: too large (413), signed out, not a member
    (404) or a role below the view's (403).

    Runs before CSRF protection, whose check parses the whole form: without this, a viewer's
    200 MB upload was received in full before being refused.
    """
    if request.method != "POST" or request.endpoint not in UPLOAD_ENDPOINTS:
        return None
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        abort(413)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    access = workspace_service.access_for(current_user, (request.view_args or {}).get("slug", ""))
    if access is None:
        abort(404)
    minimum = UPLOAD_ENDPOINTS[request.endpoint]
    if not access.allows(minimum):
        abort(403, f"your role ({access.role}) cannot import; ask an owner for the agent role")
    return None


NAVIGATION = (
    ("My day", "crm.my_day"),
    ("Mentions", "mentions.index"),
    ("Influencers", "influencers.index"),
    ("Topics", "influencers.topics"),
    ("Communities", "influencers.communities"),
    ("Network", "network.index"),
    ("Advocacy", "advocacy.index"),
    ("People", "crm.people_list"),
    ("Campaigns", "crm.campaign_list"),
    ("Import", "workspaces.import_form"),
    ("Members", "workspaces.members"),
    ("Settings", "workspaces.settings"),
)
# Pages reached from a navigation item, which stays highlighted on them.
NAVIGATION_CHILDREN = {
    "mentions.index": {"mentions.index"},
    "influencers.index": {"mentions.author", "influencers.runs", "influencers.suspicious"},
    "workspaces.import_form": {"workspaces.import_run"},
    "advocacy.index": {"advocacy.authors", "advocacy.settings"},
    "crm.people_list": {"crm.person", "crm.stage_board", "crm.template_list"},
    "crm.campaign_list": {"crm.campaign"},
}


def inject_navigation() -> dict:
    """Give every template the navigation of the current workspace and the user's workspaces."""
    if not current_user.is_authenticated:
        return {}
    access = g.get("access")
    context = {
        "logout_url": url_for("auth.logout"),
        "account_url": url_for("auth.account"),
        "user_workspaces": [
            (a.workspace.slug, a.workspace.name, url_for("crm.my_day", slug=a.workspace.slug))
            for a in workspace_service.workspaces_of(current_user)
        ],
        "home_url": url_for("workspaces.index"),
        "current_workspace": access.workspace if access else None,
        "current_role": access.role if access else None,
    }
    if access:
        context["nav_items"] = [
            {
                "label": label,
                "url": url_for(endpoint, slug=access.workspace.slug),
                "active": request.endpoint == endpoint
                or request.endpoint in NAVIGATION_CHILDREN.get(endpoint, ()),
            }
            for label, endpoint in NAVIGATION
        ]
    return context


def thousands(value) -> str:
    """Format a number with thousands separators (a thin space keeps it readable in any locale)."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", "\u202f")


def filesize(value) -> str:
    """Format a size in bytes as people read it: 812 KB, 37.9 MB."""
    if value is None:
        return "—"
    if value >= 1_000_000:
        return f"{value / 1_000_000:,.1f} MB"
    return f"{max(value / 1000, 1):,.0f} KB"


def marked(value, query) -> Markup:
    """Escape ``value`` and wrap each occurrence of ``query`` (any case) in ``<mark>``: the
    searched string, shown where it matched."""
    text = "" if value is None else str(value)
    if not query:
        return escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return Markup("").join(
        Markup("<mark>{}</mark>").format(part) if number % 2 else escape(part)
        for number, part in enumerate(parts)
    )


def register_filters(app: Flask) -> None:
    """Register the Jinja filters the templates use."""
    app.jinja_env.filters["thousands"] = thousands
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["marked"] = marked
