"""Periods of local days in a time zone, their bounds in UTC, and their weeks and months.

A period runs from the start of its first day to the end of its last day, on the clocks of
its time zone: a day when clocks change lasts 23 or 25 hours, and its mentions are the ones
people there would call that day's.

>>> p = Period(date(2026, 11, 1), date(2026, 11, 1), "America/New_York")
>>> p.bounds()   # clocks went back that night: the day lasted 25 hours
(datetime.datetime(2026, 11, 1, 4, 0, tzinfo=datetime.timezone.utc), datetime.datetime(2026, 11, 2, 5, 0, tzinfo=datetime.timezone.utc))
>>> [b.isoformat() for b in Period(date(2026, 11, 3), date(2026, 12, 2), "UTC").buckets("month")]
['2026-11-01', '2026-12-01']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from app.extensions import db
from app.models import Mention, Workspace
from app.models.mention import dated_in_range
from app.params import ParamError, Params

GRAINS = ("week", "month")
DEFAULT_DAYS = 90  # the default period: the 90 days up to the newest mention
MAX_DAYS = 3700  # about ten years: a longer period is refused (its series would be huge)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Return the UTC instant at which ``day`` starts in ``zone``."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """Return the day it is in ``zone`` at the (aware) instant ``moment``."""
    return moment.astimezone(zone).date()


def bucket_of(day: date, grain: str) -> date:
    """Return the first day of ``day``'s week (weeks start on Monday) or month."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"grain must be one of {', '.join(GRAINS)}")


def next_bucket(start: date, grain: str) -> date:
    """Return the first day of the week or month after the one starting on ``start``."""
    if grain == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """The local days ``first`` to ``last`` (both included) in the time zone ``timezone``."""

    first: date
    last: date
    timezone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> int:
        """Return how many days the period has."""
        return (self.last - self.first).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """Return ``[start, end)`` in UTC: from the first day's midnight to the day after the last."""
        zone = self.zone
        return local_midnight(self.first, zone), local_midnight(self.last + timedelta(days=1), zone)

    def buckets(self, grain: str) -> list[date]:
        """Return the first days of the weeks or months the period touches, in order."""
        start, found = bucket_of(self.first, grain), []
        while start <= self.last:
            found.append(start)
            start = next_bucket(start, grain)
        return found

    def as_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(),
                "timezone": self.timezone}  # fmt: skip


def newest_day(workspace: Workspace, zone: ZoneInfo) -> date:
    """Return the local day of the workspace's newest mention (today when it has none)."""
    newest = db.session.scalar(
        select(func.max(Mention.created_at)).where(
            Mention.workspace_id == workspace.id, dated_in_range()
        )
    )
    return local_day(newest or datetime.now(UTC), zone)


def check_zone(name: str) -> str | None:
    """Return ``name`` if it is a known IANA time zone, else ``None``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def period_from_args(workspace: Workspace, args,
                     default_days: int = DEFAULT_DAYS) -> tuple[Period, list[ParamError]]:  # fmt: skip
    """Read ``from``, ``to`` (local days, ``YYYY-MM-DD``) and ``tz`` from a query string.

    Without ``tz`` the workspace's time zone counts. Without ``to`` the period ends on the day
    of the newest mention; without ``from`` it starts ``default_days`` days before its end
    (its last day included). A refused value is reported and its default used.
    """
    params = Params(args)
    timezone = workspace.timezone or "UTC"
    asked = params.text("tz", 64)
    if asked:
        if check_zone(asked) is None:
            params.refuse("tz", f"tz {asked!r} is not a time zone like Europe/Moscow or UTC")
        else:
            timezone = asked
    zone = ZoneInfo(timezone)
    first, last = params.day("from"), params.day("to")
    last_day = date.fromisoformat(last) if last else newest_day(workspace, zone)
    first_day = date.fromisoformat(first) if first else last_day - timedelta(days=default_days - 1)
    if first_day > last_day:
        params.refuse("from", "from must be on or before to")
        first_day = last_day - timedelta(days=default_days - 1)
    if (last_day - first_day).days >= MAX_DAYS:
        params.refuse("from", f"a period may span at most {MAX_DAYS:,} days")
        first_day = last_day - timedelta(days=default_days - 1)
    return Period(first_day, last_day, timezone), params.errors
