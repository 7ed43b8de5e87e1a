"""The real public collections under ../shared/data, as files the importer reads.

Most are in formats the app imports as they are (twarc2 pages, Twitter v1.1, Mastodon, Reddit,
Telegram, VK). Three are not, and are mapped to MentionRecord CSV here, the way a user maps a
monitoring tool's export: the #demonetization tweets (an R twitteR export), the r/Emory threads
(one JSON file per thread, comments nested) and the UK 2014 candidate mentions (a CSV with
hand-coded sentiment). Each collection comes with the brand terms a user would set.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FIELDS = ["platform", "id", "author", "created_at", "text", "author_followers", "reply_to_id",
          "reply_to_author", "repost_of_id", "repost_of_author", "tags", "likes", "reposts",
          "sentiment"]  # fmt: skip


@dataclass
class Collection:
    """One real collection: the files to import and the brand terms of its workspace."""

    name: str
    about: str
    files: list[Path]
    brand_terms: list[str] = field(default_factory=list)


def _write(path: Path, rows: Iterator[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


_RT = re.compile(r"^RT @(\w+):")


def demonetization_rows(source: Path) -> Iterator[dict]:
    """Map the twitteR export: retweets from ``isRetweet`` and "RT @source:", replies from
    ``replyToSID``/``replyToSN``; "NA" is empty. The originals of most retweets are not in it."""
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            na = {key: None if value in ("NA", "") else value for key, value in row.items()}
            retweet = _RT.match(row["text"]) if row["isRetweet"] == "TRUE" else None
            yield {
                "platform": "twitter",
                "id": row["id"],
                "author": row["screenName"],
                "created_at": row["created"].replace(" ", "T") + "Z",
                "text": html.unescape(row["text"]),
                "reply_to_id": na["replyToSID"],
                "reply_to_author": na["replyToSN"],
                "repost_of_author": retweet.group(1) if retweet else None,
                "likes": row["favoriteCount"],
                # on a retweet the count is the original's, not this post's
                "reposts": None if retweet else row["retweetCount"],
            }


def emory_rows(folder: Path) -> Iterator[dict]:
    """Map r/Emory threads: a submission and its nested comments, each a reply to its parent.

    Deleted accounts (author "None") are left out; replies to them keep their parent's id.
    """
    def when(seconds) -> str:
        return datetime.fromtimestamp(int(seconds), tz=UTC).isoformat()

    def likes(item: dict):
        score = item.get("upvotes")  # Reddit's score: up minus down votes, negative when buried
        return score if isinstance(score, int) and score >= 0 else None

    def walk(comment_id: str, comment: dict, parent: str, parent_author: str | None):
        author = comment.get("author")
        if author and author != "None":
            yield {"platform": "reddit", "id": f"t1_{comment_id}", "author": author,
                   "created_at": when(comment["created"]), "text": comment.get("text") or "",
                   "reply_to_id": parent, "reply_to_author": parent_author, "tags": "r/Emory",
                   "likes": likes(comment)}  # fmt: skip
        me = author if author and author != "None" else None
        for key, reply in (comment.get("replies") or {}).items():
            yield from walk(key, reply, f"t1_{comment_id}", me)

    for path in sorted(folder.glob("*.json")):
        thread = json.loads(path.read_text(encoding="utf-8"))
        author = thread.get("author")
        sid = f"t3_{thread['sid']}"
        if author and author != "None":
            title, text = thread.get("title:") or "", thread.get("text") or ""
            yield {"platform": "reddit", "id": sid, "author": author,
                   "created_at": when(thread["created"]), "text": f"{title}\n\n{text}".strip(),
                   "tags": "r/Emory", "likes": likes(thread)}  # fmt: skip
        me = author if author and author != "None" else None
        comments = thread.get("comments") or {}
        for key, comment in (comments.items() if isinstance(comments, dict) else []):
            yield from walk(key, comment, sid, me)


def uk_candidates_rows(source: Path) -> Iterator[dict]:
    """Map the UK 2014 candidate mentions: hand-coded sentiment, follower counts."""
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            created = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
            yield {
                "platform": "twitter",
                "id": row["id"],
                "author": row["screen_name"],
                "created_at": created.isoformat(),
                "text": html.unescape(row["text"]),
                "author_followers": row["followers_count"],
                "reposts": row["retweet_count"],
                "sentiment": "" if row["sentiment"] == "NA" else row["sentiment"],
            }


def collections(out: Path) -> list[Collection]:
    """Return every real collection found under ../shared/data, converting where needed."""
    found = []
    twarc = SHARED / "twitter-v2-twarc"
    demonetization = SHARED / "demonetization-tweets" / "demonetization-tweets.csv"
    if demonetization.exists():
        found.append(Collection(
            "demonetization", "8,000 tweets on #demonetization over 32 h; 6,224 retweets of 560 sources",
            [_write(out / "demonetization.csv", demonetization_rows(demonetization))],
            ["demonetization"],
        ))  # fmt: skip
    emory = SHARED / "reddit-emory-threads" / "dat" / "Emory"
    if emory.is_dir():
        found.append(Collection(
            "emory", "r/Emory: 1,591 threads with full comment trees, 11,158 posts, 2011-2021",
            [_write(out / "emory.csv", emory_rows(emory))], ["Emory"],
        ))  # fmt: skip
    for name, about in (("brexit", "#brexit tweets (twarc2 pages)"),
                        ("kpop", "#kpop tweets (twarc2 pages)")):  # fmt: skip
        path = twarc / f"twarc-csv_{name}.jsonl"
        if path.exists():
            found.append(Collection(name, about, [path], [name]))
    network = twarc / "twarc-network_tweets.jsonl"
    if network.exists():
        found.append(Collection("twarc-network", "twarc-network's test tweets (twarc2)", [network]))
    uk = SHARED / "uk-ep2014-candidate-mentions" / "UK-tweets.csv"
    if uk.exists():
        found.append(Collection(
            "uk-candidates", "4,733 tweets mentioning UK 2014 European election candidates",
            [_write(out / "uk-candidates.csv", uk_candidates_rows(uk))], ["election"],
        ))  # fmt: skip
    simple = [
        ("rtweet", "1,783 Twitter v1.1 tweets (rtweet's fixtures)",
         [SHARED / "twitter-v1-rtweet-fixtures" / "tweets_v1.jsonl"], ["rstats"]),
        ("reddit-praw", "10,341 Reddit comments and submissions (PRAW cassettes)",
         [SHARED / "reddit-praw-cassettes" / "reddit_things.jsonl.gz"], []),
        ("mastodon", "632 Mastodon statuses from many instances",
         sorted((SHARED / "mastodon-statuses").glob("*.jsonl")), []),
        ("telegram", "a Telegram Desktop chat export", [SHARED / "telegram-export-samples" / "result.json"], []),
    ]  # fmt: skip
    for name, about, files, terms in simple:
        files = [f for f in files if f.exists()]
        if files:
            found.append(Collection(name, about, files, terms))
    return found
