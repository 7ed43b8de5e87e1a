"""Every page fits a laptop and a phone (issue 12, items 1, 2 and 8).

A seeded workspace (mentions, scores, an import, an export, an invitation) is opened page by
page at 1366×900 and at 390×844 in Debian's Chromium; each page is saved as a screenshot (in
the test's tmp folder, or in $SCREENSHOTS) and fails when the document is wider than the
viewport, i.e. when the page itself scrolls sideways. A test beside it checks that the list of
pages covers every page route of the app, so a new page is measured too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Author
from app.services import graph_exports, ingest, network, scoring
from app.services import workspaces as workspace_service
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": (1366, 900), "phone": (390, 844)}
LONG = "Доставка от Acme пришла вовремя, курьер вежливый, упаковка целая — " * 6

# Routes that answer something other than a page (files, JSON, fragments, redirects, actions).
NOT_PAGES = {
    "static", "favicon", "influencers.export_csv", "influencers.export_xlsx",
    "influencers.run_status", "network.data", "network.export_gexf", "network.export_graphml",
    "network.export_status", "network.download_export", "workspaces.import_status",
    "workspaces.sentiment_status", "crm.people_export", "crm.placements_export",
    "crm.timeline_export", "advocacy.campaign_report_xlsx",
}  # fmt: skip


def rows() -> list[dict]:
    data = []
    for i in range(14):
        data.append(mention(f"h{i}", f"fan_with_a_rather_long_handle_{i}", f"@hub спасибо! #доставка {LONG if i == 0 else ''}",
                            sentiment="positive", author_name=f"Поклонник номер {i}",
                            created_at=f"2026-11-0{1 + i % 5}T10:00:00Z"))  # fmt: skip
        data.append(mention(f"r{i}", "hub", f"@fan_with_a_rather_long_handle_{i} пожалуйста #delivery",
                            reply_to_id=f"h{i}", reply_to_author=f"fan_with_a_rather_long_handle_{i}",
                            sentiment="neutral", created_at=f"2026-11-0{1 + i % 5}T11:00:00Z"))  # fmt: skip
        data.append(mention(f"p{i}", f"amp{i % 3}", "RT @hub спасибо!", repost_of_id=f"r{i}", repost_of_author="hub",
                            created_at=f"2026-11-0{1 + i % 5}T12:00:00Z"))  # fmt: skip
    return data


@pytest.fixture
def seeded(app, tmp_path):
    """A scored workspace with one import run, one network export and an invitation."""
    owner = make_user("pr@example.com", "Polina Prokhorova")
    workspace = make_workspace("acme", owner=owner, brand_terms=("Acme", "Акме"))
    path = write_csv(tmp_path / "mentions.csv", rows(), header=[
        "platform", "id", "author", "created_at", "text", "author_name", "reply_to_id",
        "reply_to_author", "repost_of_id", "repost_of_author", "sentiment"])  # fmt: skip
    run = ingest.queue_upload_import(workspace, [(path, "mentions.csv")], "auto", owner)
    scoring.compute(workspace, trigger="manual")
    export = graph_exports.start_export(
        workspace, owner, "gexf", network.NetworkFilters.from_args({})
    )
    other = make_workspace("other", owner=make_user("o@example.com", "Olga"))
    _, token = workspace_service.invite(other, "pr@example.com", "agent", other_owner(other))
    _, token_else = workspace_service.invite(
        other, "someone@example.com", "agent", other_owner(other)
    )
    hub = db.session.scalar(select(Author.id).where(Author.handle == "hub"))
    # the relationship manager's records: a person (from a contact with the hub), a campaign,
    # a placement, a template and a task
    from app.crm.services import touches
    from factories import _crm_records

    access = workspace_service.access_for(owner, "acme")
    person = touches.log_contact(access, owner, hub, channel="email").person_id
    crm = _crm_records(access, owner, person)
    return {
        "run": run.id, "export": export.id, "hub": hub, "invite": token, "invite_else": token_else,
        **crm,
    }  # fmt: skip


def other_owner(workspace):
    return workspace_service.members_of(workspace)[0].user


def page_paths(seeded: dict) -> dict[str, str]:
    """The pages a signed-in member reaches, by endpoint."""
    return {
        "workspaces.index": "/",
        "dashboard.index": "/w/acme/dashboard",
        "mentions.index": "/w/acme/",
        "mentions.author": f"/w/acme/authors/{seeded['hub']}",
        "influencers.index": "/w/acme/influencers",
        "influencers.runs": "/w/acme/scores",
        "influencers.topics": "/w/acme/topics?topic=%23доставка",
        "influencers.communities": "/w/acme/communities",
        "influencers.suspicious": "/w/acme/suspicious",
        "network.index": "/w/acme/network",
        "network.exports": "/w/acme/network/exports",
        "network.export_page": f"/w/acme/network/exports/{seeded['export']}",
        "workspaces.import_form": "/w/acme/import",
        "workspaces.import_run": f"/w/acme/imports/{seeded['run']}",
        "workspaces.members": "/w/acme/members",
        "workspaces.settings": "/w/acme/settings",
        "advocacy.index": "/w/acme/advocacy",
        "advocacy.authors": "/w/acme/advocacy/authors",
        "advocacy.settings": "/w/acme/advocacy/settings",
        "crm.my_day": "/w/acme/my-day",
        "crm.people_list": "/w/acme/people",
        "crm.person": f"/w/acme/people/{seeded['person_id']}",
        "crm.stage_board": "/w/acme/people/board",
        "crm.campaign_list": "/w/acme/campaigns",
        "crm.campaign": f"/w/acme/campaigns/{seeded['campaign_id']}",
        "advocacy.campaign_report": f"/w/acme/campaigns/{seeded['campaign_id']}/report",
        "advocacy.campaign_report_print": f"/w/acme/campaigns/{seeded['campaign_id']}/report/print",
        "crm.placement_page": f"/w/acme/placements/{seeded['placement_id']}",
        "crm.template_list": "/w/acme/templates",
        "auth.account": "/account",
        "auth.invitation": f"/invitations/{seeded['invite']}",
        "auth.invitation (someone else's)": f"/invitations/{seeded['invite_else']}",
        "auth.invitation (invalid)": "/invitations/not-a-token",
        "error (404)": "/w/nowhere/",
    }


def test_the_page_list_covers_every_page_route(app, seeded):
    """A new page route must be added to page_paths (or to NOT_PAGES) to be measured."""
    covered = {name.split(" ")[0] for name in page_paths(seeded)} | NOT_PAGES
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.endpoint.startswith(("api.", "crm_api."))
    }
    missing = pages - covered - {"auth.login"}  # the login page is measured signed out
    assert not missing, f"pages not measured at both widths: {sorted(missing)}"


def measure(page, url: str, shots: Path, name: str) -> str | None:
    """Open ``url``, save a screenshot, return why the page does not fit (or None)."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width > viewport:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => !el.closest('.table-wrap, table, .network-canvas'))
                .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className)"""
        )
        return f"{name}: {width}px wide at {viewport}px ({', '.join(wide)})"
    return None


SIGN_IN = {"en": ("E-mail", "Password", "Sign in"), "ru": ("Эл. почта", "Пароль", "Войти")}


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ru"])  # Russian words are longer
def test_every_page_fits_a_laptop_and_a_phone(seeded, live_server, page, tmp_path, language):
    shots = Path(os.environ.get("SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    page.context.set_extra_http_headers({"Accept-Language": language})
    email, password, sign_in = SIGN_IN[language]
    problems = []
    for label, (width, height) in VIEWPORTS.items():
        label = f"{language}-{label}"
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": height})
        problems.append(measure(page, f"{live_server}/login", shots, f"{label}-login"))
        page.get_by_label(email).fill("pr@example.com")
        page.get_by_label(password).fill(PASSWORD)
        page.get_by_role("button", name=sign_in).click()
        page.wait_for_url(f"{live_server}/w/acme/dashboard")  # the only workspace
        for endpoint, path in page_paths(seeded).items():
            name = f"{label}-{endpoint.replace(' ', '-').replace('(', '').replace(')', '')}"
            problems.append(measure(page, live_server + path, shots, name))
    problems = [p for p in problems if p]
    assert not problems, "pages wider than the screen:\n" + "\n".join(problems)


def test_the_influencer_list_fits_1366_and_why_keeps_the_row_short(seeded, live_server, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/w/acme/influencers")
    table = page.locator("table.influencers")
    fits = "el => el.scrollWidth <= el.parentElement.clientWidth + 1"
    assert table.evaluate(fits), "the influencer table is wider than its box at 1366 px"
    # the column picker shows and hides columns; the choice is remembered
    picker = page.locator("[data-column-picker]")
    picker.locator("summary").click()
    picker.get_by_label("Followers").uncheck()
    assert page.locator("th[data-col='followers']").is_hidden()
    page.reload()
    assert page.locator("th[data-col='followers']").is_hidden()
    page.locator("[data-column-picker] summary").click()
    page.get_by_role("button", name="Fit to the screen").click()
    assert page.locator("th[data-col='followers']").is_visible()
    # "why" opens over the page, the row keeps its height
    row = page.locator("table.influencers tbody tr").first
    before = row.bounding_box()["height"]
    row.locator("details.why > summary").click()
    reasons = row.locator("details.why > .popover-body")
    assert reasons.is_visible()
    assert row.bounding_box()["height"] == pytest.approx(before, abs=1)
    page.keyboard.press("Escape")
    assert reasons.is_hidden()


def test_a_phone_gets_a_menu_button(seeded, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/w/acme/")
    influencers = page.locator("#nav-main").get_by_role("link", name="Influencers")
    assert influencers.is_hidden()
    page.get_by_role("button", name="Menu").click()
    influencers.click()
    page.wait_for_url("**/w/acme/influencers")
