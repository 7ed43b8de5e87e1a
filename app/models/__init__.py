"""All models, imported here so that Alembic and the app see every table."""

from app.models.base import Base, utcnow
from app.models.export import GRAPH_EXPORT_FORMATS, GraphExport
from app.models.mention import (
    INTERACTION_KINDS,
    MENTION_KINDS,
    SENTIMENTS,
    Author,
    ImportRun,
    Interaction,
    Mention,
    MentionTopic,
)
from app.models.score import (
    ROLE_NAMES,
    SCORE_COLUMNS,
    AuthorScore,
    AuthorTopicScore,
    BotVerdict,
    CommunitySummary,
    ScoreSnapshot,
)
from app.models.user import ApiToken, User, UserSession
from app.models.workspace import ROLE_RANK, ROLES, Invitation, Membership, Workspace

__all__ = [
    "GRAPH_EXPORT_FORMATS",
    "GraphExport",
    "ROLE_NAMES",
    "SCORE_COLUMNS",
    "AuthorScore",
    "AuthorTopicScore",
    "BotVerdict",
    "CommunitySummary",
    "ScoreSnapshot",
    "INTERACTION_KINDS",
    "MENTION_KINDS",
    "ROLES",
    "ROLE_RANK",
    "SENTIMENTS",
    "ApiToken",
    "Author",
    "Base",
    "ImportRun",
    "Interaction",
    "Invitation",
    "Membership",
    "Mention",
    "MentionTopic",
    "User",
    "UserSession",
    "Workspace",
    "utcnow",
]

# The domains' tables (after the core's, which they refer to).
from app.crm import models as crm_models  # noqa: E402,F401
