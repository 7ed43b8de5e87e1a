"""Benchmark one huge post: how long the import of a post without spaces takes, by its length.

    python bench/long_post.py                     # 128 KB, 256 KB and 1 MB, once each
    python bench/long_post.py --sizes 10 1000000  # against the same command with short posts

Issue 10 measured before this: 128 K characters 4 s, 256 K 15.6 s, 1 MB 287 s (language
detection was quadratic on a text without spaces). Each figure is the whole
`flask --app wsgi mentions import --no-score` command (process start to exit) on a fresh
SQLite database: three ordinary posts and one huge one, whose language and sentiment are
computed. Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def rows(size: int) -> list[dict]:
    base = {"platform": "twitter", "author": "anna", "created_at": "2026-11-01T10:00:00Z"}
    return [
        {**base, "id": "1", "text": "I love the Acme courier"},
        {**base, "id": "2", "text": "x" * size},
        {**base, "id": "3", "text": "Терпеть не могу ждать доставку"},
        {**base, "id": "4", "text": "ok " * (size // 3)},
    ]


def run(size: int, folder: Path, number: int) -> tuple[float, dict]:
    database = folder / f"bench-{number}.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*FLASK, "workspaces", "create", "bench", "--name", "Bench", "--brand", "Acme"],
                   cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    path = folder / f"long-{number}.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows(size)) + "\n", encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [*FLASK, "mentions", "import", str(path), "--workspace", "bench", "--json", "--no-score"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return time.perf_counter() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[128_000, 256_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for number, size in enumerate(args.sizes):
            seconds, result = run(size, Path(folder), number)
            counts = (result["imported"], result["duplicates"], result["rejected"])
            print(f"{size:>9,} characters without spaces: {seconds:6.2f} s for the whole command,"
                  f" imported/duplicates/rejected {counts}")  # fmt: skip


if __name__ == "__main__":
    main()
