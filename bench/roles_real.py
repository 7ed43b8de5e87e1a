"""Import and score every real collection under ../shared/data; check the roles against what
the raw data says they must be.

    python bench/roles_real.py                       # every collection found
    python bench/roles_real.py --only demonetization --top 15
    python bench/roles_real.py export.csv tweets.jsonl --brand acme   # your own files too

For each collection: a fresh SQLite workspace (window long enough for all of it), the import,
a scoring run, then each role's count and its top authors with their reasons, and the written
expectations. The expectations come from the raw data alone (who is reposted, replied to or
mentioned by how many distinct people; who reposts how many distinct authors), worked out and
written down before looking at the scores; they are the yardstick for the role formulas, not
the synthetic generator. Exits non-zero when an expectation fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from real_collections import Collection, collections  # noqa: E402

OUT = ROOT / "bench" / "out" / "real"
ROLES = ("networker", "thought_leader", "trendsetter", "amplifier")


@dataclass
class Scored:
    """One scored collection, as plain rows: handle -> role, scores, reasons, posts."""

    name: str
    authors: dict[str, dict]
    counts: dict[str, int]
    posting: int

    def role(self, handle: str) -> str | None:
        row = self.authors.get(handle.lower())
        return row["role"] if row else None

    def score(self, handle: str, role: str) -> float:
        row = self.authors.get(handle.lower())
        return row[role] if row else 0.0

    def top(self, role: str, n: int = 10) -> list[str]:
        ranked = sorted(self.authors.values(), key=lambda r: (-r[role], r["handle"]))
        return [r["handle"] for r in ranked[:n]]


Check = tuple[str, Callable[[Scored], bool]]


def is_role(handle: str, role: str) -> Check:
    return f"{handle} is a {role}", lambda s: s.role(handle) == role


def at_least(handle: str, role: str, score: float) -> Check:
    return f"{handle} scores {role} >= {score:g}", lambda s: s.score(handle, role) >= score


def in_top(handle: str, role: str, n: int) -> Check:
    return f"{handle} is in the top {n} {role}s", lambda s: handle.lower() in s.top(role, n)


def count_at_least(role: str, n: int) -> Check:
    return f"at least {n} {role}(s)", lambda s: s.counts.get(role, 0) >= n


def count_is(role: str, n: int) -> Check:
    return f"exactly {n} {role}(s)", lambda s: s.counts.get(role, 0) == n


# Written from the raw data (distinct people per account, counted by a script over the files)
# before the scores were looked at. "x% of authors" is of the authors who posted.
EXPECTED: dict[str, list[Check]] = {
    "demonetization": [
        # reposted by 541 (9.1%), 487 (8.2%) and 350 (5.9%) distinct people; their originals are
        # mostly not in the export (known only through "RT @x:")
        *[c for h in ("gauravcsawant", "ModiBharosa", "DrKumarVishwas")
          for c in (is_role(h, "thought_leader"), at_least(h, "thought_leader", 90))],
        is_role("rssurjewala", "thought_leader"),  # reposted by 277 people (4.7%)
        is_role("suhana41", "amplifier"),  # reposted 11 distinct authors, the most of anyone
        in_top("atlantesindia", "amplifier", 10),  # 8 distinct authors reposted
        is_role("narendramodi", "networker"),  # mentioned or replied to by 112+ distinct people
        *[count_at_least(role, 1) for role in ROLES],
    ],
    "emory": [
        # replied to by 200 distinct people (11.9%), in threads with 372 distinct people
        at_least("oldeaglenewute2022", "networker", 90),
        at_least("oldeaglenewute2022", "thought_leader", 90),
        in_top("iapetus3141", "networker", 10),  # 180 distinct partners
        in_top("decafoatmilklatte", "thought_leader", 10),  # replied to by 82 people (4.9%)
        count_at_least("thought_leader", 5),
        count_at_least("networker", 5),
        count_is("amplifier", 0),  # Reddit has no reposts
    ],
    "brexit": [
        is_role("caroljhedges", "thought_leader"),  # reposted by 17 of 148 (11.5%)
        at_least("caroljhedges", "thought_leader", 90),
    ],
    "kpop": [
        # reposted by 19.4%, 18.4%, 13.6% and 5.8% of the 103 authors
        *[at_least(h, "thought_leader", 90)
          for h in ("itsliveofficial", "koreatimescokr", "kpopidol_en", "official_ariaz")],
        # (official__wonho, written here as "mentioned by 18.4%", is mentioned only inside the
        # text of itsliveofficial's retweeted post: the 18 retweeters do not address him. The
        # count was corrected on re-reading the raw data, before any change to the scores.)
    ],
    "twarc-network": [
        is_role("gassmangassmann", "thought_leader"),  # reposted by 24 of 529 (4.5%)
        is_role("fmmosca", "thought_leader"),  # the same
        is_role("jfsebastian146", "amplifier"),  # reposted 11 distinct authors; next best 4
    ],
    "uk-candidates": [
        # mentioned by 26.9%, 6.9%, 6.6% and 6.6% of the 2,144 authors
        *[at_least(h, "networker", 90) for h in ("Nigel_Farage", "DavidCoburnUKip", "UKIP",
                                                  "nickgriffinmep")],
        # 107 of 2,144 is 4.99%, just under the 5% of the rule (first written as "5.0%")
        at_least("DanHannanMEP", "networker", 89),
        is_role("Nigel_Farage", "networker"),
    ],
}
# For every collection: one post and a handful of reactions is not evidence of a role.
GENERAL: list[Check] = [
    ("nobody with one post and under 3 people interacting with them has a role",
     lambda s: not [r for r in s.authors.values()
                    if r["role"] != "user" and r["posts"] <= 1 and r["degree"] < 3]),
]  # fmt: skip


def score_collection(collection: Collection, window_days: int) -> Scored:
    """Import the collection into a fresh SQLite workspace, score it, return the rows."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Author, AuthorScore
    from app.services import ingest, scoring, workspaces

    folder = OUT / collection.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'workspace.db'}", "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(folder), "JOBS_INLINE": True,
    })  # fmt: skip
    with app.app_context():
        db.create_all()
        workspace = workspaces.create_workspace(
            "real", collection.name, brand_terms=collection.brand_terms
        )
        workspace.score_window_days = window_days
        db.session.commit()
        start = time.perf_counter()
        result = ingest.import_files(workspace, collection.files, worker=False)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        snapshot = scoring.compute(workspace)
        print(f"\n=== {collection.name}: {collection.about}")
        print(f"imported {result.imported:,} ({result.rejected:,} rejected, {result.duplicates:,}"
              f" duplicates) in {imported:.1f} s; scored {snapshot.counts['authors']:,} authors"
              f" in {time.perf_counter() - start:.1f} s")  # fmt: skip
        handles = dict(db.session.execute(
            select(Author.id, Author.handle).where(Author.workspace_id == workspace.id)).all())  # fmt: skip
        authors = {}
        for row in db.session.scalars(select(AuthorScore).where(AuthorScore.snapshot_id == snapshot.id)):
            handle = handles[row.author_id].lower()
            authors[handle] = {
                "handle": handle, "role": row.role, "posts": row.posts or 0, "degree": row.degree or 0,
                "reasons": (row.detail or {}).get("reasons", []), "bot": row.bot_score,
                **{role: row.__getattribute__(role) for role in ROLES},
            }  # fmt: skip
        counts = snapshot.counts.get("roles", {})
        posting = sum(1 for r in authors.values() if r["posts"])
        return Scored(collection.name, authors, counts, posting)


def show(scored: Scored, top: int) -> None:
    """Print each role's count and its top authors with their reasons."""
    print("roles: " + ", ".join(f"{role} {scored.counts.get(role, 0):,}" for role in (*ROLES, "user")))
    for role in ROLES:
        print(f"-- top {role}s")
        for handle in scored.top(role, top):
            row = scored.authors[handle]
            print(f"  {row[role]:5.1f} {handle} [{row['role']}, {row['posts']} posts, bot {row['bot']:.2f}]"
                  f" {'; '.join(row['reasons'][:3])}")  # fmt: skip


def check(scored: Scored) -> int:
    """Print every expectation of the collection with PASS/FAIL; return the failures."""
    failures = 0
    for text, test in [*EXPECTED.get(scored.name, []), *GENERAL]:
        ok = test(scored)
        failures += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="more files to score as one collection")
    parser.add_argument("--brand", action="append", default=[], help="brand terms for FILES")
    parser.add_argument("--only", action="append", help="score only these collections")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--window-days", type=int, default=36500)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench")
    found = collections(OUT / "converted")
    if args.only:
        found = [c for c in found if c.name in args.only]
    if args.files:
        found.append(Collection("given", "the files given", args.files, args.brand))
    failures = 0
    summary = []
    for collection in found:
        scored = score_collection(collection, args.window_days)
        show(scored, args.top)
        print("-- expectations")
        failed = check(scored)
        failures += failed
        summary.append((collection.name, scored, failed))
    print("\n=== summary (roles per collection)")
    print(f"{'collection':16} {'authors':>8} " + " ".join(f"{r:>14}" for r in ROLES) + "  failed")
    for name, scored, failed in summary:
        print(f"{name:16} {len(scored.authors):8,} "
              + " ".join(f"{scored.counts.get(r, 0):14,}" for r in ROLES) + f"  {failed}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
