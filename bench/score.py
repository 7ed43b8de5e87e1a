"""Benchmark a full scoring run end to end, and the influencer list on its result.

    python bench/score.py                      # 200,000 authors, ~1M posts and interactions
    python bench/score.py --authors 20000      # a quicker run

Builds (once, cached in bench/out/) a SQLite workspace from the same synthetic generator as
bench/ingest.py, then times `flask --app wsgi scores compute` in a fresh process (load, graph,
all metrics, communities, roles, snapshot write) with its peak memory, and the influencer list
(page and API) on the snapshot. Record the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from peak import run_with_peak  # noqa: E402

OUT = ROOT / "bench" / "out"


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run one CLI command in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=check,
    )  # fmt: skip


def build_database(authors: int, env: dict, db_path: Path) -> None:
    """Create the workspace and import the synthetic mentions (skipped when already built)."""
    from ingest import write_csv

    if db_path.exists():
        print(f"using the workspace built before: {db_path}")
        flask(env, "db", "upgrade")  # it may predate the newest migrations
        return
    rows = authors * 5
    csv_path = OUT / f"score-{authors}.csv"
    if not csv_path.exists():
        # In a process of its own, so this one stays small.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pool.apply(write_csv, (csv_path, rows), {"compute": False, "seed": 11})
    flask(env, "db", "upgrade")
    flask(env, "workspaces", "create", "bench", "--name", "Bench", "--brand", "delivery")
    start = time.perf_counter()
    flask(env, "mentions", "import", str(csv_path), "--workspace", "bench", "--no-score", "--json")
    print(f"built the workspace: {rows:,} rows imported in {time.perf_counter() - start:.0f} s")


def time_list(env: dict) -> dict[str, float]:
    """Time the influencer list (API and page) on the newest snapshot: median of 7 requests."""
    os.environ.update(env)
    from app import create_app
    from app.services import users, workspaces

    app = create_app()
    figures = {}
    with app.app_context():
        workspace = workspaces.get_by_slug("bench")
        user = users.get_by_email("bench@example.com") or users.create_user(
            "bench@example.com", "bench password", "Bench"
        )
        if workspaces.access_for(user, "bench") is None:
            workspaces.add_member(workspace, user, "owner")
        _, token = users.create_token(user, "bench")
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"email": "bench@example.com", "password": "bench password"})
    targets = {
        "API authors (page 1, 100 rows)": ("/api/v1/workspaces/bench/authors", {"Authorization": f"Bearer {token}"}),
        "API authors, role filter, sorted by followers": (
            "/api/v1/workspaces/bench/authors?role=networker&sort=followers",
            {"Authorization": f"Bearer {token}"},
        ),
    }
    if "influencers.index" in app.view_functions:
        targets["influencers page (50 rows)"] = ("/w/bench/influencers", {})
        targets["influencers page, sorted by engagement"] = ("/w/bench/influencers?sort=engagement", {})
    for label, (url, headers) in targets.items():
        times = []
        for _ in range(7):
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        figures[label] = sorted(times)[3] * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--authors", type=int, default=200_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"score-{args.authors}.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", SECRET_KEY="bench")
    build_database(args.authors, env, db_path)

    start = time.perf_counter()
    done, peak = run_with_peak(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scores", "compute", "--workspace", "bench",
         "--json"], cwd=ROOT, env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"scoring failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout)
    counts, timings = result["counts"], result["timings"]
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"workspace: {counts['authors']:,} authors, {counts['posts']:,} posts, "
          f"{counts['interactions']:,} interactions, {counts['communities']:,} communities")  # fmt: skip
    print(f"scores compute (whole command, fresh process): {seconds:.1f} s, peak memory {peak:,.0f} MiB")
    print("phases: " + ", ".join(f"{name} {value:.2f}s" for name, value in timings.items()))
    for label, ms in time_list(env).items():
        print(f"{label}: {ms:.0f} ms (median of 7)")


if __name__ == "__main__":
    main()
