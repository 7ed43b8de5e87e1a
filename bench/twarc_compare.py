"""Time our import and scoring against twarc-network's GEXF on the same twarc2 file, in one run.

    python bench/twarc_compare.py --rows 200000 --runs 2

The file is ``bench/ingest.py --format twitter-v2``'s (synthetic tweets as twarc2 pages). Each
run times, one after the other on the idle machine (never at the same time: there are only two
cores):

- ``twarc2 network FILE out.gexf --format gexf`` (twarc and twarc-network from PyPI, in their
  own environment under bench/out/twarc-venv, made here when missing);
- ``flask mentions import FILE --no-score`` into a new SQLite database, then
  ``flask scores compute`` on that workspace.

For each it prints the elapsed time, the CPU time (process and children) and the peak
memory. The target of issue 9 is ours (import + score) below twarc-network's GEXF.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from ingest import OUT, data_file  # noqa: E402
from peak import run_with_peak  # noqa: E402

TWARC_VENV = OUT / "twarc-venv"
TWARC_PACKAGES = ("twarc", "twarc-network")
TIME_LIMIT = 900  # seconds for one command: far beyond what any takes, so a hang ends the run


def twarc2() -> Path:
    """Return the twarc2 command, installing twarc and twarc-network from PyPI if needed."""
    command = TWARC_VENV / "bin" / "twarc2"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TWARC_VENV)], check=True)
        subprocess.run(
            [str(TWARC_VENV / "bin" / "pip"), "install", "--quiet", *TWARC_PACKAGES], check=True
        )
    return command


def timed(command: list[str], **kwargs) -> tuple[float, float, float, str]:
    """Run a command; return its seconds, CPU seconds (children included), peak MiB, output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done, peak_mib = run_with_peak(command, timeout=TIME_LIMIT, **kwargs)
    except subprocess.TimeoutExpired:
        sys.exit(f"{' '.join(command[:6])} ... took more than {TIME_LIMIT} s: stopped")
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} ... failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, peak_mib, done.stdout


def run_twarc(path: Path, out: Path) -> tuple[float, float, float]:
    """Time twarc-network writing the GEXF of ``path``."""
    # A bearer token must be given for twarc2 to start at all; the network command never uses it.
    command = [str(twarc2()), "--bearer-token", "unused", "network", str(path), str(out)]
    # Run where its log (twarc.log, written in the current folder) goes away with the output.
    seconds, cpu, peak, _ = timed(
        [*command, "--format", "gexf"], stdin=subprocess.DEVNULL, cwd=out.parent
    )
    return seconds, cpu, peak


def run_ours(path: Path, database: Path) -> dict[str, tuple[float, float, float]]:
    """Time our import (--no-score) and then the scoring of ``path`` in a new database."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="bench")
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "workspaces", "create", "bench", "--name", "Bench", "--brand", "delivery"],
                   cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    workspace = ["--workspace", "bench", "--json"]
    imported = timed([*flask, "mentions", "import", str(path), *workspace, "--no-score"],
                     cwd=ROOT, env=env)  # fmt: skip
    result = json.loads(imported[3])
    if result["rejected"] or not result["imported"]:
        sys.exit(f"the import rejected rows: {result}")
    scored = timed([*flask, "scores", "compute", *workspace], cwd=ROOT, env=env)
    return {"import": imported[:3], "score": scored[:3], "rows": result["imported"]}


def line(name: str, seconds: float, cpu: float, peak: float) -> str:
    return f"  {name:<28} {seconds:6.1f} s   CPU {cpu:6.1f} s   peak {peak:6,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = data_file("twitter-v2", args.rows, False, False, args.seed)
    print(f"file: {path} ({path.stat().st_size / 2**20:,.0f} MiB); load: {os.getloadavg()}")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            theirs = run_twarc(path, Path(tmp) / "out.gexf")
            ours = run_ours(path, Path(tmp) / "bench.db")
        total = tuple(a + b for a, b in zip(ours["import"], ours["score"], strict=True))
        total = (*total[:2], max(ours["import"][2], ours["score"][2]))
        print(f"run {run}: {ours['rows']:,} tweets")
        print(line("twarc2 network --format gexf", *theirs))
        print(line("ours: import --no-score", *ours["import"]))
        print(line("ours: scores compute", *ours["score"]))
        print(line("ours: import + score", *total))
        print(f"  ours / twarc-network: {total[0] / theirs[0]:.2f} (elapsed), "
              f"{total[1] / theirs[1]:.2f} (CPU); load after: {os.getloadavg()}")  # fmt: skip


if __name__ == "__main__":
    main()
