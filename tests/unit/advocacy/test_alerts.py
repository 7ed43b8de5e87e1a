"""Crisis alerts: the spike rule against the same hour of previous weeks, negative posts by
influential authors, acknowledgement, and the signed webhook with its retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest

from app.advocacy.models import AdvocacyAlert
from app.advocacy.services import alerts, daily
from app.advocacy.services import settings as advocacy_settings
from app.extensions import db
from app.models import Author, AuthorScore, ScoreSnapshot
from app.services import ingest
from app.services import users as user_service
from factories import make_user, make_workspace, mention, write_csv


def negatives(at: str, n: int, prefix: str, author: str = "crowd") -> list[dict]:
    """``n`` negative mentions in the hour starting at ``at`` (minutes apart)."""
    return [mention(f"{prefix}{i}", f"{author}{i}", "Acme is broken",
                    created_at=f"{at}:{i:02d}:00Z", sentiment="negative") for i in range(n)]  # fmt: skip


# Monday 30 November 2026, UTC. Baselines at the same hour 1-4 weeks before:
#   10:00  [2, 4, 2, 4] -> mean 3, sd 1, level max(5, 6) = 6; 6 negatives  -> alert
#   11:00  [0, 0, 0, 0] -> level 5;                            5 negatives  -> alert
#   12:00  [0, 0, 0, 0] -> level 5;                            4 negatives  -> nothing
#   13:00  [4, 6, 4, 6] -> mean 5, sd 1, level 8;              7 negatives  -> nothing
BASELINES = {10: [2, 4, 2, 4], 13: [4, 6, 4, 6]}
NOW = {10: 6, 11: 5, 12: 4, 13: 7}


def crisis_rows() -> list[dict]:
    rows = []
    for hour, weekly in BASELINES.items():
        for week, n in zip((23, 16, 9, 2), weekly, strict=True):
            rows += negatives(f"2026-11-{week:02d}T{hour:02d}", n, f"b{week}-{hour}-")
    for hour, n in NOW.items():
        rows += negatives(f"2026-11-30T{hour:02d}", n, f"n{hour}-")
    return rows


@pytest.fixture
def workspace(app, tmp_path):
    workspace = make_workspace("acme")
    ingest.import_files(workspace, [write_csv(tmp_path / "crisis.csv", crisis_rows())])
    return workspace


def test_spikes_against_the_same_hour_of_the_previous_four_weeks(workspace):
    found = alerts.detect(workspace)
    spikes = sorted((a.starts_at.hour, a.count, a.baseline_mean, a.baseline_sd, a.threshold)
                    for a in found)  # fmt: skip
    assert spikes == [(10, 6, 3.0, 1.0, 6.0), (11, 5, 0.0, 0.0, 5.0)]
    assert all(a.kind == "spike" and a.delivery == "none" for a in found)
    assert alerts.detect(workspace) == []  # each alert is made once


def test_the_same_hour_of_the_week_is_the_same_local_time_across_a_clock_change():
    zone = ZoneInfo("Europe/Berlin")  # clocks went back on 25 October 2026
    hour = datetime(2026, 11, 2, 8, tzinfo=UTC)  # 9:00 in Berlin
    assert [h.isoformat() for h in alerts.same_hour_weeks_before(hour, zone)] == [
        "2026-10-26T08:00:00+00:00", "2026-10-19T07:00:00+00:00",
        "2026-10-12T07:00:00+00:00", "2026-10-05T07:00:00+00:00"]  # fmt: skip


def _influencer(workspace, handle: str, best: float) -> None:
    snapshot = ScoreSnapshot(workspace_id=workspace.id, status="done", params={})
    db.session.add(snapshot)
    db.session.flush()
    author = db.session.scalar(db.select(Author).where(Author.handle == handle))
    db.session.add(AuthorScore(
        snapshot_id=snapshot.id, workspace_id=workspace.id, author_id=author.id, role="networker",
        networker=best, thought_leader=0, trendsetter=0, amplifier=0, best_score=best,
    ))  # fmt: skip
    db.session.commit()


def test_a_negative_post_by_an_author_with_a_role_score_of_80(workspace, tmp_path):
    ingest.import_files(workspace, [write_csv(tmp_path / "star.csv", [
        mention("s1", "star", "Acme lost my parcel", created_at="2026-11-30T09:15:00Z",
                sentiment="negative"),
        mention("s2", "star", "Acme found it", created_at="2026-11-30T09:45:00Z", sentiment="positive"),
        mention("w1", "weak", "Acme is slow", created_at="2026-11-30T09:20:00Z", sentiment="negative"),
    ])])  # fmt: skip
    _influencer(workspace, "star", 80.0)
    found = [a for a in alerts.detect(workspace) if a.kind == "influencer"]
    assert [(a.key.startswith("mention:"), a.best_score, a.starts_at.hour) for a in found] == [
        (True, 80.0, 9)]  # fmt: skip
    args = alerts.mentions_query(found[0])
    assert args == {"sentiment": "negative", "after": "2026-11-30T09:00:00Z",
                    "before": "2026-11-30T10:00:00Z", "author": "star", "platform": "twitter"}  # fmt: skip


def test_alerts_over_the_api_until_acknowledged(workspace, client):
    owner, viewer = make_user(), make_user("v@example.com", "V")
    from app.services import workspaces as workspace_service

    workspace_service.add_member(workspace, owner, "agent")
    workspace_service.add_member(workspace, viewer, "viewer")
    token = user_service.create_token(owner, "t")[1]
    viewer_token = user_service.create_token(viewer, "t")[1]
    daily.refresh_job(workspace.id)  # what follows a scoring run: rebuild, then detect
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/workspaces/acme/alerts", headers=headers).get_json()["alerts"]
    assert [a["negative_mentions"] for a in listed] == [5, 6]  # the newest hour first
    spike = listed[1]
    assert spike["mentions_path"] == ("/w/acme/?sentiment=negative&after=2026-11-30T10%3A00%3A00Z"
                                      "&before=2026-11-30T11%3A00%3A00Z")  # fmt: skip
    refused = client.post(f"/api/v1/workspaces/acme/alerts/{spike['id']}/ack",
                          headers={"Authorization": f"Bearer {viewer_token}"})  # fmt: skip
    assert refused.status_code == 403
    done = client.post(f"/api/v1/workspaces/acme/alerts/{spike['id']}/ack", headers=headers)
    assert done.status_code == 200 and done.get_json()["acknowledged_at"]
    still = client.get("/api/v1/workspaces/acme/alerts", headers=headers).get_json()["alerts"]
    assert [a["id"] for a in still] == [listed[0]["id"]]
    every = client.get("/api/v1/workspaces/acme/alerts?status=all", headers=headers).get_json()
    assert len(every["alerts"]) == 2
    missing = client.post("/api/v1/workspaces/acme/alerts/999999/ack", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"

    # the alert's link lists exactly its six negative mentions on the mentions page
    from factories import login

    login(client)
    page = client.get(spike["mentions_path"]).get_data(as_text=True)
    assert page.count("Acme is broken") == 6


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver on the loopback: answers the statuses it is given, in order."""

    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).statuses.pop(0) if type(self).statuses else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.statuses, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _with_webhook(app, workspace, url):
    app.config.update(ADVOCACY_WEBHOOK_DELAYS=(0.01, 0.01), ADVOCACY_WEBHOOK_TIME_LIMIT=20)
    return advocacy_settings.update_settings(workspace, webhook_url=url)


def test_the_webhook_is_signed_and_retried_after_a_server_error(app, workspace, receiver):
    settings = _with_webhook(app, workspace, f"http://127.0.0.1:{receiver.server_port}/hook")
    Receiver.statuses = [503, 200, 500, 500, 500]
    found = alerts.detect(workspace)
    first, second = sorted(found, key=lambda a: a.starts_at)
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.delivery, first.attempts, first.delivered_at is not None) == ("sent", 2, True)
    # the second alert got three server errors: two retries, then it gave up
    assert (second.delivery, second.attempts) == ("failed", 3)
    assert second.delivery_error == "the webhook answered HTTP 500"
    headers, body = Receiver.received[1]
    expected = hmac.new(settings.webhook_secret.encode(),
                        f"{headers['X-Influence-Timestamp']}.".encode() + body,
                        hashlib.sha256).hexdigest()  # fmt: skip
    assert headers["X-Influence-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "alert" and payload["alert"]["negative_mentions"] == 6
    assert payload["alert"]["mentions_path"].startswith("/w/acme/?sentiment=negative")


def test_a_client_error_is_not_retried_and_an_unreachable_hook_fails(app, workspace, receiver):
    _with_webhook(app, workspace, f"http://127.0.0.1:{receiver.server_port}/hook")
    Receiver.statuses = [404]
    alerts.detect(workspace)
    delivered = db.session.scalars(db.select(AdvocacyAlert).order_by(AdvocacyAlert.starts_at)).all()
    assert [(a.delivery, a.attempts) for a in delivered] == [("failed", 1), ("sent", 1)]
    port = receiver.server_port
    receiver.shutdown()
    receiver.server_close()
    alert = delivered[0]
    alert.delivery = "queued"
    db.session.commit()
    advocacy_settings.update_settings(workspace, webhook_url=f"http://127.0.0.1:{port}/gone")
    alerts.deliver(alert.id)
    db.session.refresh(alert)
    assert alert.delivery == "failed" and alert.attempts == 1 + 3
    assert alert.delivery_error.startswith("the webhook could not be reached")
