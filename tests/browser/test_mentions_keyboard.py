"""Correcting sentiment from the keyboard on the mentions list, in a real browser."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Mention
from app.services import ingest
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser


def test_select_three_mentions_by_keyboard_and_label_them_negative(
    app, live_server, page, tmp_path
):
    workspace = make_workspace("acme", owner=make_user("pr@example.com", "Polina"))
    rows = [mention(str(i), f"author{i}", f"Доставка номер {i} пришла", sentiment="positive",
                    created_at=f"2026-11-0{i}T10:00:00Z") for i in range(1, 6)]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/w/acme/")
    page.locator("[data-select-all]").wait_for(state="visible")  # mentions.js has started

    page.keyboard.press("?")
    assert page.locator("#mention-shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#mention-shortcuts").is_visible()

    # Newest first: 5, 4, 3, 2, 1. Select the first, the second and the fourth row.
    for key in ("j", "x", "j", "x", "j", "j", "x"):
        page.keyboard.press(key)
    expect(page.locator("[data-selected-count]")).to_have_text("3 selected")  # updated after the key
    assert page.locator("tr.is-current").get_attribute("data-mention") is not None
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("x")  # and unselect the second again...
    page.keyboard.press("x")  # ...and select it back
    expect(page.locator("[data-selected-count]")).to_have_text("3 selected")  # updated after the key
    with page.expect_navigation():
        page.keyboard.press("n")
    assert "Sentiment set to negative on 3 mentions." in page.inner_text(".flashes")

    db.session.expire_all()
    found = dict(db.session.execute(select(Mention.external_id, Mention.sentiment_source)).all())
    assert found == {"5": "person", "4": "person", "3": "imported", "2": "person", "1": "imported"}
    assert page.locator("input.select-mention:checked").count() == 0

    # With nothing selected, a key labels the current mention.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("u")
    assert re.search(r"Sentiment set to neutral on 1 mention\b", page.inner_text(".flashes"))
    db.session.expire_all()
    assert (
        db.session.scalar(select(Mention.sentiment).where(Mention.external_id == "3")) == "neutral"
    )
