"""Touches with people: log them (the keep-in-touch clock restarts at the latest), delete a
mistake, and what other pages read from them: the author page's contact history and the
influencer list's "contacted" filter and last contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import selectinload

from app.crm import models as m
from app.crm.services import people
from app.crm.services import values as v
from app.extensions import db
from app.models import Author, User, Workspace, utcnow
from app.services.errors import FieldError, Forbidden, NotFound
from app.services.workspaces import Access

NOTE_MAX = 5000
# Clocks differ a little between a browser and the server: a touch "now" may arrive a few
# seconds ahead. More than this is a typo in the date.
FUTURE_SLACK = timedelta(minutes=1)


def check_channel(channel: str) -> str:
    """Return the channel's key if it is one of ``CHANNELS``, else raise ``FieldError``."""
    key = (channel or "").strip().lower().replace(" ", "_")
    if key not in m.CHANNELS:
        choices = ", ".join(m.CHANNELS.values())
        raise FieldError("channel", f"the channel {channel!r} is not one of: {choices}")
    return key


def check_note(note: str | None) -> str:
    """Return the note stripped of surrounding blanks; raise ``FieldError`` past ``NOTE_MAX``."""
    return v.text("note", note, NOTE_MAX, lines=True)


def check_time(workspace: Workspace, moment: datetime | None, field: str = "at") -> datetime:
    """Return the time of a touch in UTC (now when empty; a naive time is in the workspace's
    time zone); raise ``FieldError`` when it is in the future."""
    now = utcnow()
    if moment is None:
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(workspace.timezone or "UTC"))
    if moment > now + FUTURE_SLACK:
        raise FieldError(
            field,
            f"the time of the contact ({moment.strftime('%Y-%m-%d %H:%M')}) is in the future: "
            "log a contact once it has happened",
        )
    return moment


def _template_id(workspace: Workspace, template_id) -> int | None:
    template_id = v.whole("template_id", template_id, 1, 2**31 - 1)
    if template_id is None:
        return None
    template = db.session.get(m.Template, template_id)
    if template is None or template.workspace_id != workspace.id:
        raise FieldError("template_id", f"there is no template {template_id} in this workspace")
    return template_id


def log_touch(access: Access, user: User | None, person_id: int, *, channel: str,
              direction: str = "sent", at=None, note: str = "", template_id=None,
              time_field: str = "at") -> m.Touch:  # fmt: skip
    """Record a touch with a person; return it. The person's clock restarts at their latest
    touch, and a person still at "identified" moves to "contacted"."""
    people.require(access, "agent", "log touches")
    workspace = access.workspace
    person = people.get_person(workspace, person_id)
    touch = m.Touch(
        workspace_id=workspace.id, person_id=person.id, by_id=user.id if user else None,
        channel=check_channel(channel), direction=v.choice("direction", direction or "sent",
                                                           m.DIRECTIONS),
        note=check_note(note), template_id=_template_id(workspace, template_id),
        at=check_time(workspace, v.moment(time_field, at), time_field),
    )  # fmt: skip
    db.session.add(touch)
    if person.last_touch_at is None or touch.at >= person.last_touch_at:
        person.last_touch_at, person.last_touch_direction = touch.at, touch.direction
        people.refresh_due(person)
    if person.stage == "identified":
        people._move(access, user, person, "contacted")
    db.session.commit()
    return touch


def can_delete(access: Access, user: User, touch: m.Touch) -> bool:
    """Return whether ``user`` may delete the entry: their own (agents and up), or any
    (managers and owners)."""
    if access.allows("manager"):
        return True
    return access.allows("agent") and touch.by_id is not None and touch.by_id == user.id


def delete_touch(access: Access, user: User, touch_id: int) -> int:
    """Delete a touch if ``user`` may; return the person it was with."""
    touch = db.session.get(m.Touch, touch_id)
    if touch is None or touch.workspace_id != access.workspace.id:
        raise NotFound("no such contact in this workspace")
    if not can_delete(access, user, touch):
        raise Forbidden("only whoever logged a contact, a manager or an owner can delete it")
    person = db.session.get(m.Person, touch.person_id)
    db.session.delete(touch)
    db.session.flush()
    people.refresh_last_touch(person)
    db.session.commit()
    return person.id


def person_touches(workspace: Workspace, person_id: int, limit: int = 200) -> list[m.Touch]:
    """Return the person's touches, newest first, with who logged them."""
    return list(db.session.scalars(
        select(m.Touch).where(m.Touch.workspace_id == workspace.id, m.Touch.person_id == person_id)
        .options(selectinload(m.Touch.by))
        .order_by(m.Touch.at.desc(), m.Touch.id.desc()).limit(limit)
    ))  # fmt: skip


# ---------------------------------------------------------------- the author page


def log_contact(access: Access, user: User | None, author_id: int, *, channel: str,
                note: str = "", contacted_at: datetime | None = None) -> m.Touch:  # fmt: skip
    """Record a touch sent to an author's person (added in the same step when there is none)."""
    people.require(access, "agent", "log contacts")
    person, _ = people.person_for_author(access, user, author_id, commit=False)
    try:
        return log_touch(access, user, person.id, channel=channel, note=note, at=contacted_at,
                         time_field="contacted_at")  # fmt: skip
    except Exception:
        db.session.rollback()  # nor the person added for it
        raise


def author_contacts(workspace: Workspace, author_id: int, limit: int = 200) -> list[m.Touch]:
    """Return the touches with the person behind an author, newest first."""
    person = people.person_of_author(workspace, author_id)
    return [] if person is None else person_touches(workspace, person.id, limit)


def delete_contact(access: Access, user: User, contact_id: int) -> int:
    """Delete a touch from the author page; return the author whose page it was shown on
    (the first linked account's)."""
    person_id = delete_touch(access, user, contact_id)
    person = people.get_person(access.workspace, person_id)
    return people.author_ids_of(person)[0] if people.author_ids_of(person) else 0


# ---------------------------------------------------------------- the influencer list


def _contacted_authors(workspace_id: int):
    """Select the ids of authors whose person has a touch. Accounts are matched to authors
    by platform and handle (the authors' unique index), so an account added before its
    author's first mention counts as soon as that mention arrives."""
    A = m.PersonAccount
    return (
        select(Author.id)
        .select_from(A)
        .join(m.Person, m.Person.id == A.person_id)
        .join(Author, and_(Author.workspace_id == A.workspace_id,
                           Author.platform == A.platform, Author.handle == A.handle))
        .where(A.workspace_id == workspace_id, m.Person.last_touch_at.is_not(None))
    )  # fmt: skip


def contacted_filter(workspace_id: int, author_id_column, contacted: bool = True):
    """Return a condition on ``author_id_column``: the author's person has (or, with
    ``contacted`` false, has not) a touch.

    Contacted authors are few next to the scored ones, so "contacted" is an IN over them.
    "Not contacted": PostgreSQL makes NOT EXISTS an anti-join; SQLite runs NOT EXISTS as a
    subprogram per row, and NOT IN, which builds the set once, is faster there (the set
    holds no NULL, so NOT IN means the same).
    """
    ids = _contacted_authors(workspace_id)
    if contacted:
        return author_id_column.in_(ids)
    if db.session.get_bind().dialect.name == "sqlite":
        return author_id_column.not_in(ids)
    return ~exists(ids.where(Author.id == author_id_column))


def last_contacted(workspace: Workspace,
                   author_ids: Iterable[int] | None = None) -> dict[int, datetime]:  # fmt: skip
    """Return the time of the latest touch per author (of ``author_ids``, else of all)."""
    query = _contacted_authors(workspace.id).add_columns(m.Person.last_touch_at)
    if author_ids is not None:
        ids = list(author_ids)
        if not ids:
            return {}
        query = query.where(Author.id.in_(ids))
    return dict(db.session.execute(query).all())
