"""A person's timeline: touches, stage changes, placements, tasks, their mentions of the brand
(with sentiment) and their role changes across scoring snapshots, newest first.

Nothing is copied into a timeline table: each kind is read from its own table through an
index that leads with (workspace, person or author, time), each asked for no more than the
page needs, and the pieces are merged. The first page of a person with years of history
reads a few dozen rows per kind; a later page reads the (time, id) pairs of the pages up
to it and only its own entries whole. The kinds' counts come in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.crm import models as m
from app.crm.services import people
from app.extensions import db
from app.models import Author, AuthorScore, Mention, ScoreSnapshot, Workspace
from app.services.mentions import Page

KINDS = ("touch", "stage", "placement", "task", "mention", "role")
TEXT_CLIP = 500


@dataclass
class Entry:
    """One line of a timeline: its kind, when, and what happened (``data``, as the API shows
    it); ``record`` is the row behind it, for the pages."""

    kind: str
    at: datetime
    data: dict = field(default_factory=dict)
    record: object = None

    def as_json(self) -> dict:
        """Return the entry as the API shows it: ``{"kind", "at", ...}``."""
        return {"kind": self.kind, "at": self.at.isoformat(), **self.data}


def _name(user) -> str | None:
    return user.display_name if user is not None else None


def _only(column, ids) -> tuple:
    """The condition that keeps the rows ``ids`` (none when all are wanted)."""
    return () if ids is None else (column.in_(ids),)


def _keys(kind, workspace, person):
    """Return a kind's (time, id) columns and its rows' condition, as its source reads them
    (``None`` for a person without the kind: mentions with no linked author)."""
    if kind == "mention":
        authors = people.author_ids_of(person)
        if not authors:
            return None
        return (Mention.created_at, Mention.id,
                (Mention.workspace_id == workspace.id, Mention.author_id.in_(authors)))  # fmt: skip
    model, time = {"touch": (m.Touch, "at"), "stage": (m.StageChange, "at"),
                   "placement": (m.Placement, "created_at"),
                   "task": (m.Task, "created_at")}[kind]  # fmt: skip
    where = (model.workspace_id == workspace.id, model.person_id == person.id)
    return getattr(model, time), model.id, where


def _touches(workspace, person, limit, ids=None):
    T = m.Touch
    where = (T.workspace_id == workspace.id, T.person_id == person.id)
    rows = db.session.scalars(
        select(T).where(*where, *_only(T.id, ids)).options(joinedload(T.by), joinedload(T.template))
        .order_by(T.at.desc(), T.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("touch", t.at, {
        "id": t.id, "channel": t.channel, "direction": t.direction, "note": t.note,
        "template_id": t.template_id, "template": t.template.name if t.template else None,
        "by": _name(t.by)}, t) for t in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _stages(workspace, person, limit, ids=None):
    S = m.StageChange
    where = (S.workspace_id == workspace.id, S.person_id == person.id)
    rows = db.session.scalars(
        select(S).where(*where, *_only(S.id, ids)).options(joinedload(S.by))
        .order_by(S.at.desc(), S.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("stage", s.at, {"id": s.id, "from": s.from_stage, "to": s.to_stage,
                                     "by": _name(s.by)}, s) for s in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _placements(workspace, person, limit, ids=None):
    P = m.Placement
    where = (P.workspace_id == workspace.id, P.person_id == person.id)
    rows = db.session.execute(
        select(P, m.Campaign.name).join(m.Campaign, m.Campaign.id == P.campaign_id)
        .where(*where, *_only(P.id, ids))
        .order_by(P.created_at.desc(), P.id.desc()).limit(limit)
    ).all()  # fmt: skip
    entries = [Entry("placement", p.created_at, {
        "id": p.id, "campaign_id": p.campaign_id, "campaign": name, "status": p.status,
        "deliverable": p.deliverable, "platform": p.platform,
        "planned_at": p.planned_at.isoformat() if p.planned_at else None}, p)
        for p, name in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _tasks(workspace, person, limit, ids=None):
    T = m.Task
    where = (T.workspace_id == workspace.id, T.person_id == person.id)
    rows = db.session.scalars(
        select(T).where(*where, *_only(T.id, ids)).options(joinedload(T.assignee))
        .order_by(T.created_at.desc(), T.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("task", t.created_at, {
        "id": t.id, "title": t.title, "due_on": t.due_on.isoformat() if t.due_on else None,
        "done_at": t.done_at.isoformat() if t.done_at else None,
        "assignee": _name(t.assignee)}, t) for t in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _mentions(workspace, person, limit, ids=None):
    authors = people.author_ids_of(person)
    if not authors:
        return [], 0
    where = (Mention.workspace_id == workspace.id, Mention.author_id.in_(authors))
    rows = db.session.execute(
        select(Mention.id, Mention.created_at, Mention.platform, Mention.kind, Mention.text,
               Mention.url, Mention.sentiment, Author.display_handle)
        .join(Author, Author.id == Mention.author_id).where(*where, *_only(Mention.id, ids))
        .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(limit)
    ).all()  # fmt: skip
    entries = [Entry("mention", at, {
        "id": mid, "platform": platform, "post_kind": kind, "text": (text or "")[:TEXT_CLIP],
        "url": url, "sentiment": sentiment, "author": handle})
        for mid, at, platform, kind, text, url, sentiment, handle in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def role_changes(workspace: Workspace, author_ids: list[int]) -> list[Entry]:
    """Return each author's role changes across finished snapshots (the first role too)."""
    if not author_ids:
        return []
    rows = db.session.execute(
        select(AuthorScore.author_id, AuthorScore.role, ScoreSnapshot.id,
               func.coalesce(ScoreSnapshot.finished_at, ScoreSnapshot.created_at),
               Author.display_handle, Author.platform)
        .join(ScoreSnapshot, ScoreSnapshot.id == AuthorScore.snapshot_id)
        .join(Author, Author.id == AuthorScore.author_id)
        .where(AuthorScore.workspace_id == workspace.id, AuthorScore.author_id.in_(author_ids),
               ScoreSnapshot.status == "done")
        .order_by(AuthorScore.author_id, ScoreSnapshot.id)
    ).all()  # fmt: skip
    entries, previous = [], {}
    for author_id, role, snapshot_id, at, handle, platform in rows:
        before = previous.get(author_id)
        if role != before:
            entries.append(Entry("role", at, {
                "author": handle, "platform": platform, "from": before, "to": role,
                "snapshot_id": snapshot_id}))  # fmt: skip
        previous[author_id] = role
    return entries


def _roles(workspace, person, limit, ids=None):
    entries = role_changes(workspace, people.author_ids_of(person))
    return entries, len(entries)


SOURCES = {"touch": _touches, "stage": _stages, "placement": _placements, "task": _tasks,
           "mention": _mentions, "role": _roles}  # fmt: skip


def timeline(workspace: Workspace, person: m.Person, kinds=(), page: int = 1,
             per_page: int = 50) -> Page:  # fmt: skip
    """Return one page of the person's timeline, newest first, of ``kinds`` (all when empty)."""
    kinds = [kind for kind in KINDS if kind in kinds] if kinds else list(KINDS)
    need = page * per_page
    if page > 1:
        return _later_page(workspace, person, kinds, page, per_page)
    entries, known, counts = [], 0, []
    for kind in kinds:
        found, count = SOURCES[kind](workspace, person, need)
        entries += found
        if isinstance(count, int):
            known += count
        else:
            counts.append(count.scalar_subquery())
    entries.sort(key=_order, reverse=True)
    return Page(entries[:need], _total(known, counts), page, per_page)


def _order(entry: Entry) -> tuple:
    return entry.at, KINDS.index(entry.kind), entry.data.get("id") or 0


def _total(known: int, counts: list) -> int:
    """Add up the kinds' counts: those known already and the others in one query (one round
    trip to the database, not one a kind)."""
    return known + sum(db.session.execute(select(*counts)).one()) if counts else known


def _later_page(workspace, person, kinds, page, per_page) -> Page:
    """Return a page after the first: the kinds' newest (time, id) pairs, as many as the
    pages up to this one hold, are merged to find the page's entries, and only those are
    read whole (reading every entry of the pages before as rows cost seconds deep into a
    long history)."""
    need = page * per_page
    keys, roles, known, counts = [], [], 0, []
    for kind in kinds:
        rank = KINDS.index(kind)
        if kind == "role":
            roles, count = _roles(workspace, person, need)
            keys += [(entry.at, rank, 0, entry) for entry in roles]
            known += count
            continue
        found = _keys(kind, workspace, person)
        if found is None:
            continue
        time, ident, where = found
        newest = select(time, ident).where(*where).order_by(time.desc(), ident.desc())
        keys += [(at, rank, row_id, None) for at, row_id in db.session.execute(newest.limit(need))]
        counts.append(select(func.count()).where(*where).scalar_subquery())
    keys.sort(key=lambda key: key[:3], reverse=True)
    chosen = keys[(page - 1) * per_page : need]
    entries = [entry for _at, _rank, _id, entry in chosen if entry is not None]
    for kind in kinds:
        ids = [row_id for _at, rank, row_id, entry in chosen
               if entry is None and rank == KINDS.index(kind)]  # fmt: skip
        if ids:
            entries += SOURCES[kind](workspace, person, len(ids), ids)[0]
    entries.sort(key=_order, reverse=True)
    return Page(entries, _total(known, counts), page, per_page)
