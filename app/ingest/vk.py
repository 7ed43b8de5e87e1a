"""VK (VKontakte) API responses -> :class:`MentionRecord`.

Reads ``wall.get``/``wall.getById``/``newsfeed.get``/``newsfeed.search`` posts and
``wall.getComments`` comments, as ``{"response": {"items": [...], "profiles": [...],
"groups": [...]}}``, the old ``{"response": [...]}`` (whose first element may be the count),
``{"count": ..., "items": [...]}`` without the wrapper, a bare array of posts, or JSON Lines of
any of these. ``{"error": {...}}`` is the API's refusal and raises FileError with its message.

Identity: a handle is ``id<N>`` for a user and ``club<N>`` for a community (VK's negative
owner ids), whatever the community's type: that is the form wiki-markup mentions take
(``[id1|Pavel]``, ``[club1|VK]``; ``public``/``event`` become ``club``), so mentions and
authors meet on one key. Screen names and display names only label it (``author_name``,
``author_url``). A post id is ``<owner_id>_<id>``, unique on VK. Comments share the wall's id
sequence, so a comment is ``<owner_id>_<comment id>`` and replies to ``<owner_id>_<post id>``
(or to the comment it answers). Items with no wall (no owner_id) have no global id and are
rejected.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from app.ingest._jsonsource import (
    as_dict,
    as_int,
    as_list,
    as_str,
    epoch_time,
    head_objects,
    looks_generic,
    open_json,
)
from app.ingest.base import ParseItem, ParseWarning, guarded, reason_of
from app.ingest.record import FileError, MentionRecord, RowError
from app.ingest.text import extract_tags

PLATFORM = "vk"
SITE = "https://vk.com"

# Wiki markup: [id1|Pavel], [club1|VK], [public1|...], [event1|...], [id1?ref=x|...];
# a screen name or a URL may stand where the id is ([durov|Pavel], [https://...|link]).
WIKI_RE = re.compile(r"\[([^\[\]|\n]+)\|([^\[\]\n]*)\]")
NUMERIC_TARGET_RE = re.compile(r"(id|club|public|event)(\d+)(?:[?:][^|\]]*)?", re.IGNORECASE)
SCREEN_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.]{1,31}")
# Typed mentions as VK renders them: @id1 (Pavel), *club1 (VK), @durov (Pavel), bare @id1.
AT_NUMERIC_RE = re.compile(r"(?<![\w@*])[@*](id|club|public|event)(\d+)(?:\s?\(([^()\n]*)\))?")
AT_SCREEN_RE = re.compile(r"(?<![\w@*])[@*]([A-Za-z][A-Za-z0-9_.]{1,31})\s?\(([^()\n]*)\)")
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)

_RESPONSE_RE = re.compile(r'^\{\s*"response"\s*:')
_ERROR_RE = re.compile(r'"error_code"\s*:\s*\d')
_NUMERIC_AUTHOR_RE = re.compile(r'"(?:owner_id|from_id|source_id)"\s*:\s*-?\d')
_EPOCH_DATE_RE = re.compile(r'"date"\s*:\s*\d')
# Newsfeed items that are not posts: friends added, photos tagged, ...
_POST_ITEM_TYPES = {"post"}


def sniff(head: str) -> bool:
    """Say whether ``head`` looks like a VK API response or VK posts (numeric owner ids)."""
    try:
        start = head_objects(head)
        if looks_generic(start):
            return False
        from app.ingest.telegram import looks_like_export

        if looks_like_export(start):  # a chat export with a numeric from_id is still Telegram
            return False
        if _RESPONSE_RE.match(start):
            return True
        if '"error_msg"' in start and _ERROR_RE.search(start):
            return True
        return bool(_NUMERIC_AUTHOR_RE.search(start)) and bool(_EPOCH_DATE_RE.search(start))
    except Exception:  # a sniffer must never raise, whatever it is fed
        return False


def handle_for(owner: int) -> str:
    """Return the handle of a VK user (``id<N>``) or community (``club<N>`` for ``-N``)."""
    return f"id{owner}" if owner > 0 else f"club{-owner}"


def mention_key(kind: str, number: str) -> str:
    """Return the handle of a markup target: ``id<N>`` or ``club<N>`` (public/event too)."""
    return f"id{int(number)}" if kind.lower() == "id" else f"club{int(number)}"


@dataclass(slots=True)
class Directory:
    """Who is who in one response: handle -> (display name, screen name, followers)."""

    people: dict[str, tuple[str | None, str | None, int | None]] = field(default_factory=dict)
    screen_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, response: dict) -> Directory:
        """Build the directory from a response's ``profiles`` and ``groups``."""
        directory = cls()
        for profile in map(as_dict, as_list(response.get("profiles"))):
            number = as_int(profile.get("id"))
            if number:
                parts = [as_str(profile.get("first_name")), as_str(profile.get("last_name"))]
                name = " ".join(part for part in parts if part) or None
                followers = as_int(profile.get("followers_count"))
                directory.add(
                    handle_for(number), name, as_str(profile.get("screen_name")), followers
                )
        for group in map(as_dict, as_list(response.get("groups"))):
            number = as_int(group.get("id"))
            if number:
                directory.add(
                    handle_for(-abs(number)),
                    as_str(group.get("name")),
                    as_str(group.get("screen_name")),
                    as_int(group.get("members_count")),
                )
        return directory

    def add(self, key: str, name: str | None, screen: str | None, followers: int | None) -> None:
        """Record one profile or group."""
        self.people[key] = (name, screen, followers)
        if screen:
            self.screen_names[screen.lower()] = key

    def resolve(self, screen_name: str) -> str:
        """Return the id handle of a screen name when known, else the screen name itself."""
        return self.screen_names.get(screen_name.lower(), screen_name)


def display_text(raw: str, directory: Directory) -> tuple[str, list[str]]:
    """Return the text as shown (markup replaced by names) and the handles it mentions."""
    text = html.unescape(BR_RE.sub("\n", raw or ""))
    mentions: dict[str, None] = {}

    def wiki(match: re.Match) -> str:
        target, label = match.group(1).strip(), match.group(2)
        numeric = NUMERIC_TARGET_RE.fullmatch(target)
        if numeric:
            mentions.setdefault(mention_key(numeric.group(1), numeric.group(2)), None)
        elif SCREEN_NAME_RE.fullmatch(target):
            mentions.setdefault(directory.resolve(target), None)
        return label

    def at_numeric(match: re.Match) -> str:
        mentions.setdefault(mention_key(match.group(1), match.group(2)), None)
        return match.group(3) if match.group(3) is not None else match.group(0)

    def at_screen(match: re.Match) -> str:
        mentions.setdefault(directory.resolve(match.group(1)), None)
        return match.group(2)

    text = WIKI_RE.sub(wiki, text)
    text = AT_NUMERIC_RE.sub(at_numeric, text)
    text = AT_SCREEN_RE.sub(at_screen, text)
    return text, list(mentions)


def count_of(item: dict, key: str) -> int | None:
    """Return ``item[key]["count"]`` (VK's engagement objects), or None."""
    return as_int(as_dict(item.get(key)).get("count"))


def is_comment(item: dict) -> bool:
    """Say whether an item is a wall comment rather than a post."""
    if "post_type" in item or "source_id" in item or "type" in item:
        return False
    markers = ("parents_stack", "thread", "reply_to_comment", "reply_to_user", "post_id")
    return any(key in item for key in markers)


def base_record(item: dict, post_id: str, author_id: int, directory: Directory) -> MentionRecord:
    """Return a record with what posts and comments share: author, date, profile data."""
    date = item.get("date")
    if date is None or date == "":
        raise ValueError(f"item {post_id} has no date")
    author = handle_for(author_id)
    name, screen, followers = directory.people.get(author, (None, None, None))
    return MentionRecord(
        platform=PLATFORM,
        id=post_id,
        author=author,
        created_at=epoch_time(date, "date"),
        author_name=name or screen,
        author_followers=followers,
        author_url=f"{SITE}/{screen or author}",
        likes=count_of(item, "likes"),
    )


def comment_record(item: dict, directory: Directory, owner_hint: int | None) -> MentionRecord:
    """Turn a wall comment into a record; raise ValueError when it cannot be one."""
    if item.get("deleted"):
        raise ValueError("comment deleted")
    owner = as_int(item.get("owner_id")) or owner_hint
    number, post = as_int(item.get("id")), as_int(item.get("post_id"))
    if not owner:
        raise ValueError("comment has no owner_id: its wall is unknown, so it has no global id")
    if number is None:
        raise ValueError("comment has no id")
    author_id = as_int(item.get("from_id"))
    if not author_id:
        raise ValueError(f"comment {owner}_{number} has no from_id")
    record = base_record(item, f"{owner}_{number}", author_id, directory)
    record.text, record.mentions = display_text(as_str(item.get("text")) or "", directory)
    record.tags = extract_tags(record.text)
    parents = [as_int(parent) for parent in as_list(item.get("parents_stack"))]
    parent = as_int(item.get("reply_to_comment")) or (parents[-1] if parents else None)
    if parent:
        record.reply_to_id = f"{owner}_{parent}"
    elif post:
        record.reply_to_id = f"{owner}_{post}"
    reply_user = as_int(item.get("reply_to_user"))
    if reply_user:
        record.reply_to_author = handle_for(reply_user)
    if post:
        record.url = f"{SITE}/wall{owner}_{post}?reply={number}"
    record.replies = count_of(item, "thread")
    return record


def post_record(item: dict, directory: Directory) -> MentionRecord:
    """Turn a wall post or newsfeed post into a record; raise ValueError when it cannot be one."""
    owner = (
        as_int(item.get("owner_id")) or as_int(item.get("to_id")) or as_int(item.get("source_id"))
    )
    number = as_int(item.get("post_id")) if "source_id" in item else None
    number = number if number is not None else as_int(item.get("id"))
    if not owner:
        raise ValueError("post has no owner_id: its wall is unknown, so it has no global id")
    if number is None:
        raise ValueError("post has no id")
    author_id = as_int(item.get("from_id")) or owner
    record = base_record(item, f"{owner}_{number}", author_id, directory)
    text, record.mentions = display_text(as_str(item.get("text")) or "", directory)
    copies = [copy for copy in map(as_dict, as_list(item.get("copy_history"))) if copy]
    if copies:
        original = copies[0]
        copy_owner = as_int(original.get("owner_id")) or as_int(original.get("to_id"))
        copy_id = as_int(original.get("id"))
        copy_author = as_int(original.get("from_id")) or copy_owner
        if copy_owner and copy_id is not None:
            record.repost_of_id = f"{copy_owner}_{copy_id}"
        if copy_author:
            record.repost_of_author = handle_for(copy_author)
        if not text:
            # A repost without a comment shows the original; its mentions stay the original's.
            text = display_text(as_str(original.get("text")) or "", directory)[0]
    reply_owner, reply_post = as_int(item.get("reply_owner_id")), as_int(item.get("reply_post_id"))
    if reply_owner and reply_post:
        record.reply_to_id = f"{reply_owner}_{reply_post}"
    record.text = text
    record.tags = extract_tags(text)
    record.url = f"{SITE}/wall{owner}_{number}"
    record.reposts = count_of(item, "reposts")
    record.replies = count_of(item, "comments")
    record.views = count_of(item, "views")
    return record


@dataclass(slots=True)
class Tally:
    """What a file held besides posts: skipped newsfeed items, responses without items."""

    skipped: dict[str, int] = field(default_factory=dict)
    empty: int = 0


def items_of(value: Any) -> tuple[list, dict, str]:
    """Return (items, the object holding profiles/groups, the items' path) of one response."""
    response = value.get("response", value) if isinstance(value, dict) else value
    if isinstance(response, list):
        prefix = "response" if isinstance(value, dict) else ""
        return response, {}, prefix
    response = as_dict(response)
    prefix = "response.items" if isinstance(value, dict) and "response" in value else "items"
    if "items" in response:
        return as_list(response.get("items")), response, prefix
    if "date" in response and ("id" in response or "post_id" in response):
        return [response], response, "response" if response is not value else ""
    return [], response, prefix


def records_of(value: Any, line: int | None, tally: Tally) -> Iterator[ParseItem]:
    """Yield the records and row errors of one parsed response (a document or a line)."""
    if isinstance(value, dict) and "error" in value and "response" not in value:
        error = as_dict(value.get("error"))
        message = as_str(error.get("error_msg")) or "unknown error"
        raise FileError(f"VK API error {error.get('error_code', '?')}: {message}")
    items, response, prefix = items_of(value)
    directory = Directory.of(response)
    if not [item for item in items if isinstance(item, dict)]:
        tally.empty += 1
    for index, item in enumerate(items):
        where = f"{prefix}[{index}]"
        if isinstance(item, int) and index == 0:
            continue  # the old API put the total count first
        yield from item_records(item, where, line, directory, tally, None)


def item_records(
    item: Any,
    where: str,
    line: int | None,
    directory: Directory,
    tally: Tally,
    owner_hint: int | None,
) -> Iterator[ParseItem]:
    """Yield the record (or row error) of one item, then those of its comment thread."""
    if not isinstance(item, dict):
        yield RowError(line, "not a VK post or comment (a JSON object)", where)
        return
    kind = item.get("type")
    if isinstance(kind, str) and kind not in _POST_ITEM_TYPES:
        tally.skipped[kind] = tally.skipped.get(kind, 0) + 1
        return
    comment = is_comment(item)
    try:
        if comment:
            yield comment_record(item, directory, owner_hint)
        else:
            yield post_record(item, directory)
    except Exception as error:  # a bad value costs its row
        yield RowError(line, reason_of(error), where)
    if comment:
        owner = as_int(item.get("owner_id")) or owner_hint
        thread = as_list(as_dict(item.get("thread")).get("items"))
        for index, reply in enumerate(thread):
            yield from item_records(
                reply, f"{where}.thread.items[{index}]", line, directory, tally, owner
            )


def summary(tally: Tally) -> Iterator[ParseWarning]:
    """Yield one warning for the items that were not posts and one for empty responses."""
    if tally.skipped:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(tally.skipped.items()))
        yield ParseWarning(f"skipped newsfeed items that are not posts: {kinds}")
    if tally.empty:
        # whole sentences, for the pages to translate (app.stored_texts)
        if tally.empty == 1:
            yield ParseWarning("the VK response holds no posts or comments")
        else:
            yield ParseWarning(f"{tally.empty} VK responses hold no posts or comments")


def parse(stream: TextIO, filename: str) -> Iterator[ParseItem]:
    """Yield a record per VK post or comment, a RowError per unusable item."""
    source = open_json(stream)
    tally = Tally()
    if source.lines is None:
        yield from records_of(source.document, None, tally)
    else:
        for line in source.lines:
            if line.error:
                yield RowError(line.line, line.error)
                continue
            try:
                yield from guarded(
                    lambda line=line: records_of(line.value, line.line, tally), line.line
                )
            except FileError as error:  # one failed API call among many lines
                yield RowError(line.line, str(error))
    yield from summary(tally)


class VKParser:
    """VK API responses: wall posts, newsfeed items, comments."""

    name = "vk"
    label = "VK API responses (JSON)"

    def sniff(self, head: str) -> bool:
        """Say whether ``head`` looks like a VK API response."""
        return sniff(head)

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield the records (and row errors) of a VK response file."""
        return parse(stream, filename)


PARSER = VKParser()
