"""Importing mentions: parse files into records, then write them in streaming batches.

Each batch is one transaction that dedupes against the database, upserts the authors, inserts
the mentions with their topics and the interactions (graph edges) they imply. Memory stays flat
however big the file is: only one batch of records and a map of author keys to ids is held.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from app.extensions import db
from app.ingest import (
    FORMATS,
    FileError,
    MentionRecord,
    ParseWarning,
    RowError,
    detect_format,
    file_position,
    get_parser,
    open_text,
)
from app.ingest.record import normalize_handle, normalize_topic
from app.models import Author, ImportRun, Interaction, Mention, MentionTopic, Workspace, utcnow
from app.services.enrich import enrich
from app.services.errors import ServiceError

MAX_ERRORS = 100
BATCH_SIZE = 5000
IN_CHUNK = 900  # keep IN (...) lists well inside every database's parameter limit
LIMITS = {"platform": 32, "id": 255, "author": 255}

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
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"file": file, "line": line, "reason": reason})

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


@dataclass(slots=True)
class _Row:
    record: MentionRecord
    file: str
    line: int | None


# --- reading -------------------------------------------------------------------------------


def _check_limits(record: MentionRecord) -> str | None:
    for name, limit in LIMITS.items():
        if len(getattr(record, name)) > limit:
            return f"{name} is longer than {limit} characters"
    return None


def _rows_from_file(
    path: Path, display: str, fmt: str, result: ImportResult, position: list[int]
) -> Iterator[_Row]:
    """Yield the good rows of one file; record its format, warnings and rejected rows."""
    with open_text(path) as (stream, head, raw):
        name = detect_format(head) if fmt == "auto" else fmt
        result.formats[display] = name
        parser = get_parser(name)
        for count, item in enumerate(parser.parse(stream, display)):
            if isinstance(item, MentionRecord):
                problem = _check_limits(item)
                if problem:
                    result.reject(display, None, f"post {item.id[:40]}: {problem}")
                else:
                    yield _Row(item, display, None)
            elif isinstance(item, RowError):
                reason = f"{item.where}: {item.reason}" if item.where else item.reason
                result.reject(display, item.line, reason)
            elif isinstance(item, ParseWarning):
                result.warnings.append(f"{display}: {item.message}")
            if count % 1024 == 0:
                position[0] = file_position(raw)


def _batches(rows: Iterable[_Row], size: int) -> Iterator[list[_Row]]:
    batch: list[_Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
) -> ImportResult:
    """Import mention files into ``workspace``; a file that cannot be read is reported, not fatal.

    Raises ``ServiceError`` when the only file given cannot be read at all: nothing is written.
    """
    check_format(fmt)
    names = display_names or [str(path) for path in paths]
    result = ImportResult()
    writer = BatchWriter(workspace)
    bytes_before = 0
    for path, display in zip(paths, names, strict=True):
        position = [0]
        try:
            rows = _rows_from_file(Path(path), display, fmt, result, position)
            for batch in _batches(rows, batch_size):
                writer.write(batch, result, run)
                if progress:
                    progress(result, bytes_before + position[0])
        except FileError as error:
            if len(paths) == 1:
                raise ServiceError(f"{display}: {error}") from None
            result.files_failed += 1
            result.reject(display, None, f"file not imported: {error}")
            result.rejected -= 1  # a whole file is not a row
        bytes_before += _size(path)
    writer.finish(result)
    return result


def import_records(
    workspace: Workspace,
    records: Iterable[tuple[MentionRecord | RowError, str]],
    *,
    run: ImportRun | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import already-parsed records (the API's path); each comes with the name it is known by."""
    result = ImportResult()
    writer = BatchWriter(workspace)

    def rows() -> Iterator[_Row]:
        for item, where in records:
            if isinstance(item, RowError):
                result.reject(where, item.line, item.reason)
                continue
            problem = _check_limits(item)
            if problem:
                result.reject(where, None, problem)
                continue
            yield _Row(item, where, None)

    for batch in _batches(rows(), batch_size):
        writer.write(batch, result, run)
    writer.finish(result)
    return result


def _size(path: Path | str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


# --- writing -------------------------------------------------------------------------------


def brand_matcher(terms: list[str]) -> Callable[[str], list[str]]:
    """Return a function listing the brand terms (lower-cased) found in a text.

    A term matches at word boundaries; a Cyrillic term may carry a short inflection ending
    ("Яндекс" finds "Яндексу"), since Russian declines brand names.
    """
    patterns = []
    for term in terms:
        escaped = re.escape(term.lower())
        ending = r"\w{0,3}" if re.search("[а-яё]", term.lower()) else r"(?:'s)?"
        patterns.append((term.lower(), re.compile(rf"(?<!\w){escaped}{ending}(?!\w)")))
    if not patterns:
        return lambda text: []

    def find(text: str) -> list[str]:
        lowered = text.lower()
        return [term for term, pattern in patterns if term in lowered and pattern.search(lowered)]

    return find


class BatchWriter:
    """Writes batches of records for one workspace; keeps a cache of author ids between batches."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace_id = workspace.id
        self.find_brands = brand_matcher(workspace.brand_terms or [])
        self.author_ids: dict[tuple[str, str], int] = {}
        self.touched = False

    # One transaction per batch: the batch is written whole or not at all.
    def write(self, batch: list[_Row], result: ImportResult, run: ImportRun | None) -> None:
        """Write one batch: dedupe, authors, mentions, topics, interactions; then commit."""
        conn = db.session.connection()
        fresh = self._drop_duplicates(conn, batch, result)
        if fresh:
            records = [row.record for row in fresh]
            sources = ["imported" if r.sentiment else "computed" for r in records]
            enrich(records)
            self._upsert_authors(conn, fresh)
            mention_ids = self._insert_mentions(conn, fresh, sources, run)
            self._insert_topics(conn, fresh, mention_ids)
            self._insert_interactions(conn, fresh, mention_ids)
            result.imported += len(fresh)
            self.touched = True
        if run is not None:
            run.imported, run.duplicates, run.rejected = (
                result.imported,
                result.duplicates,
                result.rejected,
            )
        db.session.commit()

    def finish(self, result: ImportResult) -> None:
        """Resolve reply/repost/quote targets known only by post id, now that all posts are in."""
        if self.touched:
            resolve_pending_targets(db.session.connection(), self.workspace_id)
            db.session.commit()

    def _drop_duplicates(
        self, conn: Connection, batch: list[_Row], result: ImportResult
    ) -> list[_Row]:
        unique: dict[tuple[str, str], _Row] = {}
        for row in batch:
            key = (row.record.platform, row.record.id)
            if key in unique:
                result.duplicates += 1
            else:
                unique[key] = row
        by_platform: dict[str, list[str]] = {}
        for platform, external_id in unique:
            by_platform.setdefault(platform, []).append(external_id)
        table = Mention.__table__
        for platform, ids in by_platform.items():
            for chunk in _chunks(ids, IN_CHUNK):
                existing = conn.execute(
                    select(table.c.external_id).where(
                        table.c.workspace_id == self.workspace_id,
                        table.c.platform == platform,
                        table.c.external_id.in_(chunk),
                    )
                ).scalars()
                for external_id in existing:
                    del unique[(platform, external_id)]
                    result.duplicates += 1
        return list(unique.values())

    def _upsert_authors(self, conn: Connection, rows: list[_Row]) -> None:
        profiles: dict[tuple[str, str], dict] = {}
        wanted: dict[tuple[str, str], str] = {}
        for row in rows:
            record = row.record
            key = (record.platform, normalize_handle(record.author))
            profile = profiles.get(key)
            if profile is None:
                profiles[key] = profile = {
                    "display": record.author.lstrip("@"),
                    "name": None, "followers": None, "url": None, "latest": None,
                    "first": record.created_at, "last": record.created_at, "posts": 0,
                }  # fmt: skip
            profile["posts"] += 1
            at = record.created_at
            profile["first"] = min(profile["first"], at)
            profile["last"] = max(profile["last"], at)
            # Profile data is "as of the post": the newest post that carries a value wins.
            if profile["latest"] is None or at >= profile["latest"]:
                profile["latest"] = at
                profile["display"] = record.author.lstrip("@")
                for source, target in (
                    ("author_name", "name"),
                    ("author_followers", "followers"),
                    ("author_url", "url"),
                ):
                    value = getattr(record, source)
                    if value is not None:
                        profile[target] = value
            for handle in _targets(record):
                wanted.setdefault((record.platform, normalize_handle(handle)), handle.lstrip("@"))
        for key, profile in profiles.items():
            wanted[key] = profile["display"]
        self._ensure_authors(conn, wanted)
        table = Author.__table__

        def param(name: str, column: str):
            # Typed, so that PostgreSQL knows each parameter's type inside CASE.
            return bindparam(name, type_=table.c[column].type)

        last = param("b_last", "last_seen_at")
        conn.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                name=_newer(table, "name", param("b_name", "name"), last),
                followers=_newer(table, "followers", param("b_followers", "followers"), last),
                url=_newer(table, "url", param("b_url", "url"), last),
                display_handle=_newer(
                    table, "display_handle", param("b_display", "display_handle"), last
                ),
                first_seen_at=_least(table.c.first_seen_at, param("b_first", "first_seen_at")),
                last_seen_at=_greatest(table.c.last_seen_at, last),
                posts_count=table.c.posts_count + bindparam("b_posts"),
            ),
            [
                {
                    "b_id": self.author_ids[key],
                    "b_name": p["name"][:255] if p["name"] else None,
                    "b_followers": p["followers"],
                    "b_url": p["url"][:1000] if p["url"] else None,
                    "b_display": p["display"][:255],
                    "b_first": p["first"],
                    "b_last": p["last"],
                    "b_posts": p["posts"],
                }
                for key, p in profiles.items()
            ],
        )

    def _ensure_authors(self, conn: Connection, wanted: dict[tuple[str, str], str]) -> None:
        missing = [key for key in wanted if key not in self.author_ids]
        if not missing:
            return
        table = Author.__table__
        by_platform: dict[str, list[str]] = {}
        for platform, handle in missing:
            by_platform.setdefault(platform, []).append(handle)
        for platform, handles in by_platform.items():
            for chunk in _chunks(handles, IN_CHUNK):
                for author_id, handle in conn.execute(
                    select(table.c.id, table.c.handle).where(
                        table.c.workspace_id == self.workspace_id,
                        table.c.platform == platform,
                        table.c.handle.in_(chunk),
                    )
                ):
                    self.author_ids[(platform, handle)] = author_id
        new = [key for key in missing if key not in self.author_ids]
        if not new:
            return
        inserted = conn.execute(
            insert(table).returning(
                table.c.id, table.c.platform, table.c.handle, sort_by_parameter_order=True
            ),
            [
                {
                    "workspace_id": self.workspace_id,
                    "platform": platform,
                    "handle": handle[:255],
                    "display_handle": wanted[(platform, handle)][:255],
                    "posts_count": 0,
                }
                for platform, handle in new
            ],
        )
        for author_id, platform, handle in inserted:
            self.author_ids[(platform, handle)] = author_id
        # Handles cut to 255 characters come back cut: map the long form too.
        for platform, handle in new:
            if len(handle) > 255:
                self.author_ids[(platform, handle)] = self.author_ids[(platform, handle[:255])]

    def _author_id(self, platform: str, handle: str | None) -> int | None:
        if not handle:
            return None
        return self.author_ids.get((platform, normalize_handle(handle)))

    def _insert_mentions(
        self, conn: Connection, rows: list[_Row], sources: list[str], run: ImportRun | None
    ) -> list[int]:
        table = Mention.__table__
        run_id = run.id if run is not None else None
        params = []
        for row, source in zip(rows, sources, strict=True):
            r = row.record
            params.append(
                {
                    "workspace_id": self.workspace_id,
                    "platform": r.platform,
                    "external_id": r.id,
                    "author_id": self._author_id(r.platform, r.author),
                    "created_at": r.created_at,
                    "kind": r.kind,
                    "text": r.text,
                    "url": r.url[:1000] if r.url else None,
                    "lang": r.lang[:16] if r.lang else None,
                    "reply_to_external_id": _cut(r.reply_to_id),
                    "reply_to_author_id": self._author_id(r.platform, r.reply_to_author),
                    "repost_of_external_id": _cut(r.repost_of_id),
                    "repost_of_author_id": self._author_id(r.platform, r.repost_of_author),
                    "quote_of_external_id": _cut(r.quote_of_id),
                    "quote_of_author_id": self._author_id(r.platform, r.quote_of_author),
                    "likes": r.likes,
                    "reposts": r.reposts,
                    "replies": r.replies,
                    "views": r.views,
                    "sentiment": r.sentiment or "unknown",
                    "sentiment_score": r.sentiment_score,
                    "sentiment_source": source,
                    "import_id": run_id,
                }
            )
        inserted = conn.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), params
        )
        return list(inserted.scalars())

    def _insert_topics(self, conn: Connection, rows: list[_Row], mention_ids: list[int]) -> None:
        params = []
        for row, mention_id in zip(rows, mention_ids, strict=True):
            topics = {normalize_topic(tag)[:200] for tag in row.record.tags}
            topics.update(self.find_brands(row.record.text))
            topics.discard("")
            params.extend(
                {"workspace_id": self.workspace_id, "mention_id": mention_id, "topic": topic}
                for topic in topics
            )
        if params:
            conn.execute(insert(MentionTopic.__table__), params)

    def _insert_interactions(
        self, conn: Connection, rows: list[_Row], mention_ids: list[int]
    ) -> None:
        params = []
        for row, mention_id in zip(rows, mention_ids, strict=True):
            r = row.record
            source = self._author_id(r.platform, r.author)
            targets: dict[int, str] = {}
            for kind, handle in (
                ("reply", r.reply_to_author),
                ("repost", r.repost_of_author),
                ("quote", r.quote_of_author),
            ):
                target = self._author_id(r.platform, handle)
                if target is not None and target != source:
                    targets.setdefault(target, kind)
                    params.append(_edge(self.workspace_id, source, target, kind, r, mention_id))
            for handle in r.mentions:
                target = self._author_id(r.platform, handle)
                if target is not None and target != source and target not in targets:
                    targets[target] = "mention"
                    params.append(
                        _edge(self.workspace_id, source, target, "mention", r, mention_id)
                    )
        if params:
            conn.execute(insert(Interaction.__table__), params)


def _edge(workspace_id, source, target, kind, record, mention_id) -> dict:
    return {
        "workspace_id": workspace_id,
        "source_author_id": source,
        "target_author_id": target,
        "kind": kind,
        "at": record.created_at,
        "mention_id": mention_id,
    }


def _targets(record: MentionRecord) -> Iterator[str]:
    for handle in (record.reply_to_author, record.repost_of_author, record.quote_of_author):
        if handle:
            yield handle
    for handle in record.mentions:
        if handle and normalize_handle(handle):
            yield handle


def _cut(value: str | None) -> str | None:
    return value[:255] if value else None


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _newer(table, column: str, value, last):
    """Keep the stored value unless this batch's newest post is at least as new and has one."""
    from sqlalchemy import case, func

    return case(
        (
            (value.isnot(None))
            & ((table.c.last_seen_at.is_(None)) | (last >= table.c.last_seen_at)),
            value,
        ),
        else_=func.coalesce(table.c[column], value),
    )


def _least(column, value):
    from sqlalchemy import case

    return case(((column.is_(None)) | (value < column), value), else_=column)


def _greatest(column, value):
    from sqlalchemy import case

    return case(((column.is_(None)) | (value > column), value), else_=column)


_TARGETS = (
    ("reply", "reply_to_external_id", "reply_to_author_id"),
    ("repost", "repost_of_external_id", "repost_of_author_id"),
    ("quote", "quote_of_external_id", "quote_of_author_id"),
)


def resolve_pending_targets(conn: Connection, workspace_id: int) -> int:
    """Link posts that reply to, repost or quote a post known only by id, once it is imported.

    Returns how many edges were added. Works across imports: a reply imported before its parent
    is linked when the parent arrives.
    """
    from sqlalchemy.orm import aliased

    child = Mention.__table__
    parent = aliased(Mention.__table__)
    added = 0
    for kind, id_column, author_column in _TARGETS:
        pending = conn.execute(
            select(child.c.id, child.c.author_id, parent.c.author_id, child.c.created_at)
            .join(
                parent,
                (parent.c.workspace_id == child.c.workspace_id)
                & (parent.c.platform == child.c.platform)
                & (parent.c.external_id == child.c[id_column]),
            )
            .where(
                child.c.workspace_id == workspace_id,
                child.c[id_column].isnot(None),
                child.c[author_column].is_(None),
            )
        ).all()
        if not pending:
            continue
        conn.execute(
            update(child)
            .where(child.c.id == bindparam("b_id"))
            .values({author_column: bindparam("b_target")}),
            [{"b_id": mention_id, "b_target": target} for mention_id, _, target, _ in pending],
        )
        edges = [
            {
                "workspace_id": workspace_id,
                "source_author_id": source,
                "target_author_id": target,
                "kind": kind,
                "at": at,
                "mention_id": mention_id,
            }
            for mention_id, source, target, at in pending
            if source != target
        ]
        if edges:
            conn.execute(insert(Interaction.__table__), edges)
        added += len(edges)
    return added


def start_run(workspace: Workspace, source: str, filenames: list[str], user=None) -> ImportRun:
    """Create the record of an import before it starts, so its progress can be shown."""
    run = ImportRun(
        workspace_id=workspace.id,
        user_id=user.id if user is not None else None,
        source=source,
        filenames=filenames,
        status="running",
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


def recent_runs(workspace: Workspace, limit: int = 20) -> list[ImportRun]:
    """Return the workspace's latest imports, newest first."""
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
    run = start_run(workspace, "upload", [name for _, name in saved], user)
    run.status = "queued"
    run.bytes_total = sum(_size(path) for path, _ in saved)
    db.session.commit()
    jobs.submit(
        "app.services.ingest.run_upload_import",
        run.id,
        [str(path) for path, _ in saved],
        [name for _, name in saved],
        fmt,
    )
    return run


def run_upload_import(run_id: int, paths: list[str], names: list[str], fmt: str) -> None:
    """Background job: import uploaded files into the run's workspace, then delete them."""
    run = db.session.get(ImportRun, run_id)
    if run is None:
        return
    workspace = db.session.get(Workspace, run.workspace_id)
    run.status = "running"
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
        finish_run(run, None, f"the import stopped on an internal error ({type(error).__name__})")
    else:
        message = None
        if not result.read_anything and result.rejected:
            message = "no row could be read: see the reasons below"
        finish_run(run, result, message)
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
