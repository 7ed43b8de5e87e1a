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
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

__all__ = ["loads"]

_decode = msgspec.json.Decoder().decode
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str | bytes) -> Any:
    """Return the value of a JSON text, as ``json.loads`` would; raise as it would."""
    try:
        return _decode(text)
    except (msgspec.DecodeError, RecursionError):
        value = json.loads(text)
        if isinstance(text, str) and _SURROGATE_ESCAPE.search(text):
            return _without_lone_surrogates(value)
        return value


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
