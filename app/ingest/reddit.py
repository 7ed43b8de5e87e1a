"""Reddit comments and submissions (JSON Lines of API "things" or Pushshift dumps) -> records.

Each line is a thing wrapped as ``{"kind": "t1"|"t3", "data": {...}}``, a bare object (a
Pushshift dump: a comment has ``body``, a submission ``title``), a ``Listing`` or an array of
them (a saved API response). Comments nested in ``replies`` are read too; a thing met twice in
one file (the PRAW extract repeats nested replies as their own lines) is yielded each time, so
that the import counts the repeat as a duplicate: every thing read is imported, a duplicate or
rejected (and a valid copy after an invalid one is imported).

Identity: the post id is the fullname (``t1_<id>``, ``t3_<id>``), so a comment's
``parent_id`` (itself a fullname) is its ``reply_to_id`` and the ingest service finds the
parent's author when the parent is in the data. The author handle is the username. A thing
whose author is ``[deleted]``, or not a Reddit username at all (a redacted ``<USERNAME>``),
is rejected rather than given an invented author. The subreddit is the topic ``r/<name>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, TextIO

from app.ingest._jsonsource import (
    as_dict,
    as_int,
    as_list,
    as_str,
    epoch_time,
    looks_generic,
    open_json,
)
from app.ingest.base import ParseItem, guarded, reason_of
from app.ingest.record import FileError, MentionRecord, RowError

PLATFORM = "reddit"
SITE = "https://www.reddit.com"

# Reddit usernames: 3-20 letters, digits, "_" or "-".
USERNAME_RE = re.compile(r"[A-Za-z0-9_-]{3,20}")
# Subreddit names are word characters; the historic r/reddit.com has a dot.
SUBREDDIT_RE = re.compile(r"[A-Za-z0-9_.]{1,50}")
# u/name and /u/name, not inside a URL path (reddit.com/u/name) or a word (menu/name).
USER_MENTION_RE = re.compile(r"(?<![\w/.])/?u/([A-Za-z0-9_-]{3,20})(?![\w-])")
_THING_RE = re.compile(r'"kind"\s*:\s*"(?:t1|t3|Listing)"')
_KEY_RES = [re.compile(rf'"{key}"\s*:') for key in ("subreddit", "created_utc", "author")]
_KINDS = {"t1": "comment", "t3": "submission"}


def sniff(head: str) -> bool:
    """Say whether ``head`` looks like Reddit things (t1/t3 kinds or subreddit+created_utc)."""
    try:
        if looks_generic(head):
            return False
        return bool(_THING_RE.search(head)) or all(regex.search(head) for regex in _KEY_RES)
    except Exception:  # a sniffer must never raise, whatever it is fed
        return False


def extract_user_mentions(text: str) -> list[str]:
    """Return the usernames mentioned as ``u/name`` or ``/u/name``, first occurrence order."""
    return list(dict.fromkeys(USER_MENTION_RE.findall(text or "")))


def fullname(kind: str, data: dict) -> str | None:
    """Return the thing's fullname (``t1_abc``): its ``name``, else kind + ``id``."""
    name = as_str(data.get("name"))
    if name and name.startswith(f"{kind}_"):
        return name
    thing_id = as_str(str(data.get("id") or ""))
    if not thing_id:
        return None
    return thing_id if thing_id.startswith(f"{kind}_") else f"{kind}_{thing_id}"


def kind_of(thing: dict) -> tuple[str | None, dict]:
    """Return (``t1``/``t3`` or None, data) for a wrapped or bare thing."""
    kind = thing.get("kind")
    if isinstance(kind, str) and isinstance(thing.get("data"), dict):
        return (kind if kind in _KINDS else None), thing["data"]
    if "body" in thing:
        return "t1", thing
    if "title" in thing:
        return "t3", thing
    return None, thing


def author_of(data: dict) -> str:
    """Return the thing's author; raise ValueError for a deleted or placeholder one."""
    author = as_str(data.get("author"))
    if author is None:
        raise ValueError("thing has no author")
    if author == "[deleted]":
        raise ValueError("author deleted")
    if not USERNAME_RE.fullmatch(author):
        raise ValueError(f"author {author!r} is not a Reddit username")
    return author


def absolute(url: str | None) -> str | None:
    """Return a Reddit URL made absolute (permalinks and crosspost urls are site-relative)."""
    if not url:
        return None
    return SITE + url if url.startswith("/") else url


def comment_url(data: dict, thing_id: str) -> str | None:
    """Return a comment's URL: its permalink, else one built from its submission."""
    permalink = absolute(as_str(data.get("permalink")))
    if permalink:
        return permalink
    link = as_str(data.get("link_id"))
    subreddit = as_str(data.get("subreddit"))
    if not link or not subreddit:
        return None
    return f"{SITE}/r/{subreddit}/comments/{link.removeprefix('t3_')}/_/{thing_id.removeprefix('t1_')}/"


def submission_text(data: dict) -> str:
    """Return title, a blank line and the self text; a link post's link stands in for the latter."""
    title = html.unescape(as_str(data.get("title")) or "")
    body = html.unescape(as_str(data.get("selftext")) or "")
    if not body and not data.get("is_self"):
        link = absolute(as_str(data.get("url")))
        permalink = absolute(as_str(data.get("permalink")))
        if link and link != permalink:
            body = link
    return f"{title}\n\n{body}" if body else title


def crosspost_of(data: dict) -> tuple[str | None, str | None]:
    """Return (repost_of_id, repost_of_author) of a crosspost, or Nones."""
    parent = as_str(data.get("crosspost_parent"))
    if not parent:
        return None, None
    author = None
    for original in map(as_dict, as_list(data.get("crosspost_parent_list"))):
        candidate = as_str(original.get("author"))
        if as_str(original.get("name")) in (parent, None) and candidate:
            author = candidate if USERNAME_RE.fullmatch(candidate) else None
            break
    return parent, author


def to_record(kind: str, data: dict) -> MentionRecord:
    """Turn one comment or submission into a record; raise ValueError when it cannot be one."""
    thing_id = fullname(kind, data)
    if not thing_id:
        raise ValueError(f"{_KINDS[kind]} has no id")
    author = author_of(data)
    created = data.get("created_utc", data.get("created"))
    if created is None or created == "":
        raise ValueError(f"{_KINDS[kind]} {thing_id} has no created_utc")
    record = MentionRecord(
        platform=PLATFORM,
        id=thing_id,
        author=author,
        created_at=epoch_time(created, "created_utc"),
        author_url=f"{SITE}/user/{author}",
        likes=as_int(data.get("score")),
    )
    subreddit = as_str(data.get("subreddit"))
    if subreddit and SUBREDDIT_RE.fullmatch(subreddit):
        record.tags = [f"r/{subreddit}"]
    if kind == "t1":
        record.text = html.unescape(as_str(data.get("body")) or "")
        record.reply_to_id = as_str(data.get("parent_id"))
        record.url = comment_url(data, thing_id)
    else:
        record.text = submission_text(data)
        record.url = absolute(as_str(data.get("permalink"))) or absolute(as_str(data.get("url")))
        record.replies = as_int(data.get("num_comments"))
        record.views = as_int(data.get("view_count"))
        record.repost_of_id, record.repost_of_author = crosspost_of(data)
    record.mentions = extract_user_mentions(record.text)
    return record


def things_in(value: Any, where: str | None) -> Iterator[tuple[str | None, Any]]:
    """Yield (where, thing) for every thing in a value: listings, arrays, nested replies."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from things_in(item, f"{where or ''}[{index}]")
        return
    if not isinstance(value, dict):
        yield where, value
        return
    kind = value.get("kind")
    if kind == "Listing":
        children = as_list(as_dict(value.get("data")).get("children"))
        for index, child in enumerate(children):
            yield from things_in(child, f"{where or 'data'}.children[{index}]")
        return
    if kind == "more":  # a "load more comments" stub: ids only, no content
        return
    yield where, value
    data = as_dict(value.get("data")) if isinstance(value.get("data"), dict) else value
    if isinstance(data.get("replies"), dict):
        yield from things_in(data["replies"], f"{where or ''}.replies".lstrip("."))


def items_from(things: Iterator[tuple[str | None, Any]], line: int | None) -> Iterator[ParseItem]:
    """Yield a record or a RowError per thing."""
    for where, thing in things:
        if not isinstance(thing, dict):
            yield RowError(line, "not a Reddit thing (a JSON object)", where)
            continue
        kind, data = kind_of(thing)
        if kind is None:
            label = thing.get("kind") or "an object with neither body nor title"
            yield RowError(line, f"not a comment or submission ({label})", where)
            continue
        try:
            record = to_record(kind, data)
        except Exception as error:  # a bad value costs its row
            yield RowError(line, reason_of(error), where)
            continue
        yield record


def parse(stream: TextIO, filename: str) -> Iterator[ParseItem]:
    """Yield a record per Reddit comment or submission, a RowError per unusable thing."""
    source = open_json(stream)
    if source.lines is None:
        document = source.document
        if isinstance(document, dict) and not ("kind" in document or "subreddit" in document):
            raise FileError("the JSON document holds no Reddit things")
        yield from items_from(things_in(document, None), None)
        return
    for line in source.lines:
        if line.error:
            yield RowError(line.line, line.error)
            continue
        yield from guarded(
            lambda line=line: items_from(things_in(line.value, None), line.line), line.line
        )


class RedditParser:
    """Reddit comments and submissions (JSON Lines of API things, Pushshift dumps)."""

    name = "reddit"
    label = "Reddit comments and submissions (JSON Lines)"

    def sniff(self, head: str) -> bool:
        """Say whether ``head`` looks like Reddit things."""
        return sniff(head)

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield the records (and row errors) of a Reddit file."""
        return parse(stream, filename)


PARSER = RedditParser()
