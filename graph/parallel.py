"""Run functions in a worker process while the caller goes on with other work.

Scoring is numpy and pure Python on one core; a few of its steps need nothing the next steps
compute (the bot signals and the topic PageRanks; explaining authors while their scores are
written), so a second core can do them meanwhile. The worker comes from the standard library's
:class:`~concurrent.futures.ProcessPoolExecutor` on the ``forkserver`` start method (a clean
server process forks it), or ``spawn`` where there is no fork server: never from a plain
``fork`` of the caller. A forked child inherits the state of the caller's native thread pools
(OpenMP in igraph's PageRank, OpenBLAS) without their threads, and its first parallel call
waits for them forever; a worker that never ran such a pool is safe. Arguments and values
travel pickled, so callers send only the columns a function needs.

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

__all__ = ["Apart", "Worker", "apart", "start_method"]

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


class Worker:
    """One worker process that runs the calls given to :meth:`submit`, in that order.

    With ``parallel=False`` (or when no process can be started) there is no process and every
    call runs in the caller when its value is asked for. Use it as a context manager, or call
    :meth:`close`, so the process never outlives the work.

    Examples
    --------
    >>> with Worker() as worker:
    ...     first, second = worker.submit(sorted, [3, 1, 2]), worker.submit(max, 4, 9)
    ...     first.result(), second.result()
    ([1, 2, 3], 9)
    """

    def __init__(self, parallel: bool = True, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        if not parallel:
            return
        try:
            context = multiprocessing.get_context(start_method())
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        except (OSError, RuntimeError) as error:  # no processes or pipes to be had here
            log.warning("could not start a worker process (%s): working here", error)

    @property
    def running(self) -> bool:
        """Say whether a worker process takes the calls."""
        return self._pool is not None

    def submit(self, func: Callable[..., Any], *args: Any) -> Apart:
        """Start ``func(*args)`` in the worker (after the calls before it); see :class:`Apart`."""
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(func, *args)
            except RuntimeError as error:  # the pool broke or was shut down
                log.warning("the worker process took no more work (%s): working here", error)
        return Apart(func, args, future, self)

    def close(self) -> None:
        """Stop the worker, also in the middle of a call whose value is no longer wanted."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Apart:
    """The value of ``func(*args)``: computed by a worker process, or here when asked for.

    ``parallel`` tells whether a worker took the call.
    """

    def __init__(
        self, func: Callable[..., Any], args: tuple, future: Future | None, worker: Worker,
        own: bool = False,
    ) -> None:  # fmt: skip
        self.func, self.args, self._future, self._worker = func, args, future, worker
        self.parallel = future is not None
        self._own = own  # the worker was started for this call alone: stop it once done

    def result(self) -> Any:
        """Return the value: the worker's (waiting at most the worker's ``timeout`` seconds),
        or computed here when there is no worker or it failed."""
        if not hasattr(self, "value"):
            try:
                self.value = self._compute()
            finally:
                if self._own:
                    self._worker.close()
        return self.value

    def close(self) -> None:
        """Stop the worker that was to compute the value (see :meth:`Worker.close`)."""
        self._worker.close()

    def _compute(self) -> Any:
        future = self._future
        if future is None:
            return self.func(*self.args)
        try:
            return future.result(timeout=self._worker.timeout)
        except Exception as error:  # it timed out, died, or could not pickle: do it here
            reason = repr(error) if future.done() else f"no answer in {self._worker.timeout:.0f} s"
            log.warning("%s failed in a worker process (%s): computed here", _name(self.func), reason)
            self._worker.close()  # a hung or broken worker does nothing more
            return self.func(*self.args)


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
    """Start ``func(*args)`` in a worker process of its own when ``parallel`` is set.

    Otherwise the function runs here, when its value is asked for. Either way ``.result()``
    gives the value; ``.close()`` stops the worker. ``func`` and ``args`` must pickle (a
    module-level function and plain data or numpy arrays).

    Examples
    --------
    >>> job = apart(sorted, [3, 1, 2])
    >>> job.result()
    [1, 2, 3]
    >>> job.close()
    >>> apart(max, 4, 2, parallel=False).parallel
    False
    """
    job = Worker(parallel, timeout).submit(func, *args)
    job._own = True
    return job
