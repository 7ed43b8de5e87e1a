"""Reading mention files: format detection, decompression, decoding, and the parsers.

>>> sorted(FORMATS)[:3]
['csv', 'jsonl', 'mastodon']
"""

from __future__ import annotations

import codecs
import gzip
import importlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from app.ingest.base import ParseItem, Parser, ParseWarning
from app.ingest.record import FileError, MentionRecord, RowError

__all__ = [
    "FORMATS",
    "FileError",
    "MentionRecord",
    "ParseItem",
    "ParseWarning",
    "Parser",
    "RowError",
    "detect_format",
    "get_parser",
    "open_text",
]

# Detection tries the platform formats first: their sniffers look for platform-specific keys,
# while the generic formats only check for the MentionRecord columns.
_MODULES = {
    "twitter-v1": "app.ingest.twitter_v1",
    "twitter-v2": "app.ingest.twitter_v2",
    "mastodon": "app.ingest.mastodon",
    "reddit": "app.ingest.reddit",
    "vk": "app.ingest.vk",
    "telegram": "app.ingest.telegram",
    "jsonl": "app.ingest.generic:JSONL",
    "csv": "app.ingest.generic:CSV",
}
FORMATS = tuple(_MODULES)
SNIFF_BYTES = 64 * 1024


def get_parser(name: str) -> Parser:
    """Return the parser for a format name, or raise ``ValueError`` listing the known ones."""
    target = _MODULES.get(name)
    if target is None:
        raise ValueError(f"unknown format {name!r}; use one of: auto, {', '.join(FORMATS)}")
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute or "PARSER")


def detect_format(head: str) -> str:
    """Return the name of the format whose sniffer accepts ``head``; raise ``FileError`` if none."""
    for name in FORMATS:
        if get_parser(name).sniff(head):
            return name
    raise FileError(
        "could not recognise the format; supported: MentionRecord CSV (with a header row "
        "naming platform,id,author,created_at,text) or JSON Lines, Twitter API v1.1 and v2 "
        "JSON, Mastodon statuses, Reddit things, VK API responses and Telegram Desktop "
        "exports (result.json). If the file is one of these, choose its format instead of "
        "detecting it."
    )


def _raw(path: Path) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115  (closed by the caller's context)
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    raw.seek(0)
    return raw


@contextmanager
def open_text(path: str | Path) -> Iterator[tuple[TextIO, str, BinaryIO]]:
    """Open a mention file as UTF-8 text (gzip and a byte-order mark handled).

    Yields ``(stream, head, raw)``: the text stream, its first ~64 KiB for detection, and the
    raw file for progress (``raw.tell()`` on the underlying file). Raises ``FileError`` for a
    missing, binary or non-UTF-8 file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileError("no such file")
    raw = _raw(path)
    try:
        try:
            head_bytes = raw.read(SNIFF_BYTES)
        except (OSError, EOFError) as error:
            raise FileError(f"cannot read the file: {error}") from None
        if b"\x00" in head_bytes:
            raise FileError("this is a binary file, not a text export (CSV, JSON or JSON Lines)")
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        try:
            head = decoder.decode(head_bytes)
        except UnicodeDecodeError as error:
            raise FileError(
                f"the file is not UTF-8 text (byte {error.start} cannot be decoded): "
                "save it as UTF-8 and import again"
            ) from None
        raw.seek(0)
        # Invalid UTF-8 later in a file must not abort a long import: such bytes become U+FFFD.
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        yield stream, head, raw
    finally:
        inner = getattr(raw, "fileobj", None)
        raw.close()
        if inner is not None:  # GzipFile does not close a file object it was given
            inner.close()


def file_position(raw: BinaryIO) -> int:
    """Return how far into the file on disk reading has got (compressed bytes for gzip)."""
    inner = getattr(raw, "fileobj", None)
    try:
        return (inner or raw).tell()
    except (OSError, ValueError):
        return 0
