"""Contact history: log outreach touches with authors, read them back, delete mistakes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import number
from app.models import CONTACT_CHANNELS, Contact, User, Workspace, utcnow
from app.services.errors import FieldError, Forbidden, NotFound
from app.services.mentions import get_author
from app.services.tenancy import in_workspace
from app.services.workspaces import Access

NOTE_MAX = 5000
# Clocks differ a little between a browser and the server: a touch "now" may arrive a few
# seconds ahead. More than this is a typo in the date.
FUTURE_SLACK = timedelta(minutes=1)


def check_channel(channel: str) -> str:
    """Return the channel's key if it is one of ``CONTACT_CHANNELS``, else raise ``FieldError``."""
    key = (channel or "").strip().lower().replace(" ", "_")
    if key not in CONTACT_CHANNELS:
        choices = ", ".join(CONTACT_CHANNELS.values())
        raise FieldError("channel", f"the channel {channel!r} is not one of: {choices}")
    return key


def check_note(note: str | None) -> str:
    """Return the note stripped of surrounding blanks; raise ``FieldError`` past ``NOTE_MAX``."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldError(
            "note",
            _(
                "the note is %(length)s characters long; keep it to %(limit)s",
                length=number(len(note)),
                limit=number(NOTE_MAX),
            ),
        )
    return note


def check_contacted_at(workspace: Workspace, moment: datetime | None) -> datetime:
    """Return the time of a contact in UTC (now when empty; a naive time is in the workspace's
    time zone); raise ``FieldError`` when it is in the future."""
    now = utcnow()
    if moment is None:
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(workspace.timezone or "UTC"))
    if moment > now + FUTURE_SLACK:
        raise FieldError(
            "contacted_at",
            _(
                "the time of the contact (%(when)s) is in the future: log a contact once it has "
                "happened",
                when=moment.strftime("%Y-%m-%d %H:%M"),
            ),
        )
    return moment


def _require_writer(access: Access) -> None:
    if not access.allows("agent"):
        raise Forbidden(f"your role ({access.role}) cannot log contacts; ask an owner")


def log_contact(
    access: Access,
    user: User | None,
    author_id: int,
    *,
    channel: str,
    note: str = "",
    contacted_at: datetime | None = None,
) -> Contact:
    """Record that ``user`` contacted one of the workspace's authors; return the entry."""
    _require_writer(access)
    workspace = access.workspace
    author = get_author(workspace, author_id)
    contact = Contact(
        workspace_id=workspace.id,
        author_id=author.id,
        user_id=user.id if user is not None else None,
        channel=check_channel(channel),
        note=check_note(note),
        contacted_at=check_contacted_at(workspace, contacted_at),
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def author_contacts(workspace: Workspace, author_id: int, limit: int = 200) -> list[Contact]:
    """Return the author's contacts in the workspace, newest first, with who made them."""
    return list(
        db.session.scalars(
            in_workspace(Contact, workspace.id)
            .where(Contact.author_id == author_id)
            .options(selectinload(Contact.user))
            .order_by(Contact.contacted_at.desc(), Contact.id.desc())
            .limit(limit)
        )
    )


def can_delete(access: Access, user: User, contact: Contact) -> bool:
    """Return whether ``user`` may delete the entry: their own (agents and up), or any
    (managers and owners)."""
    if access.allows("manager"):
        return True
    return access.allows("agent") and contact.user_id is not None and contact.user_id == user.id


def delete_contact(access: Access, user: User, contact_id: int) -> int:
    """Delete a contact entry if ``user`` may; return the author it was about."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.workspace_id != access.workspace.id:
        raise NotFound(_("no such contact in this workspace"))
    if not can_delete(access, user, contact):
        raise Forbidden("only whoever logged a contact, a manager or an owner can delete it")
    author_id = contact.author_id
    db.session.delete(contact)
    db.session.commit()
    return author_id


def contacted_filter(workspace_id: int, author_id_column, contacted: bool = True):
    """Return a condition on ``author_id_column``: the author has (or, with ``contacted``
    false, has not) a contact in the workspace. Both read the (workspace, author, time) index.

    Contacted authors are few next to the scored ones, so "contacted" is an IN over them: the
    database looks each one up instead of probing every scored author. "Not contacted" has
    to look at every row it keeps: PostgreSQL makes NOT EXISTS an anti-join; SQLite runs NOT
    EXISTS as a subprogram per row, and NOT IN, which builds the set once, is a third faster
    there (contacts.author_id is never NULL, so NOT IN means the same).
    """
    ids = select(Contact.author_id).where(Contact.workspace_id == workspace_id)
    if contacted:
        return author_id_column.in_(ids)
    if db.session.get_bind().dialect.name == "sqlite":
        return author_id_column.not_in(ids)
    return ~exists().where(
        Contact.workspace_id == workspace_id, Contact.author_id == author_id_column
    )


def last_contacted(
    workspace: Workspace, author_ids: Iterable[int] | None = None
) -> dict[int, datetime]:
    """Return the time of the latest contact per author (of ``author_ids``, else of all)."""
    query = select(Contact.author_id, func.max(Contact.contacted_at)).where(
        Contact.workspace_id == workspace.id
    )
    if author_ids is not None:
        ids = list(author_ids)
        if not ids:
            return {}
        query = query.where(Contact.author_id.in_(ids))
    return dict(db.session.execute(query.group_by(Contact.author_id)).all())
