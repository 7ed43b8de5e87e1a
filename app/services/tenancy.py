"""The one way to query tenant tables: every statement filtered by the workspace."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, select

T = TypeVar("T")


def in_workspace(model: type[T], workspace_id: int) -> Select[tuple[T]]:
    """Return ``select(model)`` limited to rows of ``workspace_id``."""
    return select(model).where(model.workspace_id == workspace_id)  # type: ignore[attr-defined]
