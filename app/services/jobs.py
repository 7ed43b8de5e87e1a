"""Background work: RQ on Redis when ``REDIS_URL`` is set, else a thread in this process.

A job is a module-level function named by its dotted path, called with plain arguments inside
an application context. Tests set ``JOBS_INLINE`` to run jobs at once, in the request.
"""

from __future__ import annotations

import importlib
import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def _resolve(path: str):
    module_name, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def submit(path: str, *args) -> None:
    """Run the function at dotted ``path`` with ``args`` in the background."""
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        _resolve(path)(*args)
        return
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        Queue("influence", connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            "app.services.jobs.execute", path, *args, job_timeout=6 * 3600
        )
        return
    global _executor
    if _executor is None:
        # One worker: SQLite allows one writer at a time, and jobs are big bulk writes.
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="influence-job")
    _executor.submit(_run_in_context, app, path, args)


def _run_in_context(app: Flask, path: str, args: tuple) -> None:
    with app.app_context():
        try:
            _resolve(path)(*args)
        except Exception:  # a background job must log, never vanish silently
            log.exception("background job %s%r failed", path, args)


def execute(path: str, *args) -> None:
    """Run a job in an RQ worker: build the app, then call the function in its context."""
    from app import create_app

    app = create_app()
    with app.app_context():
        _resolve(path)(*args)
