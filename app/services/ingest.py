"""Importing mentions: parse files into records, then write them in streaming batches.

Each batch is one transaction that dedupes against the database, upserts the authors, inserts
the mentions with their topics and the interactions (graph edges) they imply. Memory stays flat
however big the file is: only one batch of records and a map of author keys to ids is held.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.ingest import (
    FORMATS,
    MentionRecord,
    ParseWarning,
    RowError,
)
from app.ingest.rows import brand_matcher, prepare
from app.ingest.vet import Vetter, storable
from app.models import ImportRun, Workspace, utcnow
from app.services import job_records
from app.services.bulk import bulk_work
from app.services.enrich import enrich
from app.services.errors import ServiceError
from app.services.ingest_reader import (
    Batch,
    WorkerFailed,
    read_batches,
    read_batches_in_worker,
    worth_a_worker,
)
from app.services.ingest_writer import BatchWriter

__all__ = ["ImportResult", "brand_matcher", "import_files", "import_records"]

MAX_ERRORS = 100
BATCH_SIZE = 20_000  # rows per transaction: fewer commits rewrite fewer index pages

Progress = Callable[["ImportResult", int], None]
"""Called after each batch with the running result and the bytes read so far."""


@dataclass
class ImportResult:
    """What an import did: counts, the first errors, warnings and the detected formats."""

    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    files_failed: int = 0

    def reject(self, file: str, line: int | None, reason: str) -> None:
        """Count a rejected row, keeping the first ``MAX_ERRORS`` reasons."""
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS:  # a reason may quote a value no database stores
            self.errors.append({"file": storable(file), "line": line, "reason": storable(reason)})

    @property
    def read_anything(self) -> bool:
        """Return whether any row could be read (imported or already there)."""
        return self.imported + self.duplicates > 0

    def as_json(self) -> dict:
        """Return the result as the CLI and API print it."""
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": self.errors,
            "warnings": self.warnings,
            "format": self.formats,
        }


# --- public entry points -------------------------------------------------------------------


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is ``auto`` or a known format, else raise ``ServiceError``."""
    if fmt != "auto" and fmt not in FORMATS:
        raise ServiceError(f"unknown format {fmt!r}; use one of: auto, {', '.join(FORMATS)}")
    return fmt


def import_files(
    workspace: Workspace,
    paths: list[Path | str],
    *,
    fmt: str = "auto",
    run: ImportRun | None = None,
    display_names: list[str] | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    worker: bool | None = None,
) -> ImportResult:
    """Import mention files into ``workspace``; a file that cannot be read is reported, not fatal.

    Raises ``ServiceError`` when the only file given cannot be read at all: nothing is written.
    ``worker`` reads in a second process (default: when the files are big enough to pay off).
    """
    check_format(fmt)
    paths = [str(path) for path in paths]
    names = display_names or paths
    if worker is None:
        worker = worth_a_worker(paths)
    read = read_batches_in_worker if worker else read_batches
    result = ImportResult()
    writer = BatchWriter(workspace)
    sizes = dict(zip(names, (_size(path) for path in paths), strict=True))
    done_before, current = 0, None
    with bulk_work():
        try:
            for batch in read(paths, names, fmt, batch_size, workspace.brand_terms or [],
                              expected=workspace.expected_languages or [],
                              brands_apart=workspace.brand_hashtags_apart):  # fmt: skip
                if batch.file != current:
                    done_before += sizes.get(current, 0) if current else 0
                    current = batch.file
                _take(result, batch, single_file=len(paths) == 1)
                if batch.records and not writer.written:
                    writer.expect(_expected_rows(batch, sum(sizes.values())))
                if batch.records:
                    writer.write(batch.records, result, run)
                if progress:
                    progress(result, done_before + batch.position)
        except WorkerFailed as error:
            raise ServiceError(f"reading the files failed: {error}") from None
        finally:
            writer.finish()  # also after a failure: the batches that landed keep their authors right
            _new_mentions(workspace, result)
    return result


def _new_mentions(workspace: Workspace, result: ImportResult) -> None:
    """Tell the domains that read mentions through aggregates that new ones arrived."""
    if result.imported:
        from app.advocacy.services import daily

        daily.mark_stale(workspace)


def _expected_rows(first: Batch, total_bytes: int) -> int:
    """Estimate the rows of the whole import from its first batch and the bytes it took."""
    if first.position <= 0:
        return len(first.records)
    return int(len(first.records) * max(total_bytes, first.position) / first.position)


def _take(result: ImportResult, batch: Batch, single_file: bool) -> None:
    """Fold a batch's format, warnings and rejected rows into the result."""
    if batch.format:
        result.formats[batch.file] = batch.format
    result.warnings.extend(map(storable, batch.warnings))
    for line, reason in batch.rejected:
        result.reject(batch.file, line, reason)
    result.rejected += batch.rejected_count - len(batch.rejected)
    if batch.file_error:
        if single_file and not result.read_anything:
            raise ServiceError(f"{batch.file}: {batch.file_error}")
        result.files_failed += 1
        if len(result.errors) < MAX_ERRORS:
            result.errors.append({"file": batch.file, "line": None,
                                  "reason": f"file not imported: {batch.file_error}"})  # fmt: skip


def import_records(
    workspace: Workspace,
    records: Iterable[tuple[MentionRecord | RowError | ParseWarning, str]],
    *,
    run: ImportRun | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import already-parsed records (the API's path); each comes with the name it is known by."""
    result = ImportResult()
    writer = BatchWriter(workspace)
    batch: list[MentionRecord] = []

    expected = tuple(workspace.expected_languages or ())

    def write(records: list[MentionRecord]) -> None:
        enrich(records, expected)
        writer.write(prepare(records, writer.find_brands), result, run)

    vet = Vetter(datetime.now(UTC))
    try:
        for item, where in records:
            if isinstance(item, RowError):
                result.reject(where, item.line, item.reason)
                continue
            if isinstance(item, ParseWarning):
                result.warnings.append(storable(f"{where}: {item.message}"))
                continue
            problem = vet(item, where, lambda warning: result.warnings.append(storable(warning)))
            if problem:
                result.reject(where, None, problem)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                write(batch)
                batch = []
        if batch:
            write(batch)
        result.warnings.extend(vet.summaries())
    finally:
        writer.finish()
        _new_mentions(workspace, result)
    return result


def _size(path: Path | str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def this_process() -> str:
    """Return ``host:pid`` of this process, as an import run remembers its runner."""
    return f"{socket.gethostname()[:200]}:{os.getpid()}"


def _gone(runner: str | None, host: str) -> bool:
    """Say whether the process ``runner`` (``host:pid``) ran on ``host`` and has ended."""
    where, _, pid = (runner or "").rpartition(":")
    if where != host or not pid.isdigit():
        return False  # another machine's process (an RQ worker): its time limit closes it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # PermissionError: alive, another user's
        return False
    try:  # a zombie (killed, not yet reaped by its parent) has ended too
        with open(f"/proc/{int(pid)}/stat") as stat:
            return stat.read().rsplit(") ", 1)[1][:1] == "Z"
    except (OSError, IndexError):
        return False


def close_orphaned_runs(workspace_id: int) -> None:
    """Mark failed the workspace's imports still running whose process is gone (killed, or
    its server stopped): the next start or look closes them at once, not an hour later."""
    host = socket.gethostname()[:200]
    orphans = [
        run
        for run in db.session.scalars(
            select(ImportRun).where(
                ImportRun.workspace_id == workspace_id,
                ImportRun.status.in_(job_records.ACTIVE),
                ImportRun.runner.is_not(None),
            )
        )
        if _gone(run.runner, host)
    ]
    for run in orphans:
        run.status, run.finished_at = "failed", utcnow()
        run.message = job_records.lost("import")
    if orphans:
        db.session.commit()


def start_run(
    workspace: Workspace, source: str, filenames: list[str], user=None, *, queued: bool = False
) -> ImportRun:
    """Create the record of an import before it starts, so its progress can be shown (a
    queued one waits for a background runner, which takes it up)."""
    close_orphaned_runs(workspace.id)
    run = ImportRun(
        workspace_id=workspace.id,
        user_id=user.id if user is not None else None,
        source=source,
        filenames=filenames,
        status="queued" if queued else "running",
        runner=None if queued else this_process(),
        bytes_total=0,
    )
    db.session.add(run)
    db.session.commit()
    return run


def finish_run(run: ImportRun, result: ImportResult | None, message: str | None = None) -> None:
    """Store an import's outcome."""
    if result is not None:
        run.imported, run.duplicates, run.rejected = (
            result.imported,
            result.duplicates,
            result.rejected,
        )
        run.errors = result.errors
        run.warnings = result.warnings[:100]
        run.formats = result.formats
    run.status = "failed" if message and (result is None or not result.read_anything) else "done"
    run.message = message
    run.bytes_done = run.bytes_total
    run.finished_at = utcnow()
    db.session.commit()


def fail_run(run: ImportRun, error: BaseException) -> None:
    """Mark an import failed by an unexpected error (logged with its trace), keeping what
    landed before it."""
    import logging

    logging.getLogger(__name__).error("import %s failed", run.id, exc_info=error)
    db.session.rollback()
    finish_run(run, None, job_records.internal_error("import", type(error).__name__))


def recent_runs(workspace: Workspace, limit: int = 20) -> list[ImportRun]:
    """Return the workspace's latest imports, newest first."""
    job_records.close_stale("import", workspace.id)
    return list(
        db.session.scalars(
            select(ImportRun)
            .where(ImportRun.workspace_id == workspace.id)
            .order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
            .limit(limit)
        )
    )


def get_run(workspace: Workspace, run_id: int) -> ImportRun | None:
    """Return one of the workspace's imports."""
    job_records.close_stale("import", workspace.id)
    run = db.session.get(ImportRun, run_id)
    return run if run is not None and run.workspace_id == workspace.id else None


def save_uploads(workspace: Workspace, files: list, upload_folder: str) -> list[tuple[Path, str]]:
    """Store uploaded files under the upload folder; return (path on disk, original name) pairs."""
    import uuid

    from werkzeug.utils import secure_filename

    folder = Path(upload_folder) / str(workspace.id)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for upload in files:
        original = upload.filename or "upload"
        path = folder / f"{uuid.uuid4().hex}_{secure_filename(original) or 'upload'}"
        upload.save(path)
        saved.append((path, original))
    return saved


def queue_upload_import(
    workspace: Workspace, saved: list[tuple[Path, str]], fmt: str, user=None
) -> ImportRun:
    """Record an upload's import and hand it to the background runner."""
    from app.services import jobs

    check_format(fmt)
    run = start_run(workspace, "upload", [name for _, name in saved], user, queued=True)
    run.bytes_total = sum(_size(path) for path, _ in saved)
    db.session.commit()
    jobs.submit(
        "app.services.ingest.run_upload_import",
        run.id,
        [str(path) for path, _ in saved],
        [name for _, name in saved],
        fmt,
        record=run,
    )
    return run


def run_upload_import(run_id: int, paths: list[str], names: list[str], fmt: str) -> None:
    """Background job: import uploaded files into the run's workspace, then delete them."""
    run = db.session.get(ImportRun, run_id)
    if run is None:
        return
    workspace = db.session.get(Workspace, run.workspace_id)
    run.status, run.runner = "running", this_process()
    db.session.commit()

    def progress(result: ImportResult, done: int) -> None:
        run.bytes_done = done
        db.session.commit()

    try:
        result = import_files(
            workspace, paths, fmt=fmt, run=run, display_names=names, progress=progress
        )
    except ServiceError as error:
        db.session.rollback()
        finish_run(run, None, str(error))
    except Exception as error:  # the user sees a failed import, the log keeps the trace
        db.session.rollback()
        import logging

        logging.getLogger(__name__).exception("import %s failed", run_id)
        finish_run(run, None, job_records.internal_error("import", type(error).__name__))
    else:
        message = None
        if not result.read_anything and result.rejected:
            message = "no row could be read: see the reasons below"
        finish_run(run, result, message)
        if result.imported:
            from app.sentiment import services as sentiment
            from app.services import scoring, search_index

            sentiment.label_new(workspace)  # the workspace's learned model, where it has one
            # The roles change with new mentions: rescore right after (a snapshot of its own).
            scoring.queue_scoring(workspace, trigger="import")
            search_index.catch_up()  # the new texts become searchable (this is a job already)
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
