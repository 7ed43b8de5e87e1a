"""Outreach templates: short personal messages with placeholders filled from the person.

Placeholders: ``{name}``, ``{top_topic}``, ``{latest_post}``, ``{campaign}``. Only these are
replaced (never ``str.format``: a template is text a member typed, not code).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.crm import models as m
from app.crm.services import people
from app.crm.services import values as v
from app.crm.services.people import require
from app.extensions import db
from app.ingest.record import brand_topic
from app.models import AuthorTopicScore, Mention, MentionTopic, User, Workspace, utcnow
from app.services.errors import FieldError, NotFound
from app.services.mentions import Page
from app.services.workspaces import Access

PLACEHOLDERS = ("name", "top_topic", "latest_post", "campaign")
BODY_MAX = 4000  # short by design: no mass mailing
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _check(data: dict, template: m.Template) -> None:
    if "name" in data:
        template.name = v.text("name", data["name"], 200, required=True)
    if "channel" in data:
        from app.crm.services.touches import check_channel

        template.channel = check_channel(data["channel"])
    if "body" in data:
        body = v.text("body", data["body"], BODY_MAX, required=True, lines=True)
        unknown = sorted(set(_PLACEHOLDER.findall(body)) - set(PLACEHOLDERS))
        if unknown:
            raise FieldError("body", f"{{{unknown[0]}}} is not a placeholder: use "
                             + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))  # fmt: skip
        template.body = body


def get_template(workspace: Workspace, template_id: int) -> m.Template:
    """Return one of the workspace's templates, or raise ``NotFound``."""
    template = db.session.get(m.Template, template_id)
    if template is None or template.workspace_id != workspace.id:
        raise NotFound("no such template in this workspace")
    return template


def create_template(access: Access, user: User | None, data: dict) -> m.Template:
    """Add a template (``name``, ``channel``, ``body``)."""
    require(access, "manager", "manage templates")
    now = utcnow()
    template = m.Template(workspace_id=access.workspace.id, channel="email", created_at=now,
                          updated_at=now, created_by_id=user.id if user else None)  # fmt: skip
    _check({"name": "", "body": "", **data}, template)
    db.session.add(template)
    db.session.commit()
    return template


def update_template(access: Access, user: User | None, template_id: int, data: dict) -> m.Template:
    """Change a template."""
    require(access, "manager", "manage templates")
    template = get_template(access.workspace, template_id)
    _check(data, template)
    template.updated_at = utcnow()
    db.session.commit()
    return template


def delete_template(access: Access, user: User | None, template_id: int) -> None:
    """Delete a template (touches that used it keep their text, without the link)."""
    require(access, "manager", "manage templates")
    db.session.delete(get_template(access.workspace, template_id))
    db.session.commit()


def list_templates(workspace: Workspace, page: int = 1, per_page: int = 100,
                   count: bool = True) -> Page:  # fmt: skip
    """Return the workspace's templates by name (uncounted: a menu needs no total)."""
    where = m.Template.workspace_id == workspace.id
    items = list(db.session.scalars(
        select(m.Template).where(where).order_by(m.Template.name, m.Template.id)
        .limit(per_page).offset((page - 1) * per_page)
    ))  # fmt: skip
    total = (db.session.scalar(select(func.count()).where(where)) or 0) if count else len(items)
    return Page(items, total, page, per_page)


def placeholders_of(workspace: Workspace, person: m.Person,
                    campaign: m.Campaign | None = None) -> dict[str, str]:  # fmt: skip
    """Return the values of the placeholders for a person (empty where unknown)."""
    authors = people.author_ids_of(person)
    top_topic = latest_post = ""
    # the brand itself is not "their" topic: a message names what they write about
    apart = workspace.brand_hashtags_apart
    brand = [brand_topic(term, apart=apart) for term in workspace.brand_terms or []] or [""]
    if authors:
        from app.services.scoring import latest_snapshot

        snapshot = latest_snapshot(workspace)
        if snapshot is not None:
            top_topic = db.session.scalar(
                select(AuthorTopicScore.topic)
                .where(AuthorTopicScore.snapshot_id == snapshot.id,
                       AuthorTopicScore.author_id.in_(authors),
                       AuthorTopicScore.topic.not_in(brand))
                .order_by((AuthorTopicScore.thought_leader + AuthorTopicScore.trendsetter).desc())
                .limit(1)
            ) or ""  # fmt: skip
        if not top_topic:  # not ranked on any topic: the topic they post about most
            top_topic = db.session.scalar(
                select(MentionTopic.topic)
                .join(Mention, Mention.id == MentionTopic.mention_id)
                .where(Mention.workspace_id == workspace.id, Mention.author_id.in_(authors),
                       MentionTopic.topic.not_in(brand))
                .group_by(MentionTopic.topic)
                .order_by(func.count().desc(), MentionTopic.topic).limit(1)
            ) or ""  # fmt: skip
        latest = db.session.execute(
            select(Mention.text, Mention.url)
            .where(Mention.workspace_id == workspace.id, Mention.author_id.in_(authors))
            .order_by(Mention.created_at.desc()).limit(1)
        ).first()  # fmt: skip
        if latest:
            text, url = latest
            text = " ".join((text or "").split())
            latest_post = url or (text[:80] + ("…" if len(text) > 80 else ""))
    return {"name": person.name, "top_topic": top_topic, "latest_post": latest_post,
            "campaign": campaign.name if campaign else ""}  # fmt: skip


def render(template: m.Template, values: dict[str, str]) -> str:
    """Return the template's body with its placeholders filled."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)),
                            template.body)  # fmt: skip
