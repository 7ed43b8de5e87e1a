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


def _first_line_error(text: str) -> str:
    """Say what is wrong with a damaged first line of JSON Lines."""
    try:
        loads(text)
    except json.JSONDecodeError as error:
        return _decode_error(error) + ": a cut or corrupted line?"
    return "not a JSON object: a cut or corrupted line?"


def _decode_error(error: json.JSONDecodeError) -> str:
    """Describe a JSON syntax error the way a user can act on it."""
    return f"not valid JSON ({error.msg} at column {error.colno})"


def _lines_from(
    first_number: int, first_value: Any, stream: TextIO, before: tuple[JsonLine, ...] = ()
) -> Iterator[JsonLine]:
    """Yield the lines ``before``, the already parsed first line, then parse the rest of the
    stream line by line."""
    yield from before
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
        # Not whole JSON: a pretty-printed document, or JSON Lines whose first line is damaged
        # (cut, corrupted), which the second line shows: a whole object on a line of its own,
        # where a pretty-printed object has a key. (After a lone "[" it is an array's item.)
        consumed, second = [], None
        if not stripped.startswith("["):
            for raw in stream:
                consumed.append(raw)
                if raw.strip():
                    second = raw.strip()
                    break
        if second is not None and second.startswith("{"):
            try:
                second_value = loads(second)
            except (json.JSONDecodeError, RecursionError):
                second_value = None
            if isinstance(second_value, dict):
                damaged = JsonLine(number, error=_first_line_error(stripped))
                return JsonSource(
                    lines=_lines_from(number + len(consumed), second_value, stream, (damaged,))
                )
        if not stripped.startswith(("{", "[")):
            raise FileError(f"not JSON (the file starts with {stripped[:40]!r})")
        text = first + "".join(consumed) + stream.read()
    except UnicodeDecodeError as error:
        raise FileError(f"the file is not UTF-8 text ({error.reason})") from None
    return JsonSource(document=parse_document(text))


def parse_document(text: str) -> Any:
    """Parse a whole JSON document; raise FileError naming where the syntax breaks (a part
    nested too deeply costs its record, not the document: see app.ingest.jsonparse)."""
    try:
        return loads(text.lstrip(BOM), deep=True)
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


_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[{}\[\]]')


def top_level_keys(head: str) -> set[str]:
    """Return the keys of the top-level object that ``head`` (a file's start) opens, as far as
    the head goes; empty when it does not open an object. Reads the document's shape: a key
    named deep inside (a message's ``from_id``) is not one of them."""
    text = head_objects(head)
    if not text.startswith("{"):
        return set()
    keys: set[str] = set()
    depth = 0
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if token in ("{", "["):
            depth += 1
        elif token in ("}", "]"):
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and token.endswith(":"):
            keys.add(token[1 : token.rindex('"')])
    return keys


GENERIC_RECORD_RE = re.compile(r'"platform"\s*:\s*"')


def looks_generic(head: str) -> bool:
    """Say whether ``head`` looks like the generic MentionRecord JSON Lines (a platform key)."""
    start = head_objects(head)[:2000]
    return bool(GENERIC_RECORD_RE.search(start)) and '"created_at"' in start
