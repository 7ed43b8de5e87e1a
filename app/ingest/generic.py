"""The generic MentionRecord formats of DESIGN.md §4: CSV with a header row, and JSON Lines.

These are the formats we document for everyone else's exports, and the fast path for big
imports, so a row is turned into a record with as little work as possible.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from app.ingest.base import ParseItem, ParseWarning, reason_of
from app.ingest.jsonparse import loads
from app.ingest.record import (
    FileError,
    MentionRecord,
    RowError,
    is_topic_word,
    parse_sentiment,
    parse_timestamp,
)
from app.ingest.text import extract_mentions, extract_tags
from app.ingest.vet import ANALYSED_CHARS

REQUIRED = ("platform", "id", "author", "created_at", "text")
OPTIONAL = (
    "author_name", "author_followers", "author_url", "url", "lang",
    "reply_to_id", "reply_to_author", "repost_of_id", "repost_of_author",
    "quote_of_id", "quote_of_author", "mentions", "tags",
    "likes", "reposts", "replies", "views", "sentiment",
)  # fmt: skip
KNOWN = frozenset(REQUIRED + OPTIONAL)
COUNTS = ("author_followers", "likes", "reposts", "replies", "views")

# Post texts can be long; the csv module's default field limit (128 KiB) is too small for some.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _count(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if type(value) is str and value.isascii() and value.isdigit():  # the usual case, quickly
        return int(value)
    try:
        number = int(value) if isinstance(value, int) else int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):  # OverflowError: "1e400" is infinite
        raise ValueError(f"{field} {_short(value)} is not a whole number") from None
    if number < 0:
        raise ValueError(f"{field} {_short(value)} is negative")
    return number


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any, field: str = "a field") -> str | None:
    if type(value) is str:  # every CSV value: the usual case, quickly
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, dict | list):  # JSON: an object or array where text belongs
        raise ValueError(f"{field} is a JSON {'object' if isinstance(value, dict) else 'array'}, not text")
    text = str(value).strip()
    return text or None


def _words(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return str(value).replace(",", " ").split()


def _optional_text(value: Any, field: str = "a field") -> str | None:
    if type(value) is str:
        return value.strip() or None
    return None if value is None else _text(value, field)


def _handle(value: Any, field: str = "a field") -> str | None:
    handle = _optional_text(value, field)
    return (handle.lstrip("@") or None) if handle else None


def record_from_fields(
    get: Callable[[str], Any], left_out: list[str] | None = None
) -> MentionRecord:
    """Build a record from a field getter (``get(name)`` returns the value or ``None``).

    Raises ``ValueError`` naming the field that is wrong. This runs once per imported row,
    so it reads each field once and builds the record in one call. Tags of the ``tags`` field
    that cannot be topics (see :func:`is_topic_word`) are left out and added to ``left_out``.
    """
    platform = _text(get("platform"), "platform")
    external_id, author = _text(get("id"), "id"), _text(get("author"), "author")
    if platform is None or external_id is None or author is None:
        for field, value in (("platform", platform), ("id", external_id), ("author", author)):
            if value is None:
                raise ValueError(f"{field} is missing")
    created = _text(get("created_at"), "created_at")
    if created is None:
        raise ValueError("created_at is missing")
    text = get("text")
    text = "" if text is None else text if type(text) is str else (_text(text, "text") or "")
    author = author.lstrip("@")
    if not author:
        raise ValueError("author is missing")
    lang = _text(get("lang"), "lang")
    counts = {}
    for field in COUNTS:
        value = get(field)
        if value is not None and value != "":
            counts[field] = _count(value, field)
    sentiment, sentiment_score = parse_sentiment(get("sentiment"))
    extra_mentions = get("mentions")
    analysed = text if len(text) <= ANALYSED_CHARS else text[:ANALYSED_CHARS]
    mentions = extract_mentions(analysed) if "@" in analysed else []
    if extra_mentions:
        mentions = mentions + [h for h in (w.lstrip("@") for w in _words(extra_mentions)) if h]
    extra_tags = get("tags")
    tags = extract_tags(analysed) if "#" in analysed else []
    if extra_tags:
        words = _words(extra_tags)
        good = [word for word in words if is_topic_word(word)]
        if len(good) < len(words) and left_out is not None:
            left_out.extend(word for word in words if not is_topic_word(word))
        tags = tags + good
    return MentionRecord(
        platform=platform.lower(),
        id=external_id,
        author=author,
        created_at=parse_timestamp(created),
        text=text,
        author_name=_optional_text(get("author_name"), "author_name"),
        author_url=_optional_text(get("author_url"), "author_url"),
        url=_optional_text(get("url"), "url"),
        lang=lang.lower() if lang and lang.lower() not in ("und", "unknown") else None,
        reply_to_id=_optional_text(get("reply_to_id"), "reply_to_id"),
        reply_to_author=_handle(get("reply_to_author"), "reply_to_author"),
        repost_of_id=_optional_text(get("repost_of_id"), "repost_of_id"),
        repost_of_author=_handle(get("repost_of_author"), "repost_of_author"),
        quote_of_id=_optional_text(get("quote_of_id"), "quote_of_id"),
        quote_of_author=_handle(get("quote_of_author"), "quote_of_author"),
        mentions=list(dict.fromkeys(mentions)) if mentions else mentions,
        tags=list(dict.fromkeys(tags)) if tags else tags,
        sentiment=sentiment,
        sentiment_score=sentiment_score,
        **counts,
    )


def _without_nul(lines: Iterator[str]) -> Iterator[str]:
    """Yield the lines with each NUL read as U+FFFD: no database stores a NUL in text."""
    for line in lines:
        yield line.replace("\x00", "\ufffd") if "\x00" in line else line


class TagNotes:
    """Warnings about tags left out of a file's rows: one per row for the first
    :attr:`LIMIT` rows, then how many more (a file of junk must not make a million
    warnings)."""

    LIMIT = 20

    def __init__(self) -> None:
        self.left_out: list[str] = []
        self.rows = 0

    def warnings(self, line: int) -> Iterator[ParseWarning]:
        """Yield the warning for the row just read, if it lost tags."""
        if not self.left_out:
            return
        self.rows += 1
        if self.rows <= self.LIMIT:
            shown = ", ".join(repr(tag[:40]) for tag in self.left_out[:5])
            yield ParseWarning(f"line {line}: tag(s) {shown} left out: a tag must be a word")
        self.left_out.clear()

    def summary(self) -> Iterator[ParseWarning]:
        """Yield how many rows lost tags beyond those reported one by one."""
        if self.rows > self.LIMIT:
            yield ParseWarning(
                f"{self.rows - self.LIMIT:,} more row(s) had tags that are not words, left out"
            )


class CsvParser:
    """MentionRecord CSV: a header row naming the fields, one post per row."""

    name = "csv"
    label = "MentionRecord CSV"

    def sniff(self, head: str) -> bool:
        """Return whether the first line is a CSV header naming the required fields."""
        first = head.split("\n", 1)[0].strip().lower()
        if first.startswith(("{", "[")):
            return False
        try:
            header = next(csv.reader([first]))
        except (csv.Error, StopIteration):
            return False
        return set(REQUIRED) <= {column.strip() for column in header}

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield a record or a ``RowError`` per data row."""
        reader = csv.reader(_without_nul(stream))
        try:
            header = next(reader)
        except StopIteration:
            raise FileError("the file is empty: expected a CSV header row") from None
        except csv.Error as error:
            raise FileError(f"not readable as CSV: {error}") from None
        columns = [column.strip().lower() for column in header]
        missing = [field for field in REQUIRED if field not in columns]
        if missing:
            raise FileError(
                "the CSV header lacks the required column(s) "
                f"{', '.join(missing)}; it has: {', '.join(columns[:30]) or '(nothing)'}"
            )
        unknown = [column for column in columns if column and column not in KNOWN]
        if unknown:
            yield ParseWarning(f"unknown column(s) ignored: {', '.join(unknown)}")
        width = len(columns)
        line = reader.line_num
        notes = TagNotes()
        while True:
            try:
                row = next(reader)
            except StopIteration:
                yield from notes.summary()
                return
            except csv.Error as error:
                yield RowError(reader.line_num, f"broken CSV: {error}")
                line = reader.line_num
                continue
            start, line = line + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                yield RowError(start, f"has {len(row)} fields, the header has {width}")
                continue
            try:
                yield record_from_fields(dict(zip(columns, row, strict=True)).get, notes.left_out)
            except Exception as error:  # a bad value costs its row
                notes.left_out.clear()  # the row is rejected: its reason is enough
                yield RowError(start, reason_of(error))
            yield from notes.warnings(start)


class JsonlParser:
    """MentionRecord JSON Lines: one flat JSON object per line with the MentionRecord keys."""

    name = "jsonl"
    label = "MentionRecord JSON Lines"

    def sniff(self, head: str) -> bool:
        """Return whether the first line is a JSON object with the required keys."""
        first = head.lstrip().split("\n", 1)[0]
        try:
            item = json.loads(first)
        except ValueError:
            return False
        return isinstance(item, dict) and set(REQUIRED) <= item.keys()

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]:
        """Yield a record or a ``RowError`` per non-empty line.

        A damaged first line costs that row when the next one is JSON; two lines of something
        else first make the file not JSON Lines at all.
        """
        reported_unknown: set[str] = set()
        seen_json = False
        notes = TagNotes()
        first_error: RowError | None = None
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                item = loads(line)
            except ValueError as error:
                if not seen_json:
                    if first_error is not None:
                        raise FileError(
                            f"not JSON Lines: line {first_error.line} is not JSON"
                            f" ({first_error.reason.removeprefix('not valid JSON: ')})"
                        ) from None
                    first_error = RowError(number, f"not valid JSON: {error}")
                    continue
                yield RowError(number, f"not valid JSON: {error}")
                continue
            if first_error is not None:
                yield first_error
                first_error = None
            seen_json = True
            if not isinstance(item, dict):
                yield RowError(number, "expected a JSON object with MentionRecord keys")
                continue
            unknown = item.keys() - KNOWN - reported_unknown
            if unknown:
                reported_unknown |= unknown
                yield ParseWarning(f"unknown key(s) ignored: {', '.join(sorted(unknown))}")
            try:
                yield record_from_fields(item.get, notes.left_out)
            except Exception as error:  # a bad value costs its row
                notes.left_out.clear()  # the row is rejected: its reason is enough
                yield RowError(number, reason_of(error))
            yield from notes.warnings(number)
        if first_error is not None:  # one line, and it is not JSON
            raise FileError(
                f"not JSON Lines: line {first_error.line} is not JSON"
                f" ({first_error.reason.removeprefix('not valid JSON: ')})"
            )
        yield from notes.summary()


CSV = CsvParser()
JSONL = JsonlParser()
