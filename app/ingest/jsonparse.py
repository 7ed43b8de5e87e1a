"""Parsing JSON text fast, with exactly the standard library's results and errors.

Imports read hundreds of megabytes of JSON; ``json.loads`` spends a quarter of the reading
process's time there (bench/RESULTS.md). msgspec's decoder builds the same Python values about
1.7 times faster. It is stricter than ``json`` in a few corners (``NaN`` and ``Infinity``, lone
surrogate escapes such as ``"\\ud800"``, numbers beyond a double's range), where it raises:
such a text is parsed again by ``json``, which gives the value (or the error message) it always
gave. msgspec was chosen over orjson because orjson turns integers above 64 bits into floats
silently, where ``json`` keeps them exact.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

__all__ = ["loads"]

_decode = msgspec.json.Decoder().decode


def loads(text: str | bytes) -> Any:
    """Return the value of a JSON text, as ``json.loads`` would; raise as it would."""
    try:
        return _decode(text)
    except (msgspec.DecodeError, RecursionError):
        return json.loads(text)
