"""A person's timeline: touches, stage changes, placements, tasks, their mentions of the brand
(with sentiment) and their role changes across scoring snapshots, newest first.

Nothing is copied into a timeline table: each kind is read from its own table through an
index that leads with (workspace, person or author, time), each asked for no more than the
page needs, and the pieces are merged. The first page of a person with years of history
reads a few dozen rows per kind.
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


def _touches(workspace, person, limit):
    T = m.Touch
    where = (T.workspace_id == workspace.id, T.person_id == person.id)
    rows = db.session.scalars(
        select(T).where(*where).options(joinedload(T.by), joinedload(T.template))
        .order_by(T.at.desc(), T.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("touch", t.at, {
        "id": t.id, "channel": t.channel, "direction": t.direction, "note": t.note,
        "template_id": t.template_id, "template": t.template.name if t.template else None,
        "by": _name(t.by)}, t) for t in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _stages(workspace, person, limit):
    S = m.StageChange
    where = (S.workspace_id == workspace.id, S.person_id == person.id)
    rows = db.session.scalars(
        select(S).where(*where).options(joinedload(S.by))
        .order_by(S.at.desc(), S.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("stage", s.at, {"id": s.id, "from": s.from_stage, "to": s.to_stage,
                                     "by": _name(s.by)}, s) for s in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _placements(workspace, person, limit):
    P = m.Placement
    where = (P.workspace_id == workspace.id, P.person_id == person.id)
    rows = db.session.execute(
        select(P, m.Campaign.name).join(m.Campaign, m.Campaign.id == P.campaign_id).where(*where)
        .order_by(P.created_at.desc(), P.id.desc()).limit(limit)
    ).all()  # fmt: skip
    entries = [Entry("placement", p.created_at, {
        "id": p.id, "campaign_id": p.campaign_id, "campaign": name, "status": p.status,
        "deliverable": p.deliverable, "platform": p.platform,
        "planned_at": p.planned_at.isoformat() if p.planned_at else None}, p)
        for p, name in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _tasks(workspace, person, limit):
    T = m.Task
    where = (T.workspace_id == workspace.id, T.person_id == person.id)
    rows = db.session.scalars(
        select(T).where(*where).options(joinedload(T.assignee))
        .order_by(T.created_at.desc(), T.id.desc()).limit(limit)
    )  # fmt: skip
    entries = [Entry("task", t.created_at, {
        "id": t.id, "title": t.title, "due_on": t.due_on.isoformat() if t.due_on else None,
        "done_at": t.done_at.isoformat() if t.done_at else None,
        "assignee": _name(t.assignee)}, t) for t in rows]  # fmt: skip
    return entries, select(func.count()).where(*where)


def _mentions(workspace, person, limit):
    authors = people.author_ids_of(person)
    if not authors:
        return [], 0
    where = (Mention.workspace_id == workspace.id, Mention.author_id.in_(authors))
    rows = db.session.execute(
        select(Mention.id, Mention.created_at, Mention.platform, Mention.kind, Mention.text,
               Mention.url, Mention.sentiment, Author.display_handle)
        .join(Author, Author.id == Mention.author_id).where(*where)
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


def _roles(workspace, person, limit):
    entries = role_changes(workspace, people.author_ids_of(person))
    return entries, len(entries)


SOURCES = {"touch": _touches, "stage": _stages, "placement": _placements, "task": _tasks,
           "mention": _mentions, "role": _roles}  # fmt: skip


def timeline(workspace: Workspace, person: m.Person, kinds=(), page: int = 1,
             per_page: int = 50) -> Page:  # fmt: skip
    """Return one page of the person's timeline, newest first, of ``kinds`` (all when empty)."""
    kinds = [kind for kind in KINDS if kind in kinds] if kinds else list(KINDS)
    need = page * per_page
    entries, known, counts = [], 0, []
    for kind in kinds:
        found, count = SOURCES[kind](workspace, person, need)
        entries += found
        if isinstance(count, int):
            known += count
        else:
            counts.append(count.scalar_subquery())
    entries.sort(key=lambda e: (e.at, KINDS.index(e.kind), e.data.get("id") or 0), reverse=True)
    # the kinds' counts in one query (one round trip to the database, not one a kind)
    total = known + sum(db.session.execute(select(*counts)).one()) if counts else known
    return Page(entries[(page - 1) * per_page : need], total, page, per_page)
