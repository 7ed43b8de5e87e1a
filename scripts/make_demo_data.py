"""Write the demo's Reddit and twarc files into app/demo_data/ from the shared samples.

    python scripts/make_demo_data.py [--shared ../shared/data] [--out app/demo_data]

The demo tells the product's story from real public posts under open licences (see
app/demo_data/ATTRIBUTION.md). PRAW's test cassettes are a by-product of a test suite: this
keeps the real threads and leaves out what the tests made up or redacted (PRAW's own test
account and subreddit, placeholders, deleted authors), so that no test post reaches the demo.
Run it again only to change what the demo holds; its output is committed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = ("<USERNAME>", "<TEST_SUBREDDIT>")
TEST_SUBREDDITS = {"<TEST_SUBREDDIT>", "reddit_api_test", "Lil_SpazJoekp", "RemovedByBotter"}
GONE_AUTHORS = {None, "", "[deleted]", "[removed]", "<USERNAME>"}
# What app/ingest/reddit.py reads of a thing; the rest (rendered HTML, flair, awards, and the
# nested "replies", which the extract also holds as their own lines) is left out.
KEPT_FIELDS = (
    "id",
    "name",
    "author",
    "subreddit",
    "created_utc",
    "created",
    "parent_id",
    "link_id",
    "body",
    "title",
    "selftext",
    "url",
    "permalink",
    "is_self",
    "score",
    "num_comments",
    "view_count",
    "crosspost_parent",
)


def real_thing(thing: dict) -> bool:
    """True for a Reddit thing that real people wrote in a real subreddit."""
    data = thing.get("data") or {}
    if data.get("author") in GONE_AUTHORS or data.get("subreddit") in TEST_SUBREDDITS:
        return False
    if not data.get("subreddit"):
        return False
    text = " ".join(str(data.get(key) or "") for key in ("body", "title", "selftext", "permalink"))
    return not any(marker in text for marker in PLACEHOLDERS) and data.get("body") != "[deleted]"


def slim(thing: dict) -> dict:
    """Return a thing with only the fields the import reads, their values unchanged."""
    data = thing["data"]
    return {"kind": thing["kind"], "data": {k: data[k] for k in KEPT_FIELDS if k in data}}


def write_reddit(shared: Path, out: Path) -> int:
    """Copy the real Reddit things (the fields the import reads), one per line; return how
    many."""
    kept = 0
    with gzip.open(shared / "reddit-praw-cassettes" / "reddit_things.jsonl.gz", "rt") as source, \
            gzip.open(out / "reddit_praw.jsonl.gz", "wt", compresslevel=9) as target:  # fmt: skip
        for line in source:
            thing = json.loads(line) if line.strip() else None
            if thing and real_thing(thing):
                target.write(json.dumps(slim(thing), ensure_ascii=False) + "\n")
                kept += 1
    return kept


def write_twarc(shared: Path, out: Path) -> None:
    """Copy twarc-network's test tweets (Twitter API v2 pages), gzip-compressed."""
    source = shared / "twitter-v2-twarc" / "twarc-network_tweets.jsonl"
    with source.open("rb") as raw, gzip.open(out / "twitter_v2_twarc.jsonl.gz", "wb", 9) as target:
        shutil.copyfileobj(raw, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "app" / "demo_data")
    args = parser.parse_args()
    print(f"reddit: kept {write_reddit(args.shared, args.out):,} things")
    write_twarc(args.shared, args.out)
    print("twarc: copied")


if __name__ == "__main__":
    main()
