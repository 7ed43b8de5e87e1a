"""Twitter API v2 tweets as MentionRecords.

Reads what twarc2 writes: JSON Lines where each line is one API response page
``{"data": [...], "includes": {"users": [...], "tweets": [...]}, "meta": ..., "__twarc": ...}``,
or one flattened tweet per line (``twarc2 flatten``: the author and referenced tweets are
embedded). A single raw API response and a JSON array of pages or tweets are read too. A tweet's
author, and the author of the tweet it retweets, quotes or replies to, are found through
``includes``: tweet ``author_id`` -> ``includes.users``, referenced id -> ``includes.tweets``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from app.ingest.base import ParseItem
from app.ingest.record import MentionRecord, RowError, parse_timestamp
from app.ingest.twitter_v1 import (
    SAFE_INTEGER,
    SITE,
    as_dict,
    as_list,
    author_from_status_urls,
    clean_str,
    count,
    head_objects,
    join_where,
    language,
    parse_tweet_file,
    repost_text,
    status_url,
    unique_handles,
    unique_tags,
)

PLATFORM = "twitter"
REPOST, QUOTE, REPLY = "retweeted", "quoted", "replied_to"

# Fallback for a head whose first value is cut off: v2 pages are often longer than the head.
_V2_MARKERS = re.compile(
    r'"(?:author_id"\s*:\s*"\d+"|edit_history_tweet_ids"\s*:|includes"\s*:\s*\{)'
)
_NOT_V2_MARKERS = re.compile(r'"(?:id_str|screen_name|actor|verb|objectType)"\s*:')
_PAGE_START = re.compile(r'^\s*\[?\s*\{\s*"(?:data|includes|errors|meta|__twarc)"\s*:')


@dataclass(slots=True)
class Lookup:
    """The users and tweets a page's tweets refer to, by id."""

    users: dict[str, dict] = field(default_factory=dict)
    tweets: dict[str, dict] = field(default_factory=dict)

    def add_user(self, user: Any) -> None:
        """Index a user object (ignored unless it has an id)."""
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            self.users.setdefault(user["id"], user)

    def add_tweet(self, tweet: Any) -> None:
        """Index a tweet object, and its embedded author when it is flattened."""
        if isinstance(tweet, dict) and "text" in tweet and (key := tweet_id(tweet.get("id"))):
            self.tweets.setdefault(key, tweet)
            self.add_user(tweet.get("author"))

    def author_of(self, tweet: dict | None) -> dict | None:
        """Return the user who wrote ``tweet``, if the lookup knows them."""
        if not tweet:
            return None
        return as_dict(tweet.get("author")) or self.user(tweet.get("author_id"))

    def user(self, user_id: Any) -> dict | None:
        """Return the user with id ``user_id``, if the lookup knows them."""
        return self.users.get(user_id) if isinstance(user_id, str) else None

    def tweet(self, tweet_id: Any) -> dict | None:
        """Return the tweet with id ``tweet_id``, if the lookup knows it."""
        return self.tweets.get(tweet_id) if isinstance(tweet_id, str) else None


def tweet_id(value: Any) -> str | None:
    """Return a tweet id: the API's string, or a whole number small enough to be exact (a tool
    that wrote ids as JSON numbers may have rounded bigger ones through a double)."""
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < SAFE_INTEGER:
        return str(value)
    return None


def page_lookup(page: dict) -> Lookup:
    """Index a response page's ``includes`` (and its own tweets, which may refer to each other)."""
    lookup = Lookup()
    includes = as_dict(page.get("includes"))
    for user in as_list(includes.get("users")):
        lookup.add_user(user)
    for tweet in as_list(includes.get("tweets")):
        lookup.add_tweet(tweet)
    data = page.get("data")
    for tweet in data if isinstance(data, list) else [data]:
        lookup.add_tweet(tweet)
    return lookup


def flat_lookup(tweet: dict) -> Lookup:
    """Index what a flattened tweet embeds: its author, reply-to user and referenced tweets."""
    lookup = Lookup()
    lookup.add_user(tweet.get("author"))
    lookup.add_user(tweet.get("in_reply_to_user"))
    for reference in as_list(tweet.get("referenced_tweets")):
        lookup.add_tweet(reference)
    return lookup


def _username(user: dict | None) -> str | None:
    return clean_str(as_dict(user).get("username"))


def full_text(tweet: dict | None) -> str:
    """Return a tweet's complete text: a long post's ``note_tweet`` text when there is one."""
    tweet = as_dict(tweet)
    text = tweet.get("text")
    if "note_tweet" not in tweet and isinstance(text, str):
        return html.unescape(text)  # the usual case, without the general one's generator
    candidates = (as_dict(tweet.get("note_tweet")).get("text"), tweet.get("text"))
    best = max((text for text in candidates if isinstance(text, str)), key=len, default="")
    # The API escapes &, < and > in tweet text; unescape decodes exactly those.
    return html.unescape(best)


def _entities(tweet: dict | None) -> dict:
    tweet = as_dict(tweet)
    if "note_tweet" not in tweet:  # the usual case
        return as_dict(tweet.get("entities"))
    return as_dict(as_dict(tweet.get("note_tweet")).get("entities")) or as_dict(
        tweet.get("entities")
    )


def _hashtags(tweet: dict | None) -> list[str]:
    return unique_tags(as_dict(tag).get("tag") for tag in as_list(_entities(tweet).get("hashtags")))


def _references(tweet: dict) -> dict[str, str]:
    """Return the first referenced tweet id of each type (retweeted, quoted, replied_to)."""
    references: dict[str, str] = {}
    for reference in as_list(tweet.get("referenced_tweets")):
        kind, ref_id = as_dict(reference).get("type"), as_dict(reference).get("id")
        if isinstance(kind, str) and isinstance(ref_id, str):
            references.setdefault(kind, ref_id)
    return references


def tweet_to_record(tweet: dict, lookup: Lookup) -> MentionRecord:
    """Turn one v2 tweet into a record; raise ``ValueError`` saying what is missing."""
    tweet_id = tweet_id_of(tweet)
    if tweet_id is None:
        raise ValueError("no id")
    author_id = clean_str(tweet.get("author_id"))
    author = lookup.author_of(tweet)
    if author is None:
        if author_id is None:
            raise ValueError("no author_id (request it with expansions=author_id)")
        withheld = as_dict(tweet.get("withheld"))
        if withheld.get("scope") == "user":
            countries = ", ".join(as_list(withheld.get("country_codes"))) or "some countries"
            raise ValueError(
                f"author {author_id} is withheld in {countries} and not in includes.users"
            )
        raise ValueError(f"author {author_id} is not in includes.users")
    handle = _username(author)
    if handle is None:
        raise ValueError(f"author {author_id or '?'} has no username")
    if tweet.get("created_at") is None:
        raise ValueError("no created_at (request it with tweet.fields=created_at)")
    record = MentionRecord(
        platform=PLATFORM,
        id=tweet_id,
        author=handle,
        created_at=parse_timestamp(str(tweet["created_at"])),
        text=full_text(tweet),
        author_name=clean_str(author.get("name")),
        author_followers=count(as_dict(author.get("public_metrics")).get("followers_count")),
        author_url=f"{SITE}/{handle}",
        url=status_url(handle, tweet_id),
        lang=language(tweet.get("lang")),
    )
    references = _references(tweet)
    if REPOST in references:
        _fill_repost(record, tweet, references[REPOST], lookup)
    else:
        _fill_post(record, tweet, references, lookup)
    return record


def _fill_repost(record: MentionRecord, tweet: dict, original_id: str, lookup: Lookup) -> None:
    """Make ``record`` a repost of tweet ``original_id``.

    Mentions stay empty: handles inside the retweeted text are the original author's
    mentions, not the retweeter's. Counts stay unknown: the API copies the original's
    retweet_count onto a retweet, and a retweet itself cannot be liked or retweeted.
    """
    original = lookup.tweet(original_id)
    record.repost_of_id = original_id
    record.repost_of_author = _username(lookup.author_of(original))
    if record.repost_of_author is None:
        # The original was deleted or not expanded; the retweet's "RT @author:" still names it.
        match = re.match(r"RT @(\w+):", record.text)
        record.repost_of_author = match.group(1) if match else None
    record.text = repost_text(record.repost_of_author, full_text(original), record.text)
    # Without the original, the retweet's own entities (of its cut text) are all there is.
    record.tags = _hashtags(original or tweet)


def _fill_post(
    record: MentionRecord, tweet: dict, references: dict[str, str], lookup: Lookup
) -> None:
    record.reply_to_id = references.get(REPLY)
    reply_user = lookup.user(tweet.get("in_reply_to_user_id")) or lookup.author_of(
        lookup.tweet(record.reply_to_id)
    )
    record.reply_to_author = _username(reply_user)
    record.quote_of_id = references.get(QUOTE)
    if record.quote_of_id:
        record.quote_of_author = _username(lookup.author_of(lookup.tweet(record.quote_of_id)))
        if record.quote_of_author is None:
            # A quote tweet links to what it quotes: the link names the author.
            urls = (
                as_dict(url).get("expanded_url") for url in as_list(_entities(tweet).get("urls"))
            )
            record.quote_of_author = author_from_status_urls(urls, record.quote_of_id)
    mentions = (
        as_dict(mention).get("username") for mention in as_list(_entities(tweet).get("mentions"))
    )
    # The reply target is already a reply edge; as a mention too it would be counted twice.
    record.mentions = unique_handles(mentions, exclude=[record.reply_to_author])
    record.tags = _hashtags(tweet)
    metrics = as_dict(tweet.get("public_metrics"))
    record.likes = count(metrics.get("like_count"))
    record.reposts = count(metrics.get("retweet_count"))
    record.replies = count(metrics.get("reply_count"))
    record.views = count(metrics.get("impression_count"))


# --- what a JSON value is ---------------------------------------------------------------------


def _unwrap(obj: Any) -> Any:
    """Return the API response inside a recording envelope ``{"response": {...}}`` (tweepy/vcr)."""
    if isinstance(obj, dict) and "data" not in obj and isinstance(obj.get("response"), dict):
        return obj["response"]
    return obj


def tweet_id_of(tweet: dict) -> str | None:
    """Return the id of a tweet object (see :func:`tweet_id`)."""
    return tweet_id(tweet.get("id"))


def is_tweet(obj: Any) -> bool:
    """Say whether a JSON value is a v2 tweet object (its id a string, or a small number)."""
    return (
        isinstance(obj, dict)
        and tweet_id(obj.get("id")) is not None
        and isinstance(obj.get("text"), str)
        and "event_type" not in obj  # direct-message events have id and text too
        and "id_str" not in obj
        and "user" not in obj
    )


def _what(item: Any) -> str:
    """Name the kind of a non-tweet ``data`` item, for the user."""
    item = as_dict(item)
    if "username" in item:
        return "users"
    if "tweet_count" in item:
        return "tweet counts"
    if "event_type" in item:
        return "direct-message events"
    if "state" in item:
        return "Spaces"
    if "upload_url" in item:
        return "compliance jobs"
    if "name" in item:
        return "lists"
    return "objects that are not tweets"


def classify(obj: Any) -> str:
    """Say what a JSON value is: ``page``, ``tweet``, ``errors``, ``v1``, ``activity`` or ``other``."""
    obj = _unwrap(obj)
    if not isinstance(obj, dict):
        return "other"
    if "actor" in obj and "verb" in obj:
        return "activity"
    if "id_str" in obj or isinstance(obj.get("user"), dict) or "statuses" in obj:
        return "v1"
    if "data" in obj or "includes" in obj:
        return "page"
    if is_tweet(obj) or "author_id" in obj or "edit_history_tweet_ids" in obj:
        return "tweet"
    if isinstance(obj.get("errors"), list):
        return "errors"
    if "meta" in obj or "__twarc" in obj:
        return "page"
    return "other"


def _api_errors(errors: list) -> str:
    parts = []
    for error in errors[:3]:
        error = as_dict(error)
        title = clean_str(error.get("title")) or clean_str(error.get("message")) or "error"
        detail = clean_str(error.get("detail"))
        parts.append(f"{title}: {detail}" if detail else title)
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more


def _not_a_tweet(item: Any) -> str:
    """Say why a ``data`` item is not a v2 tweet, for the user."""
    if not isinstance(item, dict):
        return f"not a tweet: a JSON {type(item).__name__}, expected an object"
    item_id = tweet_id(item.get("id"))
    if item_id is None:
        if isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool):
            return "not a tweet: its id is a number too large to be exact; export ids as strings"
        return "not a tweet: no id"
    if "event_type" in item:
        return f"{item_id} is a direct-message event, not a tweet"
    if "id_str" in item or "user" in item:
        return FOREIGN["v1"]
    return f"tweet {item_id}: no text"


def _tweet_item(tweet: Any, lookup: Lookup, line: int | None, where: str | None) -> ParseItem:
    if not is_tweet(tweet):
        return RowError(line, _not_a_tweet(tweet), where)
    try:
        return tweet_to_record(tweet, lookup)
    except ValueError as error:
        return RowError(line, f"tweet {tweet_id_of(tweet)}: {error}", where)


def _page_items(page: dict, line: int | None, where: str | None) -> Iterator[ParseItem]:
    data = page.get("data")
    if isinstance(data, dict):
        entries = [("data", data)]
    elif isinstance(data, list):
        entries = [(f"data[{index}]", item) for index, item in enumerate(data)]
    else:
        entries = []
    if entries and not any(is_tweet(item) for _, item in entries):
        # A users lookup, a tweet-count series, ...: one message for the page, not one per item.
        what = _what(entries[0][1])
        yield RowError(line, f"this page holds {len(entries)} {what}, not tweets", where)
        return
    if not entries:
        errors = as_list(page.get("errors"))
        if errors:
            yield RowError(line, f"Twitter API error, no tweets: {_api_errors(errors)}", where)
        # A page without data and without errors is an empty search result: nothing to import.
        return
    # Errors beside data are partial: a deleted referenced tweet or a suspended mentioned user
    # is missing from includes. The tweets themselves are fine.
    lookup = page_lookup(page)
    for inner, item in entries:
        yield _tweet_item(item, lookup, line, join_where(where, inner))


FOREIGN = {
    "activity": "this looks like a Gnip Activity Streams record (actor/verb/object), not "
    "Twitter API v2 data",
    "v1": "this looks like a Twitter API v1.1 tweet (id_str/user), not v2 data; import it with "
    "the twitter-v1 format",
}


def _items(value: Any, line: int | None, where: str | None) -> Iterator[ParseItem]:
    """Yield the records and errors of one JSON value: a page, a tweet, or a list of them."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _items(item, line, join_where(where, f"[{index}]"))
        return
    kind = classify(value)
    value = _unwrap(value)
    if kind == "page":
        yield from _page_items(value, line, where)
    elif kind == "tweet":
        yield _tweet_item(value, flat_lookup(value), line, where)
    elif kind == "errors":
        yield RowError(line, f"Twitter API error, no tweets: {_api_errors(value['errors'])}", where)
    elif kind in FOREIGN:
        yield RowError(line, FOREIGN[kind], where)
    else:
        keys = ", ".join(list(value)[:6]) if isinstance(value, dict) else type(value).__name__
        yield RowError(line, f"not Twitter v2 data (found: {keys or 'an empty object'})", where)


def _decides(value: Any) -> bool | None:
    """Say whether a decoded value is v2 (``True``), something else, or undecided (``None``)."""
    if isinstance(value, list):
        return _decides(value[0]) if value else None
    kind = classify(value)
    if kind == "errors":
        return None
    if kind == "page":
        data = _unwrap(value).get("data")
        first = data[0] if isinstance(data, list) and data else data
        # {"data": ...} alone is too common a wrapper: require v2 tweet or user fields in it.
        return bool(
            "includes" in _unwrap(value)
            or "__twarc" in _unwrap(value)
            or is_tweet(first)
            or (isinstance(first, dict) and "username" in first)
        )
    return kind == "tweet" and (
        "author_id" in _unwrap(value) or "edit_history_tweet_ids" in _unwrap(value)
    )


class TwitterV2Parser:
    """Twitter API v2 JSON as twarc2 writes it (response pages or flattened tweets)."""

    name = "twitter-v2"
    label = "Twitter API v2 JSON (twarc2 pages or flattened tweets)"

    def sniff(self, head: str) -> bool:
        """Say whether the head of a file holds Twitter API v2 data."""
        try:
            values, rest = head_objects(head)
            for value in values:
                verdict = _decides(value)
                if verdict is not None:
                    return verdict
            if rest[:1] not in ("{", "["):
                return False
            return bool(
                (_PAGE_START.match(rest) or '"author_id"' in rest)
                and _V2_MARKERS.search(rest)
                and not _NOT_V2_MARKERS.search(rest)
            )
        except Exception:  # a sniffer must never break detection
            return False

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield a record per tweet and a RowError per line or item that is not one."""
        return parse_tweet_file(stream, filename, _items, classify, FOREIGN)


PARSER = TwitterV2Parser()
