"""Background work: every job runs under a time limit, and its record says how it ended.

A job is a module-level function named by its dotted path, called with plain arguments inside
an application context. It may keep a record that pages show (a scoring snapshot, an import
run, a graph export: see :mod:`app.services.job_records`), passed to :func:`submit`. Where a
job runs:

- with ``REDIS_URL`` set, on an RQ worker (:mod:`app.services.rq_jobs`);
- otherwise on one thread of this process, one job at a time (SQLite has one writer);
- with ``JOBS_INLINE`` (tests), at once, in the caller.

On a worker or the thread, :func:`run_job` runs the job in a child process that is killed when
``JOB_TIME_LIMIT`` passes (:mod:`app.services.job_process`); a job that overran, crashed or
raised has its record marked failed, saying what to do, and the failure is logged.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

from app.services import job_process, job_records
from app.services.job_records import Record

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def submit(path: str, *args, record: object | None = None) -> None:
    """Run the function at dotted ``path`` with ``args`` in the background.

    ``record`` is the job's committed record (a ScoreSnapshot, ImportRun or GraphExport):
    it is marked failed if the job does not finish.
    """
    submit_record(path, args, job_records.record_of(record) if record is not None else None)


def submit_record(path: str, args: tuple, record: Record | None) -> None:
    """Run ``path(*args)`` in the background, its record given as (kind, id)."""
    if job_process.hand_off(path, args, record):  # inside a job: its runner starts this one
        return
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        job_process.resolve(path)(*args)
        return
    if app.config.get("REDIS_URL"):
        from app.services import rq_jobs

        rq_jobs.enqueue(path, args, record)
        return
    global _executor
    if _executor is None:
        # One worker: SQLite allows one writer at a time, and jobs are big bulk writes.
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="influence-job")
    _executor.submit(_run_on_thread, app, path, tuple(args), record)


def _run_on_thread(app: Flask, path: str, args: tuple, record: Record | None) -> None:
    with app.app_context():
        try:
            run_job(path, args, record)
        except Exception as error:  # a background job must log, never vanish silently
            log.exception("background job %s%r could not be run", path, args)
            if record is not None:
                job_records.fail(
                    record, job_records.internal_error(record[0], type(error).__name__)
                )


def child_config(app: Flask) -> dict:
    """Return what a job's child process needs to build the same app: its whole configuration.

    The app may have been made with a ``test_config`` that the environment does not hold.
    """
    return {**app.config, "INSTANCE_PATH": app.instance_path}


def run_job(path: str, args: tuple, record: Record | None) -> str | None:
    """Run one job in a child process under the time limit; return why it failed, if it did.

    The job's record is stamped when it starts and marked failed when the job did not
    finish; a job whose record ended meanwhile (closed while it waited) is not run. The jobs
    it submitted are started next, each under its own limit.
    """
    if record is not None and not job_records.start(record):
        log.info("background job %s%r skipped: its record %s has ended", path, args, record)
        return None
    limit = job_records.time_limit()
    outcome = job_process.run(child_config(current_app._get_current_object()), path, args, limit)
    failure = None if outcome.finished else _failure(record, outcome, limit)
    if failure:
        log.warning("background job %s%r failed: %s", path, args, failure)
        if record is not None:
            job_records.fail(record, failure)
    for follow_up in outcome.follow_ups:
        submit_record(*follow_up)
    return failure


def _failure(record: Record | None, outcome: job_process.Outcome, limit: float) -> str:
    """Word how a job that did not finish ended: for its record's kind, with what to do."""
    if record is None:  # no page shows it: the log says what happened
        if outcome.timed_out:
            return f"stopped after {job_records.duration(limit)}, the time limit"
        return outcome.message or outcome.error or outcome.describe_exit()
    kind = record[0]
    if outcome.timed_out:
        return job_records.timed_out(kind, limit)
    if outcome.message:
        return outcome.message
    if outcome.error:
        return job_records.internal_error(kind, outcome.error)
    return job_records.crashed(kind, outcome.describe_exit())
