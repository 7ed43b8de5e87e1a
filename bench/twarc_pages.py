"""Write synthetic mentions as Twitter API v2 response pages, the way twarc2 saves a search.

Each line is one page of up to 100 tweets: ``{"data": [...], "includes": {"users": [...],
"tweets": [...]}, "meta": {...}, "__twarc": {...}}`` (compare the real pages in
``/work/shared/data/twitter-v2-twarc/``). The posts come from
``graph.synthetic.generate_records``:

- a repost becomes a retweet: text ``RT @author: <original, cut at 140 characters>``, a
  ``retweeted`` reference, the original author as its first mention, and the original tweet
  (whole) in ``includes.tweets``;
- a reply names its target first (``@target ...``), carries ``in_reply_to_user_id`` and a
  ``replied_to`` reference; a quote carries a ``quoted`` reference and a link to what it quotes;
- a reply, repost or quote whose parent is not among the generated posts refers to a tweet
  made up here, outside ``data`` but in ``includes.tweets``, as a search returns it;
- every tweet carries ``lang`` (``en``: the texts are English words) and no sentiment;
- ``includes.users`` holds the authors of the page's tweets and of the tweets they refer to,
  and everyone they mention.

Ids are numeric strings, times are ``YYYY-MM-DDTHH:MM:SS.000Z``: twarc-network reads both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from graph.synthetic import generate_records

__all__ = ["DEBATE_KINDS", "tweet_id", "user_id", "write_pages"]

# Shares of posts, replies, retweets and quotes: 55% retweets, as in a real debate collection
# (issue 9); the twarc-network sample has 73% retweets, 7% replies and 4% quotes.
DEBATE_KINDS = (0.30, 0.10, 0.55, 0.05)
PER_PAGE = 100
RETWEET_CUT = 140
_TWEET_BASE = 1_400_000_000_000_000_000
_OUTSIDE_BASE = 1_300_000_000_000_000_000  # referenced tweets that are not in data
_USER_BASE = 100_000
_MENTION_RE = re.compile(r"(?<!\w)@(\w+)")
_TAG_RE = re.compile(r"(?<![\w&/#])#(\w+)")


def tweet_id(synthetic_id: str) -> str:
    """Return the numeric tweet id of a generated post id (``p12`` -> ``1400...012``)."""
    return str(_TWEET_BASE + int(synthetic_id[1:]))


def user_id(handle: str) -> str:
    """Return the numeric user id of a generated handle (``u7`` -> ``100007``)."""
    return str(_USER_BASE + int(handle[1:]))


def _time(iso: str) -> str:
    """Return an ISO time as the v2 API writes it: milliseconds and ``Z``."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _entities(text: str) -> dict:
    """Return the v2 ``entities`` of a text: its mentions (with user ids) and hashtags."""
    entities: dict = {}
    mentions = [
        {"start": m.start(), "end": m.end(), "username": m.group(1), "id": user_id(m.group(1))}
        for m in _MENTION_RE.finditer(text)
    ]
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _TAG_RE.finditer(text)]
    if mentions:
        entities["mentions"] = mentions
    if tags:
        entities["hashtags"] = tags
    return entities


def _user(handle: str, followers: int) -> dict:
    """Return a v2 user object with the fields a twarc2 search asks for."""
    number = int(handle[1:])
    return {
        "name": f"User {number}",
        "protected": False,
        "location": "",
        "id": user_id(handle),
        "created_at": "2015-03-01T10:00:00.000Z",
        "description": f"Synthetic account {number}",
        "public_metrics": {
            "followers_count": followers,
            "following_count": 100 + number % 500,
            "tweet_count": 1000 + number % 9000,
            "listed_count": number % 7,
        },
        "url": "",
        "verified": False,
        "username": handle,
        "profile_image_url": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
    }


def _tweet(
    tid: str, author: str, text: str, at: str, *, references=(), reply_user=None, retweets=0
) -> dict:
    """Return a v2 tweet object with the fields a twarc2 search asks for."""
    tweet = {
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "text": text,
        "author_id": user_id(author),
        "entities": _entities(text),
        "lang": "en",
        "created_at": at,
        "public_metrics": {
            "retweet_count": retweets,
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
        },  # fmt: skip
        "id": tid,
        "source": "Twitter for Android",
        "conversation_id": tid,
    }
    if reply_user:
        tweet["in_reply_to_user_id"] = user_id(reply_user)
    if references:
        tweet["referenced_tweets"] = [{"type": kind, "id": ref} for kind, ref in references]
    return tweet


class _Pages:
    """Turns generated records, oldest first, into tweets and the objects they refer to."""

    def __init__(self, records: list[dict]) -> None:
        self.followers = {r["author"]: int(r["author_followers"]) for r in records}
        self.originals: dict[str, dict] = {}  # tweet id -> the tweet, for includes.tweets

    def followers_of(self, handle: str) -> int:
        """Return a user's follower count (10 for people who only are mentioned)."""
        return self.followers.get(handle, 10)

    def tweet(self, index: int, r: dict) -> tuple[dict, list[dict]]:
        """Return a record's tweet and the tweets it refers to."""
        tid, at = tweet_id(r["id"]), _time(r["created_at"])
        author, text = r["author"], r["text"]
        if r["repost_of_author"]:
            original = self._referenced(index, r["repost_of_id"], r["repost_of_author"], text, at)
            cut = original["text"]
            if len(cut) > RETWEET_CUT:
                cut = cut[: RETWEET_CUT - 1] + "\u2026"
            tweet = _tweet(
                tid, author, f"RT @{r['repost_of_author']}: {cut}", at,
                references=[("retweeted", original["id"])],
                retweets=original["public_metrics"]["retweet_count"],
            )  # fmt: skip
            return tweet, [original]
        if r["reply_to_author"]:
            target = r["reply_to_author"]
            parent = self._referenced(index, r["reply_to_id"], target, None, at)
            tweet = _tweet(
                tid, author, f"@{target} {text}", at,
                references=[("replied_to", parent["id"])], reply_user=target,
            )  # fmt: skip
            self.originals[tid] = tweet
            return tweet, [parent]
        if r["quote_of_author"]:
            target = r["quote_of_author"]
            quoted = self._referenced(index, r["quote_of_id"], target, None, at)
            link = f"https://twitter.com/{target}/status/{quoted['id']}"
            tweet = _tweet(tid, author, text, at, references=[("quoted", quoted["id"])])
            tweet["entities"]["urls"] = [{
                "start": len(text), "end": len(text), "url": "https://t.co/x",
                "expanded_url": link, "display_url": link[8:],
            }]  # fmt: skip
            self.originals[tid] = tweet
            return tweet, [quoted]
        tweet = _tweet(tid, author, text, at, retweets=index % 5)
        self.originals[tid] = tweet
        return tweet, []

    def _referenced(self, index: int, parent: str | None, author: str, text, at: str) -> dict:
        """Return the tweet referred to: a generated one, or one made up outside the data.

        A retweet is never the target of a retweet on Twitter (the original is): a parent that
        is a retweet is not kept in ``originals`` and so is made up too.
        """
        if parent:
            found = self.originals.get(tweet_id(parent))
            if found is not None:
                return found
        # Not among the generated posts: a tweet from before the search, by the target.
        outside = str(_OUTSIDE_BASE + index)
        made = _tweet(outside, author, text or f"an earlier post by {author}", at, retweets=3)
        self.originals[outside] = made
        return made


def pages(records: Iterable[dict], per_page: int = PER_PAGE) -> Iterator[dict]:
    """Yield twarc2 response pages holding ``records`` (generated, oldest first)."""
    records = list(records)
    maker = _Pages(records)
    for start in range(0, len(records), per_page):
        data, referenced = [], {}
        for index in range(start, min(start + per_page, len(records))):
            tweet, refs = maker.tweet(index, records[index])
            data.append(tweet)
            for ref in refs:
                referenced.setdefault(ref["id"], ref)
        handles: dict[str, None] = {}
        for tweet in (*data, *referenced.values()):
            handles.setdefault(_handle(tweet["author_id"]), None)
            for mention in tweet["entities"].get("mentions", ()):
                handles.setdefault(mention["username"], None)
        users = [_user(handle, maker.followers_of(handle)) for handle in handles]
        # A search returns the newest tweets first, and so does each page.
        data.reverse()
        yield {
            "data": data,
            "includes": {"users": users, "tweets": list(referenced.values())},
            "meta": {
                "newest_id": data[0]["id"],
                "oldest_id": data[-1]["id"],
                "result_count": len(data),
            },  # fmt: skip
            "__twarc": {
                "url": "https://api.twitter.com/2/tweets/search/all?query=delivery",
                "version": "2.14.0",
                "retrieved_at": "2026-12-06T00:00:00+00:00",
            },
        }


def _handle(uid: str) -> str:
    return f"u{int(uid) - _USER_BASE}"


def write_pages(path, rows: int, seed: int, kinds=DEBATE_KINDS) -> int:
    """Write about ``rows`` synthetic tweets as twarc2 pages to ``path``; return how many."""
    records = []
    for record in generate_records(max(2, rows // 5), seed=seed, kinds=kinds):
        if len(records) >= rows:
            break
        records.append(record)
    with open(path, "w", encoding="utf-8") as handle:
        for page in pages(records):
            handle.write(json.dumps(page, ensure_ascii=False))
            handle.write("\n")
    return len(records)
