"""Running one background job in a child process, and killing it when its time limit passes.

A thread cannot be stopped, and a signal handler cannot interrupt native code: a scoring run
once hung forever inside igraph's OpenMP pool at 0% CPU, where no deadline checked between
phases would ever have fired. So the limit is enforced from outside the job. The job runs in
a process made by ``spawn`` (a fresh interpreter: unlike ``fork``, it inherits no thread pool,
lock or database connection of this process) that rebuilds the app from this app's
configuration. This process waits for it at most the time limit, then kills it, with every
process it started, and reports how it ended; the caller marks the job's record.

The child leads a process group of its own (so that it and its helpers die together) and,
on Linux, asks the kernel to kill it when the thread that started it ends: a job never
outlives its runner to hold the database alone.

Like every ``spawn`` child, it imports the parent's main script again (not as ``__main__``):
the ``flask``, ``gunicorn`` and ``pytest`` entry points are guarded, and so must be a script of
one's own that submits jobs.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from app.services.errors import ServiceError

log = logging.getLogger(__name__)

KILL_WAIT = 10  # seconds a killed process may take to be gone before that is logged
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent thread ends

_parent: Connection | None = None  # in a job's child process: the pipe to its runner


@dataclass
class Outcome:
    """How a job's process ended, and the jobs it submitted for its runner to start."""

    finished: bool = False  # the job returned
    timed_out: bool = False
    exit_code: int | None = None
    error: str | None = None  # the type of the exception it raised
    message: str | None = None  # a ServiceError's own words (meant for the user)
    follow_ups: list[tuple] = field(default_factory=list)  # (path, args, record)

    def describe_exit(self) -> str:
        """Return how the process ended, in words (for a crash)."""
        return describe_exit(self.exit_code)


def describe_exit(code: int | None) -> str:
    """Return a process's end in words: ``code`` is its exit code, or minus its signal."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        hint = "; the machine may have run out of memory" if code == -signal.SIGKILL else ""
        return f"killed by signal {name}{hint}"
    return f"exit code {code}"


def resolve(path: str):
    """Return the function at dotted ``path``."""
    module_name, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def run(config: dict, path: str, args: tuple, limit: float) -> Outcome:
    """Run the job ``path(*args)`` in a child app built from ``config``, for at most ``limit``
    seconds; return how it ended."""
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(config, path, tuple(args), writer, os.getpid()),
        name=f"influence-job {path}",
    )  # fmt: skip
    process.start()
    writer.close()  # the child holds the only writing end: its exit reads as the end of input
    outcome = Outcome()
    try:
        messages, outcome.timed_out = _watch(process, reader, limit)
    finally:
        if process.is_alive():  # past the limit, or this process is being stopped itself
            _kill(process)
        reader.close()
    process.join(KILL_WAIT)
    outcome.exit_code = process.exitcode
    for message in messages:
        if message[0] == "submit":
            outcome.follow_ups.append(message[1:])
        elif message[0] == "done":
            outcome.finished = True
        elif message[0] == "failed":
            outcome.error, outcome.message = message[1], message[2]
    return outcome


def _watch(process, reader: Connection, limit: float) -> tuple[list[tuple], bool]:
    """Collect the child's messages until it exits; return them and whether the limit
    passed first."""
    deadline = time.monotonic() + limit
    messages: list[tuple] = []
    sources = [reader, process.sentinel]
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return messages, True
        ready = wait(sources, timeout=remaining)
        if reader in ready:
            try:
                messages.append(reader.recv())
            except EOFError:  # the child closed its end: only its exit is left to see
                sources.remove(reader)
        elif process.sentinel in ready:
            # Exited. What it sent last may still be in the pipe (a process it forked may
            # hold the pipe open, so read what is there rather than up to the end).
            while reader in sources and reader.poll():
                try:
                    messages.append(reader.recv())
                except EOFError:
                    break
            return messages, False


def _kill(process) -> None:
    """Kill the job's process and every process it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # it had not made its group yet
        process.kill()
    process.join(KILL_WAIT)
    if process.is_alive():
        log.error("the job process %s was killed but is still there", process.pid)


def hand_off(path: str, args: tuple, record: tuple | None) -> bool:
    """In a job's child process, pass a job it submits to its runner; return whether it did.

    The runner starts it after this one, under a time limit of its own; started here, it
    would share this job's limit and die with this process.
    """
    if _parent is None:
        return False
    _parent.send(("submit", path, tuple(args), record))
    return True


def _child(config: dict, path: str, args: tuple, pipe: Connection, runner_pid: int) -> None:
    """The child process: build the app, run the job, tell the runner how it went."""
    global _parent
    _stay_with_runner(runner_pid)
    _parent = pipe
    from app import create_app

    try:
        app = create_app(config)
        with app.app_context():
            resolve(path)(*args)
    except ServiceError as error:
        pipe.send(("failed", type(error).__name__, str(error)))
    except Exception as error:  # the runner marks the record; the trace goes to the log
        log.exception("background job %s%r failed", path, args)
        pipe.send(("failed", type(error).__name__, None))
    else:
        pipe.send(("done",))
    pipe.close()


def _stay_with_runner(runner_pid: int) -> None:
    """Lead a process group of one's own, and die when the runner's thread ends (Linux)."""
    os.setpgrp()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != runner_pid:  # the runner ended before the request above took hold
        os._exit(1)
