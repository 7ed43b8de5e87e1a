"""Telegram Desktop JSON exports (``result.json``) -> :class:`MentionRecord`.

Reads the export of one chat or channel (``{"name", "type", "id", "messages": [...]}``) and the
full account export (``{"chats": {"list": [...]}, "left_chats": {"list": [...]}}``). The file is
one JSON document, loaded whole; that also lets replies find their parent's author.

Identity: a handle is the export's peer id, ``user<N>``/``channel<N>``/``chat<N>`` (``from_id``);
the display name (``from``) only labels it. A channel's posts carry no ``from_id`` in older
exports and are authored by the channel, ``channel<chat id>``. A post id is
``<chat id>/<message id>`` (message ids are per chat), and a reply points at
``<chat id>/<reply_to_message_id>``, or at the other chat named by ``reply_to_peer_id`` when
the reply crosses chats. A forward is a repost of ``forwarded_from_id`` (or, when the export
hides it, the forwarded name); the original message id is unknown. Only ``message`` items are
posts: service messages (joins, pins, calls) are skipped and counted in one warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from app.ingest._jsonsource import (
    as_dict,
    as_int,
    as_list,
    as_str,
    epoch_time,
    head_objects,
    read_document,
    top_level_keys,
)
from app.ingest.base import ParseItem, ParseWarning, reason_of
from app.ingest.record import FileError, MentionRecord, RowError, parse_timestamp

PLATFORM = "telegram"
CHANNEL_TYPES = {"public_channel", "private_channel"}
PEER_RE = re.compile(r"(user|channel|chat)?(-?\d+)")

_CHAT_TYPE_RE = re.compile(
    r'"type"\s*:\s*"(?:personal_chat|bot_chat|private_group|private_supergroup|'
    r'public_supergroup|public_channel|private_channel|saved_messages)"'
)
_MESSAGES_RE = re.compile(r'"messages"\s*:\s*\[')
_FULL_EXPORT_RE = re.compile(r'"personal_information"\s*:\s*\{')


def sniff(head: str) -> bool:
    """Say whether ``head`` looks like a Telegram Desktop export (a chat or the full account)."""
    try:
        start = head_objects(head)
        if not start.startswith("{"):
            return False
        if looks_like_export(head):
            return True
        if _FULL_EXPORT_RE.search(start):
            return True
        return bool(_MESSAGES_RE.search(start)) and (
            '"date_unixtime"' in start or bool(_CHAT_TYPE_RE.search(start))
        )
    except Exception:  # a sniffer must never raise, whatever it is fed
        return False


def looks_like_export(head: str) -> bool:
    """Say whether the document's own keys are an export's: a chat (``messages`` beside its
    ``name``, ``type`` or ``id``) or the whole account (``personal_information``, ``chats``).
    The shape decides, not a key met inside a message."""
    keys = top_level_keys(head)
    return bool(
        ("messages" in keys and keys & {"name", "type", "id"})
        or keys & {"personal_information", "chats", "left_chats"}
    )


def peer_key(value: Any) -> str | None:
    """Return the handle of an exported peer id (``user123``; a bare number is a user)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"user{value}"
    text = as_str(value)
    match = PEER_RE.fullmatch(text) if text else None
    if not match:
        return None
    return f"{match.group(1) or 'user'}{match.group(2)}"


def peer_number(value: Any) -> int | None:
    """Return the bare number of a peer id (``channel500`` -> 500)."""
    key = peer_key(value)
    match = PEER_RE.fullmatch(key) if key else None
    return int(match.group(2)) if match else None


def plain_text(text: Any) -> str:
    """Return the plain text of an exported ``text``: a string, or strings and entity objects."""
    if isinstance(text, str):
        return text
    parts = []
    for part in as_list(text):
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
    return "".join(parts)


def entities_of(message: dict) -> list[dict]:
    """Return the message's entities: ``text_entities``, else the objects inside ``text``."""
    entities = message.get("text_entities")
    if isinstance(entities, list):
        return [entity for entity in entities if isinstance(entity, dict)]
    return [part for part in as_list(message.get("text")) if isinstance(part, dict)]


def mentions_and_tags(entities: list[dict]) -> tuple[list[str], list[str]]:
    """Return the handles (``@name`` without ``@``, ``user<id>``) and hashtags of entities."""
    mentions: dict[str, None] = {}
    tags: dict[str, None] = {}
    for entity in entities:
        kind, text = entity.get("type"), as_str(entity.get("text")) or ""
        if kind == "mention" and text.lstrip("@"):
            mentions.setdefault(text.lstrip("@"), None)
        elif kind == "mention_name":
            user = as_int(entity.get("user_id"))
            if user is not None:
                mentions.setdefault(f"user{user}", None)
        elif kind == "hashtag" and text.lstrip("#"):
            tags.setdefault(text.lstrip("#"), None)
    return list(mentions), list(tags)


def message_time(message: dict):
    """Return the message's time: ``date_unixtime`` when present, else ``date`` (as UTC)."""
    unix = message.get("date_unixtime")
    if unix not in (None, ""):
        return epoch_time(unix, "date_unixtime")
    date = as_str(message.get("date"))
    if not date:
        raise ValueError("message has no date")
    return parse_timestamp(date)


def reactions_total(message: dict) -> int | None:
    """Return the sum of the message's reaction counts, or None without reactions."""
    reactions = message.get("reactions")
    if not isinstance(reactions, list):
        return None
    return sum(as_int(as_dict(reaction).get("count")) or 0 for reaction in reactions)


def forwarded_author(message: dict) -> str | None:
    """Return who a forwarded message came from: its peer id, else its name normalized."""
    key = peer_key(message.get("forwarded_from_id"))
    if key:
        return key
    name = as_str(message.get("forwarded_from"))
    return " ".join(name.split()).lstrip("@") if name else None


class Chat:
    """One exported chat: its id, whether it is a channel, and who wrote which message."""

    def __init__(self, chat: dict) -> None:
        self.id = as_int(chat.get("id"))
        self.name = as_str(chat.get("name"))
        self.is_channel = as_str(chat.get("type")) in CHANNEL_TYPES  # a list there: not a channel
        self.username = as_str(chat.get("username"))
        self.authors: dict[int, str] = {}
        for message in map(as_dict, as_list(chat.get("messages"))):
            number, author = as_int(message.get("id")), self.author_of(message)
            if number is not None and author and message.get("type") == "message":
                self.authors[number] = author

    def author_of(self, message: dict) -> str | None:
        """Return the message's author: its ``from_id``, or the channel itself."""
        key = peer_key(message.get("from_id"))
        if key:
            return key
        if self.is_channel and self.id is not None:
            return f"channel{self.id}"
        return None

    def reply_target(self, message: dict) -> tuple[str | None, str | None]:
        """Return (reply_to_id, reply_to_author) of a reply, in this chat or across chats."""
        parent = as_int(message.get("reply_to_message_id"))
        if parent is None:
            return None, None
        other = peer_number(message.get("reply_to_peer_id"))
        if other is not None and other != self.id:
            return f"{other}/{parent}", None
        return f"{self.id}/{parent}", self.authors.get(parent)

    def record(self, message: dict) -> MentionRecord:
        """Turn one ``message`` into a record; raise ValueError when it cannot be one."""
        number = as_int(message.get("id"))
        if number is None:
            raise ValueError("message has no id")
        author = self.author_of(message)
        if not author:
            raise ValueError(f"message {number} has no from_id (and the chat is no channel)")
        authored_by_chat = author == f"channel{self.id}"
        mentions, tags = mentions_and_tags(entities_of(message))
        record = MentionRecord(
            platform=PLATFORM,
            id=f"{self.id}/{number}",
            author=author,
            created_at=message_time(message),
            text=plain_text(message.get("text")),
            author_name=as_str(message.get("from")) or (self.name if authored_by_chat else None),
            mentions=mentions,
            tags=tags,
            likes=reactions_total(message),
        )
        if self.username:
            record.url = f"https://t.me/{self.username}/{number}"
            if authored_by_chat:
                record.author_url = f"https://t.me/{self.username}"
        record.reply_to_id, record.reply_to_author = self.reply_target(message)
        record.repost_of_author = forwarded_author(message)
        return record


def chats_of(document: Any) -> list[tuple[str, Any]]:
    """Return (where, chat) for each chat of a single-chat or full-account export."""
    if not isinstance(document, dict):
        return []
    if isinstance(document.get("messages"), list):
        return [("", document)]
    chats = []
    for section in ("chats", "left_chats"):
        for index, chat in enumerate(as_list(as_dict(document.get(section)).get("list"))):
            chats.append((f"{section}.list[{index}].", chat))
    return chats


def chat_items(chat: Any, prefix: str, skipped: dict[str, int]) -> Iterator[ParseItem]:
    """Yield the records and row errors of one exported chat, counting skipped messages."""
    if not isinstance(chat, dict) or as_int(chat.get("id")) is None:
        yield RowError(None, "chat has no id", prefix.rstrip(".") or None)
        return
    context = Chat(chat)
    for index, message in enumerate(as_list(chat.get("messages"))):
        where = f"{prefix}messages[{index}]"
        if not isinstance(message, dict):
            yield RowError(None, "not a Telegram message (a JSON object)", where)
            continue
        kind = message.get("type")
        if kind != "message":
            label = kind if isinstance(kind, str) else "untyped"
            skipped[label] = skipped.get(label, 0) + 1
            continue
        try:
            yield context.record(message)
        except Exception as error:  # a bad value costs its row
            yield RowError(None, reason_of(error), where)


def parse(stream: TextIO, filename: str) -> Iterator[ParseItem]:
    """Yield a record per Telegram message, a RowError per unusable one."""
    document = read_document(stream)
    chats = chats_of(document)
    if not chats:
        raise FileError(
            "not a Telegram Desktop export: expected a chat with messages[] or chats.list[]"
        )
    skipped: dict[str, int] = {}
    for prefix, chat in chats:
        yield from chat_items(chat, prefix, skipped)
    if skipped:
        total = sum(skipped.values())
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
        yield ParseWarning(f"skipped {total} messages that are not posts ({kinds})")


class TelegramParser:
    """Telegram Desktop JSON export (result.json)."""

    name = "telegram"
    label = "Telegram Desktop export (result.json)"

    def sniff(self, head: str) -> bool:
        """Say whether ``head`` looks like a Telegram Desktop export."""
        return sniff(head)

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield the records (and row errors) of a Telegram export."""
        return parse(stream, filename)


PARSER = TelegramParser()
