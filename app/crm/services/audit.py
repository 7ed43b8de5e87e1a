"""The audit log of people: who viewed, created, changed, exported, merged or erased whom."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.crm.models import AuditEntry
from app.extensions import db
from app.models import User, Workspace
from app.services.mentions import Page


def record(workspace: Workspace, user: User | None, action: str, person_id: int | None,
           **detail) -> None:  # fmt: skip
    """Add an entry to the session (the caller's commit keeps it with the change it records)."""
    db.session.add(AuditEntry(
        workspace_id=workspace.id, user_id=user.id if user is not None else None,
        action=action, person_id=person_id, detail=detail,
    ))  # fmt: skip


def entries(workspace: Workspace, person_id: int | None = None, page: int = 1,
            per_page: int = 50, count: bool = True) -> Page:  # fmt: skip
    """Return one page of the log, newest first (of one person, or of the workspace), with
    the members who acted; uncounted (``count=False``) for a page that shows the latest."""
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace.id)
    if person_id is not None:
        query = query.where(AuditEntry.person_id == person_id)
    items = list(db.session.scalars(
        query.options(joinedload(AuditEntry.user))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))  # fmt: skip
    total = len(items)
    if count:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return Page(items, total, page, per_page)
