"""Brand terms and their hashtags as topics: one topic, or two when the workspace says so.

By default a one-word brand term and its hashtag are one topic ("Python" and "#python" are
"#python": :func:`app.ingest.record.brand_topic`). A workspace may keep them apart
(``Workspace.brand_hashtags_apart``): then the term is a topic of its own ("python") beside the
hashtag. Imports follow the setting; when it changes, :func:`regroup_brand_topics` brings the
mentions already imported into line in the background and the scores are recomputed, since
the topic rankings of the last snapshot were counted on the old topics.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, insert, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.ingest.record import brand_topic
from app.ingest.rows import brand_matcher
from app.ingest.text import extract_tags
from app.ingest.vet import ANALYSED_CHARS
from app.models import Mention, MentionTopic, Workspace

__all__ = ["Regrouped", "queue_regroup", "regroup_brand_topics", "split_pairs"]

log = logging.getLogger(__name__)
BATCH = 5_000


@dataclass
class Regrouped:
    """What a regrouping changed: topics added to mentions and topics taken off them."""

    added: int = 0
    removed: int = 0
    renamed: int = 0

    @property
    def changed(self) -> bool:
        """Return whether any mention's topics changed."""
        return bool(self.added or self.removed or self.renamed)


def split_pairs(terms: list[str]) -> list[tuple[str, str, str]]:
    """Return ``(term, topic apart, topic together)`` for the brand terms the setting affects:
    one-word terms, whose topic together is their hashtag ("python", "python", "#python")."""
    pairs = []
    for term in terms:
        apart, together = brand_topic(term, apart=True), brand_topic(term)
        if apart and apart != together:
            pairs.append((term, apart[:200], together[:200]))
    return pairs


def queue_regroup(workspace: Workspace) -> None:
    """Regroup the workspace's brand topics to its current setting, in the background."""
    from app.services import jobs

    if split_pairs(workspace.brand_terms or []):
        jobs.submit("app.services.topics.regroup_job", workspace.id)


def regroup_job(workspace_id: int) -> None:
    """Background job: regroup the brand topics, then recompute the scores if any changed."""
    from app.services import scoring

    workspace = db.session.get(Workspace, workspace_id)
    if workspace is None:
        return
    regrouped = regroup_brand_topics(workspace)
    log.info("brand topics of workspace %s regrouped: %s", workspace.slug, regrouped)
    if regrouped.changed:
        scoring.queue_scoring(workspace, trigger="settings")


def regroup_brand_topics(workspace: Workspace) -> Regrouped:
    """Bring the topics of the workspace's mentions in line with its brand-hashtag setting.

    Together: every mention's term topic ("python") becomes the hashtag ("#python"), one per
    mention; exact. Apart: a mention whose text names the term gets the term's topic, and keeps
    the hashtag only if its text carries the hashtag; a mention whose text does not name the
    term keeps the hashtag (it came from the tags). A hashtag that came only from an import's
    tags column, on a post whose text names the term, cannot be told from the term any more:
    it becomes the term.
    """
    pairs = split_pairs(workspace.brand_terms or [])
    result = Regrouped()
    for term, apart, together in pairs:
        if workspace.brand_hashtags_apart:
            _split(workspace.id, term, apart, together, result)
        else:
            _merge(workspace.id, apart, together, result)
    db.session.commit()
    return result


def _merge(workspace_id: int, apart: str, together: str, result: Regrouped) -> None:
    both = aliased(MentionTopic)
    duplicate = exists().where(
        both.workspace_id == workspace_id,
        both.mention_id == MentionTopic.mention_id,
        both.topic == together,
    )
    result.removed += db.session.execute(
        delete(MentionTopic).where(
            MentionTopic.workspace_id == workspace_id, MentionTopic.topic == apart, duplicate
        )
    ).rowcount
    result.renamed += db.session.execute(
        update(MentionTopic)
        .where(MentionTopic.workspace_id == workspace_id, MentionTopic.topic == apart)
        .values(topic=together)
    ).rowcount


def _split(workspace_id: int, term: str, apart: str, together: str, result: Regrouped) -> None:
    names_term = brand_matcher([term], apart=True)
    hashtag = together.lstrip("#")
    already = set(
        db.session.scalars(
            select(MentionTopic.mention_id).where(
                MentionTopic.workspace_id == workspace_id, MentionTopic.topic == apart
            )
        )
    )
    add, remove = [], []
    rows = db.session.execute(
        select(Mention.id, Mention.text)
        .join(
            MentionTopic,
            and_(MentionTopic.mention_id == Mention.id, MentionTopic.topic == together),
        )
        .where(MentionTopic.workspace_id == workspace_id, Mention.workspace_id == workspace_id)
    ).all()
    for mention_id, text in rows:
        text = (text or "")[:ANALYSED_CHARS]
        if not names_term(text):
            continue  # the hashtag came from the tags alone
        if mention_id not in already:
            add.append({"mention_id": mention_id, "topic": apart, "workspace_id": workspace_id})
        if hashtag not in (tag.lower() for tag in extract_tags(text)):
            remove.append(mention_id)
    for start in range(0, len(add), BATCH):
        db.session.execute(insert(MentionTopic), add[start : start + BATCH])
    for start in range(0, len(remove), BATCH):
        result.removed += db.session.execute(
            delete(MentionTopic).where(
                MentionTopic.workspace_id == workspace_id,
                MentionTopic.topic == together,
                MentionTopic.mention_id.in_(remove[start : start + BATCH]),
            )
        ).rowcount
    result.added += len(add)
