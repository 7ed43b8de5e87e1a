"""The CRM's record of work with people: contacts (outreach touches) with authors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow

CONTACT_CHANNELS = {
    "email": "email",
    "direct_message": "direct message",
    "reply": "reply",
    "phone": "phone",
    "meeting": "meeting",
    "other": "other",
}
"""The ways a contact is made: stored key -> label shown to people."""


class Contact(Base):
    """One outreach touch with an author: who made it, when, over which channel, and a note."""

    __tablename__ = "contacts"
    __table_args__ = (
        # Leads every read: an author's history (newest first), "contacted or not" as an
        # EXISTS probe per listed author, and the latest contact per author.
        Index("ix_contacts_workspace_author", "workspace_id", "author_id", "contacted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contacted_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def channel_label(self) -> str:
        """Return the channel as people read it."""
        return CONTACT_CHANNELS.get(self.channel, self.channel)
