"""My day: a member's home page — my tasks due today and overdue, my people losing touch,
the placements due this week, and replies received that nobody answered yet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.crm import models as m
from app.crm.services import campaigns, people, tasks
from app.extensions import db
from app.models import User, Workspace, utcnow
from app.services.mentions import Page


@dataclass
class MyDay:
    """What a member has to do today."""

    tasks: Page
    losing_touch: list
    placements: list
    replies: list


def losing_touch(workspace: Workspace, user: User, limit: int = 30) -> tuple[int, list]:
    """Return how many of the member's people (theirs or nobody's) are past their cadence,
    and the ``limit`` longest overdue, each as ``(person, due)`` (see ``people.due_of``)."""
    now = utcnow()
    P = m.Person
    where = (P.workspace_id == workspace.id, P.next_touch_due < now,
             or_(P.owner_id == user.id, P.owner_id.is_(None)))  # fmt: skip
    losing = list(db.session.scalars(
        select(P).where(*where)
        .options(selectinload(P.accounts)).order_by(P.next_touch_due, P.id).limit(limit)
    ))  # fmt: skip
    total = len(losing)
    if total == limit:
        total = db.session.scalar(select(func.count()).select_from(P).where(*where)) or 0
    return total, [(person, people.due_of(person, now)) for person in losing]


def my_day(workspace: Workspace, user: User, limit: int = 30) -> MyDay:
    """Return the member's day: their tasks, their people (or nobody's) past their cadence,
    placements planned in the next seven days, and replies still waiting for an answer."""
    P = m.Person
    mine = or_(P.owner_id == user.id, P.owner_id.is_(None))
    replies = list(db.session.scalars(
        select(P).where(P.workspace_id == workspace.id, P.last_touch_direction == "received", mine)
        .order_by(P.last_touch_at, P.id).limit(limit)
    ))  # fmt: skip
    return MyDay(
        tasks=tasks.my_tasks(workspace, user, per_page=limit),
        losing_touch=losing_touch(workspace, user, limit)[1],
        placements=campaigns.due_this_week(workspace, user.id, limit),
        replies=replies,
    )
