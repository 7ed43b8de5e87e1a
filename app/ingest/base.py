"""What a parser is: a name, a sniffer for format detection, and a generator of records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, TextIO

from app.ingest.record import MentionRecord, RowError


@dataclass(slots=True)
class ParseWarning:
    """Something the user should know about a file that is not a rejected row.

    For example unknown CSV columns, reported once per file.
    """

    message: str


ParseItem = MentionRecord | RowError | ParseWarning


class Parser(Protocol):
    """A source format.

    ``sniff`` gets the first ~64 KiB of the file as text (BOM removed, possibly cut mid-line)
    and says whether this format fits; it must be cheap and never raise. ``parse`` reads the
    whole stream (text, UTF-8, BOM removed) and yields one item per row, never stopping at a
    bad row; it raises :class:`app.ingest.record.FileError` only when the file cannot be read
    at all, and should do so before yielding anything where it can.
    """

    name: str
    label: str

    def sniff(self, head: str) -> bool: ...

    def parse(self, stream: TextIO, filename: str) -> Iterator[ParseItem]: ...
