"""A workspace's sentiment models and its choice between the learned and the base model."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from app.models.base import Base, utcnow

MODEL_STATUSES = ("queued", "running", "done", "failed")  # as every background job's record
MODEL_PHASES = ("training", "labelling")


class SentimentModel(Base):
    """One training of a workspace's classifier on its corrections, and what it learned.

    It is the record of its background job (see :mod:`app.services.job_records`): ``status``
    queued, running (``phase`` training, then labelling), done or failed with a ``message``.
    ``quality`` holds the cross-validated figures: overall accuracy and, per class, recall
    ("of the posts people call negative, the share the model calls negative"), precision and
    the number of corrections. ``languages`` are those the model labels (enough corrections).
    ``labelled_up_to`` is the highest mention id the model has labelled: imports after it are
    labelled by :func:`app.sentiment.services.label_new`.
    """

    __tablename__ = "sentiment_models"
    __table_args__ = (Index("ix_sentiment_models_workspace", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="queued")
    phase: Mapped[str | None] = mapped_column(String(16))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    corrections: Mapped[int] = mapped_column(default=0)
    quality: Mapped[dict] = mapped_column(JSON, default=dict)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    seconds: Mapped[float | None] = mapped_column(Float)
    labelled: Mapped[int] = mapped_column(BigInteger, default=0)
    labelled_up_to: Mapped[int] = mapped_column(BigInteger, default=0)
    # the fitted pipeline (scikit-learn, pickled and compressed); only the app writes it
    blob: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class SentimentSettings(Base):
    """A workspace's sentiment choices: use its learned model, and learn from file labels."""

    __tablename__ = "sentiment_settings"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    use_model: Mapped[bool] = mapped_column(Boolean, default=True)
    learn_from_imported: Mapped[bool] = mapped_column(Boolean, default=False)
