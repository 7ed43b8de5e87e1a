"""Benchmark the relationship manager on a large workspace, on SQLite and PostgreSQL.

    python bench/crm.py                                  # 100,000 people, 20,000 placements,
                                                         # 1,000,000 timeline entries, SQLite
    python bench/crm.py --postgres postgresql:///bench   # the same on PostgreSQL too
    python bench/crm.py --people 10000 --entries 100000  # a quicker run

Fills a workspace (cached in bench/out/crm-*.db for SQLite; PostgreSQL is refilled) with
people and their accounts and tags, touches, stage changes, tasks, mentions by their
accounts, campaigns and placements, then times what a member waits for, each the median
of repeated requests through the app (token-authenticated API, the same services as the
pages): a person, the first page of a timeline (a typical person and one with a long
history), the due lists (overdue, soon, never) and a campaign board. Target: 150 ms each.
Record the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
TARGET_MS = 150
FIRST = ["Анна", "Иван", "Мария", "Пётр", "Ольга", "John", "Maria", "Chen", "Ахмед", "Lena"]
LAST = ["Котова", "Петров", "Smith", "Иванова", "García", "Сидоров", "Ким", "Novak"]


def rows_in_chunks(insert, rows, size=20_000):
    """Insert ``rows`` (a generator of dicts) in chunks through ``insert`` (one transaction)."""
    from app.extensions import db

    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            db.session.execute(insert, chunk)
            chunk = []
    if chunk:
        db.session.execute(insert, chunk)


def fill(people: int, placements: int, entries: int, seed: int = 7) -> dict:
    """Fill an empty database; return the ids the timings ask for."""
    from sqlalchemy import insert, select

    from app.crm import models as m
    from app.extensions import db
    from app.models import Author, Mention, Workspace
    from app.services import users, workspaces

    rng = random.Random(seed)
    owner = users.create_user("bench@example.com", "a long bench password 42", "Bench")
    workspace = workspaces.create_workspace("bench", "Bench", owner=owner)
    agent = users.create_user("agent@example.com", "a long bench password 42", "Agent")
    workspaces.add_member(workspace, agent, "agent")
    token = users.create_token(owner, "bench")[1]
    ws, now = workspace.id, datetime.now(UTC).replace(tzinfo=None)
    start = time.perf_counter()

    # authors: one per person, all on one platform
    rows_in_chunks(insert(Author), ({
        "workspace_id": ws, "platform": "twitter", "handle": f"user{i}",
        "display_handle": f"user{i}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "followers": rng.randint(10, 500_000), "posts_count": 0,
    } for i in range(people)))  # fmt: skip
    author_ids = list(db.session.scalars(select(Author.id).where(Author.workspace_id == ws)
                                         .order_by(Author.id)))  # fmt: skip

    # timeline entries: half touches, a fifth stage changes, a tenth tasks, a fifth mentions;
    # person 0 has a long history (2% of everything)
    shares = {"touch": 0.5, "stage": 0.2, "task": 0.1, "mention": 0.2}
    heavy = max(1, entries // 50)

    def owner_of(i):  # the person an entry belongs to
        return 0 if i < heavy else rng.randrange(people)

    last_touch: dict[int, datetime] = {}
    direction: dict[int, str] = {}

    def touches():
        for i in range(int(entries * shares["touch"])):
            person = owner_of(i)
            at = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            d = rng.choice(("sent", "sent", "received"))
            if at > last_touch.get(person, datetime.min):
                last_touch[person], direction[person] = at, d
            yield {"workspace_id": ws, "person_id": person + 1, "channel": "email",
                   "direction": d, "at": at, "note": "Обсудили коллаборацию", "created_at": at,
                   "by_id": owner.id}  # fmt: skip

    stages = list(m.STAGES)
    cadences = [None, 14, 30, 90]
    people_rows = []
    for i in range(people):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        people_rows.append({
            "id": i + 1, "workspace_id": ws, "name": name, "sort_name": name.casefold(),
            "search_text": f"{name.casefold()} user{i} @user{i}", "organisation": "",
            "email": f"user{i}@example.com", "phone": "", "city": "", "language": "ru",
            "owner_id": rng.choice((owner.id, agent.id, None)), "notes": "",
            "why_they_matter": "", "legal_name": "", "inn": "", "registry_status": "unknown",
            "cadence_days": rng.choice(cadences), "stage": rng.choice(stages),
            "created_at": now, "updated_at": now, "version": 1,
        })  # fmt: skip
    rows_in_chunks(insert(m.Person), people_rows)
    rows_in_chunks(insert(m.Touch), touches())
    for row in people_rows:  # the keep-in-touch clock of each person, as the services keep it
        at = last_touch.get(row["id"] - 1)
        row["last_touch_at"], row["last_touch_direction"] = at, direction.get(row["id"] - 1)
        row["next_touch_due"] = (
            at + timedelta(days=row["cadence_days"]) if at and row["cadence_days"] else None
        )
    from sqlalchemy import bindparam, update

    table = m.Person.__table__  # a Core update: the ORM's would check each row's version
    db.session.connection().execute(
        update(table).where(table.c.id == bindparam("pid")).values(
            last_touch_at=bindparam("lt"), last_touch_direction=bindparam("ld"),
            next_touch_due=bindparam("nd")),
        [{"pid": r["id"], "lt": r["last_touch_at"], "ld": r["last_touch_direction"],
          "nd": r["next_touch_due"]} for r in people_rows if r["last_touch_at"]],
    )  # fmt: skip
    rows_in_chunks(insert(m.PersonAccount), ({
        "workspace_id": ws, "person_id": i + 1, "platform": "twitter", "handle": f"user{i}",
        "display_handle": f"user{i}", "author_id": author_ids[i], "created_at": now,
    } for i in range(people)))  # fmt: skip
    rows_in_chunks(
        insert(m.PersonTag),
        (
            {
                "person_id": i + 1,
                "tag": tag,
                "workspace_id": ws,
            }
            for i in range(people)
            for tag in rng.sample(("vip", "food", "tech", "москва"), 2)
        ),
    )
    rows_in_chunks(insert(m.StageChange), ({
        "workspace_id": ws, "person_id": owner_of(i) + 1, "from_stage": rng.choice(stages),
        "to_stage": rng.choice(stages), "at": now - timedelta(minutes=rng.randrange(10**6)),
        "by_id": owner.id,
    } for i in range(int(entries * shares["stage"]))))  # fmt: skip
    rows_in_chunks(insert(m.Task), ({
        "workspace_id": ws, "person_id": owner_of(i) + 1, "title": "Позвонить",
        "due_on": (now + timedelta(days=rng.randrange(-30, 30))).date(),
        "assignee_id": rng.choice((owner.id, agent.id)), "created_by_id": owner.id,
        "created_at": now - timedelta(minutes=rng.randrange(10**6)),
    } for i in range(int(entries * shares["task"]))))  # fmt: skip
    rows_in_chunks(insert(Mention), ({
        "workspace_id": ws, "platform": "twitter", "external_id": str(i),
        "author_id": author_ids[owner_of(i)], "kind": "post",
        "created_at": now - timedelta(minutes=rng.randrange(10**6)),
        "text": "Acme — отличная доставка #доставка", "sentiment": rng.choice(
            ("positive", "neutral", "negative")), "sentiment_source": "computed",
    } for i in range(int(entries * shares["mention"]))))  # fmt: skip

    campaign_count = max(1, placements // 100)
    rows_in_chunks(insert(m.Campaign), ({
        "id": c + 1, "workspace_id": ws, "name": f"Кампания {c}", "goal": "",
        "start_on": (now - timedelta(days=rng.randrange(400))).date(),
        "end_on": (now + timedelta(days=rng.randrange(-100, 200))).date(),
        "budget_cents": 100_000_00, "tags": [], "links": [], "promo_codes": [],
        "created_at": now, "updated_at": now, "version": 1,
    } for c in range(campaign_count)))  # fmt: skip
    board = 1  # the campaign with a tenth of all placements: the board to time
    rows_in_chunks(insert(m.Placement), ({
        "workspace_id": ws, "person_id": rng.randrange(people) + 1,
        "campaign_id": board if i < placements // 10 else rng.randrange(campaign_count) + 1,
        "platform": "twitter", "deliverable": rng.choice(m.DELIVERABLES),
        "planned_at": (now + timedelta(days=rng.randrange(-60, 60))).date(),
        "fee_cents": rng.randrange(10**7), "gift_value_cents": None,
        "status": rng.choice(m.PLACEMENT_STATUSES), "post_url": "", "post_external_id": "",
        "contract_number": "", "erid": rng.choice(("", "2Vtzqx")), "label_checked": False,
        "act": "", "created_at": now, "updated_at": now, "version": 1,
    } for i in range(placements)))  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            for table in ("people", "campaigns"):  # ids were given: move the sequences on
                conn.execute(
                    db.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
            conn.commit()
        # VACUUM, not only ANALYZE: the update of every person above left a dead version of
        # each, which autovacuum (off on some servers) would clear in a real database; until
        # then index-only scans (the due lists' counts) read the table as well.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM ANALYZE"))
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    print(f"  filled in {time.perf_counter() - start:.0f} s")
    return {
        "token": token,
        "workspace": Workspace,
        "typical": people // 2,
        "heavy": 1,
        "board": board,
    }


def timed(client, url: str, headers: dict, runs: int) -> float:
    """Return the median time of ``runs`` GETs of ``url`` in ms (after one warm-up)."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.get_data()[:300])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(url: str, label: str, args) -> list[tuple[str, float]]:
    """Fill (or reuse) a database at ``url`` and time the views; return (what, ms) pairs."""
    from sqlalchemy import select

    from app import create_app
    from app.crm import models as m
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench" * 8,
                      "INSTANCE_PATH": str(OUT / "instance"), "WTF_CSRF_ENABLED": False})  # fmt: skip
    with app.app_context():
        token_file = OUT / f"crm-{args.people}-{db.engine.dialect.name}.token"
        fresh = (
            args.refill
            or not token_file.exists()
            or not db.session.get_bind().dialect.has_table(db.session.connection(), "people")
            or not db.session.scalar(select(m.Person.id).limit(1))
        )
        if fresh:
            db.drop_all()
            db.create_all()
            print(f"{label}: filling {args.people:,} people, {args.placements:,} placements, "
                  f"{args.entries:,} timeline entries")  # fmt: skip
            ids = fill(args.people, args.placements, args.entries)
            token = ids["token"]
            token_file.write_text(token)
        else:
            print(f"{label}: using the database filled before")
            db.create_all()  # tables added since (it creates only the missing ones)
            with db.engine.begin() as conn:  # and indexes added since to existing tables
                for table in db.metadata.sorted_tables:
                    for index in table.indexes:
                        index.create(conn, checkfirst=True)
            token = token_file.read_text()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        api = "/api/v1/workspaces/bench"
        typical, heavy = args.people // 2, 1
        views = [
            ("person (API, with the audit entry)", f"{api}/people/{typical}"),
            ("timeline, first page (typical person)", f"{api}/people/{typical}/timeline"),
            (f"timeline, first page (person with {args.entries // 50:,} entries)",
             f"{api}/people/{heavy}/timeline"),
            ("due list: overdue, first page + count", f"{api}/people?due=overdue"),
            ("due list: soon", f"{api}/people?due=soon"),
            ("due list: never contacted", f"{api}/people?due=never"),
            ("people list, first page", f"{api}/people"),
            ("campaign board (one status column of a 2,000-placement campaign)",
             f"{api}/campaigns/1/placements?status=agreed&per_page=100"),
        ]  # fmt: skip
        results = [(what, timed(client, path, headers, args.runs)) for what, path in views]
        # the pages, signed in as the workspace's owner
        pages = app.test_client()
        signed = pages.post("/login", data={"email": "bench@example.com",
                                            "password": "a long bench password 42"})  # fmt: skip
        assert signed.status_code == 302, "the bench user could not sign in"
        for what, path in (
            ("person page (with its timeline's first page)", f"/w/bench/people/{typical}"),
            ("person page, the person with the long history", f"/w/bench/people/{heavy}"),
            ("people page: overdue", "/w/bench/people?due=overdue"),
            ("campaign board page (five columns of 50 cards)", "/w/bench/campaigns/1"),
            ("my day page", "/w/bench/my-day"),
        ):
            results.append((what, timed(pages, path, {}, args.runs)))
        from app.crm.services import campaigns
        from app.models import Workspace

        workspace = db.session.scalar(select(Workspace).where(Workspace.slug == "bench"))
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            columns = campaigns.board(workspace, 1)
            campaigns.placement_warnings(
                workspace, [p for page in columns.values() for p in page.items]
            )
            times.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
        results.append(
            ("campaign board: all five columns with warnings (service)", statistics.median(times))
        )
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--postgres", help="a PostgreSQL URL to run on too (its tables are replaced)"
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--refill", action="store_true", help="fill again even if filled before")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    targets = []
    if not args.no_sqlite:
        targets.append((f"sqlite:///{OUT / f'crm-{args.people}.db'}", "SQLite"))
    if args.postgres:
        url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        targets.append((url, "PostgreSQL"))
    failed = False
    for url, label in targets:
        for what, ms in run(url, label, args):
            mark = "ok" if ms <= TARGET_MS else "SLOW"
            failed |= ms > TARGET_MS
            print(f"  {label:<10} {what:<66} {ms:8.1f} ms  {mark}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
