"""Twitter API v1.1 tweets as MentionRecords.

Reads what v1.1 clients save: JSON Lines with one tweet per line (streamR, tweepy, twarc 1,
the streaming API, Gnip/PowerTrack "original format"), a JSON array of tweets, one tweet, or a
search response ``{"statuses": [...]}``. A retweet becomes a repost of the original tweet, a
quote tweet a quote, a reply a reply; ``entities`` give the mentions and hashtags.

The JSON reading helpers here (:func:`read_json_items`, :func:`head_objects`) are shared with
the v2 parser, which reads the same kinds of files.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from app.ingest.base import ParseItem, guarded
from app.ingest.jsonparse import loads
from app.ingest.record import (
    FileError,
    MentionRecord,
    RowError,
    from_epoch,
    normalize_handle,
    parse_timestamp,
)

PLATFORM = "twitter"
SITE = "https://twitter.com"

# Twitter's language codes that name no language: undetermined, and the "q*"/zxx codes it gives
# tweets of only media, hashtags, mentions, cashtags or too little text.
NO_LANGUAGE = frozenset({"und", "qme", "qht", "qam", "qct", "qst", "zxx"})

# A tweet id that arrives only as a JSON number is exact here, but above 2**53 the tool that
# wrote the file may already have rounded it through a double: trust only small ones.
SAFE_INTEGER = 2**53

# Streaming API messages that share the stream with tweets.
NOTICES = (
    "delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
    "warning", "event", "friends", "friends_str", "direct_message", "control",
)  # fmt: skip

# A link to a tweet: twitter.com/<screen_name>/status/<id> (x.com and mobile. too).
STATUS_URL_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]{1,50})/status(?:es)?/(\d+)"
)
MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# "Wed Oct 10 20:19:24 +0000 2018": parsed by hand because strptime's %a/%b follow the locale.
TWITTER_TIME_RE = re.compile(
    r"^\s*[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})\s*$"
)

_DECODER = json.JSONDecoder()
_NOT_JSON = object()

Located = tuple[int | None, str | None, Any]


# --- reading JSON files (shared with twitter_v2) ----------------------------------------------


def _loads(text: str) -> Any:
    """Return the decoded value, or ``_NOT_JSON``; deep nesting counts as broken too."""
    try:
        return loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _json_problem(text: str) -> str:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"{error.msg} at column {error.pos + 1}"
    except (ValueError, RecursionError) as error:
        return str(error) or type(error).__name__
    return "invalid JSON"


def _bad_line(number: int, text: str) -> RowError:
    return RowError(
        number, f"not valid JSON ({_json_problem(text)}): a cut or corrupted line?", None
    )


def _document_items(text: str) -> Iterator[Located]:
    try:
        value = loads(text, deep=True)
    except json.JSONDecodeError as error:
        raise FileError(
            f"broken JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except (ValueError, RecursionError) as error:
        raise FileError(f"broken JSON: {error}") from None
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield None, f"[{index}]", item
    else:
        yield None, None, value


def read_json_items(stream: TextIO) -> Iterator[Located | RowError]:
    """Yield ``(line, where, value)`` for each JSON value of a JSON Lines file or JSON document.

    JSON Lines give one value per line (memory stays flat), and a line that is not JSON becomes
    a :class:`RowError`. A JSON array (or a pretty-printed document) is read whole: its items
    come with ``where`` = ``[i]`` and no line. Raises :class:`FileError` when the file is not
    JSON at all.
    """
    lines = enumerate(stream, 1)
    consumed: list[str] = []  # raw text read so far, should the file be one document
    first = _next_nonblank(lines, consumed)
    if first is None:
        raise FileError("the file is empty")
    number, text = first
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        raise FileError(
            f"this is not JSON: line {number} starts with {text.strip()[:40]!r}, "
            "expected a JSON object '{' or array '['"
        )
    value = _loads(text)
    if value is not _NOT_JSON:
        yield number, None, value
        yield from _jsonl_items(lines)
        return
    if start == "{":
        second = _next_nonblank(lines, consumed)
        second_value = _loads(second[1]) if second else _NOT_JSON
        # A pretty-printed object's second line is a key, never a whole object: this is JSON
        # Lines whose first line is damaged. Report it and carry on streaming.
        if isinstance(second_value, dict) and second[1].lstrip().startswith("{"):
            yield _bad_line(number, text)
            yield second[0], None, second_value
            yield from _jsonl_items(lines)
            return
    yield from _document_items("".join(consumed) + stream.read())


def _next_nonblank(lines: Iterator[tuple[int, str]], consumed: list[str]) -> tuple[int, str] | None:
    for number, text in lines:
        consumed.append(text)
        if text.strip():
            return number, text
    return None


def _jsonl_items(lines: Iterable[tuple[int, str]]) -> Iterator[Located | RowError]:
    for number, text in lines:
        if not text.strip():
            continue
        value = _loads(text)
        if value is _NOT_JSON:
            yield _bad_line(number, text)
        else:
            yield number, None, value


def head_objects(head: str, limit: int = 20) -> tuple[list[Any], str]:
    """Decode the complete JSON values at the start of a file head; return them and the rest.

    Works for JSON Lines, a JSON array (its first items) and a single document; stops at the
    first value cut off by the end of the head. Never raises.
    """
    text = head.lstrip("\ufeff \t\r\n")
    position = 1 if text.startswith("[") else 0
    values: list[Any] = []
    while len(values) < limit:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] not in "{[":
            break
        try:
            value, position = _DECODER.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values, text[position:]


def join_where(outer: str | None, inner: str | None) -> str | None:
    """Return the path of an item inside an item, e.g. ``[3]`` + ``data[1]`` -> ``[3].data[1]``."""
    if outer and inner:
        return f"{outer}.{inner}"
    return outer or inner


# --- small field readers (shared with twitter_v2) ---------------------------------------------


def as_dict(value: Any) -> dict:
    """Return ``value`` if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """Return ``value`` if it is a JSON array, else an empty list."""
    return value if isinstance(value, list) else []


def clean_str(value: Any) -> str | None:
    """Return a stripped non-empty string, or ``None``."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def count(value: Any) -> int | None:
    """Return a non-negative whole number from a JSON count, or ``None`` for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def language(value: Any) -> str | None:
    """Return a tweet's language code, or ``None`` when Twitter could not name one."""
    code = clean_str(value)
    if code is None or code.lower() in NO_LANGUAGE:
        return None
    return code


def unique_handles(
    handles: Iterable[str | None], *, exclude: Iterable[str | None] = ()
) -> list[str]:
    """Return the handles without ``@``, in order, without repeats or the excluded ones (and
    without what is not a string: a number where a handle belongs names nobody)."""
    seen = {normalize_handle(handle) for handle in exclude if isinstance(handle, str) and handle}
    result = []
    for handle in handles:
        if not handle or not isinstance(handle, str):
            continue
        key = normalize_handle(handle)
        if key and key not in seen:
            seen.add(key)
            result.append(handle.strip().lstrip("@"))
    return result


def unique_tags(tags: Iterable[str | None]) -> list[str]:
    """Return the hashtags without ``#``, in order, without case-insensitive repeats."""
    seen: set[str] = set()
    result = []
    for tag in tags:
        if not isinstance(tag, str):
            continue
        tag = tag.strip().lstrip("#")
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    return result


def status_url(handle: str, tweet_id: str) -> str:
    """Return the web address of a tweet."""
    return f"{SITE}/{handle}/status/{tweet_id}"


def author_from_status_urls(urls: Iterable[Any], tweet_id: str) -> str | None:
    """Return the screen name in a link to tweet ``tweet_id`` among ``urls``, if there is one."""
    for url in urls:
        match = STATUS_URL_RE.match(url) if isinstance(url, str) else None
        if match and match.group(2) == tweet_id:
            return match.group(1)
    return None


def repost_text(original_author: str | None, original_text: str, own_text: str) -> str:
    """Return the text of a repost: ``RT @author: <full original text>`` when it is known.

    The repost's own text is cut at 140 characters with an ellipsis; the original is whole.
    """
    if original_author and original_text:
        return f"RT @{original_author}: {original_text}"
    return own_text


# --- v1.1 tweets ------------------------------------------------------------------------------


def parse_twitter_time(value: Any) -> datetime:
    """Parse Twitter's ``Wed Oct 10 20:19:24 +0000 2018`` (or ISO 8601) into aware UTC."""
    if not isinstance(value, str):
        raise ValueError("created_at is missing")
    match = TWITTER_TIME_RE.match(value)
    if not match:
        return parse_timestamp(value)
    month, day, hour, minute, second, sign, off_h, off_m, year = match.groups()
    if month.title() not in MONTHS:
        raise ValueError(f"created_at {value!r} has an unknown month")
    try:
        moment = datetime(
            int(year), MONTHS[month.title()], int(day), int(hour), int(minute), int(second),
            tzinfo=UTC,
        )  # fmt: skip
    except ValueError:
        raise ValueError(f"created_at {value!r} is not a real date") from None
    offset = (int(off_h) * 60 + int(off_m)) * (1 if sign == "+" else -1)
    return moment - timedelta(minutes=offset)


def _id(obj: dict, key: str = "id") -> str | None:
    """Return the id in ``<key>_str``, or a numeric ``<key>`` small enough to be exact."""
    text = obj.get(f"{key}_str")
    if isinstance(text, str) and text.strip():
        return text.strip()
    if isinstance(text, int) and not isinstance(text, bool):
        return str(text)
    number = obj.get(key)
    if isinstance(number, int) and not isinstance(number, bool) and 0 < number < SAFE_INTEGER:
        return str(number)
    return None


def _created_at(tweet: dict) -> datetime:
    if tweet.get("created_at") is None and count(tweet.get("timestamp_ms")) is not None:
        return from_epoch(count(tweet["timestamp_ms"]) / 1000)
    return parse_twitter_time(tweet.get("created_at"))


def _entities(tweet: dict) -> dict:
    """Return the entities that cover the whole text: ``extended_tweet``'s when present."""
    extended = as_dict(tweet.get("extended_tweet"))
    return as_dict(extended.get("entities")) or as_dict(tweet.get("entities"))


def full_text(tweet: dict) -> str:
    """Return a tweet's complete text (the longest of its text fields), HTML entities decoded."""
    candidates = (
        as_dict(tweet.get("extended_tweet")).get("full_text"),
        tweet.get("full_text"),
        tweet.get("text"),
    )
    best = ""
    for candidate in candidates:
        if isinstance(candidate, str) and len(candidate) > len(best):
            best = candidate
    # Twitter escapes only &, < and > in tweet text; unescape decodes exactly those.
    return html.unescape(best)


def _hashtags(tweet: dict) -> list[str]:
    return unique_tags(
        as_dict(tag).get("text") for tag in as_list(_entities(tweet).get("hashtags"))
    )


def _screen_name(obj: Any) -> str | None:
    return clean_str(as_dict(as_dict(obj).get("user")).get("screen_name"))


def _quote(tweet: dict) -> tuple[str | None, str | None]:
    quoted = as_dict(tweet.get("quoted_status"))
    quote_id = _id(tweet, "quoted_status_id") or _id(quoted)
    if quote_id is None:
        return None, None
    author = _screen_name(quoted) if _id(quoted) == quote_id else None
    if author is None:
        # The quoted tweet may be missing (deleted, or not expanded): its link still names the
        # author, in quoted_status_permalink or among the tweet's own URLs.
        links = [as_dict(tweet.get("quoted_status_permalink")).get("expanded")]
        links += [as_dict(url).get("expanded_url") for url in as_list(_entities(tweet).get("urls"))]
        author = author_from_status_urls(links, quote_id)
    return quote_id, author


def tweet_to_record(tweet: dict) -> MentionRecord:
    """Turn one v1.1 tweet object into a record; raise ``ValueError`` saying what is wrong."""
    tweet_id = _id(tweet)
    if tweet_id is None:
        raise ValueError("no id_str")
    user = tweet.get("user")
    if not isinstance(user, dict):
        raise ValueError("no user object")
    handle = clean_str(user.get("screen_name"))
    if handle is None:
        raise ValueError("the user has no screen_name")
    record = MentionRecord(
        platform=PLATFORM,
        id=tweet_id,
        author=handle,
        created_at=_created_at(tweet),
        text=full_text(tweet),
        author_name=clean_str(user.get("name")),
        author_followers=count(user.get("followers_count")),
        author_url=f"{SITE}/{handle}",
        url=status_url(handle, tweet_id),
        lang=language(tweet.get("lang")),
    )
    original = tweet.get("retweeted_status")
    if isinstance(original, dict):
        _fill_repost(record, original)
    else:
        _fill_post(record, tweet)
    return record


def _fill_repost(record: MentionRecord, original: dict) -> None:
    """Make ``record`` a repost of ``original``.

    Mentions stay empty: handles inside the retweeted text are the original author's
    mentions, not the retweeter's. Counts stay unknown: Twitter copies the original's counts
    onto a retweet, and a retweet itself cannot be liked or retweeted.
    """
    record.repost_of_id = _id(original)
    record.repost_of_author = _screen_name(original)
    if record.repost_of_author is None:
        match = re.match(r"RT @(\w+):", record.text)
        record.repost_of_author = match.group(1) if match else None
    record.text = repost_text(record.repost_of_author, full_text(original), record.text)
    record.tags = _hashtags(original)


def _fill_post(record: MentionRecord, tweet: dict) -> None:
    record.reply_to_id = _id(tweet, "in_reply_to_status_id")
    record.reply_to_author = clean_str(tweet.get("in_reply_to_screen_name"))
    record.quote_of_id, record.quote_of_author = _quote(tweet)
    mentions = (
        as_dict(mention).get("screen_name")
        for mention in as_list(_entities(tweet).get("user_mentions"))
    )
    # The reply target is already a reply edge; as a mention too it would be counted twice.
    record.mentions = unique_handles(mentions, exclude=[record.reply_to_author])
    record.tags = _hashtags(tweet)
    record.likes = count(tweet.get("favorite_count"))
    record.reposts = count(tweet.get("retweet_count"))
    record.replies = count(tweet.get("reply_count"))


def classify(obj: Any) -> str:
    """Say what a JSON value is.

    One of ``tweet``, ``search`` (a search response), ``notice`` (a streaming message),
    ``profile`` (a user object), ``activity`` (Gnip Activity Streams), ``v2`` or ``other``.
    """
    if not isinstance(obj, dict):
        return "other"
    if "actor" in obj and "verb" in obj:
        return "activity"
    if isinstance(obj.get("user"), dict):
        return "tweet"
    if isinstance(obj.get("statuses"), list):
        return "search"
    if "id_str" in obj:
        # A user object has an id_str too; anything else with one is a tweet missing its user.
        return "profile" if "screen_name" in obj else "tweet"
    if any(key in obj for key in NOTICES):
        return "notice"
    if "author_id" in obj or "edit_history_tweet_ids" in obj or "includes" in obj:
        return "v2"
    if isinstance(obj.get("data"), list | dict):
        return "v2"
    return "other"


def _notice_reason(obj: dict) -> str:
    if "delete" in obj:
        status = as_dict(as_dict(obj["delete"]).get("status"))
        deleted = _id(status)
        return f"a streaming delete notice (tweet {deleted or '?'} was deleted), not a tweet"
    if "limit" in obj:
        missed = count(as_dict(obj["limit"]).get("track"))
        detail = (
            f"{missed} matching tweets were not delivered" if missed is not None else "rate limit"
        )
        return f"a streaming limit notice ({detail}), not a tweet"
    key = next(key for key in NOTICES if key in obj)
    return f"a streaming '{key}' message, not a tweet"


FOREIGN = {
    "activity": "this looks like a Gnip Activity Streams record (actor/verb/object), not a "
    "Twitter v1.1 tweet; export it in Gnip's original format",
    "v2": "this looks like Twitter API v2 data (author_id/includes), not a v1.1 tweet; import "
    "it with the twitter-v2 format",
}


def _other_reason(obj: Any) -> str:
    if not isinstance(obj, dict):
        return f"not a tweet: a JSON {type(obj).__name__}, expected an object"
    keys = ", ".join(list(obj)[:6])
    return f"not a v1.1 tweet: no user object (keys: {keys or 'none'})"


def _items(value: Any, line: int | None, where: str | None) -> Iterator[ParseItem]:
    """Yield the records and errors of one JSON value: a tweet, a search response or a list."""
    kind = classify(value)
    if kind == "tweet":
        try:
            yield tweet_to_record(value)
        except ValueError as error:
            tweet_id = _id(value)
            prefix = f"tweet {tweet_id}: " if tweet_id else ""
            yield RowError(line, f"{prefix}{error}", where)
    elif kind == "search":
        for index, item in enumerate(value["statuses"]):
            yield from _items(item, line, join_where(where, f"statuses[{index}]"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _items(item, line, join_where(where, f"[{index}]"))
    elif kind == "notice":
        yield RowError(line, _notice_reason(value), where)
    elif kind == "profile":
        name = clean_str(value.get("screen_name"))
        yield RowError(line, f"a Twitter user profile (@{name}), not a tweet", where)
    elif kind in FOREIGN:
        yield RowError(line, FOREIGN[kind], where)
    else:
        yield RowError(line, _other_reason(value), where)


def _decides(value: Any) -> bool | None:
    """Say whether a decoded value is v1.1 (``True``), something else, or undecided (``None``)."""
    kind = classify(value)
    if kind == "search" or (kind == "tweet" and isinstance(value.get("user"), dict)):
        return True
    if kind == "notice":
        return None
    if isinstance(value, list):
        return _decides(value[0]) if value else None
    return False


# Fallback for a head whose first value is cut off (a long search response or array).
_V1_MARKERS = (
    re.compile(r'"id_str"\s*:\s*"\d+"'),
    re.compile(r'"user"\s*:\s*\{'),
    re.compile(r'"screen_name"\s*:'),
)
_NOT_V1_MARKERS = re.compile(r'"(?:actor|verb|objectType|author_id|edit_history_tweet_ids)"\s*:')


class TwitterV1Parser:
    """Twitter API v1.1 tweet JSON (JSON Lines, array, single tweet or search response)."""

    name = "twitter-v1"
    label = "Twitter API v1.1 JSON (tweets, search results, streaming, Gnip original format)"

    def sniff(self, head: str) -> bool:
        """Say whether the head of a file holds v1.1 tweets."""
        try:
            values, rest = head_objects(head)
            for value in values:
                verdict = _decides(value)
                if verdict is not None:
                    return verdict
            if rest[:1] not in ("{", "["):
                return False
            return all(marker.search(rest) for marker in _V1_MARKERS) and not (
                _NOT_V1_MARKERS.search(rest)
            )
        except Exception:  # a sniffer must never break detection
            return False

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield a record per tweet and a RowError per line or item that is not one."""
        return parse_tweet_file(stream, filename, _items, classify, FOREIGN)


def parse_tweet_file(stream, filename: str, items, classify, foreign) -> Iterator[ParseItem]:
    """Read a Twitter JSON file (either API version) and yield ``items(value, line, where)``.

    A file whose first object ``classify`` finds to be a kind named in ``foreign`` (Gnip, the
    other API version) is refused whole, with that explanation, before anything is yielded.
    """
    first = True
    for item in read_json_items(stream):
        if isinstance(item, RowError):
            yield item
            continue
        line, where, value = item
        if first:
            first = False
            kind = classify(value[0] if isinstance(value, list) and value else value)
            if kind in foreign:
                raise FileError(f"{filename}: {foreign[kind]}")
        yield from guarded(lambda: items(value, line, where), line, where)  # noqa: B023


PARSER = TwitterV1Parser()
