"""The relationship manager's journeys in a real browser (Debian's Chromium through Playwright),
in English and in Russian (the browser's Accept-Language picks the interface's language):
from a filtered influencer list, bulk-add three people to a new campaign; move a placement
across the board (drag, and the keyboard's status menu); log a touch from a template and see
it on the timeline; see a person turn overdue (the touch's time set in the test). In Russian
each page visited is also read for English words left untranslated."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.crm import models as m
from app.extensions import db
from app.services import ingest, scoring
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser

# The words the journeys click and read, in each interface language.
WORDS = {
    "en": {"email": "E-mail", "password": "Password", "sign_in": "Sign in",
           "add_to_label": "Add the ticked authors to", "new_campaign": "New campaign name",
           "add_to": "Add to…", "added": "3 people (3 new) added to the campaign.",
           "status": "Status", "move": "Move", "moved": "Placement moved to agreed.",
           "contract": "Contract and marking", "no_erid": "published without an erid token",
           "name": "Name", "message": "Message", "add_template": "Add template",
           "add_person": "Add to people", "template": "Template", "fill": "Fill",
           "note": "Note", "when": "When", "log_touch": "Log touch",
           "cadence": "Keep in touch every (days)", "save": "Save", "overdue": "overdue"},
    "ru": {"email": "Эл. почта", "password": "Пароль", "sign_in": "Войти",
           "add_to_label": "Добавить отмеченных авторов", "new_campaign": "Название новой кампании",
           "add_to": "Добавить…", "added": "В кампанию добавлены контакты: 3 (новых: 3).",
           "status": "Статус", "move": "Перенести",
           "moved": "Размещение переведено в статус «согласовано».",
           "contract": "Договор и маркировка", "no_erid": "опубликовано без токена erid",
           "name": "Название", "message": "Сообщение", "add_template": "Добавить шаблон",
           "add_person": "Добавить в контакты", "template": "Шаблон", "fill": "Заполнить",
           "note": "Заметка", "when": "Когда", "log_touch": "Записать касание",
           "cadence": "Выходить на связь каждые (дней)", "save": "Сохранить",
           "overdue": "просрочено"},
}  # fmt: skip

# Latin words a Russian page may show: names and handles from the test's data, brands,
# platforms, file formats and codes that are the same in every language.
NOT_ENGLISH = {"acme", "bob", "carl", "dora", "eve", "fred", "polina", "pr", "example", "com",
               "vk", "twitter", "telegram", "csv", "excel", "erid", "inn", "id", "api", "utc",
               "handle", "name", "top_topic", "latest_post", "campaign", "influence", "crm"}  # fmt: skip


def english_left(page) -> set[str]:
    """Return the Latin words of three letters or more on the page's visible text that are
    not names, handles or codes: interface text a Russian reader was left in English."""
    words = re.findall(
        r"(?<![\w@#.{/-])[A-Za-z]{3,}(?![\w}/.-])", page.locator("body").inner_text()
    )
    return {word for word in words if word.casefold() not in NOT_ENGLISH}


@pytest.fixture(params=["en", "ru"])
def language(request):
    return request.param


@pytest.fixture
def signed_in(app, live_server, page, tmp_path, language):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(str(i), handle, f"Acme #доставка {i}", platform="vk" if i % 2 else "twitter")
            for i, handle in enumerate(["маша_кот", "bob", "carl", "dora", "eve", "fred"])]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    scoring.compute(workspace)
    words = WORDS[language]
    page.context.set_extra_http_headers({"Accept-Language": f"{language};q=1.0"})
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(words["email"]).fill("pr@example.com")
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    return live_server


def check_translated(page, language) -> None:
    if language == "ru":
        assert english_left(page) == set(), page.url


def test_bulk_add_three_people_to_a_new_campaign_and_move_a_card(app, signed_in, page, language):
    words = WORDS[language]
    page.goto(f"{signed_in}/w/acme/influencers?platform=vk")
    check_translated(page, language)
    boxes = page.locator("input[name='author_id']")
    assert boxes.count() == 3  # the filtered list: the three VK authors
    for index in range(3):
        boxes.nth(index).check()
    page.get_by_label(words["add_to_label"], exact=True).select_option("new")
    page.get_by_label(words["new_campaign"]).fill("Весна 2026")
    page.get_by_role("button", name=words["add_to"]).click()
    page.wait_for_url("**/campaigns/*")
    assert words["added"] in page.content()
    assert page.locator("[data-status='proposed'] .card").count() == 3
    check_translated(page, language)

    # the keyboard way: the card's status menu and "Move"
    first = page.locator("[data-status='proposed'] .card").first
    first.get_by_label(words["status"]).select_option("agreed")
    first.get_by_role("button", name=words["move"]).click()
    page.wait_for_load_state()
    assert page.locator("[data-status='agreed'] .card").count() == 1
    assert words["moved"] in page.content()
    # dragging a card to another column (board.js posts the same form, then reloads); the
    # card is taken by its corner: in its middle may be its status menu (the words' widths
    # differ by language), and a menu does not drag
    card = page.locator("[data-status='proposed'] .card").first
    box = card.bounding_box()
    with page.expect_navigation():
        card.drag_to(
            page.locator("[data-status='published']"),
            source_position={"x": box["width"] - 4, "y": 4},
        )
    assert page.locator("[data-status='published'] .card").count() == 1
    assert page.locator("[data-status='proposed'] .card").count() == 1
    assert words["no_erid"] in page.content()
    check_translated(page, language)
    # the published card's contract and ad-marking page
    page.locator("[data-status='published'] .card").get_by_role(
        "link", name=words["contract"]
    ).click()
    page.wait_for_url("**/placements/*")
    assert words["no_erid"] in page.content()
    check_translated(page, language)


def test_log_a_touch_from_a_template_and_see_a_person_turn_overdue(app, signed_in, page, language):
    words = WORDS[language]
    page.goto(f"{signed_in}/w/acme/templates")
    check_translated(page, language)
    page.get_by_label(words["name"], exact=True).last.fill("Первое письмо")
    page.get_by_label(words["message"], exact=True).last.fill(
        "Привет, {name}! Видели ваш пост про {top_topic}."
    )
    page.get_by_role("button", name=words["add_template"]).click()

    page.goto(f"{signed_in}/w/acme/influencers")
    page.get_by_role("link", name="@маша_кот").click()
    page.get_by_role("button", name=words["add_person"]).click()
    page.wait_for_url("**/people/*")
    person_url = page.url.split("#")[0]
    page.get_by_label(words["template"], exact=True).select_option(label="Первое письмо")
    page.get_by_role("button", name=words["fill"]).click()
    note = page.get_by_label(words["note"], exact=True)
    assert note.input_value() == "Привет, @маша_кот! Видели ваш пост про #доставка."
    page.get_by_label(words["when"], exact=True).fill(
        (datetime.now(UTC) - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name=words["log_touch"]).click()
    timeline = page.locator("ol.timeline")
    assert "Первое письмо" in timeline.inner_text()
    assert "Привет, @маша_кот!" in timeline.inner_text()
    check_translated(page, language)

    # a cadence of two weeks: the touch twenty days ago makes them overdue (not yet red)
    page.get_by_label(words["cadence"]).fill("14")
    page.locator("#details").get_by_role("button", name=words["save"]).click()
    page.goto(f"{signed_in}/w/acme/people?due=overdue")
    row = page.locator("table.people tbody tr")
    assert row.count() == 1 and words["overdue"] in row.inner_text()
    check_translated(page, language)
    page.goto(person_url)
    assert words["overdue"] in page.locator("h1").inner_text()
    page.goto(f"{signed_in}/w/acme/my-day")  # they are among my people losing touch
    assert words["overdue"] in page.locator("main").inner_text()
    check_translated(page, language)
    for path in ("people", "people/board", "campaigns"):
        page.goto(f"{signed_in}/w/acme/{path}")
        check_translated(page, language)
    db.session.expire_all()
    person = db.session.scalar(db.select(m.Person))
    assert person.cadence_days == 14 and person.next_touch_due < datetime.now(UTC)
