"""Reading JSON sources that arrive either as JSON Lines or as one JSON document.

The platform parsers (Mastodon, Reddit, VK, Telegram) share this: JSON Lines are read one line
at a time so a large dump never sits in memory, while a pretty-printed document (an API
response, a Telegram export) is loaded whole because it cannot be split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from app.ingest.jsonparse import loads
from app.ingest.record import FileError, from_epoch

BOM = "\ufeff"


@dataclass(slots=True)
class JsonLine:
    """One line of a JSON Lines file: the parsed value, or why it could not be parsed."""

    line: int
    value: Any = None
    error: str | None = None


@dataclass(slots=True)
class JsonSource:
    """A JSON file: either ``document`` (one value) or ``lines`` (JSON Lines, read lazily)."""

    document: Any = None
    lines: Iterator[JsonLine] | None = None


def _first_line(stream: TextIO) -> tuple[int, str]:
    """Return the first non-blank line and its 1-based number (0 and "" when there is none)."""
    for number, raw in enumerate(stream, start=1):
        line = raw.lstrip(BOM) if number == 1 else raw
        if line.strip():
            return number, line
    return 0, ""


def _decode_error(error: json.JSONDecodeError) -> str:
    """Describe a JSON syntax error the way a user can act on it."""
    return f"not valid JSON ({error.msg} at column {error.colno})"


def _lines_from(first_number: int, first_value: Any, stream: TextIO) -> Iterator[JsonLine]:
    """Yield the already parsed first line, then parse the rest of the stream line by line."""
    yield JsonLine(first_number, first_value)
    number = first_number
    for raw in stream:
        number += 1
        if not raw.strip():
            continue
        try:
            yield JsonLine(number, loads(raw))
        except json.JSONDecodeError as error:
            yield JsonLine(number, error=_decode_error(error))
        except RecursionError:
            yield JsonLine(number, error="JSON nested too deeply")


def open_json(stream: TextIO) -> JsonSource:
    """Detect JSON Lines or a single JSON document; raise FileError when it is neither."""
    try:
        number, first = _first_line(stream)
        if not first:
            raise FileError("the file is empty")
        stripped = first.strip()
        if stripped.startswith(("{", "[")):
            try:
                value = loads(stripped)
            except (json.JSONDecodeError, RecursionError):
                value = None  # a pretty-printed document spans lines: read it whole below
            if isinstance(value, dict | list):
                # A first line that is whole JSON makes this JSON Lines (a one-line document
                # is the same thing with a single line).
                return JsonSource(lines=_lines_from(number, value, stream))
        if not stripped.startswith(("{", "[")):
            raise FileError(f"not JSON (the file starts with {stripped[:40]!r})")
        text = first + stream.read()
    except UnicodeDecodeError as error:
        raise FileError(f"the file is not UTF-8 text ({error.reason})") from None
    return JsonSource(document=parse_document(text))


def parse_document(text: str) -> Any:
    """Parse a whole JSON document; raise FileError naming where the syntax breaks."""
    try:
        return loads(text.lstrip(BOM))
    except json.JSONDecodeError as error:
        raise FileError(
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise FileError("JSON nested too deeply") from None


def read_document(stream: TextIO) -> Any:
    """Read the whole stream as one JSON document; raise FileError when it is not one."""
    try:
        text = stream.read()
    except UnicodeDecodeError as error:
        raise FileError(f"the file is not UTF-8 text ({error.reason})") from None
    if not text.strip(BOM + " \t\r\n"):
        raise FileError("the file is empty")
    return parse_document(text)


def as_int(value: Any) -> int | None:
    """Return ``value`` as an int when it is a whole number (or its string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def epoch_time(value: Any, field: str) -> datetime:
    """Return the UTC time of a Unix timestamp; raise ValueError naming the field otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{field} {value!r} is not a Unix timestamp")
    try:
        return from_epoch(value)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ValueError(f"{field} {value!r} is not a Unix timestamp") from None


def as_dict(value: Any) -> dict:
    """Return ``value`` when it is a dict, else an empty one (missing nested objects)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """Return ``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """Return ``value`` stripped when it is a non-empty string, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def head_objects(head: str) -> str:
    """Return ``head`` without a BOM and leading whitespace, for cheap prefix checks."""
    return head.lstrip(BOM + " \t\r\n")


GENERIC_RECORD_RE = re.compile(r'"platform"\s*:\s*"')


def looks_generic(head: str) -> bool:
    """Say whether ``head`` looks like the generic MentionRecord JSON Lines (a platform key)."""
    start = head_objects(head)[:2000]
    return bool(GENERIC_RECORD_RE.search(start)) and '"created_at"' in start
