"""Authors, mentions, the interactions (graph edges) they imply, their topics, and imports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow

MENTION_KINDS = ("post", "reply", "repost", "quote")
INTERACTION_KINDS = ("mention", "reply", "repost", "quote")
SENTIMENTS = ("positive", "neutral", "negative", "unknown")
SENTIMENT_SOURCES = ("imported", "computed", "model", "person")


# A post that replies to, reposts or quotes a post known only by its id: the ingest links it
# when the parent arrives. The partial index on this condition finds them without a scan.
def pending_target(alias: str = "") -> str:
    """Return the SQL condition of such a post; ``alias`` (``"child."``) qualifies the columns.

    A query must repeat this condition word for word for the database to use the index.
    """
    return " OR ".join(
        f"({alias}{target}_external_id IS NOT NULL AND {alias}{target}_author_id IS NULL)"
        for target in ("reply_to", "repost_of", "quote_of")
    )


PENDING_TARGET = pending_target()


class Author(Base):
    """A social account as seen in a workspace's mentions; ``handle`` is the lower-cased key."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(255))
    display_handle: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    url: Mapped[str | None] = mapped_column(String(1000))
    first_seen_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    posts_count: Mapped[int] = mapped_column(default=0)


class ImportRun(Base):
    """One import of one or more files (upload, CLI or API) and what came of it."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))  # upload / cli / api / demo
    filenames: Mapped[list[str]] = mapped_column(JSON, default=list)
    formats: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    imported: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]  # when a background runner took it up (its clock)
    finished_at: Mapped[datetime | None]
    # "host:pid" of the process running the import: once that process is gone, a run still
    # "running" is closed (app.services.ingest.close_orphaned_runs)
    runner: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User | None] = relationship()  # noqa: F821


class Mention(Base):
    """One post that names the brand; (workspace, platform, external_id) is unique."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "platform", "external_id"),
        Index("ix_mentions_workspace_created", "workspace_id", "created_at"),
        Index("ix_mentions_workspace_author", "workspace_id", "author_id", "created_at"),
        Index(
            "ix_mentions_pending_targets",
            "workspace_id",
            sqlite_where=text(PENDING_TARGET),
            postgresql_where=text(PENDING_TARGET),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(8), default="post")
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    lang: Mapped[str | None] = mapped_column(String(16))
    reply_to_external_id: Mapped[str | None] = mapped_column(String(255))
    reply_to_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="SET NULL")
    )
    repost_of_external_id: Mapped[str | None] = mapped_column(String(255))
    repost_of_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="SET NULL")
    )
    quote_of_external_id: Mapped[str | None] = mapped_column(String(255))
    quote_of_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id", ondelete="SET NULL")
    )
    likes: Mapped[int | None] = mapped_column(BigInteger)
    reposts: Mapped[int | None] = mapped_column(BigInteger)
    replies: Mapped[int | None] = mapped_column(BigInteger)
    views: Mapped[int | None] = mapped_column(BigInteger)
    sentiment: Mapped[str] = mapped_column(String(8), default="unknown")
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sentiment_source: Mapped[str] = mapped_column(String(8), default="computed")
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )

    author: Mapped[Author] = relationship(foreign_keys=[author_id])
    topics: Mapped[list[MentionTopic]] = relationship(
        back_populates="mention", cascade="all, delete-orphan", order_by="MentionTopic.topic"
    )

    @property
    def date_problem(self) -> str | None:
        """Say why this post's date keeps it out of the scores (before 2006, or more than a
        day after now), or return ``None``: the flag the import warned about."""
        from datetime import UTC

        from app.ingest.vet import date_problem

        at = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
        return date_problem(at, datetime.now(UTC))


# Text search (app/services/search_index.py). On SQLite: an FTS5 trigram index over
# mentions.text and the id up to which it holds every post; on PostgreSQL: a pg_trgm index.
# Not models (SQLAlchemy has no virtual tables, and the extension may be missing): the
# migration makes them; so does create_all (tests), and drop_all drops them.
SEARCH_TABLE_PREFIX = "mention_search"
SEARCH_DDL = (
    "CREATE TABLE IF NOT EXISTS mention_search_state ("
    "id INTEGER PRIMARY KEY, indexed_upto INTEGER NOT NULL DEFAULT 0)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS mention_search USING fts5("
    "text, content='mentions', content_rowid='id', tokenize='trigram')",
)


def sqlite_has_trigram_search(ddl, target, bind, **kw) -> bool:
    """Whether ``bind`` is a SQLite with FTS5's trigram tokenizer (3.34+); else searches scan."""
    if bind.dialect.name != "sqlite" or bind.dialect.dbapi.sqlite_version_info < (3, 34):
        return False
    return bool(bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())


for _statement in SEARCH_DDL:
    event.listen(
        Mention.__table__,
        "after_create",
        DDL(_statement).execute_if(callable_=sqlite_has_trigram_search),
    )


@event.listens_for(Mention.__table__, "after_create")
def _postgres_trigram_index(target, connection, **kw) -> None:
    """On PostgreSQL, a trigram GIN index on lower(text): it serves the search's LIKE itself."""
    if connection.dialect.name != "postgresql":
        return
    schema = postgres_trigram_schema(connection)
    if schema is not None:
        connection.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS mention_search_trgm ON mentions "
            f"USING gin (lower(text) {schema}.gin_trgm_ops)"
        )


def postgres_trigram_schema(connection) -> str | None:
    """Return the schema of pg_trgm, installing it if it is missing and this user may (a
    trusted extension since PostgreSQL 13); ``None`` where it can't be had: searches scan."""
    find = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    schema = connection.exec_driver_sql(find).scalar()
    if schema is None:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError:
            return None
        schema = connection.exec_driver_sql(find).scalar()
    return schema


for _statement in (
    "DROP TABLE IF EXISTS mention_search",
    "DROP TABLE IF EXISTS mention_search_state",
):
    event.listen(Mention.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


class MentionTopic(Base):
    """A topic of a mention: ``#hashtag``, ``r/subreddit`` or a brand term, lower-cased."""

    __tablename__ = "mention_topics"
    __table_args__ = (Index("ix_mention_topics_workspace_topic", "workspace_id", "topic"),)

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(200), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))

    mention: Mapped[Mention] = relationship(back_populates="topics")


class Interaction(Base):
    """A directed edge of the author graph: ``source`` mentioned/replied to/reposted/quoted ``target``."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_workspace_source", "workspace_id", "source_author_id"),
        Index("ix_interactions_workspace_target", "workspace_id", "target_author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    source_author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    target_author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime]
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("mentions.id", ondelete="CASCADE"), index=True
    )
