"""Reading mention files into batches of rows ready to write, in this process or a worker.

Reading is pure (no database): parse, check limits, detect language, score sentiment, find
topics, normalise handles. That is about half the work of an import, so for big files it
runs in a second process while this one writes the previous batch. When language detection
or sentiment is to be computed, that costly part runs in a third process (the helper), a
batch behind the parsing: the reading process parses batch N+1 while the helper computes
batch N, so the reading no longer sets the pace on its own (bench/RESULTS.md). Every process
is started with "spawn": none inherits a thread pool (lingua's, OpenMP's) that a fork would
leave without its threads.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.ingest import (
    FileError,
    MentionRecord,
    ParseWarning,
    RowError,
    detect_file_format,
    file_position,
    get_parser,
    open_text,
    replaced_bytes,
)
from app.ingest.rows import RowMaker, as_rows, brand_matcher
from app.ingest.vet import Vetter
from app.services.enrich import Job, Result, apply, compute, job_of

log = logging.getLogger(__name__)
MAX_ERRORS_PER_BATCH = 100  # more than the import keeps in all; the rest are only counted
WORKER_MIN_BYTES = 4 * 1024 * 1024  # below this, starting a process costs more than it saves
# How long the reading process waits for the helper to finish one batch's languages and
# sentiments: it takes about a second; far longer means the helper hangs.
HELPER_TIMEOUT = 600.0
PARENT_CHECK_SECONDS = 1.0


@dataclass
class Batch:
    """Records read from one file, with the rows rejected and the warnings met on the way.

    ``records`` hold parsed records while the batch fills, and rows ready for the writer
    (:class:`app.ingest.rows.Row`) once it is handed over.
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


Start = Callable[[Job], Callable[[], Result]]
"""Starts computing a job and returns how to wait for its result."""


def _start_here(job: Job) -> Callable[[], Result]:
    """Compute a job in this process, when its result is asked for."""
    return lambda: compute(job)


def helper_pool() -> ProcessPoolExecutor:
    """Return a pool of one spawned process that ends when this process ends, however."""
    return ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )


@contextmanager
def _helper() -> Iterator[Start]:
    """Yield a :data:`Start` that computes jobs in a helper process (spawned: see above)."""
    with helper_pool() as pool:

        def start(job: Job) -> Callable[[], Result]:
            future = pool.submit(compute, job)
            return lambda: future.result(timeout=HELPER_TIMEOUT)

        yield start


def _exit_with_parent(parent: int) -> None:
    """End this process soon after its parent process ``parent`` is gone.

    A process killed outright runs no clean-up, and its children would wait for it forever
    (the helper on its queue of jobs, the reading process on its full queue of batches).
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _finished(batch: Batch, job: Job, result: Callable[[], Result], make_rows: RowMaker) -> Batch:
    """Put a batch's languages and sentiments in its records, and turn them into rows for the
    writer (topics and handle keys are worked out here)."""
    if job:
        apply(batch.records, job, result())
    batch.records = make_rows(batch.records)
    return batch


def read_batches(
    paths: list[str],
    names: list[str],
    fmt: str,
    batch_size: int,
    brand_terms: list[str] = (),
    helper: bool = False,
    expected: list[str] = (),
    brands_apart: bool = False,
) -> Iterator[Batch]:
    """Yield batches of enriched records, as rows for the writer, from each file in turn.

    A file that cannot be read yields one batch with ``file_error`` set; every file yields at
    least one batch, which carries its detected format. With ``helper``, languages and
    sentiments are computed in a helper process while the next batch is parsed. ``expected``:
    the languages the workspace expects, the prior for short posts. ``brands_apart``: the
    workspace keeps its brand terms apart from their hashtags (see brand_topic).
    """
    make_rows = RowMaker(brand_matcher(list(brand_terms), apart=brands_apart))
    with _helper() if helper else nullcontext(_start_here) as start:
        pending = None
        for batch in _parsed_batches(paths, names, fmt, batch_size):
            job = job_of(batch.records, tuple(expected))
            started = (batch, job, start(job) if job else None)
            if pending:
                yield _finished(*pending, make_rows)
            pending = started
        if pending:
            yield _finished(*pending, make_rows)


def _parsed_batches(
    paths: list[str], names: list[str], fmt: str, batch_size: int
) -> Iterator[Batch]:
    """Yield batches of parsed records (not yet enriched) from each file in turn."""
    vet = Vetter(datetime.now(UTC))
    for path, name in zip(paths, names, strict=True):
        batch = Batch(name)
        try:
            with open_text(Path(path)) as (stream, head, raw):
                batch.format = detect_file_format(path, head) if fmt == "auto" else fmt
                replaced_before = replaced_bytes[0]
                parser = get_parser(batch.format)
                for count, item in enumerate(parser.parse(stream, name)):
                    if isinstance(item, MentionRecord):
                        problem = vet(item, name, batch.warnings.append)
                        if problem:
                            batch.reject(None, problem)
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
                        yield batch
                        batch = Batch(name, batch.format)
                    elif count % 4096 == 0:
                        batch.position = file_position(raw)
                batch.position = file_position(raw)
                replaced = replaced_bytes[0] - replaced_before
                if replaced:
                    batch.warnings.append(
                        f"{name}: {replaced:,} byte sequence(s) that are not UTF-8 were read as"
                        " U+FFFD"
                    )
        except FileError as error:
            batch.file_error = str(error)
        except Exception as error:  # a parser's blind spot: this file stops, the others go on
            log.exception("reading %s failed", name)
            batch.file_error = (
                f"reading stopped on an unexpected value ({type(error).__name__}; it was logged):"
                " the rows before it are kept"
            )
        batch.warnings.extend(vet.summaries(name))
        yield batch


def _work(
    out, paths, names, fmt: str, batch_size: int, brand_terms, expected=(), brands_apart=False
) -> None:
    """The worker process: read and send batches, then ``None``; an error is sent as text."""
    _exit_with_parent(os.getppid())
    gc.disable()  # see bulk_work(): this process only makes short-lived rows
    helper = multiprocessing.cpu_count() > 1  # a third process pays only with a core for it
    try:
        for batch in read_batches(
            paths, names, fmt, batch_size, brand_terms, helper, expected, brands_apart
        ):
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
    paths: list[str],
    names: list[str],
    fmt: str,
    batch_size: int,
    brand_terms: list[str] = (),
    expected: list[str] = (),
    brands_apart: bool = False,
) -> Iterator[Batch]:
    """Like :func:`read_batches`, but read in a separate process, a few batches ahead."""
    # "spawn", not "fork": the language detector's thread pool does not survive a fork, and a
    # fresh process shares no database connections with this one.
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=4)  # bounded: memory stays flat if writing is slower
    # Not a daemon, so that it may start its helper; it never outlives this function (see the
    # finally below) nor this process (see _exit_with_parent).
    process = context.Process(
        target=_work,
        args=(
            channel, paths, names, fmt, batch_size, list(brand_terms), list(expected),
            brands_apart,
        ),
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
