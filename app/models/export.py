"""Files prepared in the background: exports of the author graph for Gephi and friends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow

GRAPH_EXPORT_FORMATS = ("gexf", "graphml")


class GraphExport(Base):
    """One export of a workspace's network view as a GEXF or GraphML file under ``instance/``.

    ``filters`` holds the view's query arguments (topic, dates, kinds, minimum partners, node
    cap, ego), so the same view can be named in the file and reopened on the network page.
    """

    __tablename__ = "graph_exports"
    __table_args__ = (Index("ix_graph_exports_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(16))  # gexf/graphml
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued/running/done/failed
    phase: Mapped[str | None] = mapped_column(String(32))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))  # relative to the exports folder
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    node_count: Mapped[int | None] = mapped_column(Integer)
    edge_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]  # when a background runner took it up (its clock)
    finished_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def busy(self) -> bool:
        """Return whether the file is still being prepared."""
        return self.status in ("queued", "running")
