"""Query-string parameters read with bounds, the same way for the pages, the API and the CLI.

A value out of bounds never reaches the database (where a 20-digit page or id overflows the
driver, and a date in year 9999 overflows Python's datetime). It is dropped for the default
and reported as a :class:`ParamError` that names the parameter: pages show it as a notice and
go on, the API answers 400 with it.

>>> params = Params({"page": "99999999999999999999", "q": " Акме "})
>>> params.integer("page", default=1, low=1, high=MAX_PAGE), params.text("q")
(1, 'Акме')
>>> [error.parameter for error in params.errors]
['page']
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

MAX_PAGE = 100_000
"""The highest page number a list accepts (100,000 pages of 1,000 is beyond any workspace)."""

MAX_ID = 2**31 - 1
"""The highest database id: ids are 32-bit integers on PostgreSQL."""

MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2100, 12, 31)
"""Dates a filter accepts: wide enough for any post, narrow enough for time-zone arithmetic."""

MAX_TEXT = 200
"""Free-text parameters (searches, handles, topics) are cut to this many characters."""

_MAX_DIGITS = 24  # longer "numbers" are refused before int() or float() looks at them
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ParamError:
    """A query parameter whose value was refused; ``str()`` is the message in plain words."""

    parameter: str
    message: str

    def __str__(self) -> str:
        return self.message

    def as_json(self) -> dict:
        """Return the error as the API shows it."""
        return {"parameter": self.parameter, "message": self.message}


class Params:
    """Read parameters from a query-string mapping, collecting problems in :attr:`errors`.

    Each reader returns the parsed value, or the default when the parameter is absent, empty
    or refused (a refusal adds a :class:`ParamError`).
    """

    def __init__(self, args) -> None:
        self.args = args
        self.errors: list[ParamError] = []

    def raw(self, name: str) -> str:
        """Return the parameter as sent, stripped, without control characters ("" when absent).

        A NUL byte ends a string in SQLite's full-text queries and PostgreSQL refuses it.
        """
        value = self.args.get(name)
        return "" if value is None else _CONTROL.sub("", str(value)).strip()

    def refuse(self, name: str, message: str) -> None:
        """Record that ``name``'s value was refused, for ``message``."""
        self.errors.append(ParamError(name, message))

    def text(self, name: str, max_length: int = MAX_TEXT) -> str:
        """Return free text, cut to ``max_length`` characters."""
        return self.raw(name)[:max_length]

    def choice(self, name: str, allowed: Iterable[str], default: str = "") -> str:
        """Return the value if it is one of ``allowed``, else ``default``."""
        value, allowed = self.raw(name), tuple(allowed)
        if not value:
            return default
        if value not in allowed:
            self.refuse(name, f"{name} must be one of {', '.join(allowed)}")
            return default
        return value

    def integer(self, name: str, default: int | None, low: int, high: int) -> int | None:
        """Return a whole number from ``low`` to ``high``, else ``default``."""
        value = self.raw(name)
        if not value:
            return default
        try:
            number = int(value) if len(value) <= _MAX_DIGITS else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.refuse(name, f"{name} must be a whole number from {low:,} to {high:,}")
            return default
        return number

    def number(self, name: str, default: float | None, low: float, high: float) -> float | None:
        """Return a finite number from ``low`` to ``high``, else ``default``."""
        value = self.raw(name)
        if not value:
            return default
        try:
            number = float(value) if len(value) <= _MAX_DIGITS else math.nan
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and low <= number <= high):
            self.refuse(name, f"{name} must be a number from {low:g} to {high:g}")
            return default
        return number

    def identifier(self, name: str) -> int | None:
        """Return a database id (1 to :data:`MAX_ID`), else ``None``."""
        return self.integer(name, None, 1, MAX_ID)

    def moment(self, name: str) -> str:
        """Return an instant as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC; ISO 8601 read, no zone meaning
        UTC) between :data:`MIN_DATE` and :data:`MAX_DATE`, else ""."""
        value = self.raw(name)
        if not value:
            return ""
        try:
            parsed = datetime.fromisoformat(value[:40].replace("Z", "+00:00").replace(" ", "T"))
        except ValueError:
            self.refuse(name, f"{name} {value[:40]!r} is not a time like 2026-11-23T14:00Z")
            return ""
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if not MIN_DATE <= parsed.astimezone(UTC).date() < MAX_DATE:
            self.refuse(name, f"{name} must be a time from {MIN_DATE} to {MAX_DATE}")
            return ""
        return f"{parsed.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"

    def day(self, name: str) -> str:
        """Return a date as ``YYYY-MM-DD`` between :data:`MIN_DATE` and :data:`MAX_DATE`, else ""."""
        value = self.raw(name)
        if not value:
            return ""
        try:
            parsed = date.fromisoformat(value[:20])
        except ValueError:
            self.refuse(name, f"{name} {value[:20]!r} is not a date like 2026-11-23")
            return ""
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.refuse(name, f"{name} must be a date from {MIN_DATE} to {MAX_DATE}")
            return ""
        return parsed.isoformat()
