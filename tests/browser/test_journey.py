"""The main journey in a real browser (Debian's Chromium through Playwright).

Sign in, create a workspace, upload a file, watch the import finish, read the mentions.
"""

import os

import pytest

from factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

CSV = (
    "platform,id,author,created_at,text,author_followers,sentiment\n"
    "twitter,1,anna,2026-11-01T10:00:00Z,Доставка от Acme пришла вовремя! #доставка,1200,positive\n"
    "twitter,2,bob,2026-11-01T11:00:00Z,@anna <b>not bold</b> at all,10,\n"
    "twitter,3,,2026-11-01T11:00:00Z,no author,,neutral\n"
)


def test_sign_in_create_workspace_upload_and_read_mentions(app, live_server, page, tmp_path):
    make_user("pr@example.com", "Polina")
    upload = tmp_path / "mentions.csv"
    upload.write_text(CSV, encoding="utf-8")

    page.goto(f"{live_server}/")
    assert "/login" in page.url
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.locator("#name").fill("Acme Россия")
    page.locator("#slug").fill("acme-ru")
    page.locator("#brand_terms").fill("Acme")
    page.get_by_role("button", name="Create workspace").click()
    assert page.url.endswith("/w/acme-ru/import")

    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    status = page.locator("#import-status[data-status='done']")
    status.wait_for(timeout=30_000)  # htmx polls until the background import is done
    assert page.get_by_test_id("imported").inner_text().strip() == "2"
    assert page.get_by_test_id("rejected").inner_text().strip() == "1"
    assert "author is missing" in page.content()

    page.get_by_role("button", name="See the mentions").or_(
        page.get_by_role("link", name="See the mentions")
    ).click()
    assert "Доставка от Acme пришла вовремя!" in page.inner_text("table.mentions")
    assert page.locator("table.mentions b").count() == 0  # post HTML is text, not markup
    assert "<b>not bold</b>" in page.inner_text("table.mentions")

    page.get_by_label("Text").fill("доставка")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.mentions tbody tr").count() == 1
    page.screenshot(path=str(tmp_path / "mentions.png"), full_page=True)
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/mentions.png", full_page=True)
