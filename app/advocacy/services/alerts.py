"""Crisis alerts: spikes of negative mentions and negative posts by influential authors, shown
until someone acknowledges them, and sent to the workspace's webhook, signed.

**Spike.** For each hour (UTC hours) of the week up to the workspace's newest mention, the
negative mentions in it are compared with the same hour of the week over the previous four
weeks: the same wall-clock hour of the workspace's time zone 7, 14, 21 and 28 days before
(so a week that changed clocks still compares 9:00 with 9:00). With ``mean`` and ``sd`` (the
population standard deviation) of those four counts, an hour alerts when its count is at
least ``max(5, mean + 3 sd)``. Hours without a mention count 0.

**Influencer.** Every negative mention, in the week up to the newest mention, by an author
whose best role score in the latest scoring run is 80 or more.

Detection (:func:`detect`) runs after each rebuild of the daily aggregate (so after each
scoring run, thus after imports). An alert is made once (its ``key``). Older hours are not
looked at: importing a year of history does not raise a year of alerts.

**Webhook.** When the workspace sets a URL (and so has a secret), each new alert is POSTed
as JSON by a background job (:func:`deliver`) with the headers ``X-Influence-Event: alert``,
``X-Influence-Timestamp`` (Unix seconds) and ``X-Influence-Signature: sha256=<hex>``, the
HMAC-SHA256 with the secret of ``"<timestamp>." + body``: a receiver recomputes it, compares
in constant time, and refuses old timestamps (replays). A failed delivery (no answer, a
timeout, 408, 429 or 5xx) is retried after the delays ``ADVOCACY_WEBHOOK_DELAYS`` (seconds;
default 5, 30, 120) within ``ADVOCACY_WEBHOOK_TIME_LIMIT`` seconds in all (default 300),
each request waiting at most 10 s; another 4xx answer is not retried. The alert records the
attempts and the outcome.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import statistics
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, literal_column, select

from app.advocacy.models import AdvocacyAlert
from app.advocacy.services import settings as advocacy_settings
from app.extensions import db
from app.models import Author, AuthorScore, Mention, Workspace, utcnow
from app.models.mention import dated_in_range
from app.services.errors import NotFound

log = logging.getLogger(__name__)

LOOKBACK = timedelta(days=7)  # hours and posts this far before the newest mention are checked
WEEKS = 4  # the baseline: the same hour of the week over this many previous weeks
MIN_SPIKE = 5
SIGMAS = 3
INFLUENCER_SCORE = 80.0
REQUEST_TIMEOUT = 10.0
RETRY_STATUSES = {408, 425, 429}
SIGNATURE_HEADER = "X-Influence-Signature"
TIMESTAMP_HEADER = "X-Influence-Timestamp"


# ---------------------------------------------------------------- the rule (pure)


def hour_of(moment: datetime) -> datetime:
    """Return the start of the UTC hour holding ``moment``."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def same_hour_weeks_before(hour: datetime, zone: ZoneInfo, weeks: int = WEEKS) -> list[datetime]:
    """Return the UTC hours holding the same local wall-clock time 1 to ``weeks`` weeks before.

    >>> from zoneinfo import ZoneInfo
    >>> h = datetime(2026, 11, 2, 14, tzinfo=UTC)    # 9:00 in New York, after clocks went back
    >>> [x.hour for x in same_hour_weeks_before(h, ZoneInfo("America/New_York"), 2)]
    [13, 13]
    """
    local = hour.astimezone(zone).replace(tzinfo=None)
    return [hour_of((local - timedelta(weeks=k)).replace(tzinfo=zone)) for k in range(1, weeks + 1)]


def spike_threshold(baseline: list[int]) -> tuple[float, float, float]:
    """Return ``(mean, sd, threshold)`` of a baseline: ``threshold = max(5, mean + 3 sd)``
    with the population standard deviation.

    >>> spike_threshold([2, 4, 2, 4])
    (3.0, 1.0, 6.0)
    >>> spike_threshold([0, 0, 0, 0])
    (0.0, 0.0, 5.0)
    """
    mean = statistics.fmean(baseline) if baseline else 0.0
    sd = statistics.pstdev(baseline) if len(baseline) > 1 else 0.0
    return mean, sd, max(float(MIN_SPIKE), mean + SIGMAS * sd)


# ---------------------------------------------------------------- detection


def _hour_sql():
    if db.session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H:00:00", Mention.created_at)
    return func.date_trunc(literal_column("'hour'"), Mention.created_at)


def negative_per_hour(workspace: Workspace, start: datetime, end: datetime) -> dict[datetime, int]:
    """Return the workspace's negative mentions per UTC hour in ``[start, end)``."""
    hour = _hour_sql().label("hour")
    rows = db.session.execute(
        select(hour, func.count())
        .where(Mention.workspace_id == workspace.id, Mention.created_at >= start,
               Mention.created_at < end, Mention.sentiment == "negative")
        .group_by(hour)
    ).all()  # fmt: skip
    found = {}
    for value, count in rows:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        found[value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)] = count
    return found


def detect(workspace: Workspace) -> list[AdvocacyAlert]:
    """Look for new crisis alerts; store them, queue their webhooks; return the new ones."""
    newest = db.session.scalar(
        select(func.max(Mention.created_at)).where(
            Mention.workspace_id == workspace.id, dated_in_range()
        )
    )
    if newest is None:
        return []
    zone = ZoneInfo(workspace.timezone or "UTC")
    last_hour = hour_of(newest)
    first_hour = hour_of(newest - LOOKBACK)
    counts = negative_per_hour(
        workspace, first_hour - timedelta(weeks=WEEKS, hours=2), last_hour + timedelta(hours=1)
    )
    found = []
    hour = first_hour
    while hour <= last_hour:
        count = counts.get(hour, 0)
        if count >= MIN_SPIKE:
            mean, sd, threshold = spike_threshold(
                [counts.get(h, 0) for h in same_hour_weeks_before(hour, zone)]
            )
            if count >= threshold:
                found.append(AdvocacyAlert(
                    workspace_id=workspace.id, key=f"spike:{hour:%Y-%m-%dT%H}", kind="spike",
                    starts_at=hour, ends_at=hour + timedelta(hours=1), count=count,
                    baseline_mean=round(mean, 3), baseline_sd=round(sd, 3),
                    threshold=round(threshold, 3),
                ))  # fmt: skip
        hour += timedelta(hours=1)
    found += _influencer_alerts(workspace, newest - LOOKBACK)
    existing = set(db.session.scalars(
        select(AdvocacyAlert.key).where(AdvocacyAlert.workspace_id == workspace.id,
                                        AdvocacyAlert.key.in_([a.key for a in found]))
    )) if found else set()  # fmt: skip
    new = [alert for alert in found if alert.key not in existing]
    settings = advocacy_settings.settings_of(workspace)
    for alert in new:
        alert.delivery = "queued" if settings.webhook_url and settings.webhook_secret else "none"
        db.session.add(alert)
    db.session.commit()
    from app.services import jobs

    for alert in new:
        if alert.delivery == "queued":
            jobs.submit("app.advocacy.services.alerts.deliver", alert.id)
    return new


def _influencer_alerts(workspace: Workspace, since: datetime) -> list[AdvocacyAlert]:
    from app.services import scoring

    snapshot = scoring.latest_snapshot(workspace)
    if snapshot is None:
        return []
    rows = db.session.execute(
        select(Mention.id, Mention.author_id, Mention.created_at, AuthorScore.best_score)
        .join(AuthorScore, (AuthorScore.author_id == Mention.author_id)
              & (AuthorScore.snapshot_id == snapshot.id))
        .where(Mention.workspace_id == workspace.id, Mention.sentiment == "negative",
               Mention.created_at >= since, AuthorScore.best_score >= INFLUENCER_SCORE)
    ).all()  # fmt: skip
    return [
        AdvocacyAlert(
            workspace_id=workspace.id, key=f"mention:{mention_id}", kind="influencer",
            starts_at=hour_of(created_at), ends_at=hour_of(created_at) + timedelta(hours=1),
            count=1, mention_id=mention_id, author_id=author_id, best_score=round(best, 1),
        )
        for mention_id, author_id, created_at, best in rows
    ]  # fmt: skip


# ---------------------------------------------------------------- reading, acknowledging


def list_alerts(
    workspace: Workspace, status: str = "open", limit: int = 100
) -> list[AdvocacyAlert]:
    """Return the workspace's alerts, newest hour first: ``open`` (not acknowledged) or ``all``."""
    query = select(AdvocacyAlert).where(AdvocacyAlert.workspace_id == workspace.id)
    if status == "open":
        query = query.where(AdvocacyAlert.acknowledged_at.is_(None))
    return list(db.session.scalars(
        query.order_by(AdvocacyAlert.starts_at.desc(), AdvocacyAlert.id.desc()).limit(limit)
    ))  # fmt: skip


def open_count(workspace: Workspace) -> int:
    """Return how many of the workspace's alerts nobody has acknowledged yet."""
    return db.session.scalar(
        select(func.count()).select_from(AdvocacyAlert).where(
            AdvocacyAlert.workspace_id == workspace.id, AdvocacyAlert.acknowledged_at.is_(None)
        )
    ) or 0  # fmt: skip


def get_alert(workspace: Workspace, alert_id: int) -> AdvocacyAlert:
    """Return one of the workspace's alerts, or raise ``NotFound``."""
    alert = db.session.get(AdvocacyAlert, alert_id)
    if alert is None or alert.workspace_id != workspace.id:
        raise NotFound("no such alert in this workspace")
    return alert


def acknowledge(workspace: Workspace, alert_id: int, user=None) -> AdvocacyAlert:
    """Mark the alert acknowledged (once: a second acknowledgement changes nothing)."""
    alert = get_alert(workspace, alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = user.id if user is not None else None
        db.session.commit()
    return alert


def mentions_query(alert: AdvocacyAlert) -> dict:
    """Return the mentions page's filters that list the alert's mentions."""
    args = {
        "sentiment": "negative",
        "after": f"{alert.starts_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
        "before": f"{alert.ends_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
    }
    if alert.author_id is not None:
        author = db.session.get(Author, alert.author_id)
        if author is not None:
            args["author"] = author.handle
            args["platform"] = author.platform
    return args


def mentions_path(workspace: Workspace, alert: AdvocacyAlert) -> str:
    """Return the path of the mentions page listing the alert's mentions."""
    return f"/w/{workspace.slug}/?{urlencode(mentions_query(alert))}"


def alert_json(workspace: Workspace, alert: AdvocacyAlert) -> dict:
    """Return an alert as the API and the webhook show it."""
    mention = db.session.get(Mention, alert.mention_id) if alert.mention_id else None
    author = db.session.get(Author, alert.author_id) if alert.author_id else None
    return {
        "id": alert.id,
        "kind": alert.kind,
        "workspace": workspace.slug,
        "starts_at": alert.starts_at.isoformat(),
        "ends_at": alert.ends_at.isoformat(),
        "negative_mentions": alert.count,
        "baseline_mean": alert.baseline_mean,
        "baseline_sd": alert.baseline_sd,
        "threshold": alert.threshold,
        "author": None if author is None else {
            "id": author.id, "platform": author.platform, "handle": author.display_handle,
            "best_score": alert.best_score,
        },
        "mention": None if mention is None else {
            "id": mention.id, "external_id": mention.external_id, "url": mention.url,
            "text": mention.text, "created_at": mention.created_at.isoformat(),
        },
        "mentions_path": mentions_path(workspace, alert),
        "created_at": alert.created_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "delivery": alert.delivery,
        "attempts": alert.attempts,
    }  # fmt: skip


def describe(alert: AdvocacyAlert) -> str:
    """Return the alert in one plain sentence."""
    if alert.kind == "spike":
        return (
            f"{alert.count:,} negative mentions in one hour, against "
            f"{alert.baseline_mean:g} on average (sd {alert.baseline_sd:g}) at that hour of the "
            f"week over the previous {WEEKS} weeks: the alert level was {alert.threshold:g}"
        )
    return f"A negative post by an author whose best role score is {alert.best_score:g}"


# ---------------------------------------------------------------- the webhook


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header's value: ``sha256=`` and the HMAC-SHA256 of
    ``"<timestamp>." + body`` with the secret, in hex.

    >>> sign("s3cret", 1700000000, b'{"a":1}')[:15]  # = openssl dgst -sha256 -hmac s3cret of 1700000000.{"a":1}
    'sha256=1698a50b'
    """
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only: checked when set)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def deliver(alert_id: int) -> None:
    """Background job: POST the alert to the workspace's webhook, signed, retrying with
    back-off within the time limit; record the outcome on the alert."""
    alert = db.session.get(AdvocacyAlert, alert_id)
    if alert is None or alert.delivery == "sent":
        return
    workspace = db.session.get(Workspace, alert.workspace_id)
    settings = advocacy_settings.settings_of(workspace)
    if not (settings.webhook_url and settings.webhook_secret):
        alert.delivery = "none"
        db.session.commit()
        return
    config = current_app.config
    delays = list(config.get("ADVOCACY_WEBHOOK_DELAYS", (5, 30, 120)))
    deadline = time.monotonic() + float(config.get("ADVOCACY_WEBHOOK_TIME_LIMIT", 300))
    body = json.dumps({"event": "alert", "alert": alert_json(workspace, alert)},
                      ensure_ascii=False).encode()  # fmt: skip
    while True:
        remaining = deadline - time.monotonic()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "InfluenceCRM-webhook/1",
            "X-Influence-Event": "alert",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(settings.webhook_secret, timestamp, body),
        }
        alert.attempts = (alert.attempts or 0) + 1
        retry = True
        try:
            status = _post(
                settings.webhook_url, body, headers, max(0.1, min(REQUEST_TIMEOUT, remaining))
            )
            if 200 <= status < 300:
                alert.delivery, alert.delivered_at, alert.delivery_error = "sent", utcnow(), None
                db.session.commit()
                return
            alert.delivery_error = f"the webhook answered HTTP {status}"
            retry = status >= 500 or status in RETRY_STATUSES
        except (OSError, ValueError) as error:  # refused, unreachable, timed out, bad URL
            reason = getattr(error, "reason", None) or error
            alert.delivery_error = f"the webhook could not be reached: {reason}"
        db.session.commit()
        wait = delays.pop(0) if (retry and delays) else None
        if wait is None or time.monotonic() + wait >= deadline:
            alert.delivery = "failed"
            db.session.commit()
            log.warning("alert %s: webhook delivery failed after %s attempts: %s", alert.id,
                        alert.attempts, alert.delivery_error)  # fmt: skip
            return
        time.sleep(wait)


__all__ = ["acknowledge", "alert_json", "deliver", "detect", "list_alerts", "sign",
           "spike_threshold"]  # fmt: skip
