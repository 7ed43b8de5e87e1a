"""Reading the values people type or send (forms, JSON, files) into what is stored.

Each reader returns the clean value or raises :class:`~app.services.errors.FieldError` naming
the field, with a message in plain words.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.params import MAX_DATE, MIN_DATE
from app.services.errors import FieldError

MAX_TAGS = 50
MAX_MONEY = 10**13  # in whole units: beyond any budget, within a 64-bit count of cents
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(field: str, value, max_length: int, *, required: bool = False, lines: bool = False) -> str:
    """Return ``value`` as stripped text of at most ``max_length`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FieldError(field, f"{field} must be text")
    value = _CONTROL.sub("", str(value)).strip()
    if not lines:
        value = _SPACE.sub(" ", value)
    if required and not value:
        raise FieldError(field, f"{field} is required")
    if len(value) > max_length:
        raise FieldError(
            field, f"the {field} is {len(value):,} characters long; keep it to {max_length:,}"
        )
    return value


def choice(field: str, value, allowed) -> str:
    """Return ``value`` if it is one of ``allowed``."""
    value = "" if value is None else str(value).strip().lower()
    if value not in allowed:
        raise FieldError(field, f"{field} {value!r} is not one of: {', '.join(allowed)}")
    return value


def day(field: str, value) -> date | None:
    """Return a date from ``YYYY-MM-DD`` (or a date), ``None`` when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise FieldError(
                field, f"{field} {str(value)[:20]!r} is not a date like 2026-12-31"
            ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise FieldError(field, f"{field} must be a date from {MIN_DATE} to {MAX_DATE}")
    return value


def moment(field: str, value) -> datetime | None:
    """Return a time from ISO 8601 (naive is left naive for the caller's time zone)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(
            field, f"{field} {str(value)[:30]!r} is not a time like 2026-12-01T10:00:00Z"
        ) from None
    if not MIN_DATE <= parsed.date() <= MAX_DATE:
        raise FieldError(field, f"{field} must be between {MIN_DATE} and {MAX_DATE}")
    return parsed


def whole(field: str, value, low: int, high: int) -> int | None:
    """Return a whole number from ``low`` to ``high``, ``None`` when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise FieldError(field, f"{field} must be a whole number")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise FieldError(field, f"{field} must be a whole number from {low:,} to {high:,}")
    return number


def money(field: str, value) -> int | None:
    """Return an amount (``15000``, ``"15 000,50"``) in minor units (cents), ``None`` when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise FieldError(field, f"{field} must be an amount like 15000 or 15000.50")
    raw = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    raw = raw.replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or isinstance(value, float) and math.isnan(value):
        raise FieldError(
            field, f"{field} {str(value)[:20]!r} is not an amount like 15000 or 15000.50"
        )
    if not 0 <= amount <= MAX_MONEY:
        raise FieldError(field, f"{field} must be from 0 to {MAX_MONEY:,}")
    return int((amount * 100).to_integral_value())


def amount_out(cents: int | None):
    """Return minor units as the API shows an amount: a whole number when it is one."""
    if cents is None:
        return None
    return cents // 100 if cents % 100 == 0 else cents / 100


def words(field: str, value, *, max_items: int = MAX_TAGS, max_length: int = 100,
          lower: bool = True) -> list[str]:  # fmt: skip
    """Return a list of distinct short strings from a list or a comma-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    if not isinstance(value, list | tuple):
        raise FieldError(field, f"{field} must be a list")
    seen: dict[str, str] = {}
    for item in value:
        if not isinstance(item, str | int):
            raise FieldError(field, f"{field} must be a list of text")
        item = _SPACE.sub(" ", str(item)).strip()
        key = item.casefold()
        if lower:
            item = key
        if not item:
            continue
        if len(item) > max_length:
            raise FieldError(
                field, f"{field}: {item[:30]!r}... is longer than {max_length} characters"
            )
        seen.setdefault(key, item)
    if len(seen) > max_items:
        raise FieldError(field, f"{field}: at most {max_items} items, not {len(seen)}")
    return list(seen.values())
