"""The last check of a parsed record before it is stored: what no database could take, or what
would mislead the scores, is rejected, repaired or flagged here, whatever format it came from.

A parser turns a row into a :class:`MentionRecord` and rejects what it cannot read; this check
holds every record to what the database and the scoring need, so that one bad value costs
only its row and never the import:

- ``platform``, ``id`` and ``author`` are non-empty strings within the column sizes, every
  other text field a string or nothing (else the row is rejected, saying which field);
- a lone surrogate (``"\\ud800"`` without its pair) or a NUL, which no database stores in
  text, becomes U+FFFD;
- a count beyond the largest stored integer (2**63 - 1) is clamped to it, with a warning;
- a post dated before :data:`EARLIEST_POST` or more than :data:`FUTURE_TOLERANCE` after now
  is kept, with a warning: the scoring leaves it out (its window never ends after now), so a
  mistyped or placeholder date neither hides the real posts nor counts as recent;
- a text longer than :data:`ANALYSED_CHARS` is kept whole, with a warning: language,
  sentiment, mentions, tags and brand terms are read from its first part only.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from app.ingest.jsonparse import TOO_DEEP
from app.ingest.record import EARLIEST_POST, FUTURE_TOLERANCE, MentionRecord

__all__ = [
    "ANALYSED_CHARS",
    "storable",
    "LIMITS",
    "MAX_COUNT",
    "Vetter",
    "date_problem",
]

LIMITS = {"platform": 32, "id": 255, "author": 255}
_PLATFORM_LIMIT, _ID_LIMIT, _AUTHOR_LIMIT = LIMITS["platform"], LIMITS["id"], LIMITS["author"]
MAX_COUNT = 2**63 - 1  # BIGINT, the counts' column type on every database
# Characters of a post's text that the text steps read (language, sentiment, mentions, tags,
# brand terms): a long blog post's opening says as much as its whole, and some steps cost more
# than linear time on a huge text without spaces (1 MB once took 287 s).
ANALYSED_CHARS = 10_000
WARNINGS_PER_KIND = 10  # per file: the first few by post, then one line with the rest's count

_OPTIONAL_TEXT = (
    "author_name", "author_url", "url", "lang", "reply_to_id", "reply_to_author",
    "repost_of_id", "repost_of_author", "quote_of_id", "quote_of_author", "sentiment",
)  # fmt: skip
_COUNTS = ("author_followers", "likes", "reposts", "replies", "views")
# What no database stores in text: a NUL (PostgreSQL refuses it) and a lone surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def date_problem(at: datetime, now: datetime) -> str | None:
    """Say why a post's time is out of the range the scoring trusts, or return ``None``."""
    if at < EARLIEST_POST:
        return f"dated {at:%Y-%m-%d}, before {EARLIEST_POST:%Y}"
    if at > now + FUTURE_TOLERANCE:
        return f"dated {at:%Y-%m-%d}, more than a day after now"
    return None


def _unstorable(value: str) -> bool:
    """Say whether a text holds a NUL or a lone surrogate (cheaply for plain ASCII)."""
    return "\x00" in value or (not value.isascii() and _UNSTORABLE.search(value) is not None)


def storable(value: str) -> str:
    """Return ``value`` with each NUL and lone surrogate replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", value) if _unstorable(value) else value


_storable = storable


class Vetter:
    """Checks the records of one import against ``now`` and collects the warnings per file."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._counts: dict[tuple[str, str], int] = {}

    def __call__(self, record: MentionRecord, file: str, warn) -> str | None:
        """Return why ``record`` must be rejected, or ``None`` after repairing it in place.

        ``warn(message)`` receives the warnings meant for the user.
        """
        platform, external_id, author, text = (
            record.platform, record.id, record.author, record.text,
        )  # fmt: skip
        if type(platform) is not str or type(external_id) is not str or type(author) is not str:
            return _wrong_types(record)
        if not platform or not external_id or not author:
            return next(
                f"{name} is missing"
                for name in ("platform", "id", "author")
                if not getattr(record, name)
            )
        if (
            len(external_id) > _ID_LIMIT
            or len(author) > _AUTHOR_LIMIT
            or len(platform) > _PLATFORM_LIMIT
        ):
            for name, limit in LIMITS.items():
                if len(getattr(record, name)) > limit:
                    return f"post {external_id[:40]}: {name} is longer than {limit} characters"
        if type(text) is not str:
            return f"post {external_id[:40]}: text is not a string"
        problem = self._check_rest(record)
        if problem:
            return f"post {external_id[:40]}: {problem}"
        if _unstorable(text):
            if TOO_DEEP in text:
                return f"post {external_id[:40]}: text is a value nested too deeply to read"
            record.text = text = _storable(text)
        if _unstorable(platform) or _unstorable(external_id) or _unstorable(author):
            if TOO_DEEP in platform + external_id + author:
                return "a value nested too deeply to read stands where the post's id is"
            record.platform = _storable(platform)
            record.id = external_id = _storable(external_id)
            record.author = _storable(author)
        for name in _COUNTS:
            value = getattr(record, name)
            if value is not None and not -MAX_COUNT <= value <= MAX_COUNT:
                setattr(record, name, MAX_COUNT if value > 0 else -MAX_COUNT)
                self._warn(file, "count", warn,
                           f"post {external_id[:40]}: {name} {_big(value)} is beyond any real count;"
                           f" stored as {getattr(record, name):,}")  # fmt: skip
        why = date_problem(record.created_at, self.now)
        if why:
            self._warn(file, "date", warn,
                       f"post {external_id[:40]} is {why}: kept, but left out of the scores")  # fmt: skip
        if len(text) > ANALYSED_CHARS:
            self._warn(file, "long", warn,
                       f"post {external_id[:40]} has {len(text):,} characters: kept whole, but its"
                       f" language, sentiment, mentions and topics are read from the first"
                       f" {ANALYSED_CHARS:,}")  # fmt: skip
        return None

    def _check_rest(self, record: MentionRecord) -> str | None:
        """Check the optional fields' types, clean their lone surrogates; say what is wrong."""
        if not isinstance(record.created_at, datetime) or record.created_at.tzinfo is None:
            return "created_at is not a time with a zone"
        for name in _OPTIONAL_TEXT:
            value = getattr(record, name)
            if value is None:
                continue
            if type(value) is not str:
                return f"{name} is not a string"
            if _unstorable(value):
                if TOO_DEEP in value:
                    return f"{name} is a value nested too deeply to read"
                setattr(record, name, _storable(value))
        for name in ("mentions", "tags"):
            values = getattr(record, name)
            if type(values) is not list:
                return f"{name} is not a list"
            for value in values:
                if type(value) is not str:
                    return f"{name} holds {_kind(value)}, not a handle or tag"
            if any(map(_unstorable, values)):
                if any(TOO_DEEP in value for value in values):
                    return f"{name} hold a value nested too deeply to read"
                setattr(record, name, [_storable(value) for value in values])
        for name in _COUNTS:
            value = getattr(record, name)
            if value is not None and type(value) is not int:  # a Reddit score may be negative
                return f"{name} {_short(value)} is not a whole number"
        score = record.sentiment_score
        if score is not None and (
            type(score) not in (int, float) or not math.isfinite(score) or not -1 <= score <= 1
        ):
            return f"sentiment {_short(score)} is not a number in [-1, 1]"
        return None

    def _warn(self, file: str, kind: str, warn, message: str) -> None:
        key = (file, kind)
        seen = self._counts.get(key, 0)
        self._counts[key] = seen + 1
        if seen < WARNINGS_PER_KIND:
            warn(f"{file}: {message}")

    def summaries(self, file: str | None = None) -> list[str]:
        """Return one line per kind of warning given more often than shown, for ``file``
        (default: every file)."""
        lines = []
        for (name, kind), seen in sorted(self._counts.items()):
            if (file is None or name == file) and seen > WARNINGS_PER_KIND:
                what = {"count": "counts clamped", "date": "posts dated out of range",
                        "long": "long texts read in part"}[kind]  # fmt: skip
                lines.append(f"{name}: {seen - WARNINGS_PER_KIND:,} more {what}")
        return lines


def _big(number: int) -> str:
    """Return a huge whole number in a few characters: ``1e+20``, or its count of digits."""
    try:
        return f"{number:.3g}"
    except OverflowError:  # beyond a double
        return f"(a number of {len(str(number)):,} digits)"


def _kind(value: Any) -> str:
    return f"a {type(value).__name__}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _wrong_types(record: MentionRecord) -> str:
    for name in ("platform", "id", "author"):
        value = getattr(record, name)
        if type(value) is not str:
            return f"{name} is {_kind(value)}, not a string"
    return "a field has the wrong type"
