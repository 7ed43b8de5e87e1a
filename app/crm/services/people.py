"""People: their fields, accounts, tags, stages, keep-in-touch clocks, merging and erasure.

Who may do what (as everywhere): viewers read; agents add people, edit their details, log
touches and move them between stages; managers and owners set cadences, merge and erase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.crm import models as m
from app.crm.errors import Conflict
from app.crm.i18n import gettext as _
from app.crm.services import audit
from app.crm.services import values as v
from app.extensions import db
from app.ingest.record import normalize_handle
from app.models import Author, Membership, User, Workspace, utcnow
from app.params import MAX_PAGE, Params
from app.services.errors import FieldError, Forbidden, NotFound
from app.services.mentions import Page
from app.services.workspaces import Access

SOON = timedelta(days=7)
"""A person is "due soon" when their next touch is due within this."""

MAX_CADENCE = 3650
DUE_STATES = ("soon", "overdue", "never")
TEXT_FIELDS = {  # field: (max length, keeps line breaks)
    "organisation": (300, False), "email": (254, False), "phone": (64, False),
    "city": (200, False), "language": (16, False), "notes": (20_000, True),
    "why_they_matter": (5000, True), "legal_name": (300, False),
}  # fmt: skip
EDITABLE = set(TEXT_FIELDS) | {"name", "inn", "registry_status", "registry_checked_on",
                               "cadence_days", "owner_id", "tags"}  # fmt: skip
_INN = re.compile(r"^(\d{10}|\d{12})$")


def require(access: Access, role: str, what: str) -> None:
    """Raise ``Forbidden`` unless the member's role is at least ``role``."""
    if not access.allows(role):
        raise Forbidden(f"your role ({access.role}) cannot {what}; ask a {role} or an owner")


def check_version(record, version) -> None:
    """Raise ``Conflict`` when ``version`` (what the editor read) is not the record's current
    one: someone changed it meanwhile, and saving would silently undo their change."""
    if version in (None, ""):
        return
    given = v.whole("version", version, 1, 2**31 - 1)
    if given != record.version:
        raise Conflict(
            f"someone else changed this since you opened it (you edited version {given}, it is "
            f"now at version {record.version}): reload to see their change, then make yours again"
        )


# ---------------------------------------------------------------- reading


def get_person(workspace: Workspace, person_id: int) -> m.Person:
    """Return one of the workspace's people, or raise ``NotFound``."""
    person = db.session.get(m.Person, person_id)
    if person is None or person.workspace_id != workspace.id:
        raise NotFound("no such person in this workspace")
    return person


def members(workspace: Workspace) -> list[User]:
    """Return the workspace's members (who can own people and tasks), by name."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id).order_by(User.name, User.email)
    ))  # fmt: skip


def _check_member(workspace: Workspace, field: str, user_id) -> int | None:
    user_id = v.whole(field, user_id, 1, 2**31 - 1)
    if user_id is None:
        return None
    found = db.session.scalar(select(Membership.id).where(
        Membership.workspace_id == workspace.id, Membership.user_id == user_id))  # fmt: skip
    if found is None:
        raise FieldError(field, f"{field} {user_id} is not a member of this workspace")
    return user_id


@dataclass
class PeopleFilters:
    """The people list's view: filters and page, as in the query string."""

    stage: str = ""
    tag: str = ""
    owner: int | None = None
    due: str = ""
    q: str = ""
    quiet_days: int | None = None  # "not contacted in N days" (never contacted included)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> tuple[PeopleFilters, list]:
        """Read the filters from query parameters; return them and the refused ones."""
        params = Params(args)
        filters = cls(
            stage=params.choice("stage", m.STAGES),
            tag=params.text("tag", 100).casefold(),
            owner=params.identifier("owner"),
            due=params.choice("due", DUE_STATES),
            q=params.text("q"),
            quiet_days=params.integer("not_contacted_days", None, 1, MAX_CADENCE),
            page=params.integer("page", 1, 1, MAX_PAGE),
        )
        return filters, params.errors

    def query_args(self, **overrides) -> dict:
        """Return the view as query parameters (without the empty ones)."""
        args = {"stage": self.stage, "tag": self.tag, "owner": self.owner, "due": self.due,
                "q": self.q, "not_contacted_days": self.quiet_days, "page": self.page}  # fmt: skip
        args.update(overrides)
        return {key: value for key, value in args.items()
                if value not in ("", None) and not (key == "page" and value == 1)}  # fmt: skip


def _like(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def people_query(workspace: Workspace, filters: PeopleFilters, now: datetime | None = None):
    """Return the select of the people in the view, in its order."""
    now = now or utcnow()
    P = m.Person
    query = select(P).where(P.workspace_id == workspace.id)
    order = [P.sort_name, P.id]
    if filters.stage:
        query = query.where(P.stage == filters.stage)
    if filters.owner:
        query = query.where(P.owner_id == filters.owner)
    if filters.tag:
        tagged = select(m.PersonTag.person_id).where(
            m.PersonTag.workspace_id == workspace.id, m.PersonTag.tag == filters.tag
        )
        query = query.where(P.id.in_(tagged))  # fmt: skip
    if filters.q:
        query = query.where(P.search_text.like(_like(filters.q.casefold()), escape="\\"))
    if filters.quiet_days:
        since = now - timedelta(days=filters.quiet_days)
        query = query.where(or_(P.last_touch_at.is_(None), P.last_touch_at < since))
    if filters.due == "overdue":
        query = query.where(P.next_touch_due < now)
        order = [P.next_touch_due, P.id]
    elif filters.due == "soon":
        query = query.where(P.next_touch_due >= now, P.next_touch_due <= now + SOON)
        order = [P.next_touch_due, P.id]
    elif filters.due == "never":
        query = query.where(P.last_touch_at.is_(None))
    return query.order_by(*order)


def list_people(workspace: Workspace, filters: PeopleFilters, per_page: int = 50,
                now: datetime | None = None,
                counts: dict[str, int] | None = None) -> Page:  # fmt: skip
    """Return one page of the people in the view, with their accounts and tags.

    ``counts`` (``due_counts`` at the same ``now``) spares counting a due list again when it
    is the whole view: the overdue list of a large workspace is most of its people."""
    query = people_query(workspace, filters, now)
    only_due = filters.due and not (filters.stage or filters.tag or filters.owner or filters.q
                                    or filters.quiet_days)  # fmt: skip
    if counts is not None and only_due and filters.due in counts:
        total = counts[filters.due]
    else:
        total = db.session.scalar(select(func.count()).select_from(
            query.order_by(None).with_only_columns(m.Person.id).subquery())) or 0  # fmt: skip
    items = list(db.session.scalars(
        query.options(selectinload(m.Person.accounts), selectinload(m.Person.tag_rows),
                      joinedload(m.Person.owner))
        .limit(per_page).offset((filters.page - 1) * per_page)
    ))  # fmt: skip
    return Page(items, total, filters.page, per_page)


@dataclass(frozen=True)
class Due:
    """Where a person's keep-in-touch clock stands: ``state`` is ``never`` (no touch yet),
    ``overdue`` (``level`` yellow past the cadence, red past twice it), ``soon``, ``ok`` or
    ``none`` (no cadence)."""

    state: str
    level: str = ""
    cadence_days: int | None = None


def due_of(person: m.Person, now: datetime | None = None, cadence: int | None = None) -> Due:
    """Return where the person's keep-in-touch clock stands at ``now``."""
    now = now or utcnow()
    if person.last_touch_at is None:
        return Due("never", "", cadence)
    if person.next_touch_due is None:
        return Due("none", "", cadence)
    if person.next_touch_due < now:
        span = person.next_touch_due - person.last_touch_at
        red = now - person.last_touch_at > 2 * span
        return Due("overdue", "red" if red else "yellow", cadence)
    if person.next_touch_due <= now + SOON:
        return Due("soon", "", cadence)
    return Due("ok", "", cadence)


# ---------------------------------------------------------------- keep in touch


def tag_cadences(workspace: Workspace) -> dict[str, int]:
    """Return the workspace's cadences per tag."""
    return dict(db.session.execute(
        select(m.TagCadence.tag, m.TagCadence.cadence_days)
        .where(m.TagCadence.workspace_id == workspace.id)
    ).all())  # fmt: skip


def effective_cadence(person: m.Person, cadences: dict[str, int]) -> int | None:
    """Return the person's cadence in days: their own, else the shortest of their tags'."""
    if person.cadence_days:
        return person.cadence_days
    found = [cadences[tag] for tag in person.tags if tag in cadences]
    return min(found) if found else None


def refresh_due(person: m.Person, cadences: dict[str, int] | None = None) -> None:
    """Recompute when the next touch is due: the last touch plus the cadence."""
    if cadences is None:
        cadences = tag_cadences(db.session.get(Workspace, person.workspace_id))
    cadence = effective_cadence(person, cadences)
    person.next_touch_due = (
        person.last_touch_at + timedelta(days=cadence)
        if cadence and person.last_touch_at is not None
        else None
    )


def refresh_last_touch(person: m.Person) -> None:
    """Recompute the latest touch (time and direction) from the person's touches."""
    latest = db.session.execute(
        select(m.Touch.at, m.Touch.direction)
        .where(m.Touch.workspace_id == person.workspace_id, m.Touch.person_id == person.id)
        .order_by(m.Touch.at.desc(), m.Touch.id.desc()).limit(1)
    ).first()  # fmt: skip
    person.last_touch_at, person.last_touch_direction = latest if latest else (None, None)
    refresh_due(person)


def set_tag_cadence(access: Access, tag: str, cadence_days) -> int:
    """Keep in touch with everyone tagged ``tag`` every ``cadence_days`` (empty: no cadence);
    return how many people's clocks changed."""
    require(access, "manager", "set cadences")
    workspace = access.workspace
    tag = v.text("tag", tag, 100, required=True).casefold()
    days = v.whole("cadence_days", cadence_days, 1, MAX_CADENCE)
    row = db.session.get(m.TagCadence, (workspace.id, tag))
    if days is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(m.TagCadence(workspace_id=workspace.id, tag=tag, cadence_days=days))
    else:
        row.cadence_days = days
    db.session.flush()
    cadences = tag_cadences(workspace)
    tagged = select(m.PersonTag.person_id).where(
        m.PersonTag.workspace_id == workspace.id, m.PersonTag.tag == tag)  # fmt: skip
    people = db.session.scalars(
        select(m.Person).where(m.Person.id.in_(tagged)).options(selectinload(m.Person.tag_rows))
    )
    changed = 0
    for person in people:
        before = person.next_touch_due
        refresh_due(person, cadences)
        changed += person.next_touch_due != before
    db.session.commit()
    return changed


# ---------------------------------------------------------------- writing


def _refresh_search(person: m.Person) -> None:
    person.sort_name = person.name.casefold()[:300]
    handles = " ".join(f"{a.handle} @{a.handle}" for a in person.accounts)
    person.search_text = " ".join(
        part for part in (person.name.casefold(), (person.organisation or "").casefold(),
                          (person.email or "").casefold(), handles) if part
    )  # fmt: skip


def _apply(access: Access, person: m.Person, data: dict) -> list[str]:
    """Apply the editable fields present in ``data``; return the names of those changed."""
    workspace = access.workspace
    unknown = sorted(set(data) - EDITABLE)
    if unknown:
        raise FieldError(unknown[0], f"{unknown[0]} is not a field of a person (or not one "
                         f"you can set here): use {', '.join(sorted(EDITABLE))}")  # fmt: skip
    changed = []

    def put(field, value):
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)

    if "name" in data:
        put("name", v.text("name", data["name"], 300, required=True))
    for field, (length, lines) in TEXT_FIELDS.items():
        if field in data:
            put(field, v.text(field, data[field], length, lines=lines))
    if "email" in data and person.email and "@" not in person.email:
        raise FieldError("email", f"{person.email!r} is not an e-mail address")
    if "inn" in data:
        inn = v.text("inn", data["inn"], 12).replace(" ", "")
        if inn and not _INN.match(inn):
            raise FieldError("inn", "an INN has 10 digits (an organisation) or 12 (a person)")
        put("inn", inn)
    if "registry_status" in data:
        put("registry_status", v.choice("registry_status", data["registry_status"] or "unknown",
                                        m.REGISTRY_STATUSES))  # fmt: skip
    if "registry_checked_on" in data:
        put("registry_checked_on", v.day("registry_checked_on", data["registry_checked_on"]))
    if "owner_id" in data:
        put("owner_id", _check_member(workspace, "owner_id", data["owner_id"]))
    cadence_changed = False
    if "cadence_days" in data:
        days = v.whole("cadence_days", data["cadence_days"], 1, MAX_CADENCE)
        if days != person.cadence_days:
            require(access, "manager", "set cadences")
            put("cadence_days", days)
            cadence_changed = True
    if "tags" in data:
        tags = v.words("tags", data["tags"])
        if sorted(tags) != person.tags:
            person.tag_rows = [m.PersonTag(workspace_id=workspace.id, tag=t) for t in sorted(tags)]
            changed.append("tags")
            cadence_changed = True
    if cadence_changed:
        refresh_due(person)
    return changed


def create_person(access: Access, user: User | None, data: dict) -> m.Person:
    """Add a person with their fields, tags and accounts (``[{"platform", "handle"}]``)."""
    require(access, "agent", "add people")
    data = dict(data)
    accounts = data.pop("accounts", None) or []
    stage = data.pop("stage", None)
    if not isinstance(accounts, list):
        raise FieldError("accounts", 'accounts must be a list of {"platform", "handle"}')
    now = utcnow()
    person = m.Person(workspace_id=access.workspace.id, name="", sort_name="", created_at=now,
                      updated_at=now, stage="identified", stage_changed_at=now)  # fmt: skip
    data.setdefault("name", "")
    _apply(access, person, data)
    db.session.add(person)
    for number, account in enumerate(accounts, start=1):
        if not isinstance(account, dict):
            raise FieldError("accounts", f'account {number} must be {{"platform", "handle"}}')
        _add_account(access.workspace, person, account.get("platform"), account.get("handle"))
    if stage not in (None, ""):
        person.stage = v.choice("stage", stage, m.STAGES)
    db.session.flush()
    db.session.add(m.StageChange(workspace_id=access.workspace.id, person_id=person.id,
                                 from_stage=None, to_stage=person.stage, at=now,
                                 by_id=user.id if user else None))  # fmt: skip
    _refresh_search(person)
    audit.record(access.workspace, user, "create", person.id)
    db.session.commit()
    return person


def update_person(access: Access, user: User | None, person_id: int, data: dict,
                  version=None) -> m.Person:  # fmt: skip
    """Change a person's fields; refused (``Conflict``) when edited on an older version."""
    require(access, "agent", "edit people")
    person = get_person(access.workspace, person_id)
    check_version(person, version)
    data = {key: value for key, value in data.items() if key not in READ_ONLY}
    if "stage" in data:
        stage = data.pop("stage")
        if stage != person.stage:
            _move(access, user, person, stage)
    changed = _apply(access, person, data)
    if changed:
        person.updated_at = utcnow()
        _refresh_search(person)
        audit.record(access.workspace, user, "change", person.id, fields=changed)
    db.session.commit()
    return person


READ_ONLY = {"id", "version", "accounts", "created_at", "updated_at", "last_touch_at",
             "next_touch_due", "due", "due_level", "stage_changed_at", "effective_cadence_days",
             "last_touch_direction", "owner"}  # fmt: skip


def _move(access: Access, user: User | None, person: m.Person, stage) -> None:
    stage = v.choice("stage", stage, m.STAGES)
    if stage == person.stage:
        return
    now = utcnow()
    db.session.add(m.StageChange(workspace_id=access.workspace.id, person_id=person.id,
                                 from_stage=person.stage, to_stage=stage, at=now,
                                 by_id=user.id if user else None))  # fmt: skip
    person.stage, person.stage_changed_at, person.updated_at = stage, now, now


def change_stage(access: Access, user: User | None, person_id: int, stage,
                 version=None) -> m.Person:  # fmt: skip
    """Move a person to another stage, recording who moved them and when."""
    require(access, "agent", "move people between stages")
    person = get_person(access.workspace, person_id)
    check_version(person, version)
    _move(access, user, person, stage)
    db.session.commit()
    return person


def stage_counts(workspace: Workspace) -> dict[str, int]:
    """Return how many people are at each stage."""
    counts = dict(db.session.execute(
        select(m.Person.stage, func.count()).where(m.Person.workspace_id == workspace.id)
        .group_by(m.Person.stage)
    ).all())  # fmt: skip
    return {stage: counts.get(stage, 0) for stage in m.STAGES}


def board(workspace: Workspace, per_stage: int = 50) -> dict[str, list[m.Person]]:
    """Return the stage board: the first people of each stage (recently moved first)."""
    columns = {}
    for stage in m.STAGES:
        columns[stage] = list(db.session.scalars(
            select(m.Person).where(m.Person.workspace_id == workspace.id, m.Person.stage == stage)
            .order_by(m.Person.sort_name, m.Person.id).limit(per_stage)
        ))  # fmt: skip
    return columns


# ---------------------------------------------------------------- accounts


def _add_account(workspace: Workspace, person: m.Person, platform, handle) -> m.PersonAccount:
    platform = v.text("platform", platform, 32, required=True).lower()
    display = v.text("handle", handle, 255, required=True).lstrip("@").strip()
    key = normalize_handle(display)
    if not key:
        raise FieldError("handle", "the handle is empty")
    owner = db.session.scalar(select(m.PersonAccount).where(
        m.PersonAccount.workspace_id == workspace.id, m.PersonAccount.platform == platform,
        m.PersonAccount.handle == key))  # fmt: skip
    if owner is not None:
        if owner.person_id == person.id:
            return owner
        other = db.session.get(m.Person, owner.person_id)
        raise Conflict(f"{platform} @{display} is already an account of {other.name}: "
                       "merge the two people instead")  # fmt: skip
    author_id = db.session.scalar(
        select(Author.id).where(
            Author.workspace_id == workspace.id, Author.platform == platform, Author.handle == key
        )
    )
    account = m.PersonAccount(workspace_id=workspace.id, platform=platform, handle=key,
                              display_handle=display, author_id=author_id)  # fmt: skip
    person.accounts.append(account)
    return account


def add_account(access: Access, user: User | None, person_id: int, platform, handle,
                version=None) -> m.PersonAccount:  # fmt: skip
    """Link an account to a person (linked to its author now, or when mentions arrive)."""
    require(access, "agent", "link accounts")
    person = get_person(access.workspace, person_id)
    check_version(person, version)
    account = _add_account(access.workspace, person, platform, handle)
    db.session.flush()
    _refresh_search(person)
    person.updated_at = utcnow()
    audit.record(access.workspace, user, "change", person.id, fields=["accounts"])
    db.session.commit()
    return account


def remove_account(access: Access, user: User | None, person_id: int, account_id: int) -> None:
    """Unlink an account from a person."""
    require(access, "agent", "unlink accounts")
    person = get_person(access.workspace, person_id)
    account = next((a for a in person.accounts if a.id == account_id), None)
    if account is None:
        raise NotFound("no such account of this person")
    person.accounts.remove(account)
    _refresh_search(person)
    person.updated_at = utcnow()
    audit.record(access.workspace, user, "change", person.id, fields=["accounts"])
    db.session.commit()


def link_arrived_authors(workspace: Workspace) -> int:
    """Link accounts without an author to the author that has since appeared in the mentions;
    return how many were linked."""
    match = (
        select(Author.id)
        .where(Author.workspace_id == m.PersonAccount.workspace_id,
               Author.platform == m.PersonAccount.platform,
               Author.handle == m.PersonAccount.handle)
        .scalar_subquery()
    )  # fmt: skip
    pending = (m.PersonAccount.workspace_id == workspace.id) & m.PersonAccount.author_id.is_(None)
    if not db.session.scalar(select(func.count()).where(pending)):
        return 0
    result = db.session.execute(
        update(m.PersonAccount).where(pending, match.is_not(None)).values(author_id=match)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    db.session.commit()
    return result.rowcount or 0


def author_ids_of(person: m.Person) -> list[int]:
    """Return the ids of the authors behind the person's accounts."""
    return [a.author_id for a in person.accounts if a.author_id is not None]


def person_of_author(workspace: Workspace, author_id: int) -> m.Person | None:
    """Return the person an author's account belongs to, if any."""
    return db.session.scalar(
        select(m.Person).join(m.PersonAccount, m.PersonAccount.person_id == m.Person.id)
        .where(m.PersonAccount.workspace_id == workspace.id,
               m.PersonAccount.author_id == author_id).limit(1)
    )  # fmt: skip


def people_of_authors(workspace: Workspace, author_ids: Iterable[int]) -> dict[int, m.Person]:
    """Return the person behind each of the authors that has one, by author id (one query:
    for lists of authors that say who is already in the relationship manager)."""
    ids = sorted({int(i) for i in author_ids})
    if not ids:
        return {}
    rows = db.session.execute(
        select(m.PersonAccount.author_id, m.Person)
        .join(m.Person, m.Person.id == m.PersonAccount.person_id)
        .where(m.PersonAccount.workspace_id == workspace.id, m.PersonAccount.author_id.in_(ids))
        .order_by(m.PersonAccount.author_id, m.Person.id)
    ).all()  # fmt: skip
    found: dict[int, m.Person] = {}
    for author_id, person in rows:
        found.setdefault(author_id, person)
    return found


def suggested_accounts(workspace: Workspace, person: m.Person, limit: int = 10) -> list[Author]:
    """Return authors that may be the same person: the same handle on another platform, or
    the same display name, not yet anyone's account."""
    handles = {a.handle for a in person.accounts}
    names = {person.name}
    linked = author_ids_of(person)
    if linked:
        names |= set(db.session.scalars(select(Author.name).where(Author.id.in_(linked))))
    names = {name for name in names if name and len(name) > 2}
    if not handles and not names:
        return []
    conditions = []
    if handles:
        conditions.append(Author.handle.in_(handles))
    if names:
        conditions.append(Author.name.in_(names))
    # The few matching authors first, then drop those already someone's account (asking
    # for "not anyone's account" in the same query made the database build the set of
    # every linked account: 130 ms on 100,000 people).
    found = list(db.session.scalars(
        select(Author).where(Author.workspace_id == workspace.id, or_(*conditions))
        .order_by(Author.followers.desc().nulls_last(), Author.id).limit(limit + 50)
    ))  # fmt: skip
    if not found:
        return []
    taken = set(db.session.scalars(select(m.PersonAccount.author_id).where(
        m.PersonAccount.workspace_id == workspace.id,
        m.PersonAccount.author_id.in_([a.id for a in found]))))  # fmt: skip
    return [a for a in found if a.id not in taken][:limit]


# ---------------------------------------------------------------- from authors


def why_they_matter(workspace: Workspace, author_id: int) -> str:
    """Return a first "why they matter" from the author's role reasons and top topics, in the
    language of the member who adds the person (it is their note to edit from then on)."""
    from app.labels import label
    from app.reasons import reason
    from app.services import influencers

    score = influencers.author_score(workspace, author_id)
    lines = []
    if score is not None and score.role != "user":
        lines.append(_("Role: %(role)s.", role=label("role", score.role).lower()))
    lines += [f"{reason(text)}." for text in influencers.reasons_of(score)]
    topics = [t.topic for t in influencers.author_topics(workspace, author_id)[:5]]
    if topics:
        lines.append(_("Top topics: %(topics)s.", topics=", ".join(topics)))
    return "\n".join(lines)


def person_for_author(access: Access, user: User | None, author_id: int,
                      commit: bool = True) -> tuple[m.Person, bool]:  # fmt: skip
    """Return the person behind an author, adding them (with the author's account and a
    first "why they matter") when there is none; the flag says whether they were added."""
    require(access, "agent", "add people")
    from app.services.mentions import get_author

    workspace = access.workspace
    author = get_author(workspace, author_id)
    existing = db.session.scalar(
        select(m.Person).join(m.PersonAccount, m.PersonAccount.person_id == m.Person.id)
        .where(m.PersonAccount.workspace_id == workspace.id,
               m.PersonAccount.platform == author.platform,
               m.PersonAccount.handle == author.handle)
    )  # fmt: skip
    if existing is not None:
        return existing, False
    now = utcnow()
    name = (author.name or "").strip() or "@" + author.display_handle
    person = m.Person(workspace_id=workspace.id, name=name[:300], sort_name="", created_at=now,
                      updated_at=now, stage="identified", stage_changed_at=now,
                      why_they_matter=why_they_matter(workspace, author.id)[:5000])  # fmt: skip
    person.accounts.append(m.PersonAccount(
        workspace_id=workspace.id, platform=author.platform, handle=author.handle,
        display_handle=author.display_handle, author_id=author.id))  # fmt: skip
    _refresh_search(person)
    db.session.add(person)
    db.session.flush()
    db.session.add(m.StageChange(workspace_id=workspace.id, person_id=person.id,
                                 from_stage=None, to_stage="identified", at=now,
                                 by_id=user.id if user else None))  # fmt: skip
    audit.record(workspace, user, "create", person.id, from_author=author.id)
    if commit:
        db.session.commit()
    return person, True


def people_for_authors(access: Access, user: User | None,
                       author_ids: Iterable[int]) -> list[tuple[m.Person, bool]]:  # fmt: skip
    """Turn several authors into people at once (the influencer list's "add to…")."""
    results = [person_for_author(access, user, author_id, commit=False)
               for author_id in dict.fromkeys(author_ids)]  # fmt: skip
    db.session.commit()
    return results


# ---------------------------------------------------------------- merge and erase


def merge(access: Access, user: User | None, keep_id: int, other_id: int) -> m.Person:
    """Merge ``other`` into ``keep``: accounts, tags, touches, stage changes, tasks and
    placements move over, empty fields are filled from ``other``, which is then removed."""
    require(access, "manager", "merge people")
    if keep_id == other_id:
        raise FieldError("other_id", "a person cannot be merged with themselves")
    workspace = access.workspace
    keep, other = get_person(workspace, keep_id), get_person(workspace, other_id)
    for field in (*TEXT_FIELDS, "legal_name", "inn", "registry_checked_on", "owner_id",
                  "cadence_days"):  # fmt: skip
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    if other.notes and other.notes not in keep.notes:
        keep.notes = (keep.notes + "\n\n" + other.notes).strip()[:20_000]
    if keep.registry_status == "unknown":
        keep.registry_status = other.registry_status
    tags = set(keep.tags) | set(other.tags)
    for model in (m.Touch, m.StageChange, m.Task, m.Placement, m.PersonAccount):
        db.session.execute(update(model).where(
            model.workspace_id == workspace.id, model.person_id == other.id
        ).values(person_id=keep.id).execution_options(synchronize_session=False))  # fmt: skip
    db.session.execute(delete(m.PersonTag).where(m.PersonTag.person_id == other.id)
                       .execution_options(synchronize_session=False))  # fmt: skip
    db.session.expire(keep, ["accounts"])
    db.session.expire(other, ["accounts", "tag_rows"])
    keep.tag_rows = [m.PersonTag(workspace_id=workspace.id, tag=t) for t in sorted(tags)]
    db.session.delete(other)
    db.session.flush()
    refresh_last_touch(keep)
    _refresh_search(keep)
    keep.updated_at = utcnow()
    audit.record(workspace, user, "merge", keep.id, merged=other_id)
    audit.record(workspace, user, "merge", other_id, into=keep.id)
    db.session.commit()
    return keep


def erase(access: Access, user: User | None, person_id: int) -> None:
    """Erase a person on request: their details, accounts, touches, tasks and stage history
    are deleted; their placements stay in the campaigns' totals without them."""
    require(access, "manager", "erase people")
    workspace = access.workspace
    person = get_person(workspace, person_id)
    placements = db.session.execute(
        update(m.Placement).where(m.Placement.workspace_id == workspace.id,
                                  m.Placement.person_id == person.id)
        .values(person_id=None).execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    for model in (m.Touch, m.StageChange, m.Task, m.PersonAccount, m.PersonTag):
        db.session.execute(delete(model).where(model.person_id == person.id)
                           .execution_options(synchronize_session=False))  # fmt: skip
    db.session.execute(delete(m.Person).where(m.Person.id == person.id)
                       .execution_options(synchronize_session=False))  # fmt: skip
    db.session.expunge(person)
    audit.record(workspace, user, "erase", person_id, placements_kept=placements)
    db.session.commit()


def due_counts(workspace: Workspace, now: datetime | None = None) -> dict[str, int]:
    """Return how many people are overdue, due soon and never contacted."""
    now = now or utcnow()
    counts = {}
    for state in DUE_STATES:
        query = people_query(workspace, PeopleFilters(due=state), now).order_by(None)
        counts[state] = db.session.scalar(
            select(func.count()).select_from(query.with_only_columns(m.Person.id).subquery())
        )
    return counts
