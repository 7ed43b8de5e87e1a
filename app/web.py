"""Helpers shared by the page blueprints: workspace access, navigation, template filters."""

from __future__ import annotations

import re
from functools import wraps

import flask_babel
from flask import Flask, abort, current_app, flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.routing import IntegerConverter

from app.i18n import number
from app.labels import label
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
                abort(
                    403,
                    _(
                        "your role (%(role)s) does not allow this; ask an owner",
                        role=label("member", access.role),
                    ),
                )
            g.access = access
            flask_babel.refresh()  # the workspace's default language may apply from here on
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
        flash(_("Filter ignored: %(reason)s.", reason=error), "warning")


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
        abort(
            403,
            _(
                "your role (%(role)s) cannot import; ask an owner for the agent role",
                role=label("member", access.role),
            ),
        )
    return None


NAVIGATION = (
    (_l("Dashboard"), "dashboard.index"),
    (_l("My day"), "crm.my_day"),
    (_l("Mentions"), "mentions.index"),
    (_l("Influencers"), "influencers.index"),
    (_l("Topics"), "influencers.topics"),
    (_l("Communities"), "influencers.communities"),
    (_l("Network"), "network.index"),
    (_l("Advocacy"), "advocacy.index"),
    (_l("People"), "crm.people_list"),
    (_l("Campaigns"), "crm.campaign_list"),
    (_l("Import"), "workspaces.import_form"),
    (_l("Members"), "workspaces.members"),
    (_l("Settings"), "workspaces.settings"),
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


LAST_WORKSPACE_COOKIE = "last_workspace"
"""The slug of the workspace whose pages this browser opened last: sign-in leads back there."""


def remember_workspace(response):
    """Remember the workspace of a page just shown (a cookie of this browser, a year long)."""
    access = g.get("access")
    if (
        access is not None
        and request.method == "GET"
        and response.status_code == 200
        and response.mimetype == "text/html"
        and request.cookies.get(LAST_WORKSPACE_COOKIE) != access.workspace.slug
    ):
        response.set_cookie(
            LAST_WORKSPACE_COOKIE, access.workspace.slug, max_age=365 * 24 * 3600,
            httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )  # fmt: skip
    return response


def home_of(user) -> str:
    """Return where a member lands after sign-in: the dashboard of their only workspace, or
    of the one this browser opened last; else the list of their workspaces."""
    accesses = workspace_service.workspaces_of(user)
    remembered = request.cookies.get(LAST_WORKSPACE_COOKIE, "")
    chosen = next((a for a in accesses if a.workspace.slug == remembered), None)
    if chosen is None and len(accesses) == 1:
        chosen = accesses[0]
    if chosen is None:
        return url_for("workspaces.index")
    return url_for("dashboard.index", slug=chosen.workspace.slug)


def inject_navigation() -> dict:
    """Give every template the navigation of the current workspace and the user's workspaces."""
    if not current_user.is_authenticated:
        return {}
    access = g.get("access")
    context = {
        "logout_url": url_for("auth.logout"),
        "account_url": url_for("auth.account"),
        "user_workspaces": [
            (a.workspace.slug, a.workspace.name, url_for("dashboard.index", slug=a.workspace.slug))
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
    """Format a whole number with the page language's thousands separators."""
    return number(value)


def filesize(value) -> str:
    """Format a size in bytes as people read it: 812 KB, 37.9 MB (812 КБ, 37,9 МБ)."""
    if value is None:
        return "—"
    if value >= 1_000_000:
        return _("%(size)s MB", size=number(value / 1_000_000, 1))
    return _("%(size)s KB", size=number(round(max(value / 1000, 1))))


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


# Characters that steer the direction of text or do not show: the embeddings and overrides
# (LRE, RLE, PDF, LRO, RLO), the isolates (LRI, RLI, FSI, PDI), the marks (LRM, RLM, ALM) and the
# zero-width ones (space, non-joiner, joiner, word joiner, BOM). In a user-supplied name an RLO
# would reverse everything after it; the page isolates such text (<bdi>, dir="auto"), but a tab
# title or a tooltip cannot, so there they are removed.
BIDI_CONTROLS = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]"
)


def title_text(value) -> str:
    """Return ``value`` without bidi controls and invisible characters, whitespace collapsed:
    for ``<title>`` and attributes, where text cannot be isolated."""
    if value is None:
        return ""
    cleaned = BIDI_CONTROLS.sub("", str(value))
    cleaned = " ".join(cleaned.split())
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def bdi(value) -> Markup:
    """Return ``value`` escaped inside ``<bdi>``: a user-supplied name in a sentence (a flash
    message) cannot turn the words after it around."""
    return Markup("<bdi>{}</bdi>").format("" if value is None else value)


def register_filters(app: Flask) -> None:
    """Register the Jinja filters the templates use."""
    app.jinja_env.filters["thousands"] = thousands
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["marked"] = marked
    app.jinja_env.filters["title_text"] = title_text
    app.jinja_env.filters["bdi"] = bdi
