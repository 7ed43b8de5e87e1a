"""Jobs for the runner's tests, run in a job's child process (which has tests/ on its path).

Each writes what a test needs to see into files under the folder it is given.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.services import jobs
from app.services.errors import ServiceError


def sleep(seconds: float, folder: str | None = None) -> None:
    """Sleep; first write this process's pid, and that of a helper it started, to ``folder``."""
    if folder:
        helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        Path(folder, "helper.pid").write_text(str(helper.pid))
        Path(folder, "job.pid").write_text(str(os.getpid()))
    time.sleep(seconds)


def fail(message: str) -> None:
    """Raise an unexpected error."""
    raise RuntimeError(message)


def refuse(message: str) -> None:
    """Raise an error meant for the user."""
    raise ServiceError(message)


def crash(code: int) -> None:
    """End the process at once, as a crash in native code would."""
    os._exit(code)


def submit_another(record: list | None) -> None:
    """Submit a follow-up job, as an import submits its rescoring."""
    jobs.submit_record("sample_jobs.sleep", (0,), tuple(record) if record else None)


def kill_runner() -> None:
    """Kill the process that runs this job (an RQ work horse), as the kernel's OOM killer would."""
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)
