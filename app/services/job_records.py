"""The records background jobs keep, and what a failed one tells the user to do.

Three kinds of background work leave a record that pages show: a scoring run
(:class:`~app.models.ScoreSnapshot`), an upload's import (:class:`~app.models.ImportRun`) and a
graph export (:class:`~app.models.GraphExport`). Each has a ``status`` (queued, running, done,
failed), a ``message``, and the times it was created, taken up (``started_at``) and finished.

The runner (:mod:`app.services.jobs`) stamps a record when it takes its job up and marks it
failed when the job overran ``JOB_TIME_LIMIT``, crashed or raised. This module words those
failures in the user's terms, with what is still in place and what to do next, and closes
records whose job died without a trace (a killed process, a restarted server): queued or running
long past the time limit, such a record would otherwise say "running" forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import GraphExport, ImportRun, ScoreSnapshot, Workspace, utcnow

ACTIVE = ("queued", "running")
# Beyond the time limit, before a record still queued or running is closed: covers RQ's own
# timeout and kill, a minute or two later than the runner's (see app.services.rq_jobs).
STALE_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class Kind:
    """A kind of background work: its record's model, and the advice its failures carry."""

    name: str
    model: type
    kept: str  # what is still in place after a failure
    again: str  # how to try again
    smaller: str  # how to give it less work
    what: Callable[[object], str] | None = None  # a record in a few words, for the jobs list


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "scoring", ScoreSnapshot,
            kept="The previous scores are still shown.",
            again="Try Recompute again",
            smaller="score a shorter window in Settings",
        ),
        Kind(
            "import", ImportRun,
            kept="Mentions imported before it stopped are kept, and importing the same file"
            " again skips them.",
            again="Import the file again",
            smaller="split the file into smaller ones",
        ),
        Kind(
            "export", GraphExport,
            kept="",
            again="Start the export again",
            smaller="export a smaller view (one topic, a shorter period or fewer people)",
        ),
    )
}  # fmt: skip

def register(kind: Kind) -> None:
    """Add a domain's kind of background work (its record model has ``workspace_id``,
    ``status``, ``message``, ``created_at``, ``started_at`` and ``finished_at``)."""
    KINDS[kind.name] = kind


Record = tuple[str, int]
"""A job's record as jobs pass it around: (kind name, id)."""


def record_of(model: object) -> Record:
    """Return the (kind, id) of a background job's record (a committed model instance)."""
    for kind in KINDS.values():
        if isinstance(model, kind.model):
            return kind.name, model.id
    raise ValueError(f"{type(model).__name__} is not the record of a background job")


def time_limit() -> float:
    """Return the seconds a background job may run (``JOB_TIME_LIMIT``)."""
    return float(current_app.config["JOB_TIME_LIMIT"])


# --- what a failure says ------------------------------------------------------------------


def duration(seconds: float) -> str:
    """Return a time limit in words: ``"1 second"``, ``"90 seconds"``, ``"60 minutes"``."""
    if seconds >= 120:
        return f"{round(seconds / 60)} minutes"
    return f"{seconds:g} second" + ("" if seconds == 1 else "s")


def _say(kind: str, what: str, *, then: str = "") -> str:
    """Join what happened, what is kept and what to do, as sentences (the last one unended:
    pages end the message themselves)."""
    advice = KINDS[kind]
    parts = [what, advice.kept, advice.again + (f"; {then}" if then else "")]
    return ". ".join(part.rstrip(".") for part in parts if part)


def timed_out(kind: str, seconds: float) -> str:
    """Say that a job was stopped at its time limit."""
    smaller = KINDS[kind].smaller
    return _say(
        kind,
        f"stopped after {duration(seconds)}, the time limit",
        then=f"if it keeps stopping, raise FLASK_JOB_TIME_LIMIT or {smaller}",
    )


def crashed(kind: str, how: str) -> str:
    """Say that a job's process ended without finishing (``how``: a signal or an exit code)."""
    return _say(
        kind,
        f"its process ended unexpectedly ({how})",
        then=f"if it keeps failing, {KINDS[kind].smaller}",
    )


def internal_error(kind: str, error: str) -> str:
    """Say that a job raised an unexpected exception (``error``: its type; the log has it)."""
    return _say(kind, f"stopped on an internal error ({error}; it was logged)")


def lost(kind: str) -> str:
    """Say that a job left no trace: it timed out, or its process or server was stopped."""
    return _say(kind, "did not finish: it timed out or was stopped (the server may have restarted)")


def interrupted(kind: str) -> str:
    """Say that a job's own process was told to stop (Ctrl-C at the command line, say)."""
    return _say(kind, "was interrupted before it finished")


def not_queued(kind: str, why: str) -> str:
    """Say that a job could not be handed to the job queue (Redis)."""
    return _say(
        kind,
        f"could not be started: the job queue did not answer ({why})",
        then="if it keeps failing, check that Redis runs at REDIS_URL",
    )


# --- changing records ---------------------------------------------------------------------


def _get(record: Record):
    kind, record_id = record
    return db.session.get(KINDS[kind].model, record_id, populate_existing=True)


def _close(model, message: str) -> None:
    model.status, model.message, model.finished_at = "failed", message, utcnow()
    if hasattr(model, "phase"):
        model.phase = None


def start(record: Record) -> bool:
    """Stamp the record as taken up now; return ``False`` when its job must not run (the
    record is gone, or ended: closed while it waited in the queue)."""
    model = _get(record)
    if model is None or model.status not in ACTIVE:
        db.session.rollback()
        return False
    model.started_at = utcnow()
    db.session.commit()
    return True


def fail(record: Record, message: str) -> bool:
    """Mark the record failed with ``message`` unless it has ended; return whether it changed."""
    db.session.rollback()  # whatever the failed job left in this session is not to be kept
    model = _get(record)
    if model is None or model.status not in ACTIVE:
        db.session.rollback()
        return False
    _close(model, message)
    db.session.commit()
    return True


def close_stale(kind: str, workspace_id: int) -> None:
    """Mark failed the workspace's records of ``kind`` still queued or running long past the
    time limit: their job died without a trace. Called wherever such records are read."""
    model = KINDS[kind].model
    cutoff = utcnow() - timedelta(seconds=time_limit()) - STALE_GRACE
    stale = db.session.scalars(
        select(model).where(
            model.workspace_id == workspace_id,
            model.status.in_(ACTIVE),
            func.coalesce(model.started_at, model.created_at) < cutoff,
        )
    ).all()
    for found in stale:
        _close(found, lost(kind))
    if stale:
        db.session.commit()
    if kind == "import":  # and, at once, those whose process is known to be gone
        from app.services.ingest import close_orphaned_runs

        close_orphaned_runs(workspace_id)


# --- the list of recent work --------------------------------------------------------------


@dataclass
class Work:
    """One piece of a workspace's background work, as ``jobs list`` shows it."""

    kind: str
    id: int
    status: str
    what: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    message: str | None

    def as_json(self) -> dict:
        """Return it as plain JSON values (times in ISO 8601, UTC)."""
        return {
            "kind": self.kind, "id": self.id, "status": self.status, "what": self.what,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "message": self.message,
        }  # fmt: skip


def _what(kind: str, model) -> str:
    if KINDS[kind].what is not None:
        return KINDS[kind].what(model)
    if kind == "scoring":
        return f"{model.trigger} run"
    if kind == "import":
        return f"{model.source}: {', '.join(model.filenames or [])}"
    return f"{model.format} file"


def recent_work(workspace: Workspace, kinds: tuple[str, ...] | None = None, limit: int = 20):
    """Return the workspace's latest background work of ``kinds`` (default: all), newest first."""
    found: list[Work] = []
    for kind in kinds or tuple(KINDS):
        close_stale(kind, workspace.id)
        model = KINDS[kind].model
        for row in db.session.scalars(
            select(model)
            .where(model.workspace_id == workspace.id)
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(limit)
        ):
            started = row.started_at or (row.created_at if row.status != "queued" else None)
            found.append(
                Work(kind, row.id, row.status, _what(kind, row), row.created_at, started,
                     row.finished_at, row.message)
            )  # fmt: skip
    found.sort(key=lambda work: work.created_at, reverse=True)
    return found[:limit]
