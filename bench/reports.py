"""Benchmark the advocacy figures (API and page) and the dashboard on a workspace of
1,000,000 mentions.

    python bench/reports.py                                   # SQLite, built once in bench/out/
    python bench/reports.py --database-url postgresql://postgres@127.0.0.1/bench_reports
    python bench/reports.py --rows 100000                     # a quicker run

Builds (once, cached) a workspace from the synthetic file bench/ingest.py writes (same
generator and seed: ``bench/out/mentions-<rows>.csv``, about 200,000 authors over 90 days),
imported with ``--no-score``, then scored with ``flask --app wsgi scores compute`` (which
queues the rebuild of the advocacy aggregate; the time of that rebuild is printed apart, by
``flask --app wsgi advocacy refresh``). Then times, in-process (Flask's test client, median of
7 requests after one warm-up), the advocacy API and page over the default period (the 90 days
up to the newest mention: every mention) and a 30-day one, the dashboard (the workspace's
home: its default 30 days, and the 90 days), a campaign report (API and page: a 30-day
campaign of 20 placements tracking the commonest tag), and the same summary computed from the mentions
(what is read while the aggregate is being rebuilt). Target: ≤ 300 ms each.
Record the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

OUT = ROOT / "bench" / "out"


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run one CLI command in a fresh process."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def build(env: dict, rows: int, marker: Path) -> None:
    """Create, import and score the workspace unless the marker says it was done."""
    flask(env, "db", "upgrade")
    if marker.exists():
        print(f"using the workspace built before ({marker.name})")
        return
    from ingest import data_file

    path = data_file("csv", rows, False, False, 7)
    flask(env, "workspaces", "create", "bench", "--name", "Bench", "--brand", "delivery")
    start = time.perf_counter()
    flask(env, "mentions", "import", str(path), "--workspace", "bench", "--no-score", "--json")
    print(f"imported {rows:,} rows in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    flask(env, "scores", "compute", "--workspace", "bench")
    print(f"scored (and rebuilt the advocacy aggregate) in {time.perf_counter() - start:.0f} s")
    if env["DATABASE_URL"].startswith("postgresql"):
        # Autovacuum may be off (it is on this machine's server): without statistics and a
        # visibility map, PostgreSQL plans the report's reads blind and visits every row.
        import psycopg

        with psycopg.connect(env["DATABASE_URL"].replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    marker.write_text("built\n")


def median_ms(client, url: str, headers: dict, runs: int = 7, forget: bool = False) -> float:
    """Return the median time of ``runs`` requests (after one warm-up), in ms; ``forget``
    clears the tallies the process remembers before each (a period asked for the first time)."""
    from app.advocacy.services import cube

    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.get_data()[:300])
    times = []
    for _ in range(runs):
        if forget:
            for columns in cube._cache.values():
                columns.memo.clear()
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(times)[runs // 2] * 1000


def bench_campaign(access, user, period) -> int:
    """Return the bench campaign, creating it once: the 30 days before the period's last 10,
    tracking the commonest synthetic tag, with placements of 20 of the busiest authors."""
    from sqlalchemy import func, select

    from app.crm import models as crm
    from app.crm.services import campaigns, people
    from app.extensions import db
    from app.models import Mention

    workspace = access.workspace
    found = db.session.scalar(select(crm.Campaign.id).where(
        crm.Campaign.workspace_id == workspace.id, crm.Campaign.name == "Bench campaign"))
    if found:
        return found
    end = period.last - timedelta(days=10)
    campaign = campaigns.create_campaign(access, user, {
        "name": "Bench campaign", "start": str(end - timedelta(days=29)), "end": str(end),
        "tags": "#t1", "budget": "100000"})
    busiest = db.session.scalars(
        select(Mention.author_id).where(Mention.workspace_id == workspace.id)
        .group_by(Mention.author_id).order_by(func.count().desc()).limit(20))
    for number, author_id in enumerate(busiest):
        person, _ = people.person_for_author(access, user, author_id)
        campaigns.create_placement(access, user, campaign.id, {
            "person_id": person.id, "fee": str(500 + 100 * number), "status": "published"})
    return campaign.id


def measure(env: dict) -> None:
    os.environ.update(env)
    from dataclasses import replace

    from sqlalchemy import select, text

    from app import create_app
    from app.advocacy.models import AdvocacyState
    from app.advocacy.routes import scope_from_args
    from app.advocacy.services import cube, daily, figures
    from app.extensions import db
    from app.services import users, workspaces

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        workspace = workspaces.get_by_slug("bench")
        user = users.get_by_email("bench@example.com") or users.create_user(
            "bench@example.com", "bench password", "Bench"
        )
        if workspaces.access_for(user, "bench") is None:
            workspaces.add_member(workspace, user, "owner")
        _, token = users.create_token(user, "bench")
        if not daily.fresh(workspace):
            start = time.perf_counter()
            daily.refresh(workspace)
            print(f"advocacy aggregate rebuilt in {time.perf_counter() - start:.1f} s")
        state = daily.state_of(workspace)
        counts = {
            table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("mentions", "advocacy_days", "advocacy_topic_days")
        }
        print(f"workspace: {counts['mentions']:,} mentions; aggregate: "
              f"{counts['advocacy_days']:,} author-days, {counts['advocacy_topic_days']:,} "
              f"topic-author-days, built in {state.seconds:.1f} s")  # fmt: skip
        scope, _ = scope_from_args(workspace, {})
        last = scope.period.last
        thirty = {"from": str(last - timedelta(days=29)), "to": str(last)}
        print(f"default period: {scope.period.first} to {scope.period.last}")
        start = time.perf_counter()
        figures.summary(workspace, replace(scope, use_aggregate=False))
        from_mentions = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        cube.load(
            db.session.scalar(select(AdvocacyState.cube).where(AdvocacyState.workspace_id == workspace.id)),
            state.cube_meta,
        )
        cold = (time.perf_counter() - start) * 1000
        campaign_id = bench_campaign(workspaces.access_for(user, "bench"), user, scope.period)
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.com", "password": "bench password"})
    api = {"Authorization": f"Bearer {token}"}
    base = "/api/v1/workspaces/bench"
    month = f"from={thirty['from']}&to={thirty['to']}"
    targets = [
        ("API advocacy, 90 days (summary)", f"{base}/advocacy", api),
        ("API advocacy, last 30 days", f"{base}/advocacy?{month}", api),
        ("API advocacy, 90 days by week", f"{base}/advocacy?by=week", api),
        ("API advocacy, 90 days by month", f"{base}/advocacy?by=month", api),
        ("API advocacy, 90 days by platform", f"{base}/advocacy?by=platform", api),
        ("API advocacy, 90 days, one topic (#t1)", f"{base}/advocacy?topic=%23t1", api),
        ("API advocacy/authors?class=promoter (100 rows)", f"{base}/advocacy/authors?class=promoter", api),
        ("API advocates (50)", f"{base}/advocates", api),
        ("API alerts", f"{base}/alerts", api),
        ("advocacy page, 90 days", "/w/bench/advocacy", {}),
        ("advocacy page, last 30 days", f"/w/bench/advocacy?{month}", {}),
        ("dashboard, last 30 days (its default)", "/w/bench/dashboard", {}),
        ("dashboard, 90 days", f"/w/bench/dashboard?from={scope.period.first}&to={last}", {}),
        ("API campaign report (30-day campaign, 20 placements)",
         f"{base}/campaigns/{campaign_id}/report", api),
        ("campaign report page", f"/w/bench/campaigns/{campaign_id}/report", {}),
    ]  # fmt: skip
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {env['DATABASE_URL'].split(':')[0]}")  # fmt: skip
    for label, url, headers in targets:
        again = median_ms(client, url, headers)
        first = median_ms(client, url, headers, forget=True)
        print(f"{label}: {first:.0f} ms a new period, {again:.0f} ms asked again (medians of 7)")
    print(
        f"summary over 90 days computed from the mentions (aggregate stale): {from_mentions:.0f} ms"
    )
    print(f"loading the columns (once per process and rebuild): {cold:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="default: bench/out/reports-<rows>.db (SQLite)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / f'reports-{args.rows}.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    kind = "pg" if url.startswith("postgresql") else "sqlite"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench")
    build(env, args.rows, OUT / f"reports-{args.rows}-{kind}.built")
    measure(env)


if __name__ == "__main__":
    main()
