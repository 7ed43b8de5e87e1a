"""The relationship manager's tables: people and their accounts, tags and cadences, stage
changes, touches, tasks, templates, campaigns, placements and the audit log.

Every table is a tenant table: it has ``workspace_id`` and its main indexes lead with it.
Money is stored in minor units (kopecks, cents) as integers: exact on both databases.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow

STAGES = ("identified", "contacted", "engaged", "collaborating", "advocate", "paused", "declined")
"""Relationship stages of a person with the brand, in the order of the board."""

REGISTRY_STATUSES = ("unknown", "yes", "no")
"""Whether a blogger is in the registry of bloggers with over 10,000 subscribers."""

CHANNELS = {
    "email": "email",
    "direct_message": "direct message",
    "reply": "reply",
    "phone": "phone",
    "meeting": "meeting",
    "other": "other",
}
"""The ways a touch is made: stored key -> label shown to people."""

DIRECTIONS = ("sent", "received")

DELIVERABLES = ("post", "story", "video", "repost", "event")
PLACEMENT_STATUSES = ("proposed", "agreed", "published", "paid", "cancelled")
"""A placement's statuses, in the order of the campaign board."""

AUDIT_ACTIONS = ("view", "create", "change", "export", "erase", "merge")


class Person(Base):
    """A person the brand works with, behind one or more accounts.

    ``last_touch_at`` and ``next_touch_due`` are kept by the services (every touch, cadence or
    tag change recomputes them) so that the keep-in-touch lists read an index. ``version``
    counts changes: an edit made on an older version is refused (optimistic locking).
    """

    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_workspace_name", "workspace_id", "sort_name", "id"),
        Index("ix_people_workspace_stage", "workspace_id", "stage", "sort_name"),
        Index("ix_people_workspace_owner", "workspace_id", "owner_id", "sort_name"),
        Index("ix_people_workspace_due", "workspace_id", "next_touch_due"),
        Index("ix_people_workspace_last_touch", "workspace_id", "last_touch_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    sort_name: Mapped[str] = mapped_column(String(300))  # casefolded name: sort and search
    search_text: Mapped[str] = mapped_column(
        Text, default=""
    )  # casefolded name, org, e-mail, handles
    organisation: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    why_they_matter: Mapped[str] = mapped_column(Text, default="")
    legal_name: Mapped[str] = mapped_column(String(300), default="")
    inn: Mapped[str] = mapped_column(String(12), default="")
    registry_status: Mapped[str] = mapped_column(String(8), default="unknown")
    registry_checked_on: Mapped[date | None] = mapped_column(Date)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16), default="identified")
    stage_changed_at: Mapped[datetime | None]
    last_touch_at: Mapped[datetime | None]
    last_touch_direction: Mapped[str | None] = mapped_column(String(8))
    next_touch_due: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[User | None] = relationship()  # noqa: F821
    accounts: Mapped[list[PersonAccount]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PersonAccount.id",
    )  # fmt: skip
    tag_rows: Mapped[list[PersonTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PersonTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        """Return the person's tags, sorted."""
        return [row.tag for row in self.tag_rows]


class PersonTag(Base):
    """A tag of a person (lower-cased): the people list filters by it, cadences attach to it."""

    __tablename__ = "person_tags"
    __table_args__ = (Index("ix_person_tags_workspace_tag", "workspace_id", "tag", "person_id"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))


class TagCadence(Base):
    """Keep in touch with everyone tagged ``tag`` every ``cadence_days`` days (unless a person
    has a cadence of their own; with several tagged cadences the shortest wins)."""

    __tablename__ = "tag_cadences"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    cadence_days: Mapped[int] = mapped_column(Integer)


class PersonAccount(Base):
    """An account of a person on a platform. ``author_id`` links it to the author of the
    workspace's mentions with that handle; an account nobody has seen yet links when its
    first mention arrives. An account belongs to one person in a workspace."""

    __tablename__ = "person_accounts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "handle"),
        Index("ix_person_accounts_person", "person_id"),
        Index("ix_person_accounts_workspace_author", "workspace_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(255))  # the comparison key: lower case, no @
    display_handle: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="accounts")


class StageChange(Base):
    """A person's move from one stage to another: who moved them, and when."""

    __tablename__ = "stage_changes"
    __table_args__ = (Index("ix_stage_changes_person", "workspace_id", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    by: Mapped[User | None] = relationship()  # noqa: F821


class Template(Base):
    """An outreach message with placeholders filled from the person: ``{name}``,
    ``{top_topic}``, ``{latest_post}``, ``{campaign}``."""

    __tablename__ = "templates"
    __table_args__ = (Index("ix_templates_workspace_name", "workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16), default="email")
    body: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Touch(Base):
    """One touch with a person: a message sent or received, a call, a meeting; the template
    used, if any, and who logged it. The keep-in-touch clock restarts at the latest."""

    __tablename__ = "touches"
    __table_args__ = (Index("ix_touches_person", "workspace_id", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8), default="sent")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    template_id: Mapped[int | None] = mapped_column(ForeignKey("templates.id", ondelete="SET NULL"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship()  # noqa: F821
    template: Mapped[Template | None] = relationship()

    @property
    def channel_label(self) -> str:
        """Return the channel as people read it."""
        return CHANNELS.get(self.channel, self.channel)


OPEN = "done_at IS NULL"
"""The tasks not done yet (the partial indexes' condition)."""


class Task(Base):
    """Something to do about a person, by a member, by a day."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_person", "workspace_id", "person_id", "created_at"),
        Index("ix_tasks_assignee", "workspace_id", "assignee_id", "done_at", "due_on"),
        # Open tasks in the order the lists show them (by due day): a member's day and a
        # person's page read the first few in order instead of sorting all of them.
        Index("ix_tasks_open_assignee", "workspace_id", "assignee_id", "due_on", "id",
              sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
        Index("ix_tasks_open_person", "workspace_id", "person_id", "due_on", "id",
              sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])  # noqa: F821


class Campaign(Base):
    """A campaign: goal, dates, budget, and what tracks it (hashtags, links, promo codes)."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_workspace_start", "workspace_id", "start_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    goal: Mapped[str] = mapped_column(Text, default="")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    promo_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Placement(Base):
    """A person's deliverable in a campaign, its money, status and ad-marking record.

    ``person_id`` is empty once the person is erased: the campaign's totals keep the placement.
    The published post links to the workspace's mention (``mention_id``) by its id or URL.
    """

    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_campaign", "workspace_id", "campaign_id", "status", "planned_at"),
        Index("ix_placements_person", "workspace_id", "person_id", "created_at"),
        Index("ix_placements_planned", "workspace_id", "planned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(32), default="")
    deliverable: Mapped[str] = mapped_column(String(16), default="post")
    planned_at: Mapped[date | None] = mapped_column(Date)
    fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    gift_value_cents: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    post_url: Mapped[str] = mapped_column(String(1000), default="")
    post_external_id: Mapped[str] = mapped_column(String(255), default="")
    mention_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id", ondelete="SET NULL"))
    contract_number: Mapped[str] = mapped_column(String(100), default="")
    contract_date: Mapped[date | None] = mapped_column(Date)
    erid: Mapped[str] = mapped_column(String(100), default="")
    label_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    act: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[Campaign] = relationship()
    person: Mapped[Person | None] = relationship()


class AuditEntry(Base):
    """Who viewed, created, changed, exported, merged or erased a person, and when.

    ``person_id`` is a plain number (no foreign key): the record outlives an erased person
    and holds none of their personal data.
    """

    __tablename__ = "crm_audit"
    __table_args__ = (
        Index("ix_crm_audit_person", "workspace_id", "person_id", "at"),
        Index("ix_crm_audit_workspace_at", "workspace_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()  # noqa: F821
