"""Mastodon status JSON (the REST API's ``Status`` entity) -> :class:`MentionRecord`.

Accepts JSON Lines (one status per line), a JSON array of statuses, a single status, a
``/context`` response (``ancestors`` + ``descendants``), a search result (``statuses``) and
streaming events (``{"event": "update", "payload": "<status JSON>"}``).

Identity is global, never instance-local: ids and account ids in a Status are only unique on
the server that produced the JSON (the same remote post has a different id on every server).

- the post id is the status ``uri`` (its ActivityPub id);
- a handle is the full acct ``user@instance``; a local acct (no domain) gets the domain of
  its profile ``url`` (or, for the author, of the status uri/url);
- ``reply_to_author`` resolves ``in_reply_to_account_id`` through the status's own
  ``mentions`` (which carry id + acct) or the author's own id (a self-reply);
- ``reply_to_id`` must be a uri too, but only the parent's local id is known. It is filled
  when it can be derived: the parent is in the same file (local id -> uri; a reply waits for
  a parent further down), else the parent's author is local to the server that produced the
  JSON, whose Mastodon uris are ``https://<host>/users/<username>/statuses/<local id>``.
  Otherwise it stays None and the reply edge still comes from ``reply_to_author``; a reply
  whose parent author is not among its mentions either is then read as a plain post.
- a reblog is a repost: the record keeps the reblog's own uri and author, the reblogged
  text and topics, and names the reblogged status and its author; the reblogged post's
  mentions are not the reblogger's, so the record carries none.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from typing import Any, TextIO
from urllib.parse import urlsplit

from app.ingest._jsonsource import (
    as_dict,
    as_int,
    as_list,
    as_str,
    looks_generic,
    open_json,
)
from app.ingest.base import ParseItem, guarded, reason_of
from app.ingest.record import FileError, MentionRecord, RowError, parse_timestamp
from app.ingest.text import extract_tags, html_to_text

PLATFORM = "mastodon"
# Replies held back until their parent turns up; beyond this many they go out unresolved.
PENDING_LIMIT = 20_000

_ACCT_KEY_RE = re.compile(r'"acct"\s*:\s*"')
_URI_KEY_RE = re.compile(r'"uri"\s*:\s*"')
_STATUS_KEY_RE = re.compile(r'"(?:content|visibility|in_reply_to_account_id|reblog)"\s*:')
# Streaming events that carry a status; the others (delete, notification, ...) carry none.
_STATUS_EVENTS = {"update", "status.update"}
# Keys of a JSON document that holds statuses: one status, a context, search results, an event.
_DOCUMENT_KEYS = {"uri", "account", "ancestors", "descendants", "statuses", "event"}


def sniff(head: str) -> bool:
    """Say whether ``head`` looks like Mastodon statuses (an account with an acct, a uri)."""
    try:
        return (
            bool(_ACCT_KEY_RE.search(head))
            and bool(_URI_KEY_RE.search(head))
            and bool(_STATUS_KEY_RE.search(head))
            and not looks_generic(head)
        )
    except Exception:  # a sniffer must never raise, whatever it is fed
        return False


def host_of(url: Any) -> str | None:
    """Return the lower-cased host of ``url``, or None when it has none."""
    if not isinstance(url, str) or not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host or None


def full_acct(acct: Any, *urls: Any) -> str | None:
    """Return ``user@instance`` for an acct, taking a missing domain from the first url's host."""
    acct = as_str(acct)
    if acct is None:
        return None
    acct = acct.lstrip("@")
    user, _, domain = acct.partition("@")
    if not user:
        return None
    if domain:
        return f"{user}@{domain.lower()}"
    for url in urls:
        host = host_of(url)
        if host:
            return f"{user}@{host}"
    return None


def status_text(status: dict) -> str:
    """Return the plain text of a status: the content warning, then the HTML content as text."""
    body = html_to_text(as_str(status.get("content")) or "")
    spoiler = as_str(status.get("spoiler_text"))
    if spoiler:
        return f"{spoiler}\n\n{body}" if body else spoiler
    return body


def status_tags(status: dict, text: str) -> list[str]:
    """Return the status's hashtags: its ``tags`` entities, then any others in the text."""
    seen: dict[str, str] = {}
    names = [as_str(as_dict(tag).get("name")) for tag in as_list(status.get("tags"))]
    for name in [*names, *extract_tags(text)]:
        if name:
            seen.setdefault(name.lstrip("#").lower(), name.lstrip("#"))
    return list(seen.values())


def account_handle(status: dict) -> str | None:
    """Return the full acct of a status's author."""
    account = as_dict(status.get("account"))
    return full_acct(account.get("acct"), account.get("url"), status.get("uri"), status.get("url"))


def known_accounts(status: dict) -> dict[str, tuple[str, str, bool]]:
    """Map the account ids a status knows (author, mentions) to (acct, username, is_local)."""
    accounts: dict[str, tuple[str, str, bool]] = {}
    for mention in as_list(status.get("mentions")):
        mention = as_dict(mention)
        key, acct = as_str(str(mention.get("id") or "")), as_str(mention.get("acct"))
        handle = full_acct(acct, mention.get("url"))
        if key and acct and handle:
            username = as_str(mention.get("username")) or handle.partition("@")[0]
            accounts[key] = (handle, username, "@" not in acct.lstrip("@"))
    account = as_dict(status.get("account"))
    key, acct, handle = str(account.get("id") or ""), as_str(account.get("acct")), None
    if acct:
        handle = account_handle(status)
    if key and acct and handle:
        username = as_str(account.get("username")) or handle.partition("@")[0]
        accounts[key] = (handle, username, "@" not in acct.lstrip("@"))
    return accounts


def reply_target(status: dict) -> tuple[str | None, str | None]:
    """Return (derived parent uri, reply_to_author) for a status, from the status alone."""
    parent_id = as_str(str(status.get("in_reply_to_id") or ""))
    parent_account = as_str(str(status.get("in_reply_to_account_id") or ""))
    known = known_accounts(status).get(parent_account) if parent_account else None
    if not known:
        return None, None
    author, username, is_local = known
    if not (is_local and parent_id):
        return None, author
    # A local parent on a Mastodon server has this uri (its local id is its own id).
    return f"https://{author.partition('@')[2]}/users/{username}/statuses/{parent_id}", author


def quote_target(status: dict, seen: dict[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    """Return (quote_of_id, quote_of_author) for a Mastodon 4.4+ (or Fedibird-style) quote."""
    quote = as_dict(status.get("quote"))
    if not quote:
        return None, None
    wrapped = any(key in quote for key in ("state", "quoted_status", "quoted_status_id"))
    quoted = as_dict(quote.get("quoted_status")) if wrapped else quote
    if quoted:
        return as_str(quoted.get("uri")), account_handle(quoted)
    local_id = as_str(str(quote.get("quoted_status_id") or ""))
    return seen.get(local_id, (None, None)) if local_id else (None, None)


def to_record(status: dict, seen: dict[str, tuple[str, str]]) -> MentionRecord:
    """Turn one Status into a record; raise ValueError with the reason when it cannot be one."""
    uri = as_str(status.get("uri"))
    if not uri:
        raise ValueError("status has no uri (its global id)")
    account = as_dict(status.get("account"))
    if not as_str(account.get("acct")):
        raise ValueError("status has no account.acct")
    author = account_handle(status)
    if not author:
        raise ValueError(
            f"account {account.get('acct')!r} has no domain and no url to take it from"
        )
    created = as_str(status.get("created_at"))
    if not created:
        raise ValueError("status has no created_at")
    created_at = parse_timestamp(created)

    reblog = as_dict(status.get("reblog"))
    shown = reblog or status
    text = status_text(shown)
    record = MentionRecord(
        platform=PLATFORM,
        id=uri,
        author=author,
        created_at=created_at,
        text=text,
        author_name=as_str(account.get("display_name")),
        author_followers=as_int(account.get("followers_count")),
        author_url=as_str(account.get("url")),
        url=as_str(status.get("url")) or uri,
        lang=as_str(status.get("language")) or as_str(shown.get("language")),
        tags=status_tags(shown, text),
        likes=as_int(status.get("favourites_count")),
        reposts=as_int(status.get("reblogs_count")),
        replies=as_int(status.get("replies_count")),
    )
    if reblog:
        record.repost_of_id = as_str(reblog.get("uri"))
        record.repost_of_author = account_handle(reblog)
        if not record.repost_of_id:
            raise ValueError("reblogged status has no uri")
        return record
    record.reply_to_id, record.reply_to_author = reply_target(status)
    record.quote_of_id, record.quote_of_author = quote_target(status, seen)
    mentions = as_list(status.get("mentions"))
    handles = [full_acct(m.get("acct"), m.get("url")) for m in map(as_dict, mentions)]
    record.mentions = list(dict.fromkeys(h for h in handles if h))
    return record


class ReplyResolver:
    """Give replies their parent's uri by the parent's local id, wherever it is in the file.

    A reply whose parent has not been seen yet is held back (up to ``limit`` of them, so a
    huge file cannot fill memory) and yielded once the parent turns up or the file ends; it
    then keeps the uri derived from its own data, if any.
    """

    def __init__(self, limit: int = PENDING_LIMIT) -> None:
        self.seen: dict[str, tuple[str, str]] = {}
        self.pending: deque[tuple[MentionRecord, str]] = deque()
        self.limit = limit

    def remember(self, status: dict) -> None:
        """Note the local id -> (uri, author) of a status and of the status it reblogs."""
        for item in (status, as_dict(status.get("reblog"))):
            local_id, uri, author = item.get("id"), as_str(item.get("uri")), account_handle(item)
            if local_id is not None and uri and author:
                self.seen[str(local_id)] = (uri, author)

    def accept(self, status: dict, record: MentionRecord) -> Iterator[MentionRecord]:
        """Yield the record now when its parent is known (or it is no reply), else hold it."""
        self.remember(status)
        parent = None if record.repost_of_id else as_str(str(status.get("in_reply_to_id") or ""))
        if not parent:
            yield record
        elif parent in self.seen:
            yield self.resolve(record, parent)
        else:
            self.pending.append((record, parent))
            if len(self.pending) > self.limit:
                yield self.resolve(*self.pending.popleft())

    def resolve(self, record: MentionRecord, parent: str) -> MentionRecord:
        """Fill the record's parent uri (and author, when the status named none) if known."""
        if parent in self.seen:
            uri, author = self.seen[parent]
            record.reply_to_id = uri
            record.reply_to_author = record.reply_to_author or author
        return record

    def flush(self) -> Iterator[MentionRecord]:
        """Yield the held-back replies, resolved as far as the whole file allows."""
        while self.pending:
            yield self.resolve(*self.pending.popleft())


def statuses_in(value: Any, where: str | None) -> Iterator[tuple[str | None, Any]]:
    """Yield (where, status) for every status in a parsed JSON value; non-statuses as is."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from statuses_in(item, f"{where or ''}[{index}]")
        return
    if not isinstance(value, dict):
        yield where, value
        return
    if "event" in value and "payload" in value:
        if as_str(value.get("event")) in _STATUS_EVENTS:  # an array there must not crash the set test
            payload = value["payload"]
            if isinstance(payload, str):
                try:
                    payload = json.loads(payload)
                except json.JSONDecodeError:
                    payload = None
            yield f"{where or ''}.payload".lstrip("."), payload
        return
    containers = [key for key in ("ancestors", "descendants", "statuses") if key in value]
    if containers and "uri" not in value:
        for key in containers:
            prefix = f"{where}.{key}" if where else key
            for index, item in enumerate(as_list(value[key])):
                yield f"{prefix}[{index}]", item
        return
    yield where, value


def items_from(
    statuses: Iterator[tuple[str | None, Any]], line: int | None, resolver: ReplyResolver
) -> Iterator[ParseItem]:
    """Yield a record or a RowError for each (where, status)."""
    for where, status in statuses:
        if not isinstance(status, dict):
            yield RowError(line, "not a Mastodon status object", where)
            continue
        try:
            record = to_record(status, resolver.seen)
        except Exception as error:  # a bad value costs its row
            yield RowError(line, reason_of(error), where)
            continue
        yield from resolver.accept(status, record)


def parse(stream: TextIO, filename: str) -> Iterator[ParseItem]:
    """Yield a record per Mastodon status in ``stream``, a RowError per unusable one."""
    source = open_json(stream)
    resolver = ReplyResolver()
    if source.lines is None:
        document = source.document
        if isinstance(document, dict) and not _DOCUMENT_KEYS.intersection(document):
            raise FileError("the JSON document holds no Mastodon statuses")
        yield from items_from(statuses_in(document, None), None, resolver)
    else:
        for line in source.lines:
            if line.error:
                yield RowError(line.line, line.error)
                continue
            yield from guarded(
                lambda line=line: items_from(statuses_in(line.value, None), line.line, resolver),
                line.line,
            )
    yield from resolver.flush()


class MastodonParser:
    """Mastodon status JSON (JSON Lines, an array or one status)."""

    name = "mastodon"
    label = "Mastodon statuses (JSON)"

    def sniff(self, head: str) -> bool:
        """Say whether ``head`` looks like Mastodon status JSON."""
        return sniff(head)

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield the records (and row errors) of a Mastodon status file."""
        return parse(stream, filename)


PARSER = MastodonParser()
