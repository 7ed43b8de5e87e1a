"""Workspaces, their members and invitations; the membership check every view relies on."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import ROLE_RANK, ROLES, Invitation, Membership, User, Workspace, utcnow
from app.services.errors import Forbidden, NotFound, ServiceError
from app.services.users import normalize_email

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,62}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
INVITATION_DAYS = 14


@dataclass(frozen=True)
class Access:
    """A user's access to a workspace."""

    workspace: Workspace
    role: str

    def allows(self, minimum_role: str) -> bool:
        """Return whether this role is at least ``minimum_role``."""
        return ROLE_RANK[self.role] >= ROLE_RANK[minimum_role]


def check_slug(slug: str) -> str:
    """Return the slug if usable in URLs, else raise ``ServiceError``."""
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise ServiceError(
            _(
                "%(slug)s is not a valid workspace id: use 1-63 lower-case letters, digits and "
                "dashes",
                slug=repr(slug),
            )
        )
    return slug


def check_timezone(name: str) -> str:
    """Return the IANA time zone name if it exists, else raise ``ServiceError``."""
    name = (name or "UTC").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(
            _("%(name)s is not a known time zone (e.g. Europe/Moscow, UTC)", name=repr(name))
        ) from None
    return name


def timezone_choices() -> list[str]:
    """Return all IANA time zone names, sorted."""
    return sorted(available_timezones())


def clean_brand_terms(terms: list[str] | str) -> list[str]:
    """Return brand terms de-duplicated (case-insensitively), in order, without blanks.

    A string is split on commas and new lines.
    """
    if isinstance(terms, str):
        terms = re.split(r"[,\n]", terms)
    seen: dict[str, str] = {}
    for term in terms:
        term = term.strip()
        if term and term.lower() not in seen:
            if len(term) > 100:
                raise ServiceError(f"brand term {term[:30]!r}... is longer than 100 characters")
            seen[term.lower()] = term
    return list(seen.values())


def clean_languages(codes: list[str] | str) -> list[str]:
    """Return language codes lower-cased and de-duplicated, in order; a string is split on
    commas and spaces. Raises ``ServiceError`` naming a code the language detector cannot give."""
    from app.nlp.language import KNOWN_LANGUAGES

    if isinstance(codes, str):
        codes = re.split(r"[,\s]+", codes)
    cleaned: list[str] = []
    for code in codes:
        code = code.strip().lower()
        if not code or code in cleaned:
            continue
        if code not in KNOWN_LANGUAGES:
            raise ServiceError(
                f"{code[:20]!r} is not a language the detector knows; use two-letter codes"
                f" from: {', '.join(KNOWN_LANGUAGES)}"
            )
        cleaned.append(code)
    return cleaned


def create_workspace(
    slug: str,
    name: str,
    *,
    owner: User | None = None,
    brand_terms: list[str] | str = (),
    timezone: str = "UTC",
    work_start: str = "09:00",
    work_end: str = "18:00",
) -> Workspace:
    """Create a workspace; ``owner`` (if given) becomes its first owner."""
    slug = check_slug(slug)
    if db.session.scalar(select(Workspace).where(Workspace.slug == slug)):
        raise ServiceError(_("a workspace with id %(slug)s already exists", slug=repr(slug)))
    if not name.strip():
        raise ServiceError(_("the workspace needs a name"))
    workspace = Workspace(slug=slug, name=name.strip()[:200])
    _apply_settings(workspace, brand_terms, timezone, work_start, work_end)
    db.session.add(workspace)
    if owner is not None:
        db.session.add(Membership(workspace=workspace, user=owner, role="owner"))
    db.session.commit()
    return workspace


def update_workspace(
    workspace: Workspace,
    *,
    name: str,
    brand_terms: list[str] | str,
    timezone: str,
    work_start: str,
    work_end: str,
    work_days: list[int] | None = None,
    score_window_days: int | None = None,
    expected_languages: list[str] | str | None = None,
    brand_hashtags_apart: bool | None = None,
) -> Workspace:
    """Change a workspace's name, brand terms, time zone, working hours, scoring window,
    expected languages and whether brand terms stay apart from their hashtags.

    Changing the last regroups the topics of the mentions already imported in the background,
    then recomputes the scores (app.services.topics).
    """
    if not name.strip():
        raise ServiceError(_("the workspace needs a name"))
    workspace.name = name.strip()[:200]
    _apply_settings(workspace, brand_terms, timezone, work_start, work_end)
    if work_days is not None:
        if any(day not in range(1, 8) for day in work_days):
            raise ServiceError(_("working days are numbered 1 (Monday) to 7 (Sunday)"))
        workspace.work_days = sorted(set(work_days))
    if score_window_days is not None:
        if not 1 <= score_window_days <= 36500:
            raise ServiceError(_("the scoring window must be between 1 and 36,500 days"))
        workspace.score_window_days = score_window_days
    if expected_languages is not None:
        workspace.expected_languages = clean_languages(expected_languages)
    regroup = (
        brand_hashtags_apart is not None
        and bool(brand_hashtags_apart) != workspace.brand_hashtags_apart
    )
    if regroup:
        workspace.brand_hashtags_apart = bool(brand_hashtags_apart)
    db.session.commit()
    if regroup:
        from app.services import topics

        topics.queue_regroup(workspace)
    return workspace


def set_language(workspace: Workspace, language: str | None) -> Workspace:
    """Set the workspace's interface language ("en", "ru"), or ``None``: each browser's."""
    from app.i18n import LANGUAGES

    if language and language not in LANGUAGES:
        raise ServiceError(f"the language must be one of {', '.join(LANGUAGES)}")
    workspace.language = language or None
    db.session.commit()
    return workspace


def _apply_settings(workspace, brand_terms, timezone, work_start, work_end) -> None:
    for which, value in ((_("start"), work_start), (_("end"), work_end)):
        if not TIME_RE.match(value or ""):
            raise ServiceError(
                _(
                    "working hours %(which)s %(value)s must look like 09:00",
                    which=which,
                    value=repr(value),
                )
            )
    if work_start >= work_end:
        raise ServiceError(_("working hours must end after they start"))
    workspace.brand_terms = clean_brand_terms(brand_terms)
    workspace.timezone = check_timezone(timezone)
    workspace.work_start = work_start
    workspace.work_end = work_end


def get_by_slug(slug: str) -> Workspace:
    """Return the workspace with this slug, or raise ``NotFound``."""
    workspace = db.session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise NotFound(f"there is no workspace {slug!r}")
    return workspace


def access_for(user: User, slug: str) -> Access | None:
    """Return the user's access to the workspace ``slug``, or ``None`` if not a member."""
    row = db.session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Workspace.slug == slug, Membership.user_id == user.id)
    ).first()
    return Access(row[0], row[1]) if row else None


def workspaces_of(user: User) -> list[Access]:
    """Return every workspace the user belongs to, by name."""
    rows = db.session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
        .order_by(func.lower(Workspace.name))
    ).all()
    return [Access(workspace, role) for workspace, role in rows]


def members_of(workspace: Workspace) -> list[Membership]:
    """Return the workspace's memberships with their users, owners first."""
    memberships = db.session.scalars(
        select(Membership).join(User).where(Membership.workspace_id == workspace.id)
    ).all()
    return sorted(memberships, key=lambda m: (-ROLE_RANK[m.role], m.user.email))


def check_role(role: str) -> str:
    """Return the role if it exists, else raise ``ServiceError``."""
    if role not in ROLES:
        raise ServiceError(f"{role!r} is not a role; use one of {', '.join(ROLES)}")
    return role


def add_member(workspace: Workspace, user: User, role: str) -> Membership:
    """Give an existing user ``role`` in the workspace (changing it if already a member)."""
    check_role(role)
    membership = db.session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(workspace=workspace, user=user, role=role)
        db.session.add(membership)
    else:
        _keep_an_owner(workspace, membership, role)
        membership.role = role
    db.session.commit()
    return membership


def change_role(workspace: Workspace, membership_id: int, role: str) -> Membership:
    """Change a member's role; the last owner cannot step down."""
    check_role(role)
    membership = _membership(workspace, membership_id)
    _keep_an_owner(workspace, membership, role)
    membership.role = role
    db.session.commit()
    return membership


def remove_member(workspace: Workspace, membership_id: int) -> None:
    """Remove a member; the last owner cannot be removed."""
    membership = _membership(workspace, membership_id)
    _keep_an_owner(workspace, membership, None)
    db.session.delete(membership)
    db.session.commit()


def _membership(workspace: Workspace, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.workspace_id != workspace.id:
        raise NotFound(_("no such member in this workspace"))
    return membership


def _keep_an_owner(workspace: Workspace, membership: Membership, new_role: str | None) -> None:
    if membership.role != "owner" or new_role == "owner":
        return
    owners = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace.id, Membership.role == "owner")
    )
    if owners <= 1:
        raise Forbidden("a workspace needs at least one owner: make someone else owner first")


def invite(workspace: Workspace, email: str, role: str, invited_by: User) -> tuple[Invitation, str]:
    """Invite someone by e-mail; return the invitation and its one-time token for the link."""
    email = normalize_email(email)
    check_role(role)
    plain = secrets.token_urlsafe(24)
    invitation = Invitation(
        workspace=workspace,
        email=email,
        role=role,
        token_hash=hashlib.sha256(plain.encode()).hexdigest(),
        invited_by_id=invited_by.id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, plain


def pending_invitations(workspace: Workspace) -> list[Invitation]:
    """Return the workspace's invitations not yet accepted nor expired, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.workspace_id == workspace.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )


def find_invitation(token: str) -> Invitation:
    """Return the open invitation for this token, or raise ``NotFound``."""
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        )
    )
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound(_("this invitation link is not valid or was already used"))
    if invitation.expires_at < utcnow():
        raise NotFound(_("this invitation has expired: ask for a new one"))
    return invitation


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """Return whether the invitation was sent to this user's e-mail address."""
    return normalize_email(invitation.email) == normalize_email(user.email)


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member with the invitation's role, and close the invitation.

    Only the invited person may: an invitation link is not a key for whoever holds it (a
    viewer once became owner with an owner's invitation meant for someone else).
    """
    if not invitation_is_for(invitation, user):
        raise Forbidden(
            f"this invitation is for {invitation.email}; you are signed in as {user.email}"
        )
    invitation.accepted_at = utcnow()
    return add_member(invitation.workspace, user, invitation.role)


def revoke_invitation(workspace: Workspace, invitation_id: int) -> None:
    """Delete a pending invitation."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.workspace_id != workspace.id:
        raise NotFound(_("no such invitation"))
    db.session.delete(invitation)
    db.session.commit()
