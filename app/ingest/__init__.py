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
    "detect_file_format",
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
# When the head fits no format, detection looks again after each of the first few lines (a
# damaged first line, a first row longer than the head), reading at most this far in.
SKIPPED_LINES = 3
SKIP_BYTES = 32 * 1024 * 1024
# A head with more invalid UTF-8 than this is another encoding (a cp1251 CSV, say): refused
# whole, saying so. Fewer (a stray byte) are read as U+FFFD, with a warning, like later ones.
STRAY_BYTES = 16
REPLACED = "influence-replace"
replaced_bytes = [0]  # invalid UTF-8 sequences read as U+FFFD in this process so far


def _count_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    replaced_bytes[0] += 1
    return "\ufffd", error.end


codecs.register_error(REPLACED, _count_and_replace)


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
        try:
            fits = get_parser(name).sniff(head)
        except Exception:  # noqa: BLE001  a sniffer fed deep or odd JSON: it does not fit
            fits = False
        if fits:
            return name
    raise FileError(
        "could not recognise the format; supported: MentionRecord CSV (with a header row "
        "naming platform,id,author,created_at,text) or JSON Lines, Twitter API v1.1 and v2 "
        "JSON, Mastodon statuses, Reddit things, VK API responses and Telegram Desktop "
        "exports (result.json). Name the format with --format if it is one of these."
    )


def detect_file_format(path: str | Path, head: str) -> str:
    """Return the format of the file at ``path`` whose first bytes are ``head``.

    Reads the structure, not one line: when the head fits no format, the text after each of
    the first :data:`SKIPPED_LINES` lines is tried too, so a damaged first line or a first
    row longer than the head costs that row (the parser rejects it), not the file. Raises
    ``FileError`` when nothing fits.
    """
    try:
        return detect_format(head)
    except FileError as error:
        failure = error
    for later in _later_heads(Path(path)):
        try:
            return detect_format(later)
        except FileError:
            continue
    if "\x00" in head and _mostly_binary(head):
        raise FileError("this is a binary file, not a text export (CSV, JSON or JSON Lines)")
    raise failure


def _mostly_binary(head: str) -> bool:
    """Say whether a head that fits no format looks binary rather than text with a stray NUL."""
    controls = sum(1 for char in head[:4096] if char < " " and char not in "\t\r\n")
    return controls * 50 > min(len(head), 4096) or "\ufffd" in head[:64]


def _later_heads(path: Path) -> Iterator[str]:
    """Yield the head of the text after each of the file's first few lines."""
    raw = _raw(path)
    try:
        read = 0
        for _ in range(SKIPPED_LINES):
            while True:  # to the end of the current line, in bounded steps
                chunk = raw.readline(1024 * 1024)
                read += len(chunk)
                if not chunk or chunk.endswith(b"\n") or read > SKIP_BYTES:
                    break
            if not chunk or read > SKIP_BYTES:
                return
            position = raw.tell()
            yield raw.read(SNIFF_BYTES).decode("utf-8", "replace").replace("\x00", " ")
            raw.seek(position)
    finally:
        _close(raw)


def _close(raw: BinaryIO) -> None:
    inner = getattr(raw, "fileobj", None)
    raw.close()
    if inner is not None:  # GzipFile does not close a file object it was given
        inner.close()


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
    missing file or one in another encoding. Invalid UTF-8 bytes are read as U+FFFD (and
    counted in :data:`replaced_bytes`); a NUL byte is left to the parser, which rejects its
    row (:func:`detect_file_format` refuses a binary file).
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
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        try:
            head = decoder.decode(head_bytes)
        except UnicodeDecodeError as error:
            head = codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode(head_bytes)
            if head.count("\ufffd") > STRAY_BYTES and b"\x00" not in head_bytes:
                raise FileError(
                    f"the file is not UTF-8 text (byte {error.start} cannot be decoded): "
                    "save it as UTF-8 and import again"
                ) from None
        raw.seek(0)
        # Invalid UTF-8 must not abort an import: such bytes become U+FFFD (counted).
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors=REPLACED, newline="")
        yield stream, head, raw
    finally:
        _close(raw)


def file_position(raw: BinaryIO) -> int:
    """Return how far into the file on disk reading has got (compressed bytes for gzip)."""
    inner = getattr(raw, "fileobj", None)
    try:
        return (inner or raw).tell()
    except (OSError, ValueError):
        return 0
