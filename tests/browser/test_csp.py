"""The Content-Security-Policy breaks nothing: Chromium reports no violation on the main pages
while their scripts run (htmx, the network layout in its worker, the score chart), and a page
cannot be framed."""

import os

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Author
from app.services import ingest, scoring
from factories import PASSWORD, make_user, make_workspace, mention, write_csv

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def workspace(app, tmp_path):
    owner = make_user("pr@example.com", "Polina")
    workspace = make_workspace("acme", owner=owner)
    rows = [
        mention("1", "anna", "Доставка Acme #delivery", sentiment="positive"),
        mention("2", "bob", "@anna so true", reply_to_id="1", reply_to_author="anna"),
        mention("3", "carl", "RT Acme", repost_of_id="1", repost_of_author="anna"),
        mention("4", "dora", "hey @anna, Acme?", created_at="2026-11-03T22:30:00Z"),
        mention("5", "anna", "@bob thanks", reply_to_id="2", reply_to_author="bob"),
    ]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    scoring.compute(workspace)
    scoring.compute(workspace)  # two snapshots: the author page draws the history chart
    return workspace


@pytest.fixture
def violations(page):
    """CSP violations the page reports: console errors and securitypolicyviolation events."""
    found = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: found.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


def test_the_main_pages_run_without_csp_violations(workspace, live_server, page, violations):
    anna = db.session.scalar(select(Author.id).where(Author.handle == "anna"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("pr@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/w/acme/dashboard")

    waits = {
        "/w/acme/network": "#network[data-layout='done']",  # sigma + the FA2 worker (blob:)
        f"/w/acme/authors/{anna}": "#score-history-chart",  # Chart.js and the mini graph
        "/w/acme/influencers": ".scorebar[data-v]",
        "/w/acme/dashboard": ".dashboard-chart:not([hidden]) canvas",  # Chart.js, bars and lines
    }
    paths = ["/", "/w/acme/dashboard", "/w/acme/", "/w/acme/influencers", "/w/acme/topics", "/w/acme/communities",
             "/w/acme/suspicious", "/w/acme/scores", f"/w/acme/authors/{anna}", "/w/acme/network",
             "/w/acme/network/exports", "/w/acme/import", "/w/acme/members", "/w/acme/settings",
             "/account"]  # fmt: skip
    for path in paths:
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        if path in waits:
            page.locator(waits[path]).first.wait_for(state="attached", timeout=20_000)
        reported = page.evaluate("window.__cspViolations")
        assert reported == [] and violations == [], f"{path}: {reported or violations}"
        if path == "/w/acme/influencers":
            # the score bars get their length from data-v through app.css, not style=""
            width = page.evaluate(
                "getComputedStyle(document.querySelector('.scorebar[data-v]'), '::before').width"
            )
            assert width not in ("0px", "auto"), width
    if shots := os.environ.get("SCREENSHOTS"):
        page.goto(f"{live_server}/w/acme/influencers")
        page.screenshot(path=f"{shots}/influencers-csp.png", full_page=True)

    # htmx under the policy: the export button posts and swaps its status in
    page.goto(f"{live_server}/w/acme/network")
    page.locator("#download-gexf").click()
    page.get_by_test_id("export-download").wait_for(timeout=20_000)
    assert page.evaluate("window.__cspViolations") == [] and violations == []


@pytest.fixture
def other_site(tmp_path):
    """Another local site (no policy of its own) whose page frames a URL: ?src=..."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "frame.html").write_text(
        "<iframe id=frame></iframe><script>frame.src = location.hash.slice(1)</script>"
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/frame.html"
    server.shutdown()
    server.server_close()


def framed(page, other_site, url):
    """Open ``url`` in an iframe of another site's page; return what the frame shows."""
    page.goto("about:blank")  # a new document each time, not a jump within the last one
    page.goto(f"{other_site}#{url}")
    page.wait_for_timeout(1000)
    frames = [frame for frame in page.frames if frame.url == url]  # a refused one is an error page
    return frames[0].content() if frames else ""


def test_pages_cannot_be_framed(app, live_server, page, other_site, monkeypatch):
    assert "Sign in" not in framed(page, other_site, f"{live_server}/login")
    # the same page without the headers can be framed: they are what stops it
    from app import security

    monkeypatch.setattr(security, "SECURITY_HEADERS", {})
    assert "Sign in" in framed(page, other_site, f"{live_server}/login")
