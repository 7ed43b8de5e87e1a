"""Run a command and report its own peak memory, whatever else the benchmark ran before.

Linux keeps one peak resident size for all the children a process has waited for (the
largest so far), so a benchmark that generated its data in a child first would report that
child's peak. A small wrapper process runs the command as its only child and prints the
command's peak (its own children included) as the last line of its standard error.
"""

from __future__ import annotations

import subprocess
import sys

_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_with_peak(command: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``command`` (text output captured) and return it with its peak memory in MiB."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, **kwargs
    )
    lines = done.stderr.rstrip("\n").split("\n")
    peak_kib = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
    done.stderr = "\n".join(lines[:-1])
    return done, peak_kib / 1024
