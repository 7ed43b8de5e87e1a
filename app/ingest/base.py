"""What a parser is: a name, a sniffer for format detection, and a generator of records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TextIO

from app.ingest.record import FileError, MentionRecord, RowError


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


def reason_of(error: Exception) -> str:
    """Return why a row could not be read, for the user: a ``ValueError``'s own words (the
    parsers word them so), else what kind of value broke the reading."""
    if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
        return str(error)
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    detail = str(error)
    detail = detail if len(detail) <= 120 else detail[:117] + "..."
    return f"a value of an unexpected type or size ({type(error).__name__}: {detail})"


def guarded(
    items: Callable[[], Iterable[ParseItem]], line: int | None, where: str | None = None
) -> list[ParseItem]:
    """Return the items read from one row (one line, one value) by ``items()``; a row that
    breaks the reading in a way the parser did not foresee becomes one :class:`RowError`
    instead of stopping the file."""
    try:
        return list(items())
    except FileError:
        raise
    except Exception as error:  # a bad value costs its row, never the file
        return [RowError(line, reason_of(error), where)]
