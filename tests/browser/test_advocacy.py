"""Advocacy in a real browser: follow a crisis alert to its mentions, then acknowledge it."""

import os

import pytest

from app.advocacy.services import alerts
from app.services import ingest
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser


def rows() -> list[dict]:
    # six negative posts in one hour with nothing at that hour before: an alert (level 5)
    data = [mention(f"n{i}", f"angry{i}", f"Acme сломал мой заказ #{i}", sentiment="negative",
                    created_at=f"2026-11-30T10:{i:02d}:00Z") for i in range(6)]  # fmt: skip
    data += [mention(f"p{i}", "fan", "Acme спасибо!", sentiment="positive",
                     created_at=f"2026-11-2{i}T09:00:00Z") for i in range(3)]  # fmt: skip
    data.append(mention("later", "calm", "Acme ok", sentiment="negative",
                        created_at="2026-11-30T12:00:00Z"))  # fmt: skip
    return data


def test_follow_an_alert_to_its_mentions_and_acknowledge_it(app, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])
    assert len(alerts.detect(workspace)) == 1

    page.goto(f"{live_server}/login")
    page.locator("#email").fill("pr@example.com")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/w/acme/advocacy")
    assert "1 open" in page.inner_text("#alerts-title")
    assert "@fan" in page.inner_text("#recruit-title + p + .table-wrap")
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/advocacy.png", full_page=True)

    page.get_by_role("link", name="See the mentions").click()
    assert "sentiment=negative" in page.url and "after=2026-11-30T10" in page.url
    table = page.locator("table.mentions tbody tr")
    assert table.count() == 6  # the hour's six, not the later one
    assert "сломал мой заказ" in page.inner_text("table.mentions")
    assert "2026-11-30 10:00:00 UTC" in page.inner_text("form.filters")

    page.go_back()
    page.get_by_role("button", name="Acknowledge").click()
    assert "Alert acknowledged." in page.content()
    assert "0 open" in page.inner_text("#alerts-title")
