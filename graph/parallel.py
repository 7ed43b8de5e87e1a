"""Run one function in a worker process while the caller goes on with other work.

Scoring is numpy and pure Python on one core; a few of its steps need nothing the next steps
compute (the topic PageRanks; explaining authors while their scores are written), so a
second core can do them meanwhile. The worker comes from the standard library's
:class:`~concurrent.futures.ProcessPoolExecutor` on the ``forkserver`` start method (a clean
server process forks it), or ``spawn`` where there is no fork server: never from a plain
``fork`` of the caller. A forked child inherits the state of the caller's native thread pools
(OpenMP in igraph's PageRank, OpenBLAS) without their threads, and its first parallel call
waits for them forever; a worker that never ran such a pool is safe. Arguments and the value
travel pickled, so callers send only the columns the function needs.

Every wait has a time limit. A worker that fails, dies or outlives its limit is logged and
stopped, and the function runs in the caller instead: the value is the same either way, so
callers have one code path.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

__all__ = ["Apart", "apart", "start_method"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600.0  # seconds a caller waits for a worker before computing the value itself


def start_method() -> str:
    """Return the safe start method for workers here: ``forkserver``, else ``spawn``.

    Examples
    --------
    >>> start_method() in ("forkserver", "spawn")
    True
    """
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class Apart:
    """The value of ``func(*args)``: computed by a worker process, or here when asked for.

    :meth:`result` returns it; :meth:`close` stops a worker whose value is no longer wanted.
    ``parallel`` tells whether a worker took the call.
    """

    def __init__(
        self, func: Callable[..., Any], args: tuple, parallel: bool, timeout: float
    ) -> None:
        self.func, self.args, self.timeout = func, args, timeout
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future | None = None
        self.parallel = False
        if not parallel:
            return
        try:
            context = multiprocessing.get_context(start_method())
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(func, *args)
            self.parallel = True
        except (OSError, RuntimeError) as error:  # no processes or pipes to be had here
            log.warning("could not start a worker for %s (%s): computed here", _name(func), error)
            self._stop()

    def result(self) -> Any:
        """Return the value: the worker's (waiting at most ``timeout`` seconds), or computed
        here when there is no worker or it failed."""
        if not hasattr(self, "value"):
            self.value = self._compute()
        return self.value

    def close(self) -> None:
        """Stop the worker if it is still at work; :meth:`result` would then compute here."""
        self._stop()

    def _compute(self) -> Any:
        future = self._future
        if future is None:
            return self.func(*self.args)
        try:
            return future.result(timeout=self.timeout)
        except Exception as error:  # it timed out, died, or could not pickle: do it here
            reason = repr(error) if future.done() else f"no answer in {self.timeout:.0f} s"
            log.warning("%s failed in a worker process (%s): computed here", _name(self.func), reason)
            self._stop()
            return self.func(*self.args)
        finally:
            self._stop()

    def _stop(self) -> None:
        pool, future = self._pool, self._future
        self._pool = self._future = None
        if pool is None:
            return
        if future is not None and not future.done():
            _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes, so that shutting it down never waits for them."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14 and later
    if kill is not None:
        kill()
        return
    # Before 3.14 the executor has no public way to stop a running call: its processes are
    # kept in ``_processes`` (pid -> multiprocessing.Process) on every version since 3.2.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _name(func: Callable[..., Any]) -> str:
    inner = getattr(func, "func", func)  # a functools.partial names its function
    return getattr(inner, "__qualname__", repr(inner))


def apart(
    func: Callable[..., Any], *args: Any, parallel: bool = True, timeout: float = DEFAULT_TIMEOUT
) -> Apart:
    """Start ``func(*args)`` in a worker process when ``parallel`` is set.

    Otherwise the function runs here, when its value is asked for. Either way ``.result()``
    gives the value. ``func`` and ``args`` must pickle (a module-level function and plain
    data or numpy arrays).

    Examples
    --------
    >>> job = apart(sorted, [3, 1, 2])
    >>> job.result()
    [1, 2, 3]
    >>> apart(max, 4, 2, parallel=False).parallel
    False
    """
    return Apart(func, args, parallel, timeout)
