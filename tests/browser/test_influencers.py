"""Influencer discovery in a real browser: recompute in the background, filter, see why."""

import pytest

from app.services import ingest
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser


def rows() -> list[dict]:
    data = []
    for i in range(12):  # everyone talks to @hub, and the hub answers
        data.append(mention(f"h{i}", f"fan{i}", "@hub спасибо! #доставка", sentiment="positive",
                            created_at=f"2026-11-0{1 + i % 5}T10:00:00Z"))  # fmt: skip
        data.append(mention(f"r{i}", "hub", f"@fan{i} пожалуйста", reply_to_id=f"h{i}",
                            reply_to_author=f"fan{i}", sentiment="neutral",
                            created_at=f"2026-11-0{1 + i % 5}T11:00:00Z"))  # fmt: skip
    return data


def test_recompute_then_find_the_networker_and_see_why(app, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])

    page.goto(f"{live_server}/login")
    page.locator("#email").fill("pr@example.com")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/w/acme/influencers")
    assert "No scores yet" in page.content()
    page.get_by_role("button", name="Recompute").first.click()
    # htmx polls the run; when it is done the page reloads itself with the new scores
    page.locator(".flash-success", has_text="Scoring done").wait_for(timeout=30_000)
    assert "No scores yet" not in page.content()
    page.goto(f"{live_server}/w/acme/influencers?role=networker")
    table = page.locator("table").first
    assert "@hub" in table.inner_text() and "Networker" in table.inner_text()

    page.get_by_role("link", name="@hub").first.click()
    body = page.inner_text("main")
    assert "distinct people" in body  # the reason, in plain words with the number
    assert "Networker" in body
