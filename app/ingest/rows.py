"""Turning parsed records into rows ready to write: everything but the database.

Handles normalised, topics found (tags and brand terms), the time as stored and which
optional columns a post fills. It runs in the import's reading process when there is one
(app.services.ingest_reader), so it imports no database code: that process stays small and
starts fast. :class:`app.services.ingest_writer.BatchWriter` writes the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from itertools import compress
from operator import is_not
from typing import NamedTuple

from app.ingest.record import MentionRecord, brand_topic, normalize_handle, normalize_topic
from app.ingest.vet import ANALYSED_CHARS

TARGET_KINDS = ("reply", "repost", "quote")
KINDS = ("post", *TARGET_KINDS)
EDGE_KINDS = (*TARGET_KINDS, "mention")  # constants: they are written into the SQL
SENTIMENT_SOURCES = ("imported", "computed")
# A post's "shape" says which of its optional columns it fills: bit i for _ROW_OPTIONAL[i]
# (values from the row), then one bit per reply/repost/quote author id (from its links), then
# its kind and sentiment source. Posts of one shape are inserted by one statement naming
# just those columns (see BatchWriter._insert_mentions).
_ROW_OPTIONAL = (
    "url", "lang", "reply_to_id", "repost_of_id", "quote_of_id",
    "likes", "reposts", "replies", "views", "sentiment_score",
)  # fmt: skip
_ROW_OPTIONAL_COLUMNS = (
    "url", "lang", "reply_to_external_id", "repost_of_external_id", "quote_of_external_id",
    "likes", "reposts", "replies", "views", "sentiment_score",
)  # fmt: skip
_ROW_BITS = tuple(1 << i for i in range(len(_ROW_OPTIONAL)))
_NO_VALUES = (None,) * len(_ROW_OPTIONAL)
_LINK_COLUMNS = ("reply_to_author_id", "repost_of_author_id", "quote_of_author_id")
_LINK_SHIFT = len(_ROW_OPTIONAL)
_LINK_BITS = {kind: 1 << (_LINK_SHIFT + i) for i, kind in enumerate(TARGET_KINDS)}
_KIND_SHIFT = _LINK_SHIFT + len(TARGET_KINDS)
_KIND_BITS = {kind: i << _KIND_SHIFT for i, kind in enumerate(KINDS)}
_SOURCE_SHIFT = _KIND_SHIFT + 2
_SOURCE_BITS = {source: i << _SOURCE_SHIFT for i, source in enumerate(SENTIMENT_SOURCES)}


class Row(NamedTuple):
    """A mention ready to write: database-free work done, ids still to find.

    ``at`` is the UTC time as ``YYYY-MM-DD HH:MM:SS.ffffff`` (how SQLAlchemy stores it on
    SQLite; it also sorts in time order). ``targets`` are ``(kind, handle key, handle as
    written)`` for the reply, repost and quote targets and then every mentioned handle, in
    that order. Being a plain tuple, a row crosses between processes ten times cheaper than a
    :class:`MentionRecord`.
    """

    platform: str
    id: str
    author: str
    author_key: str
    at: str
    kind: str
    text: str
    url: str | None
    lang: str | None
    reply_to_id: str | None
    repost_of_id: str | None
    quote_of_id: str | None
    likes: int | None
    reposts: int | None
    replies: int | None
    views: int | None
    sentiment: str
    sentiment_score: float | None
    sentiment_source: str
    author_name: str | None
    author_followers: int | None
    author_url: str | None
    targets: tuple[tuple[str, str, str], ...]
    topics: tuple[str, ...]
    shape: int  # which optional columns the post fills, its kind and source (see above)


_new_row = partial(tuple.__new__, Row)  # Row(*values) without NamedTuple's Python-level __new__


def as_rows(values: list[tuple]) -> list[Row]:
    """Turn plain tuples (as rows cross between processes) back into :class:`Row` objects."""
    return list(map(_new_row, values))


def brand_matcher(terms: list[str], *, apart: bool = False) -> Callable[[str], list[str]]:
    """Return a function listing the topics of the brand terms found in a text (see
    :func:`~app.ingest.record.brand_topic`: "#python" for the term "Python", or "python" when
    the workspace keeps brand terms ``apart`` from their hashtags).

    A term matches at word boundaries; a Cyrillic term may carry a short inflection ending
    ("Яндекс" finds "Яндексу"), since Russian declines brand names.
    """
    patterns = []
    for term in terms:
        escaped = re.escape(term.lower())
        ending = r"\w{0,3}" if re.search("[а-яё]", term.lower()) else r"(?:'s)?"
        pattern = re.compile(rf"(?<!\w){escaped}{ending}(?!\w)")
        patterns.append((term.lower(), brand_topic(term, apart=apart), pattern))
    if not patterns:
        return lambda text: []

    def find(text: str) -> list[str]:
        lowered = text.lower()
        return [
            topic
            for term, topic, pattern in patterns
            if term in lowered and pattern.search(lowered)
        ]

    return find


def record_topics(
    record: MentionRecord, find_brands: Callable[[str], list[str]], normalized: dict[str, str]
) -> tuple[str, ...]:
    """Return a record's topics as stored: its tags normalised, plus the brand terms it names.

    ``normalized`` caches tag -> stored form between records (tags repeat).
    """
    text = record.text
    tags, brands = record.tags, find_brands(
        text if len(text) <= ANALYSED_CHARS else text[:ANALYSED_CHARS]
    )
    if not tags:
        return tuple(dict.fromkeys(term for term in brands if term)) if brands else ()
    topics = set(brands)
    for tag in tags:
        stored = normalized.get(tag)
        if stored is None:
            stored = normalized[tag] = normalize_topic(tag)[:200]
        topics.add(stored)
    topics.discard("")
    return tuple(topics)


def _stored_time(at: datetime) -> str:
    """Return a UTC time as stored: ``YYYY-MM-DD HH:MM:SS.ffffff`` (the zone suffix cut off;
    three times faster than dropping the zone first)."""
    if at.tzinfo is not UTC and at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.isoformat(" ", "microseconds")[:26]


def prepare(records: list[MentionRecord], find_brands: Callable[[str], list[str]]) -> list[Row]:
    """Turn enriched records into rows for :class:`BatchWriter` (no database needed)."""
    return RowMaker(find_brands)(records)


class RowMaker:
    """Turns batches of enriched records into rows, like :func:`prepare`, remembering the
    normalised handles and topics between the batches of an import (they repeat: a million
    posts name ~200,000 people); the memory is bounded by :data:`CACHE_LIMIT` entries."""

    CACHE_LIMIT = 500_000

    def __init__(self, find_brands: Callable[[str], list[str]]) -> None:
        self.find_brands = find_brands
        self.keys: dict[str, str] = {}
        self.topics: dict[str, str] = {}

    def __call__(self, records: list[MentionRecord]) -> list[Row]:
        """Return the rows of ``records``."""
        for cache in (self.keys, self.topics):
            if len(cache) > self.CACHE_LIMIT:
                cache.clear()
        keys, topics_of, find_brands = self.keys, self.topics, self.find_brands

        def key(handle: str) -> str:
            found = keys.get(handle)
            if found is None:
                found = keys[handle] = normalize_handle(handle)[:255]
            return found

        rows = []
        for r in records:
            reply_author, repost_author, quote_author = (
                r.reply_to_author, r.repost_of_author, r.quote_of_author,
            )  # fmt: skip
            kind, source = r.kind, "computed" if r.sentiment_computed else "imported"
            shape = _KIND_BITS[kind] | _SOURCE_BITS[source]
            if reply_author or repost_author or quote_author or r.mentions:
                targets = []
                for target_kind, handle in (
                    ("reply", reply_author), ("repost", repost_author), ("quote", quote_author),
                ):  # fmt: skip
                    if handle and (handle_key := key(handle)):
                        targets.append((target_kind, handle_key, handle.lstrip("@")))
                        shape |= _LINK_BITS[target_kind]
                for handle in r.mentions:
                    if handle and (handle_key := key(handle)):
                        targets.append(("mention", handle_key, handle.lstrip("@")))
                targets = tuple(targets)
            else:  # most posts address nobody
                targets = ()
            url, lang, author_name, author_url = r.url, r.lang, r.author_name, r.author_url
            reply_to, repost_of, quote_of = r.reply_to_id, r.repost_of_id, r.quote_of_id
            optional = (
                url[:1000] if url else None, lang[:16] if lang else None,
                reply_to[:255] if reply_to else None, repost_of[:255] if repost_of else None,
                quote_of[:255] if quote_of else None, r.likes, r.reposts, r.replies, r.views,
                r.sentiment_score,
            )  # fmt: skip
            shape |= sum(compress(_ROW_BITS, map(is_not, optional, _NO_VALUES)))
            rows.append(_new_row((
                r.platform, r.id, r.author[:255], key(r.author), _stored_time(r.created_at), kind,
                r.text, *optional[:5], *optional[5:9], r.sentiment or "unknown", optional[9],
                source, author_name[:255] if author_name else None, r.author_followers,
                author_url[:1000] if author_url else None,
                targets, record_topics(r, find_brands, topics_of), shape,
            )))  # fmt: skip
        return rows
