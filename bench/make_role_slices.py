"""Cut the small slices of real collections that the role tests keep in tests/fixtures/roles/.

    python bench/make_role_slices.py

Each slice is a few hundred real posts, mapped to MentionRecord CSV (bench/real_collections.py),
chosen around the accounts whose role is obvious from the raw data, with every post of the
people who interact with them, so the evidence survives the cut:

* demonetization.csv: the retweets of gauravcsawant (a thought leader known only through
  "RT @gauravcsawant:"), every post of suhana41 and atlantesindia (amplifiers: 11 and 8
  distinct authors reposted), the posts mentioning or replying to narendramodi (a networker
  who never posts), and the first 150 other posts as background.
* emory.csv: the twelve biggest r/Emory threads in which oldeaglenewute2022 commented, in
  full (replies to them from many distinct people, and two-way talk with many).
* uk.csv: the UK 2014 candidate mentions of davidcoburnukip's #ukip circle: his posts, and
  every post of the people who mention him (a trendsetter on #ukip, followed into it).

Rerun after a change to the converters; the tests say what each slice must show.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from real_collections import (  # noqa: E402
    FIELDS,
    SHARED,
    demonetization_rows,
    emory_rows,
    uk_candidates_rows,
)

OUT = ROOT / "tests" / "fixtures" / "roles"


def _write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} posts")


def demonetization() -> list[dict]:
    rows = list(demonetization_rows(SHARED / "demonetization-tweets" / "demonetization-tweets.csv"))
    text = lambda r: r["text"].lower()  # noqa: E731
    keep = [
        r for r in rows
        if (r["repost_of_author"] or "").lower() == "gauravcsawant"
        or r["author"].lower() in ("suhana41", "atlantesindia")
        or ("@narendramodi" in text(r) and not r["repost_of_author"])
    ]  # fmt: skip
    chosen = {r["id"] for r in keep}
    keep += [r for r in rows if r["id"] not in chosen][:150]
    return keep


def emory() -> list[dict]:
    rows = list(emory_rows(SHARED / "reddit-emory-threads" / "dat" / "Emory"))
    # a thread is the submission and everything under it: follow the reply ids upwards
    parent = {r["id"]: r.get("reply_to_id") for r in rows}

    def thread(post_id: str) -> str:
        while parent.get(post_id):
            post_id = parent[post_id]
        return post_id

    of = {r["id"]: thread(r["id"]) for r in rows}
    theirs = {of[r["id"]] for r in rows if r["author"] == "oldeaglenewute2022"}
    size = {t: 0 for t in theirs}
    for t in of.values():
        if t in size:
            size[t] += 1
    biggest = set(sorted(theirs, key=lambda t: (-size[t], t))[:12])
    return [r for r in rows if of[r["id"]] in biggest]


def uk() -> list[dict]:
    rows = list(uk_candidates_rows(SHARED / "uk-ep2014-candidate-mentions" / "UK-tweets.csv"))
    circle = {r["author"].lower() for r in rows if "@davidcoburnukip" in r["text"].lower()}
    circle.add("davidcoburnukip")
    return [r for r in rows if r["author"].lower() in circle]


def main() -> None:
    _write("demonetization.csv", demonetization())
    _write("emory.csv", emory())
    _write("uk.csv", uk())


if __name__ == "__main__":
    main()
