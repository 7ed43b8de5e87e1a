"""The dashboard in a real browser, in English and Russian: sign in and land on it, follow a
crisis alert to its mentions, acknowledge it there, and add an advocate to the relationship
manager in one click."""

import os

import pytest
from playwright.sync_api import expect

from app.advocacy.services import alerts, daily
from app.crm import models as m
from app.extensions import db
from app.services import ingest
from factories import PASSWORD, alert_and_advocate_rows, make_user, make_workspace, write_csv

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"email": "E-mail", "password": "Password", "sign in": "Sign in",
           "dashboard": "Dashboard", "see": "See the mentions", "ack": "Acknowledge",
           "acked": "Alert acknowledged.", "no alerts": "No open alerts.",
           "add": "Add to the relationship manager", "added": "In the relationship manager"},
    "ru": {"email": "Эл. почта", "password": "Пароль", "sign in": "Войти",
           "dashboard": "Сводка", "see": "Открыть упоминания", "ack": "Принять к сведению",
           "acked": "Тревога принята к сведению.", "no alerts": "Открытых тревог нет.",
           "add": "Добавить в контакты", "added": "В контактах"},
}  # fmt: skip



@pytest.mark.parametrize("language", ["en", "ru"])
def test_open_the_dashboard_follow_an_alert_and_add_an_advocate(app, live_server, page, tmp_path,
                                                                language):  # fmt: skip
    words = WORDS[language]
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", alert_and_advocate_rows())])
    daily.refresh(workspace)
    assert len(alerts.detect(workspace)) == 1
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    # sign in: the only workspace's dashboard is the first page
    page.goto(f"{live_server}/login")
    page.get_by_label(words["email"]).fill("pr@example.com")
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign in"]).click()
    page.wait_for_url(f"{live_server}/w/acme/dashboard")
    expect(page.locator("h1")).to_contain_text(words["dashboard"])
    assert "2026-11-01 – 2026-11-30" in page.inner_text("h1")  # the 30 days up to the newest
    expect(page.locator(".dashboard-chart")).to_be_visible()  # Chart.js drew the series
    tiles = page.locator(".dashboard-tiles")
    assert tiles.locator("data[value='10']").count() == 1  # ten mentions in the period
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the dashboard is wider than a phone"
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/dashboard-{language}-phone.png", full_page=True)

    # a day's number opens the list behind it
    page.locator(".dashboard-days a[href*='since=2026-11-30']").first.click()
    page.wait_for_url("**until=2026-11-30")
    expect(page.locator("table.mentions tbody tr")).to_have_count(7)
    page.go_back()

    # follow the alert to its mentions, then acknowledge it from the dashboard
    page.locator("#alerts").get_by_role("link", name=words["see"]).click()
    page.wait_for_url("**sentiment=negative**")
    assert "after=2026-11-30T10" in page.url
    expect(page.locator("table.mentions tbody tr")).to_have_count(6)  # the hour's six
    assert "сломал мой заказ" in page.inner_text("table.mentions")
    page.go_back()
    page.wait_for_url(f"{live_server}/w/acme/dashboard")
    page.locator("#alerts").get_by_role("button", name=words["ack"]).click()
    expect(page.locator(".flash").first).to_contain_text(words["acked"])
    assert "/w/acme/dashboard" in page.url
    expect(page.locator("#alerts")).to_contain_text(words["no alerts"])

    # one click adds the advocate at stage "identified"; the row then links to the person
    recruit = page.locator("#recruit-title + .table-wrap")
    expect(recruit).to_contain_text("@fan")
    recruit.get_by_role("button", name=words["add"]).click()
    link = recruit.locator(".in-crm a")
    expect(link).to_be_visible()
    expect(recruit.locator(".in-crm")).to_contain_text(words["added"])
    db.session.rollback()  # see what the server committed
    person = db.session.scalar(db.select(m.Person))
    assert person is not None and person.stage == "identified"
    assert link.get_attribute("href") == f"/w/acme/people/{person.id}"
    link.click()
    page.wait_for_url(f"**/w/acme/people/{person.id}")
    assert "fan" in page.inner_text("main")
