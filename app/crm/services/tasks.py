"""Tasks on people: something to do, by a day, by a member; the "my day" lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload

from app.crm import models as m
from app.crm.services import people
from app.crm.services import values as v
from app.crm.services.people import require
from app.extensions import db
from app.models import User, Workspace, utcnow
from app.services.errors import NotFound
from app.services.mentions import Page
from app.services.workspaces import Access


def create_task(access: Access, user: User | None, person_id: int, data: dict) -> m.Task:
    """Add a task on a person (``title``, ``due_on``, ``assignee_id``: a member)."""
    require(access, "agent", "add tasks")
    person = people.get_person(access.workspace, person_id)
    task = m.Task(
        workspace_id=access.workspace.id, person_id=person.id,
        title=v.text("title", data.get("title"), 300, required=True),
        due_on=v.day("due_on", data.get("due_on")),
        assignee_id=people._check_member(access.workspace, "assignee_id",
                                         data.get("assignee_id") or (user.id if user else None)),
        created_by_id=user.id if user else None, created_at=utcnow(),
    )  # fmt: skip
    db.session.add(task)
    db.session.commit()
    return task


def get_task(workspace: Workspace, task_id: int) -> m.Task:
    """Return one of the workspace's tasks, or raise ``NotFound``."""
    task = db.session.get(m.Task, task_id)
    if task is None or task.workspace_id != workspace.id:
        raise NotFound("no such task in this workspace")
    return task


def set_done(access: Access, user: User | None, task_id: int, done: bool = True) -> m.Task:
    """Mark a task done (or not done again)."""
    require(access, "agent", "complete tasks")
    task = get_task(access.workspace, task_id)
    task.done_at = utcnow() if done else None
    db.session.commit()
    return task


def person_tasks(workspace: Workspace, person_id: int, limit: int = 200) -> list[m.Task]:
    """Return a person's first ``limit`` tasks: open ones by due day (those without one
    after), then done ones.

    The open tasks come in one query from their partial index, each half read in its order
    (ordering all tasks at once would sort every task the person ever had); the done ones
    are asked for only when the open ones leave room."""
    T = m.Task
    open_of_person = (T.workspace_id == workspace.id, T.person_id == person_id, T.done_at.is_(None))
    dated = (
        select(T.id, literal(0).label("part")).where(*open_of_person, T.due_on.is_not(None))
        .order_by(T.due_on, T.id).limit(limit).subquery()
    )  # fmt: skip
    undated = (
        select(T.id, literal(1).label("part")).where(*open_of_person, T.due_on.is_(None))
        .order_by(T.id).limit(limit).subquery()
    )  # fmt: skip
    chosen = union_all(select(dated.c.id, dated.c.part),
                       select(undated.c.id, undated.c.part)).subquery()  # fmt: skip
    found = list(db.session.scalars(
        select(T).join(chosen, chosen.c.id == T.id).options(joinedload(T.assignee))
        .order_by(chosen.c.part, T.due_on, T.id).limit(limit)
    ))  # fmt: skip
    if len(found) < limit:
        found += db.session.scalars(
            select(T).where(T.workspace_id == workspace.id, T.person_id == person_id,
                            T.done_at.is_not(None)).options(joinedload(T.assignee))
            .order_by(T.due_on.nulls_last(), T.id).limit(limit - len(found))
        )  # fmt: skip
    return found


def my_tasks(workspace: Workspace, user: User, on: date | None = None, page: int = 1,
             per_page: int = 50) -> Page:  # fmt: skip
    """Return the member's open tasks due on ``on`` (today) or before, oldest due first."""
    on = on or utcnow().date()
    where = (m.Task.workspace_id == workspace.id, m.Task.assignee_id == user.id,
             m.Task.done_at.is_(None), m.Task.due_on <= on)  # fmt: skip
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    items = list(db.session.scalars(
        select(m.Task).where(*where).order_by(m.Task.due_on, m.Task.id)
        .limit(per_page).offset((page - 1) * per_page)
    ))  # fmt: skip
    return Page(items, total, page, per_page)
