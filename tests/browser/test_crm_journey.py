"""The relationship manager's journeys in a real browser (Debian's Chromium through Playwright):
from a filtered influencer list, bulk-add three people to a new campaign; move a placement
across the board (drag, and the keyboard's status menu); log a touch from a template and see
it on the timeline; see a person turn overdue (the touch's time set in the test)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.crm import models as m
from app.extensions import db
from app.services import ingest, scoring
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(app, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(str(i), handle, f"Acme #доставка {i}", platform="vk" if i % 2 else "twitter")
            for i, handle in enumerate(["маша_кот", "bob", "carl", "dora", "eve", "fred"])]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    scoring.compute(workspace)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return live_server


def test_bulk_add_three_people_to_a_new_campaign_and_move_a_card(app, signed_in, page):
    page.goto(f"{signed_in}/w/acme/influencers?platform=vk")
    boxes = page.locator("input[name='author_id']")
    assert boxes.count() == 3  # the filtered list: the three VK authors
    for index in range(3):
        boxes.nth(index).check()
    page.get_by_label("Add the ticked authors to", exact=True).select_option("new")
    page.get_by_label("New campaign name").fill("Весна 2026")
    page.get_by_role("button", name="Add to…").click()
    page.wait_for_url("**/campaigns/*")
    assert "3 people (3 new) added to the campaign." in page.content()
    assert page.locator("[data-status='proposed'] .card").count() == 3

    # the keyboard way: the card's status menu and "Move"
    first = page.locator("[data-status='proposed'] .card").first
    first.get_by_label("Status").select_option("agreed")
    first.get_by_role("button", name="Move").click()
    page.wait_for_load_state()
    assert page.locator("[data-status='agreed'] .card").count() == 1
    # dragging a card to another column (board.js posts the same form, then reloads)
    card = page.locator("[data-status='proposed'] .card").first
    with page.expect_navigation():
        card.drag_to(page.locator("[data-status='published']"))
    assert page.locator("[data-status='published'] .card").count() == 1
    assert page.locator("[data-status='proposed'] .card").count() == 1
    assert "published without an erid token" in page.content()


def test_log_a_touch_from_a_template_and_see_a_person_turn_overdue(app, signed_in, page):
    page.goto(f"{signed_in}/w/acme/templates")
    page.get_by_label("Name").last.fill("Первое письмо")
    page.get_by_label("Message").last.fill("Привет, {name}! Видели ваш пост про {top_topic}.")
    page.get_by_role("button", name="Add template").click()

    page.goto(f"{signed_in}/w/acme/influencers")
    page.get_by_role("link", name="@маша_кот").click()
    page.get_by_role("button", name="Add to people").click()
    page.wait_for_url("**/people/*")
    person_url = page.url.split("#")[0]
    page.get_by_label("Template", exact=True).select_option(label="Первое письмо")
    page.get_by_role("button", name="Fill").click()
    note = page.get_by_label("Note", exact=True)
    assert note.input_value() == "Привет, @маша_кот! Видели ваш пост про #доставка."
    page.get_by_label("When", exact=True).fill(
        (datetime.now(UTC) - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Log touch").click()
    timeline = page.locator("ol.timeline")
    assert "Первое письмо" in timeline.inner_text()
    assert "Привет, @маша_кот!" in timeline.inner_text()

    # a cadence of two weeks: the touch twenty days ago makes them overdue (not yet red)
    page.get_by_label("Keep in touch every (days)").fill("14")
    page.locator("#details").get_by_role("button", name="Save").click()
    page.goto(f"{signed_in}/w/acme/people?due=overdue")
    row = page.locator("table.people tbody tr")
    assert row.count() == 1 and "overdue" in row.inner_text()
    page.goto(person_url)
    assert "overdue" in page.locator("h1").inner_text()
    db.session.expire_all()
    person = db.session.scalar(db.select(m.Person))
    assert person.cadence_days == 14 and person.next_touch_due < datetime.now(UTC)
