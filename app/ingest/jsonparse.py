"""Parsing JSON text fast, with the standard library's results and errors.

Imports read hundreds of megabytes of JSON; ``json.loads`` spent a quarter of the reading
process's time there (bench/RESULTS.md). msgspec's decoder builds the same Python values about
1.7 times faster. It is stricter than ``json`` in a few corners (``NaN`` and ``Infinity``, lone
surrogate escapes such as ``"\\ud800"``, numbers beyond a double's range), where it raises:
such a text is parsed again by ``json``, which gives the value (or the error message) it always
gave. msgspec was chosen over orjson because orjson turns integers above 64 bits into floats
silently, where ``json`` keeps them exact.

One value differs from ``json``'s on purpose: a lone surrogate (``"\\ud800"`` without its
pair) becomes U+FFFD, as an invalid byte does when a file is decoded. No database can store
it, so it used to stop the whole import at the first write, with a stack trace.

A value nested deeper than ``json`` follows raises ``json.JSONDecodeError`` ("nested too
deeply"): on a line of JSON Lines that costs the line. A whole document (a Telegram export)
is one value, so there, with ``deep=True``, each part nested deeper than :data:`MAX_DEPTH` is
read as the string :data:`TOO_DEEP` instead: the record holding it is rejected
(app.ingest.vet), the rest of the document is read.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

__all__ = ["MAX_DEPTH", "TOO_DEEP", "loads"]

MAX_DEPTH = 400  # well inside Python's recursion limit, far beyond any real export's nesting
TOO_DEEP = "\x00(a value nested too deeply)\x00"  # a NUL: no real text holds it
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')

_decode = msgspec.json.Decoder().decode
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str | bytes, deep: bool = False) -> Any:
    """Return the value of a JSON text, as ``json.loads`` would; raise as it would.

    A value nested deeper than ``json`` can follow raises ``json.JSONDecodeError`` ("nested
    too deeply"), not ``RecursionError``: it is a bad row like any other. With ``deep``, such
    parts are read as :data:`TOO_DEEP` instead (see the module's docstring).
    """
    try:
        return _decode(text)
    except (msgspec.DecodeError, RecursionError, UnicodeEncodeError):
        # UnicodeEncodeError: a text holding a lone surrogate itself (not its escape)
        try:
            value = json.loads(text)
            if isinstance(text, str) and (
                _SURROGATE_ESCAPE.search(text) or _LONE_SURROGATE.search(text)
            ):
                return _without_lone_surrogates(value)
        except RecursionError:
            if deep:
                return loads(_shallow(_as_str(text)))
            raise json.JSONDecodeError("JSON nested too deeply", _as_str(text), 0) from None
        return value


def _shallow(text: str) -> str:
    """Return ``text`` with every array or object opened below :data:`MAX_DEPTH` replaced by
    the JSON string :data:`TOO_DEEP` (strings are skipped whole, so brackets in them count
    for nothing)."""
    parts, depth, cut_from, last = [], 0, None, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        if token in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1 and cut_from is None:
                cut_from = match.start()
        else:
            if depth == MAX_DEPTH + 1 and cut_from is not None:
                parts.append(text[last:cut_from])
                parts.append(json.dumps(TOO_DEEP))
                last, cut_from = match.end(), None
            depth -= 1
    if cut_from is not None:  # never closed: the document is broken there anyway
        parts.append(text[last:cut_from])
        parts.append(json.dumps(TOO_DEEP))
        last = len(text)
    parts.append(text[last:])
    return "".join(parts)


def _as_str(text: str | bytes) -> str:
    return text if isinstance(text, str) else text.decode("utf-8", "replace")


def _without_lone_surrogates(value: Any) -> Any:
    """Return ``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    return value
