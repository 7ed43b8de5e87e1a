"""Advocacy figures at the service level: the formulas, time zones and clock changes at the
period's edges, and the daily aggregate against the mentions on a real sample."""

from __future__ import annotations

import csv
import doctest
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from app.advocacy.services import alerts, daily, figures, periods
from app.advocacy.services import settings as advocacy_settings
from app.advocacy.services.cube import cube_for
from app.advocacy.services.figures import Scope
from app.advocacy.services.periods import Period
from app.extensions import db
from app.models import Author
from app.services import ingest
from factories import HEADER, make_workspace, mention, write_csv

UK = Path(__file__).resolve().parents[2] / "fixtures" / "roles" / "uk.csv"


@pytest.mark.parametrize("module", [figures, periods, daily, alerts, advocacy_settings])
def test_the_examples_in_the_docstrings_hold(module):
    assert doctest.testmod(module, raise_on_error=False).failed == 0


@pytest.mark.parametrize(
    ("counts", "expected"),
    [((1, 1, 1), 0.0), ((1, 0, 0), 100.0), ((0, 0, 3), -100.0), ((1, 2, 0), 33.3),
     ((2, 1, 0), 66.7), ((1, 15, 0), 6.3), ((0, 15, 1), -6.3), ((0, 0, 0), None)],
)  # fmt: skip
def test_the_advocacy_score_rounds_half_away_from_zero(counts, expected):
    assert figures.advocacy_score(*counts) == expected


@pytest.mark.parametrize(
    ("tally", "cls"),
    [((1, 0, 2), "promoter"), ((1, 0, 3), "passive"), ((0, 1, 2), "detractor"),
     ((0, 1, 3), "passive"), ((3, 3, 6), "passive"), ((0, 0, 1), "passive"), ((0, 0, 0), None)],
)  # fmt: skip
def test_classes_at_their_boundaries(tally, cls):
    assert figures.classify(*tally) == cls


def _import(workspace, tmp_path, rows, name="m.csv", header=None):
    ingest.import_files(workspace, [write_csv(tmp_path / name, rows, header)])


# New York: clocks went back on Sunday 1 November 2026 (that day lasted 25 hours) and forward
# on Sunday 8 March 2026 (23 hours).
DST_ROWS = [
    ("a", "2026-11-01T03:59:00Z", "positive"),  # 31 October, 23:59 EDT
    ("b", "2026-11-01T04:00:00Z", "positive"),  # 1 November, 00:00 EDT
    ("c", "2026-11-02T04:30:00Z", "negative"),  # 1 November, 23:30 EST
    ("d", "2026-11-02T05:00:00Z", "negative"),  # 2 November, 00:00 EST
    ("e", "2026-03-08T04:59:00Z", "positive"),  # 7 March, 23:59 EST
    ("f", "2026-03-08T05:00:00Z", "negative"),  # 8 March, 00:00 EST
    ("g", "2026-03-09T03:59:00Z", "negative"),  # 8 March, 23:59 EDT
    ("h", "2026-03-09T04:00:00Z", "positive"),  # 9 March, 00:00 EDT
]


@pytest.fixture
def new_york(app, tmp_path):
    workspace = make_workspace("ny", timezone="America/New_York")
    _import(workspace, tmp_path, [
        mention(f"t{n}", who, "Acme", created_at=at, sentiment=label)
        for n, (who, at, label) in enumerate(DST_ROWS)
    ])  # fmt: skip
    return workspace


def _who(workspace, first, last, timezone=None):
    scope = Scope(Period(first, last, timezone or workspace.timezone))
    tally = figures.tallies(workspace, scope)
    rows = db.session.execute(db.select(Author.handle).join(tally, tally.c.author_id == Author.id))
    return sorted(handle for (handle,) in rows)


@pytest.mark.parametrize("aggregate", [False, True], ids=["from mentions", "from the aggregate"])
def test_days_are_the_workspace_s_local_days_across_clock_changes(new_york, aggregate):
    if aggregate:
        daily.refresh(new_york)
    assert daily.fresh(new_york) is aggregate
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["b", "c"]
    assert _who(new_york, date(2026, 10, 31), date(2026, 10, 31)) == ["a"]
    assert _who(new_york, date(2026, 11, 2), date(2026, 11, 2)) == ["d"]
    assert _who(new_york, date(2026, 3, 8), date(2026, 3, 8)) == ["f", "g"]
    assert _who(new_york, date(2026, 3, 7), date(2026, 3, 9)) == ["e", "f", "g", "h"]
    # a request in another zone reads the mentions (the aggregate's days are New York's)
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1), "UTC") == ["a", "b"]
    assert not figures.uses_aggregate(
        new_york, Scope(Period(date(2026, 11, 1), date(2026, 11, 1), "UTC"))
    )


def test_a_month_series_follows_local_months(new_york):
    daily.refresh(new_york)
    scope = Scope(Period(date(2026, 10, 1), date(2026, 11, 30), "America/New_York"))
    months = figures.series(new_york, scope, "month")
    # October: a (positive) -> 100; November: b positive, c and d negative -> 1 promoter, 2 detractors
    assert [(m["start"], m["promoters"], m["detractors"], m["score"]) for m in months] == [
        ("2026-10-01", 1, 0, 100.0), ("2026-11-01", 1, 2, -33.3)]  # fmt: skip


def test_a_changed_time_zone_is_not_read_from_the_old_aggregate(new_york):
    daily.refresh(new_york)
    new_york.timezone = "Europe/Berlin"
    db.session.commit()
    assert not daily.fresh(new_york)
    # 1 November in Berlin (UTC+1): a at 04:59 and b at 05:00; c is 2 November there
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["a", "b"]
    daily.refresh(new_york)
    assert daily.fresh(new_york)
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["a", "b"]


def test_new_mentions_and_bot_verdicts_make_the_aggregate_stale(new_york, tmp_path):
    from app.services import scoring

    daily.refresh(new_york)
    _import(new_york, tmp_path, [mention("late", "z", "Acme", created_at="2026-11-01T12:00:00Z",
                                         sentiment="negative")], "late.csv")  # fmt: skip
    assert not daily.fresh(new_york)
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["b", "c", "z"]
    daily.refresh(new_york)
    z = db.session.scalar(db.select(Author.id).where(Author.handle == "z"))
    scoring.set_bot_verdict(new_york, z, "bot")
    assert daily.fresh(new_york)  # rebuilt by the job the verdict queued (inline in tests)
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["b", "c"]
    # a verdict written otherwise changes the fingerprint: the aggregate is not read
    from app.models import BotVerdict

    db.session.execute(db.delete(BotVerdict).where(BotVerdict.verdict == "bot"))
    db.session.add(BotVerdict(workspace_id=new_york.id, author_id=z, verdict="not_bot"))
    db.session.commit()
    assert not daily.fresh(new_york)
    assert _who(new_york, date(2026, 11, 1), date(2026, 11, 1)) == ["b", "c", "z"]


def test_the_author_trajectory_is_a_class_per_month(app, tmp_path):
    workspace = make_workspace("t", timezone="Europe/Moscow")
    _import(workspace, tmp_path, [
        mention("1", "ann", "x", created_at="2026-09-30T21:30:00Z", sentiment="positive"),  # 1 Oct MSK
        mention("2", "ann", "x", created_at="2026-10-15T10:00:00Z", sentiment="neutral"),
        mention("3", "ann", "x", created_at="2026-12-02T10:00:00Z", sentiment="negative"),
    ])  # fmt: skip
    ann = db.session.scalar(db.select(Author.id).where(Author.handle == "ann"))
    months = figures.trajectory(workspace, ann)
    assert [(m["month"], m["class"], m["net"]) for m in months] == [
        ("2026-10-01", "promoter", 0.5), ("2026-11-01", None, None),
        ("2026-12-01", "detractor", -1.0)]  # fmt: skip


def _uk_rows():
    """The hand-coded tweets (the few without a code would get a computed sentiment)."""
    with UK.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["sentiment"]]


@pytest.fixture
def uk(app, tmp_path):
    """597 real tweets about UK candidates in the 2014 European election, hand-coded."""
    workspace = make_workspace("uk", brand_terms=("UKIP",), timezone="Europe/London")
    _import(workspace, tmp_path, [
        mention(r["id"], r["author"], r["text"], created_at=r["created_at"],
                sentiment=r["sentiment"], author_followers=r["author_followers"], tags=r["tags"])
        for r in _uk_rows()
    ], header=HEADER + ["tags"])  # fmt: skip
    return workspace


def test_a_real_sample_gives_the_numbers_worked_out_by_hand(uk):
    """The classes worked out here from the CSV itself, without the app."""
    tallies = defaultdict(lambda: [0, 0, 0])
    for row in _uk_rows():
        if row["sentiment"] in ("positive", "neutral", "negative"):
            tallies[row["author"].lower()][
                ("positive", "neutral", "negative").index(row["sentiment"])
            ] += 1
    classes = defaultdict(int)
    for pos, neu, neg in tallies.values():
        net = (pos - neg) / (pos + neu + neg)
        classes["promoter" if net >= 0.5 else "detractor" if net <= -0.5 else "passive"] += 1
    positive = sum(t[0] for t in tallies.values())
    negative = sum(t[2] for t in tallies.values())
    known = sum(sum(t) for t in tallies.values())
    scope = Scope(Period(date(2014, 1, 1), date(2014, 12, 31), "Europe/London"))
    found = figures.summary(uk, scope)
    assert (found["promoters"], found["passives"], found["detractors"]) == (
        classes["promoter"], classes["passive"], classes["detractor"])  # fmt: skip
    assert found["score"] == round(
        100 * (classes["promoter"] - classes["detractor"]) / len(tallies), 1
    )
    assert found["net_sentiment"] == round((positive - negative) / known, 4)
    assert sum(classes.values()) > 100 and found["detractors"] > 0 and found["promoters"] > 0


def test_the_aggregate_gives_the_same_figures_as_the_mentions(uk):
    scopes = [
        Scope(Period(date(2014, 1, 1), date(2014, 12, 31), "Europe/London")),
        Scope(Period(date(2014, 5, 5), date(2014, 5, 20), "Europe/London")),
        Scope(Period(date(2014, 5, 1), date(2014, 6, 30), "Europe/London"), topic="UKIP"),
    ]

    def everything():
        return [
            (figures.summary(uk, s), figures.series(uk, s, "week"), figures.series(uk, s, "month"),
             figures.by_platform(uk, s), figures.authors(uk, s, "detractor", per_page=500),
             figures.advocates(uk, s, limit=500), figures.by_topic(uk, s))
            for s in scopes
        ]  # fmt: skip

    assert not daily.fresh(uk)
    from_mentions = everything()
    daily.refresh(uk)
    assert daily.fresh(uk) and figures.uses_aggregate(uk, scopes[0])
    assert cube_for(uk) is not None and len(cube_for(uk).day) > 200  # the columns answer
    assert everything() == from_mentions
    assert from_mentions[2][0]["promoters"] + from_mentions[2][0]["detractors"] > 0


@pytest.mark.parametrize("aggregate", [False, True], ids=["from mentions", "from the aggregate"])
def test_day_by_day_counts_local_days_across_clock_changes(new_york, aggregate):
    """The dashboard's series: 1 November 2026 lasted 25 hours in New York (b and c)."""
    daily.refresh(new_york) if aggregate else daily.mark_stale(new_york)
    days = figures.days_series(new_york, Scope(Period(date(2026, 10, 31), date(2026, 11, 2),
                                                      "America/New_York")))  # fmt: skip
    assert [(d["day"], d["mentions"], d["net_sentiment"], d["score"]) for d in days] == [
        ("2026-10-31", 1, 1.0, 100.0),  # a +
        ("2026-11-01", 2, 0.0, 0.0),  # b + (promoter), c - (detractor)
        ("2026-11-02", 1, -1.0, -100.0),  # d -
    ]
    spring = figures.days_series(new_york, Scope(Period(date(2026, 3, 8), date(2026, 3, 9),
                                                        "America/New_York")))  # fmt: skip
    assert [d["mentions"] for d in spring] == [2, 1]  # f and g on the 23-hour day, then h
    empty = figures.days_series(new_york, Scope(Period(date(2025, 1, 1), date(2025, 1, 2),
                                                       "America/New_York")))  # fmt: skip
    assert [(d["mentions"], d["net_sentiment"], d["score"]) for d in empty] == [(0, None, None)] * 2


def test_day_by_day_is_the_same_from_the_aggregate_on_a_real_sample(uk):
    scope = Scope(Period(date(2014, 5, 1), date(2014, 5, 31), "Europe/London"))
    narrower = [Scope(scope.period, platform="twitter"), Scope(scope.period, topic="UKIP"),
                Scope(scope.period, platform="twitter", topic="UKIP"),
                Scope(Period(date(2014, 5, 10), date(2014, 5, 12), "Europe/London"))]  # fmt: skip
    from_mentions = figures.days_series(uk, scope)
    narrower_from_mentions = [figures.days_series(uk, s) for s in narrower]
    daily.refresh(uk)
    assert figures.days_series(uk, scope) == from_mentions
    assert [figures.days_series(uk, s) for s in narrower] == narrower_from_mentions
    assert all(any(d["promoters"] for d in days) for days in narrower_from_mentions[:2])
    assert sum(d["mentions"] for d in from_mentions) > 100
    assert sum(d["mentions"] for d in from_mentions) == db.session.scalar(
        db.select(db.func.count()).select_from(db.text("mentions"))
        .where(db.text("created_at >= '2014-04-30 23:00:00' AND created_at < '2014-05-31 23:00:00'"))
    )  # fmt: skip


def test_columns_saved_without_mentions_per_day_are_read_and_rebuilt(new_york):
    """An aggregate saved by an older version lacks every mention per day: the dashboard counts
    them from the mentions, and queues one rebuild that adds them."""
    daily.refresh(new_york)
    old = cube_for(new_york)
    old.m_day = old.m_count = None
    built = daily.state_of(new_york).built_at
    scope = Scope(Period(date(2026, 10, 31), date(2026, 11, 2), "America/New_York"))
    days = figures.days_series(new_york, scope)  # the tests run jobs inline: rebuilt now
    assert [d["mentions"] for d in days] == [1, 2, 1]
    assert old.derived["rebuild asked"]
    assert daily.state_of(new_york).built_at > built
    assert cube_for(new_york).m_day is not None
    assert [d["mentions"] for d in figures.days_series(new_york, scope)] == [1, 2, 1]
