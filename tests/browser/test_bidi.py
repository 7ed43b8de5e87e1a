"""A handle with a right-to-left override does not reverse the page around it (issue 12,
item 4), as Chromium draws it."""

import pytest

from app.services import ingest
from app.services.mentions import find_author
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser
HANDLE = "rtl\u202egnp.exe"

# The positions of two characters of the text node right after an element: in reading order
# the first is left of the third; an override that leaked out of the element swaps them.
AFTER = """el => {
  const text = el.nextSibling;
  const rect = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                      return r.getBoundingClientRect().left; };
  return [text.textContent.slice(0, 6), rect(0), rect(3)];
}"""


def test_text_after_a_reversing_handle_reads_left_to_right(app, live_server, page, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    rows = [mention("1", HANDLE, "hello", created_at="2026-11-01T10:00:00Z")]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    author = find_author(workspace, "twitter", HANDLE)

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/w/acme/authors/{author.id}")

    assert page.title() == "@rtlgnp.exe · Acme · Influence CRM"  # no control in the tab title
    handle = page.locator(".author-header h1 .user-text")
    platform = page.locator(".author-header h1 small")
    assert (
        platform.bounding_box()["x"]
        >= handle.bounding_box()["x"] + handle.bounding_box()["width"] - 1
    )
    # in a sentence: "After you reach out to @rtl‮gnp.exe, log it here" keeps its order
    text, first, third = page.locator(".contacts p.muted bdi").evaluate(AFTER)
    assert text.startswith(", log")
    assert first < third, "the words after the handle are drawn right to left"
