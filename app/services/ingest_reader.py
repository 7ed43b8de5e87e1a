"""Reading mention files into batches of rows ready to write, in this process or a worker.

Reading is pure (no database): parse, check limits, detect language, score sentiment, find
topics, normalise handles. That is about half the work of an import, so for big files it
runs in a second process while this one writes the previous batch; the writer then sets the
pace (bench/RESULTS.md).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import queue
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.ingest import (
    FileError,
    MentionRecord,
    ParseWarning,
    RowError,
    detect_format,
    file_position,
    get_parser,
    open_text,
)
from app.services.enrich import enrich
from app.services.ingest_writer import RowMaker, as_rows, brand_matcher

log = logging.getLogger(__name__)
LIMITS = {"platform": 32, "id": 255, "author": 255}
_PLATFORM_LIMIT, _ID_LIMIT, _AUTHOR_LIMIT = LIMITS["platform"], LIMITS["id"], LIMITS["author"]
MAX_ERRORS_PER_BATCH = 100  # more than the import keeps in all; the rest are only counted
WORKER_MIN_BYTES = 4 * 1024 * 1024  # below this, starting a process costs more than it saves


@dataclass
class Batch:
    """Records read from one file, with the rows rejected and the warnings met on the way.

    ``records`` hold parsed records while the batch fills, and rows ready for the writer
    (:class:`app.services.ingest_writer.Row`) once it is handed over.
    """

    file: str
    format: str | None = None
    records: list[MentionRecord] = field(default_factory=list)
    rejected: list[tuple[int | None, str]] = field(default_factory=list)
    rejected_count: int = 0
    warnings: list[str] = field(default_factory=list)
    position: int = 0
    file_error: str | None = None

    def reject(self, line: int | None, reason: str) -> None:
        """Count a rejected row, keeping the first reasons."""
        self.rejected_count += 1
        if len(self.rejected) < MAX_ERRORS_PER_BATCH:
            self.rejected.append((line, reason))


def check_limits(record: MentionRecord) -> str | None:
    """Return why a record cannot be stored (a field too long), or ``None``."""
    if (
        len(record.id) <= _ID_LIMIT
        and len(record.author) <= _AUTHOR_LIMIT
        and len(record.platform) <= _PLATFORM_LIMIT
    ):
        return None  # the usual case, checked without a loop
    for name, limit in LIMITS.items():
        if len(getattr(record, name)) > limit:
            return f"{name} is longer than {limit} characters"
    return None


def _finish(batch: Batch, make_rows: RowMaker) -> None:
    """Do the per-record work that needs no database (language, sentiment, topics, keys) and
    turn the batch's records into rows for the writer."""
    enrich(batch.records)
    batch.records = make_rows(batch.records)


def read_batches(
    paths: list[str], names: list[str], fmt: str, batch_size: int, brand_terms: list[str] = ()
) -> Iterator[Batch]:
    """Yield batches of enriched records from each file in turn.

    A file that cannot be read yields one batch with ``file_error`` set; every file yields at
    least one batch, which carries its detected format.
    """
    make_rows = RowMaker(brand_matcher(list(brand_terms)))
    for path, name in zip(paths, names, strict=True):
        batch = Batch(name)
        try:
            with open_text(Path(path)) as (stream, head, raw):
                batch.format = detect_format(head) if fmt == "auto" else fmt
                parser = get_parser(batch.format)
                for count, item in enumerate(parser.parse(stream, name)):
                    if isinstance(item, MentionRecord):
                        problem = check_limits(item)
                        if problem:
                            batch.reject(None, f"post {item.id[:40]}: {problem}")
                        else:
                            batch.records.append(item)
                    elif isinstance(item, RowError):
                        batch.reject(
                            item.line, f"{item.where}: {item.reason}" if item.where else item.reason
                        )
                    elif isinstance(item, ParseWarning):
                        batch.warnings.append(f"{name}: {item.message}")
                    if len(batch.records) >= batch_size:
                        batch.position = file_position(raw)
                        _finish(batch, make_rows)
                        yield batch
                        batch = Batch(name, batch.format)
                    elif count % 4096 == 0:
                        batch.position = file_position(raw)
                batch.position = file_position(raw)
        except FileError as error:
            batch.file_error = str(error)
        _finish(batch, make_rows)
        yield batch


def _work(out, paths, names, fmt: str, batch_size: int, brand_terms) -> None:
    """The worker process: read and send batches, then ``None``; an error is sent as text."""
    gc.disable()  # see bulk_work(): this process only makes short-lived rows
    try:
        for batch in read_batches(paths, names, fmt, batch_size, brand_terms):
            # Sent as plain tuples: pickling a named tuple calls Python code per row, on both
            # sides (a fifth of the reading process's time at a million rows).
            batch.records = list(map(tuple, batch.records))
            out.put(batch)
        out.put(None)
    except BaseException as error:  # the parent must learn of it, not wait forever
        out.put(f"{type(error).__name__}: {error}")


class WorkerFailed(RuntimeError):
    """The reading process failed or died."""


def read_batches_in_worker(
    paths: list[str], names: list[str], fmt: str, batch_size: int, brand_terms: list[str] = ()
) -> Iterator[Batch]:
    """Like :func:`read_batches`, but read in a separate process, a few batches ahead."""
    # "spawn", not "fork": the language detector's thread pool does not survive a fork, and a
    # fresh process shares no database connections with this one.
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=4)  # bounded: memory stays flat if writing is slower
    process = context.Process(
        target=_work, args=(channel, paths, names, fmt, batch_size, list(brand_terms)), daemon=True
    )
    process.start()
    try:
        while True:
            try:
                item = channel.get(timeout=1.0)
            except queue.Empty:
                if not process.is_alive():
                    raise WorkerFailed(
                        f"the reading process stopped (exit code {process.exitcode})"
                    ) from None
                continue
            if item is None:
                return
            if isinstance(item, str):
                raise WorkerFailed(item)
            item.records = as_rows(item.records)
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)
        channel.close()


def worth_a_worker(paths: list[str]) -> bool:
    """Return whether reading these files in a second process will pay off."""
    cores = multiprocessing.cpu_count()
    total = sum(Path(path).stat().st_size for path in paths if Path(path).is_file())
    return cores > 1 and total >= WORKER_MIN_BYTES
