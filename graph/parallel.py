"""Run one function in a forked process while the caller goes on with other work.

Scoring is pure Python and numpy on one core; some of its steps do not depend on each other
(bot signals and the graph metrics; explaining authors and writing their scores). A child
made by ``fork`` starts with the caller's data already in place, computes one of them, and
sends the value back pickled through a pipe.

Forking is only safe in a process with no other thread (a lock another thread holds would
stay locked in the child forever), and only done on Linux (macOS system libraries are not
safe across a fork without exec; Windows has none): elsewhere the function simply runs
when its value is asked for, so callers have one code path. The child never returns into the
caller's code: it leaves by ``os._exit``, so no open file, database connection or buffered
output of the parent is closed or flushed twice. A child that fails is made up for by
calling the function in the caller.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Apart", "apart", "can_fork"]

log = logging.getLogger(__name__)


def can_fork() -> bool:
    """Return whether this process may fork a worker: Linux, and no thread but this one.

    Examples
    --------
    >>> isinstance(can_fork(), bool)
    True
    """
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Apart:
    """The value of ``func(*args)``, computed in a forked child, or here when asked for.

    :meth:`result` returns it (waiting for the child); :meth:`close` stops a child whose
    value is no longer wanted. ``forked`` tells which way it goes.
    """

    def __init__(self, func: Callable[..., Any], args: tuple, fork: bool) -> None:
        self.func, self.args, self.forked = func, args, fork
        self.pid, self.pipe = 0, None
        if not fork:
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without any of the parent's clean-up
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(func(*args), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid, self.pipe = pid, os.fdopen(read_end, "rb")

    def result(self) -> Any:
        """Return the value: the child's (waiting for it), or computed here.

        It is computed here when there is no child, or when the child failed.
        """
        if not self.pid:
            if not hasattr(self, "value"):
                if self.forked:
                    raise RuntimeError("the child process was stopped before it was done")
                self.value = self.func(*self.args)
            return self.value
        try:
            value, ok = pickle.load(self.pipe), True
        except (EOFError, pickle.UnpicklingError):
            value, ok = None, False
        status = self._reap()
        if not (ok and status == 0):
            log.warning("%s failed in a child process (status %s): redone here", self.func, status)
            value = self.func(*self.args)
        self.value = value
        return value

    def close(self) -> None:
        """Stop the child if it is still at work; the value is then not available."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int:
        self.pipe.close()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return status


def apart(func: Callable[..., Any], *args: Any, fork: bool = True) -> Apart:
    """Start ``func(*args)`` in a forked child when ``fork`` is set and :func:`can_fork`.

    Otherwise the function runs here, when its value is asked for. Either way
    ``.result()`` gives the value.

    Examples
    --------
    >>> job = apart(sum, [1, 2, 3])
    >>> job.result()
    6
    >>> apart(max, 4, 2, fork=False).forked
    False
    """
    return Apart(func, args, fork and can_fork())
