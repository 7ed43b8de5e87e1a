"""The main journey in a real browser (Debian's Chromium through Playwright).

Sign in, create a workspace, upload a file, watch the import finish, read the mentions.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

CSV = (
    "platform,id,author,created_at,text,author_followers,sentiment\n"
    "twitter,1,anna,2026-11-01T10:00:00Z,Доставка от Acme пришла вовремя! #доставка,1200,positive\n"
    "twitter,2,bob,2026-11-01T11:00:00Z,@anna <b>not bold</b> at all,10,\n"
    "twitter,3,,2026-11-01T11:00:00Z,no author,,neutral\n"
)


# The words the journey clicks, in each interface language (the browser's Accept-Language
# decides before the person chooses).
WORDS = {
    "en": {"email": "E-mail", "password": "Password", "sign_in": "Sign in",
           "create": "Create workspace", "files": "Files", "import": "Import",
           "see": "See the mentions", "text": "Text", "filter": "Filter", "title": "Mentions",
           "missing": "author is missing"},
    "ru": {"email": "Эл. почта", "password": "Пароль", "sign_in": "Войти",
           "create": "Создать пространство", "files": "Файлы", "import": "Импорт",
           "see": "Открыть упоминания", "text": "Текст", "filter": "Отфильтровать", "title": "Упоминания",
           "missing": "нет поля author"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru"])
def test_sign_in_create_workspace_upload_and_read_mentions(
    app, live_server, page, tmp_path, language
):
    words = WORDS[language]
    page.context.set_extra_http_headers({"Accept-Language": f"{language};q=1.0"})
    make_user("pr@example.com", "Polina")
    upload = tmp_path / "mentions.csv"
    upload.write_text(CSV, encoding="utf-8")

    page.goto(f"{live_server}/")
    assert "/login" in page.url
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(words["email"]).fill("pr@example.com")
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()

    page.locator("#name").fill("Acme Россия")
    page.locator("#slug").fill("acme-ru")
    page.locator("#brand_terms").fill("Acme")
    page.get_by_role("button", name=words["create"]).click()
    expect(page).to_have_url(re.compile(r"/w/acme-ru/import$"))

    page.get_by_label(words["files"]).set_input_files(str(upload))
    page.get_by_role("button", name=words["import"], exact=True).click()
    status = page.locator("#import-status[data-status='done']")
    status.wait_for(timeout=30_000)  # htmx polls until the background import is done
    assert page.get_by_test_id("imported").inner_text().strip() == "2"
    assert page.get_by_test_id("rejected").inner_text().strip() == "1"
    assert words["missing"] in page.content()  # the stored reason, in the page's language

    page.get_by_role("button", name=words["see"]).or_(
        page.get_by_role("link", name=words["see"])
    ).click()
    # The click starts a navigation: wait for the new page's title, not the blank one between.
    expect(page).to_have_title(re.compile("^" + words["title"]))
    assert "Доставка от Acme пришла вовремя!" in page.inner_text("table.mentions")
    assert page.locator("table.mentions b").count() == 0  # post HTML is text, not markup
    assert "<b>not bold</b>" in page.inner_text("table.mentions")

    page.get_by_label(words["text"]).fill("доставка")
    page.get_by_role("button", name=words["filter"]).click()
    assert page.locator("table.mentions tbody tr").count() == 1
    page.screenshot(path=str(tmp_path / f"mentions-{language}.png"), full_page=True)
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/mentions-{language}.png", full_page=True)
