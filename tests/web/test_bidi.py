"""User-supplied text cannot turn the page around it (issue 12, item 4).

Handles, names, post texts, tags, workspace and token names carry a right-to-left override
(U+202E), the isolates (U+2066–U+2069) and zero-width characters. On every page that shows
them, each such text must sit inside an element that isolates it (``<bdi>`` or ``dir``), and
the tab title must carry none of them.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.services import ingest, scoring
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.web import title_text
from factories import PASSWORD, login, make_user, mention, write_csv

RLO, LRI, RLI, FSI, PDI, ZWSP, ZWJ = (
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200d",
)
HOSTILE = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff"
)
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class IsolationChecker(HTMLParser):
    """Collect text with bidi controls that is not inside an isolating element, and the title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.exposed: list[str] = []
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        isolating = tag == "bdi" or any(name == "dir" for name, _ in attrs)
        self.stack.append((tag, isolating))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if "script" in tags or "style" in tags:
            return  # JSON data blocks are not shown
        if "title" in tags:
            self.title += data
            return
        if HOSTILE & set(data) and not any(isolating for _, isolating in self.stack):
            self.exposed.append(data.strip()[:80])


def check(html: str) -> IsolationChecker:
    checker = IsolationChecker()
    checker.feed(html)
    return checker


@pytest.fixture
def hostile(app, client, tmp_path):
    """A workspace whose names, handles, texts and tags carry bidi controls, scored."""
    owner = make_user("anna@example.com", f"Anna {RLO}reversed{ZWSP}")
    workspace = workspace_service.create_workspace(
        "acme", f"Acme {RLI}שלום{PDI} {RLO}evil", owner=owner, brand_terms=["Acme"]
    )
    colleague = user_service.create_user("bob@example.com", PASSWORD, f"{FSI}Bob{RLO}")
    workspace_service.add_member(workspace, colleague, "agent")
    rows = []
    for i in range(8):
        rows.append(mention(f"a{i}", f"rtl{RLO}gnp.exe", f"@fan{i} hello {RLO}olleh #tag{i % 2}",
                            author_name=f"Name{LRI}{ZWJ}x", tags=f"deal{RLO}x",
                            created_at=f"2026-11-0{1 + i % 5}T10:00:00Z"))  # fmt: skip
        rows.append(mention(f"b{i}", f"fan{i}", f"@rtl{RLO}gnp.exe thanks {ZWSP}{PDI}",
                            reply_to_id=f"a{i}", reply_to_author=f"rtl{RLO}gnp.exe",
                            created_at=f"2026-11-0{1 + i % 5}T11:00:00Z"))  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows, header=[
        "platform", "id", "author", "created_at", "text", "lang", "author_name", "tags",
        "reply_to_id", "reply_to_author"])])  # fmt: skip
    scoring.compute(workspace, trigger="manual")
    user_service.create_token(owner, f"script {RLO}txt.exe")
    login(client)
    return workspace


def test_title_text_drops_bidi_controls_and_invisible_characters():
    assert title_text(f"rtl{RLO}gnp.exe") == "rtlgnp.exe"
    assert title_text(f"{LRI}a{PDI}{ZWSP}b\u200e\u200f\ufeff") == "ab"
    assert title_text("Доставка · Acme") == "Доставка · Acme"


def test_every_page_isolates_user_text_and_keeps_it_out_of_the_title(hostile, client):
    from app.services.mentions import find_author

    author = find_author(hostile, "twitter", f"rtl{RLO}gnp.exe")
    pages = [
        "/", "/w/acme/", "/w/acme/?q=hello", f"/w/acme/authors/{author.id}", "/w/acme/influencers",
        "/w/acme/topics", "/w/acme/topics?topic=%23tag0", "/w/acme/communities",
        "/w/acme/suspicious", "/w/acme/scores", "/w/acme/members", "/w/acme/settings",
        "/w/acme/import", "/w/acme/network", "/w/acme/network/exports", "/account",
    ]  # fmt: skip
    seen = set()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        result = check(html)
        assert not result.exposed, f"{path}: text with bidi controls not isolated: {result.exposed}"
        assert not HOSTILE & set(result.title), f"{path}: title {result.title!r}"
        seen |= {c for c in HOSTILE if c in html}
    # the hostile characters did reach the pages (else nothing was checked)
    assert {RLO, LRI, RLI, PDI, ZWSP} <= seen
    author_page = client.get(f"/w/acme/authors/{author.id}").get_data(as_text=True)
    assert "<title>@rtlgnp.exe · Acme שלום evil · Influence CRM</title>" in author_page


def test_flash_messages_isolate_the_names_they_quote(app, client):
    make_user()
    login(client)
    response = client.post("/", data={
        "name": f"Evil{RLO} corp", "slug": "evil", "timezone": "UTC",
        "work_start": "09:00", "work_end": "18:00",
    }, follow_redirects=True)  # fmt: skip
    html = response.get_data(as_text=True)
    assert f"Workspace <bdi>Evil{RLO} corp</bdi> created" in html
    assert not check(html).exposed
