"""A campaign's lift window and its brand mentions per local day, on hand-made mentions whose
days are known, across the night clocks went forward in Berlin (29 March 2026, 02:00 CET ->
03:00 CEST: that day lasted 23 hours).

The campaign runs 30-31 March 2026 (2 days): the days before it are 28 and 29 March.
Local midnights: 28 March = 27 March 23:00Z, 30 March = 29 March 22:00Z (summer time),
1 April = 31 March 22:00Z.

| post | posted (UTC) | local (Berlin) | day counted |
|---|---|---|---|
| a | 03-27 22:30 | 27 March 23:30 | none: before the days before (24-hour steps back from the start would count it) |
| b | 03-27 23:30 | 28 March 00:30 | 28 March, before |
| c | 03-29 21:30 | 29 March 23:30 | 29 March, before (the 23-hour day) |
| d | 03-29 22:00 | 30 March 00:00 | 30 March, during (by the campaign's person) |
| e | 03-31 21:59 | 31 March 23:59 | 31 March, during |
| f | 03-31 22:00 | 1 April 00:00 | none: after |

Before 2 (1 a day), during 2 (1 a day): lift 0. The person: 1 during, none before: no lift.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.advocacy.services import effectiveness
from app.advocacy.services.periods import local_midnight
from app.crm import models as crm
from app.extensions import db
from app.models import Author
from app.services import ingest
from factories import make_user, make_workspace, mention, write_csv

POSTS = {
    "a": "2026-03-27T22:30:00Z", "b": "2026-03-27T23:30:00Z", "c": "2026-03-29T21:30:00Z",
    "d": "2026-03-29T22:00:00Z", "e": "2026-03-31T21:59:00Z", "f": "2026-03-31T22:00:00Z",
}  # fmt: skip


@pytest.fixture
def workspace(app, tmp_path):
    workspace = make_workspace("acme", owner=make_user(), timezone="Europe/Berlin")
    rows = [mention(key, "person" if key == "d" else f"crowd_{key}", "Acme", created_at=at)
            for key, at in POSTS.items()]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    return workspace


def person_author(workspace) -> int:
    return db.session.scalar(
        select(Author.id).where(Author.workspace_id == workspace.id, Author.handle == "person")
    )


def test_days_before_and_during_are_local_days_across_a_clock_change(workspace):
    rows = effectiveness.daily_mentions(workspace, date(2026, 3, 30), 2, [person_author(workspace)])
    assert rows == [
        {"day": date(2026, 3, 28), "phase": "before", "mentions": 1, "people": 0},
        {"day": date(2026, 3, 29), "phase": "before", "mentions": 1, "people": 0},
        {"day": date(2026, 3, 30), "phase": "during", "mentions": 1, "people": 1},
        {"day": date(2026, 3, 31), "phase": "during", "mentions": 1, "people": 0},
    ]


def test_the_lift_counts_the_same_local_days_as_the_daily_series(workspace):
    zone = effectiveness.ZoneInfo("Europe/Berlin")
    start, end = local_midnight(date(2026, 3, 30), zone), local_midnight(date(2026, 4, 1), zone)
    assert effectiveness.lift(workspace, start, end) == {
        "days": 2, "during_per_day": 1.0, "before_per_day": 1.0, "lift": 0.0}  # fmt: skip
    people = effectiveness.lift(workspace, start, end, [person_author(workspace)])
    assert people == {"days": 2, "during_per_day": 0.5, "before_per_day": 0.0, "lift": None}
    assert effectiveness.lift(workspace, start, end, [])["during_per_day"] == 0.0


def test_a_day_without_mentions_counts_zero_and_no_people_count_nothing(workspace):
    rows = effectiveness.daily_mentions(workspace, date(2026, 3, 2), 3)
    assert [r["day"] for r in rows] == [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1),
                                        date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]  # fmt: skip
    assert {(r["mentions"], r["people"]) for r in rows} == {(0, 0)}
    assert effectiveness.daily_mentions(workspace, date(2026, 3, 2), 0) == []


@pytest.mark.parametrize(
    ("start", "end", "today", "expected"),
    [
        (date(2026, 3, 30), date(2026, 3, 31), date(2026, 6, 1), (date(2026, 3, 30), 2)),
        # still running: the days up to today only (the rest have no mentions yet)
        (date(2026, 3, 30), date(2099, 1, 1), date(2026, 4, 3), (date(2026, 3, 30), 5)),
        # not started yet: no day to compare
        (date(2026, 5, 1), date(2026, 5, 9), date(2026, 4, 3), (date(2026, 5, 1), 0)),
        # open-ended dates count from/to today
        (None, None, date(2026, 4, 3), (date(2026, 4, 3), 1)),
    ],
)
def test_the_lift_window_stops_at_today(start, end, today, expected):
    campaign = crm.Campaign(name="x", start_on=start, end_on=end)
    assert effectiveness.lift_window(None, campaign, today) == expected


def test_a_campaign_not_started_has_no_lift_rather_than_a_division_by_zero(workspace):
    zone = effectiveness.ZoneInfo("Europe/Berlin")
    start = local_midnight(date(2026, 5, 1), zone)
    assert effectiveness.lift(workspace, start, start) == {
        "days": 0, "during_per_day": None, "before_per_day": None, "lift": None}  # fmt: skip
