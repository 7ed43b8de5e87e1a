"""What the dashboard shows, gathered from the domains' service functions in one call."""

from __future__ import annotations

from dataclasses import dataclass

from app.advocacy.services import alerts as alert_service
from app.advocacy.services import daily, figures
from app.advocacy.services.periods import Period, period_from_args
from app.crm.services import campaigns as campaign_service
from app.crm.services import myday
from app.crm.services import people as people_service
from app.models import User, Workspace
from app.params import ParamError

DEFAULT_DAYS = 30  # the default period: the 30 days up to the newest mention
LISTED = 5  # rows of each list (alerts, advocates, people, campaigns)


@dataclass
class Dashboard:
    """The dashboard of one member over one period."""

    period: Period
    days: list[dict]  # per local day: day, mentions and the day's figures
    mentions: int  # every mention of the period
    summary: dict  # the period's figures (figures.summary)
    alerts: list  # the newest open alerts
    open_alerts: int
    advocates: tuple[int, list[dict]]  # how many to recruit, and the top ones
    people: dict  # author id -> their person in the relationship manager, for the lists
    losing_touch: tuple[int, list]  # how many of my people are losing touch, and the first
    campaigns: tuple[int, list]  # how many campaigns run today, and those ending soonest
    campaign_totals: dict  # campaign id -> campaign_service.Totals
    from_aggregate: bool  # the figures come from the daily aggregate (else the mentions)
    as_of: object  # when a stale aggregate being rebuilt was built (None: current)


def period_of(workspace: Workspace, args) -> tuple[Period, list[ParamError]]:
    """Read the period from ``from``, ``to`` and ``tz`` (see ``period_from_args``), 30 days
    up to the newest mention by default."""
    return period_from_args(workspace, args, default_days=DEFAULT_DAYS)


def dashboard(workspace: Workspace, user: User, period: Period) -> Dashboard:
    """Return the dashboard of ``user`` in ``workspace`` over ``period``: figures read from
    the daily pre-aggregate (never a scan of the mentions while it holds), the lists from
    their services."""
    scope = figures.prepared(workspace, figures.Scope(period), allow_stale=True)
    days = figures.days_series(workspace, scope)
    advocates = figures.advocates(workspace, scope, limit=LISTED)
    running = campaign_service.running_campaigns(workspace, limit=LISTED)
    return Dashboard(
        period=period,
        days=days,
        mentions=sum(day["mentions"] for day in days),
        summary=figures.summary(workspace, scope),
        alerts=alert_service.list_alerts(workspace, "open", limit=LISTED),
        open_alerts=alert_service.open_count(workspace),
        advocates=advocates,
        people=people_service.people_of_authors(
            workspace, [a["author_id"] for a in advocates[1]]
        ),
        losing_touch=myday.losing_touch(workspace, user, limit=LISTED),
        campaigns=running,
        campaign_totals=campaign_service.totals(workspace, [c.id for c in running[1]]),
        from_aggregate=bool(scope.use_aggregate),
        as_of=daily.state_of(workspace).built_at
        if scope.use_aggregate and not daily.fresh(workspace, period.timezone)
        else None,
    )


def chart_data(board: Dashboard) -> dict:
    """Return the series as the dashboard's chart reads them: mentions per day, and the
    advocacy score and net sentiment (x100) on one axis from -100 to 100."""
    return {
        "labels": [day["day"] for day in board.days],
        "mentions": [day["mentions"] for day in board.days],
        "score": [day["score"] for day in board.days],
        "net_sentiment": [
            None if day["net_sentiment"] is None else round(100 * day["net_sentiment"], 1)
            for day in board.days
        ],  # fmt: skip
    }
