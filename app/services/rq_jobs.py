"""Background jobs on RQ (with ``REDIS_URL`` set): the time limit, and the records of failures.

A job is enqueued as :func:`execute`, which runs it as the in-process runner does: in a child
process killed when ``JOB_TIME_LIMIT`` passes (:func:`app.services.jobs.run_job`). The work
horse never runs the job's own code, so it cannot get stuck in it: it marks the job's record
failed at the limit, then raises so that RQ files the job as failed too. RQ's own
``job_timeout`` is the limit plus :data:`RQ_MARGIN`, a backstop. Whatever else ends a job
reaches its record through RQ's hooks:

- ``on_failure``: the horse raised (RQ's own timeout among others), or a worker found the job
  abandoned by a worker that died;
- ``on_stopped``: someone stopped the job (RQ's ``send_stop_job_command``);
- :class:`JobWorker`: the horse was killed, say by the kernel when memory ran out (RQ runs no
  callback then). ``flask --app wsgi jobs worker`` runs this worker.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Worker
from rq.exceptions import AbandonedJobError
from rq.timeouts import JobTimeoutException

from app.extensions import db
from app.services import job_process, job_records
from app.services.job_records import Record

log = logging.getLogger(__name__)

QUEUE = "influence"
RQ_MARGIN = 60  # seconds RQ's own timeout waits beyond the time limit the horse enforces
REDIS_TIMEOUT = 10  # seconds to wait for Redis when enqueueing, before the job is failed


class JobFailed(Exception):
    """The job did not finish; its record says why (raised so that RQ counts a failure)."""


def enqueue(path: str, args: tuple, record: Record | None) -> None:
    """Put the job on the queue; if Redis does not answer, fail its record saying so."""
    try:
        connection = Redis.from_url(
            current_app.config["REDIS_URL"],
            socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT,
        )  # fmt: skip
        Queue(QUEUE, connection=connection).enqueue(
            execute, path, list(args), record,
            job_timeout=math.ceil(job_records.time_limit()) + RQ_MARGIN,
            on_failure=Callback(on_failure), on_stopped=Callback(on_stopped),
        )  # fmt: skip
    except RedisError as error:
        log.error("background job %s%r could not be queued: %s", path, args, error)
        if record is not None:
            job_records.fail(record, job_records.not_queued(record[0], type(error).__name__))


def execute(path: str, args: list, record: Record | None = None) -> None:
    """Run a job on an RQ work horse, under the time limit; raise :class:`JobFailed` if it
    did not finish (its record is marked already)."""
    from app.services import jobs

    with _app_context():
        failure = jobs.run_job(path, tuple(args), tuple(record) if record else None)
    if failure:
        raise JobFailed(failure)


def _record(job) -> Record | None:
    """Return the record of an enqueued :func:`execute` job, if it has one."""
    args = job.args or ()
    return tuple(args[2]) if len(args) > 2 and args[2] else None


def on_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback: mark the job's record failed with the reason, unless it ended."""
    record = _record(job)
    if record is None or isinstance(exc_value, JobFailed):  # no record, or marked already
        return
    kind = record[0]
    with _app_context():
        if isinstance(exc_value, JobTimeoutException):
            message = job_records.timed_out(kind, job_records.time_limit())
        elif isinstance(exc_value, AbandonedJobError):
            message = job_records.lost(kind)
        else:
            message = job_records.internal_error(kind, exc_type.__name__)
        job_records.fail(record, message)


def on_stopped(job, connection) -> None:
    """RQ's stopped callback: mark the job's record failed (it was stopped by hand)."""
    record = _record(job)
    if record is not None:
        with _app_context():
            job_records.fail(record, job_records.lost(record[0]))


class JobWorker(Worker):
    """An RQ worker that also marks a job's record failed when its work horse is killed."""

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage) -> None:
        """Mark the record of the job whose horse died (RQ calls no job callback then)."""
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        record = _record(job)
        if record is None:
            return
        code = -os.WTERMSIG(ret_val) if os.WIFSIGNALED(ret_val) else os.WEXITSTATUS(ret_val)
        how = f"the RQ work horse was {job_process.describe_exit(code)}"
        try:
            with _app_context():
                job_records.fail(record, job_records.crashed(record[0], how))
        except Exception:  # the worker goes on with the next job either way
            log.exception("the record %s of a killed job could not be marked failed", record)


def work(url: str, burst: bool = False) -> None:
    """Run a :class:`JobWorker` on the app's queue until stopped (or, ``burst``, until empty)."""
    JobWorker([QUEUE], connection=Redis.from_url(url)).work(burst=burst)


@contextmanager
def _app_context() -> Iterator[None]:
    """Give an app built from the environment, as every RQ process has it; close its
    connections after (a worker forks its horses, which must not share them)."""
    from app import create_app

    app = create_app()
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()
