"""A campaign's report in a real browser (Debian's Chromium through Playwright), in English
and in Russian: from the campaign page open its report, see the daily chart drawn, download
it as Excel and find the figures in the workbook; the printable page has no navigation."""

import io
import os

import pytest
from openpyxl import load_workbook

from app.services import ingest
from app.services import users as user_service
from factories import HEADER, PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser

# Moscow time. The campaign runs 10-12 November 2026; three posts carry its hashtag
# (15 + 10 + 0 engagements), one is posted the day before it (the lift's "before").
POSTS = [
    mention("m1", "anna", "Весна! #spring", created_at="2026-11-10T08:00:00Z", likes="10",
            reposts="2", replies="3", author_followers="5000"),
    mention("m2", "frank", "обзор #spring", created_at="2026-11-11T09:00:00Z", likes="5",
            reposts="5", author_followers="200"),
    mention("m3", "eve", "#spring", created_at="2026-11-12T10:00:00Z"),
    mention("m4", "dana", "Acme", created_at="2026-11-09T10:00:00Z"),
]  # fmt: skip
WORDS = {
    "en": {"report": "Report: results and cost", "excel": "Download Excel",
           "print": "Printable page", "button": "Print", "sheet": "Figures",
           "posts": "Attributed posts"},
    "ru": {"report": "Отчёт: результаты и затраты", "excel": "Скачать Excel",
           "print": "Версия для печати", "button": "Печать", "sheet": "Показатели",
           "posts": "Публикации кампании"},
}  # fmt: skip


@pytest.fixture
def campaign(app, client, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner, timezone="Europe/Moscow")
    columns = [*HEADER, "likes", "reposts", "replies"]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", POSTS, columns)])
    headers = {"Authorization": f"Bearer {user_service.create_token(owner, 't')[1]}"}

    def api(method, path, **body):
        response = client.open(f"/api/v1/workspaces/acme{path}", method=method, json=body,
                               headers=headers)  # fmt: skip
        assert response.status_code < 300, response.get_json()
        return response.get_json()

    made = api("POST", "/campaigns", name="Весна", start="2026-11-10", end="2026-11-12",
               tags=["spring"])  # fmt: skip
    frank = api("POST", "/people", name="Фрэнк", accounts=[{"platform": "twitter", "handle": "frank"}])
    api("POST", f"/campaigns/{made['id']}/placements", person_id=frank["id"], platform="twitter",
        fee=1000, status="published")  # fmt: skip
    return f"{live_server}/w/acme/campaigns/{made['id']}"


@pytest.fixture(params=["en", "ru"])
def reader(request, page, campaign):
    """A browser whose language is English or Russian (downloads too: Chromium sends its own
    Accept-Language with them, not a page's extra headers), signed in."""
    language = request.param
    context = page.context.browser.new_context(locale={"en": "en-GB", "ru": "ru-RU"}[language])
    reader = context.new_page()
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto(campaign.split("/w/")[0] + "/login")
    reader.locator("input[name='email']").fill("pr@example.com")
    reader.locator("input[name='password']").fill(PASSWORD)
    reader.locator("form [type='submit']").click()
    reader.wait_for_load_state()
    yield language, reader
    context.close()
    assert errors == []  # no script failed (Chart.js, app.js's drawChart, the report's script)


def test_open_a_campaign_report_and_download_it_as_excel(campaign, reader):
    language, page = reader
    words = WORDS[language]
    page.goto(campaign)
    page.get_by_role("button", name=words["report"]).click()
    page.wait_for_url("**/report")
    assert page.locator("html").get_attribute("lang") == language
    page.locator(".report-chart:not([hidden]) canvas").wait_for()  # Chart.js drew the days
    assert page.locator("#figure-posts data").get_attribute("value") == "3"
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/campaign-report-{language}.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name=words["excel"]).click()
    assert download.value.suggested_filename.endswith("-report.xlsx")
    with open(download.value.path(), "rb") as file:
        book = load_workbook(io.BytesIO(file.read()))
    figures = {row[0]: row[1] for row in book[words["sheet"]].iter_rows(values_only=True) if row}
    assert figures[words["posts"]] == 3 and figures["Campaign" if language == "en" else "Кампания"] == "Весна"

    page.get_by_role("button", name=words["print"]).click()
    page.wait_for_url("**/report/print")
    assert page.get_by_role("button", name=words["button"]).is_visible()
    assert not page.locator(".app-header").is_visible()
    if shots := os.environ.get("SCREENSHOTS"):
        page.pdf(path=f"{shots}/campaign-report-{language}.pdf", format="A4")
