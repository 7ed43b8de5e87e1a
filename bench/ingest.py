"""Benchmark the CLI import: generate a synthetic file, import it, print figures.

    python bench/ingest.py --rows 1000000                 # sentiment and lang=en given
    python bench/ingest.py --rows 1000000 --compute        # sentiment column dropped: computed
    python bench/ingest.py --rows 200000 --no-lang         # lang column dropped: detected
    python bench/ingest.py --rows 200000 --no-lang --compute   # neither column
    python bench/ingest.py --rows 200000 --format twitter-v2   # twarc2 pages, see twarc_pages.py
    python bench/ingest.py --rows 200000 --database-url postgresql://postgres@127.0.0.1/bench

Figures: rows/s of the whole `flask --app wsgi mentions import` command (process start to exit,
on an empty database) and the peak resident memory of that process; then the time of
`flask --app wsgi mentions index-search`, which brings the text-search index up to date (an
import without --no-score does that itself, before rescoring). The data comes from
``graph.synthetic.generate_records``: about 5 posts per author, Zipf-distributed targets,
30% reposts, 20% replies. ``--format twitter-v2`` writes the same kind of posts as Twitter
API v2 pages with 55% retweets (``bench/twarc_pages.py``): the tweets carry ``lang`` and no
sentiment, so sentiment is computed. Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from peak import run_with_peak  # noqa: E402
from twarc_pages import write_pages  # noqa: E402

from graph.synthetic import RECORD_FIELDS, generate_records  # noqa: E402

OUT = ROOT / "bench" / "out"


def write_csv(path: Path, rows: int, compute: bool, seed: int, no_lang: bool = False) -> int:
    """Write about ``rows`` synthetic mentions; return how many were written.

    ``compute`` leaves out the sentiment column, ``no_lang`` the lang column.
    """
    dropped = {"sentiment"} if compute else set()
    if no_lang:
        dropped.add("lang")
    fields = [f for f in RECORD_FIELDS if f not in dropped]
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in generate_records(max(2, rows // 5), seed=seed):
            if written >= rows:
                break
            writer.writerow(row)
            written += 1
    return written


def data_file(fmt: str, rows: int, compute: bool, no_lang: bool, seed: int) -> Path:
    """Return the generated file for these options under bench/out/, writing it if missing."""
    if fmt == "twitter-v2":
        path = OUT / f"tweets-v2-{rows}.jsonl"
        make, make_args = write_pages, (path, rows, seed)
    else:
        suffix = ("-compute" if compute else "") + ("-nolang" if no_lang else "")
        path = OUT / f"mentions-{rows}{suffix}.csv"
        make, make_args = write_csv, (path, rows, compute, seed, no_lang)
    if not path.exists():
        t = time.perf_counter()
        # In a process of its own, so this one stays small (the import's peak is measured
        # apart, by bench/peak.py).
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            written = pool.apply(make, make_args)
        print(f"generated {written:,} rows in {time.perf_counter() - t:.1f} s -> {path}")
    return path


def describe(args: argparse.Namespace) -> str:
    """Say what the file gives and what the import computes."""
    if args.format == "twitter-v2":
        return "lang given, sentiment computed"
    lang = "lang detected" if args.no_lang else "lang=en given"
    return f"{lang}, sentiment {'computed' if args.compute else 'given'}"


def run_import(path: Path, database_url: str) -> tuple[float, float, float, dict, tuple]:
    """Import ``path`` into a fresh workspace; return seconds, CPU seconds, peak MiB, the JSON
    result, and the seconds and output of the text-search catch-up that follows."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench")
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "workspaces", "create", "bench", "--name", "Bench", "--brand", "delivery"],
                   cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done, peak_mib = run_with_peak(
        [*flask, "mentions", "import", str(path), "--workspace", "bench", "--json", "--no-score"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"import failed:\n{done.stdout}\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the import command and its reading process together (both were waited for): a
    # figure that a busy machine disturbs less than the elapsed time.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # The text-search index is brought up to date after an import, not during it (the
    # command's --no-score leaves it for later): timed apart.
    start = time.perf_counter()
    indexed = subprocess.run([*flask, "mentions", "index-search"], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True)  # fmt: skip
    index_seconds = time.perf_counter() - start
    return seconds, cpu, peak_mib, json.loads(done.stdout), (index_seconds, indexed.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--compute", action="store_true", help="drop the sentiment column")
    parser.add_argument("--no-lang", action="store_true", help="drop the lang column")
    parser.add_argument("--format", choices=("csv", "twitter-v2"), default="csv")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    path = data_file(args.format, args.rows, args.compute, args.no_lang, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        seconds, cpu, peak_mib, result, (index_seconds, index_said) = run_import(path, url)
    rows = result["imported"] + result["duplicates"] + result["rejected"]
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"database: {url.split(':')[0]}; file: {path.name} ({describe(args)})")
    print(
        f"imported {result['imported']:,} (duplicates {result['duplicates']:,}, rejected {result['rejected']:,})"
    )
    print(f"time {seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak memory {peak_mib:,.0f} MiB")
    print(f"CPU {cpu:.1f} s (import and reading process together; 2 x time is the most it can use)")
    print(f"then the text-search index: {index_seconds:.1f} s for the command ({index_said})")


if __name__ == "__main__":
    main()
