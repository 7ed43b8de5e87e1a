"""Advocacy in a real browser: follow a crisis alert to its mentions, then acknowledge it."""

import os

import pytest

from app.advocacy.services import alerts
from app.services import ingest
from factories import PASSWORD, alert_and_advocate_rows, make_user, make_workspace, write_csv

pytestmark = pytest.mark.browser



def test_follow_an_alert_to_its_mentions_and_acknowledge_it(app, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", alert_and_advocate_rows())])
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
