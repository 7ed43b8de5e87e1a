"""The dashboard (a workspace's home) and "add to the relationship manager" over HTTP, on
hand-made mentions whose right numbers are worked out in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.advocacy.models import AdvocacyAlert
from app.advocacy.services import daily
from app.crm import models as m
from app.crm.services import campaigns, touches
from app.extensions import db
from app.models import Author
from app.services import ingest, scoring
from app.services import workspaces as workspace_service
from factories import PASSWORD, _alert, login, make_user, make_workspace, mention, write_csv

# In UTC, week of Monday 2 November 2026:
#   3 Nov: alice + +, bob -, hank ? (unknown: a mention, not counted)
#          mentions 4; net (2 - 1) / 3 = 0.3333; alice promoter, bob detractor: score 0.0
#   5 Nov: alice +, carol + 0, robot + + (a confirmed bot: a mention, left out of figures)
#          mentions 5; net 2 / 3 = 0.6667; alice and carol promoters: score 100.0
# The week: mentions 9; alice (+ + +) promoter and an advocate, carol (+ 0) promoter but one
# positive only, bob detractor: score 100 x (2 - 1) / 3 = 33.3; net (4 - 1) / 6 = 0.5
POSTS = [
    ("1", "alice", "positive", "2026-11-03T09:00:00Z"),
    ("2", "alice", "positive", "2026-11-03T10:00:00Z"),
    ("3", "bob", "negative", "2026-11-03T11:00:00Z"),
    ("4", "hank", "", "2026-11-03T12:00:00Z"),
    ("5", "alice", "positive", "2026-11-05T09:00:00Z"),
    ("6", "carol", "positive", "2026-11-05T10:00:00Z"),
    ("7", "carol", "neutral", "2026-11-05T11:00:00Z"),
    ("8", "robot", "positive", "2026-11-05T12:00:00Z"),
    ("9", "robot", "positive", "2026-11-05T13:00:00Z"),
]
WEEK = "from=2026-11-02&to=2026-11-08"


@pytest.fixture
def owner(app):
    return make_user()


@pytest.fixture
def workspace(app, owner, tmp_path):
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(n, handle, f"Acme post {n}", created_at=at, sentiment=label,
                    lang="en" if label else "xx") for n, handle, label, at in POSTS]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "week.csv", rows)])
    scoring.set_bot_verdict(workspace, author_id("robot"), "bot")
    return workspace


def author_id(handle: str) -> int:
    return db.session.scalar(select(Author.id).where(Author.handle == handle))


def member(workspace, email: str, role: str):
    user = make_user(email, email.split("@")[0])
    workspace_service.add_member(workspace, user, role)
    return user


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("aggregate", [False, True], ids=["from mentions", "from the aggregate"])
def test_the_period_day_by_day_with_each_number_linking_to_its_list(client, workspace, aggregate):
    daily.refresh(workspace) if aggregate else daily.mark_stale(workspace)
    login(client)
    html = page(client, f"/w/acme/dashboard?{WEEK}")
    tiles = html.split('class="facts', 1)[1].split("</dl>", 1)[0]
    assert 'href="/w/acme/?since=2026-11-02&amp;until=2026-11-08"><data class="num" value="9">' in tiles
    assert 'value="0.5"' in tiles and 'value="33.3"' in tiles
    days = html.split('class="dense dashboard-days"', 1)[1].split("</table>", 1)[0]
    assert days.count("<tr>") == 8  # the head and seven days, empty ones too
    assert 'href="/w/acme/?since=2026-11-05&amp;until=2026-11-05"><data class="num" value="5">' in days
    assert 'href="/w/acme/?since=2026-11-03&amp;until=2026-11-03"><data class="num" value="4">' in days
    assert 'value="0.3333"' in days and 'value="0.0"' in days
    assert 'value="0.6667"' in days and 'value="100.0"' in days
    assert 'href="/w/acme/advocacy?from=2026-11-05&amp;to=2026-11-05"' in days
    # the list behind a day's number has that many mentions
    listed = page(client, "/w/acme/?since=2026-11-05&until=2026-11-05")
    assert "5 matching" in listed and "Acme post 9" in listed and "Acme post 4" not in listed
    # the chart reads the same numbers
    assert '"mentions": [0, 4, 0, 5, 0, 0, 0]' in html and "js/dashboard.js" in html
    assert '"score": [null, 0.0, null, 100.0, null, null, null]' in html
    # advocates to recruit: alice only (carol has one positive mention)
    recruit = html.split('id="recruit-title"', 1)[1].split("</section>", 1)[0]
    assert "@alice" in recruit and "@carol" not in recruit
    assert "Add to the relationship manager" in recruit


def test_the_default_period_is_the_30_days_up_to_the_newest_mention(client, workspace):
    login(client)
    html = page(client, "/w/acme/dashboard")
    assert "2026-10-07 – 2026-11-05" in html and 'value="2026-10-07"' in html
    html = page(client, "/w/acme/dashboard?from=2026-11-09&to=2026-11-02")
    assert "Filter ignored: from must be on or before to" in html
    assert "2026-10-04 – 2026-11-02" in html  # the 30 days up to the "to" asked for


def test_an_empty_workspace_says_what_to_do(client, owner):
    make_workspace("empty", owner=owner)
    login(client)
    html = page(client, "/w/empty/dashboard")
    assert "No mentions in this period" in html and "/w/empty/import" in html
    assert "No open alerts." in html and "Everyone is in touch." in html


def test_sign_in_leads_to_the_dashboard_of_the_only_or_the_last_workspace(client, workspace, owner):
    assert login(client).headers["Location"] == "/w/acme/dashboard"  # the only workspace
    make_workspace("beta", owner=owner)
    client.post("/logout")
    client.delete_cookie("last_workspace", domain="localhost")
    assert login(client).headers["Location"] == "/"  # two, none opened in this browser: the list
    assert 'href="/w/beta/dashboard"' in page(client, "/")
    page(client, "/w/beta/dashboard")  # this browser opens beta...
    client.post("/logout")
    assert login(client).headers["Location"] == "/w/beta/dashboard"  # ...and comes back to it
    assert client.get("/login").headers["Location"] == "/w/beta/dashboard"
    client.post("/logout")
    # the remembered workspace is not where someone who is not a member of it lands
    make_user("s@example.com", "S")
    assert login(client, "s@example.com").headers["Location"] == "/"
    client.post("/logout")
    # a page asked for before signing in still wins
    response = client.post("/login?next=/w/acme/advocacy",
                           data={"email": "anna@example.com", "password": PASSWORD})  # fmt: skip
    assert response.headers["Location"] == "/w/acme/advocacy"


def test_open_alerts_are_acknowledged_from_the_dashboard(client, workspace):
    alert_id = _alert(workspace)
    member(workspace, "v@example.com", "viewer")
    login(client, "v@example.com")
    html = page(client, f"/w/acme/dashboard?{WEEK}")
    assert f'id="alert-{alert_id}"' in html and "Acknowledge" not in html
    assert "sentiment=negative&amp;after=2026-11-03T22:00:00Z" in html  # its mentions
    client.post("/logout")
    login(client)
    html = page(client, f"/w/acme/dashboard?{WEEK}")
    assert f'id="alert-{alert_id}"' in html and "Acknowledge" in html
    response = client.post(f"/w/acme/advocacy/alerts/{alert_id}/ack",
                           data={"next": f"/w/acme/dashboard?{WEEK}"})  # fmt: skip
    assert response.headers["Location"] == f"/w/acme/dashboard?{WEEK}"
    assert db.session.get(AdvocacyAlert, alert_id).acknowledged_at is not None
    html = page(client, f"/w/acme/dashboard?{WEEK}")
    assert f'id="alert-{alert_id}"' not in html and "No open alerts." in html


def test_losing_touch_and_running_campaigns(client, workspace, owner):
    access = workspace_service.access_for(owner, "acme")
    from app.crm.services import people

    bob, _added = people.person_for_author(access, owner, author_id("bob"))
    people.update_person(access, owner, bob.id, {"cadence_days": "7"})
    touches.log_touch(access, owner, bob.id, channel="email",
                      at=datetime.now(UTC) - timedelta(days=9))  # fmt: skip
    today = date.today()
    running = campaigns.create_campaign(access, owner, {
        "name": "Зима", "start": (today - timedelta(days=3)).isoformat(),
        "end": (today + timedelta(days=3)).isoformat()})  # fmt: skip
    campaigns.create_campaign(access, owner, {"name": "Old", "start": "2020-01-01", "end": "2020-02-01"})
    campaigns.create_placement(access, owner, running.id, {"person_id": bob.id})
    login(client)
    html = page(client, f"/w/acme/dashboard?{WEEK}")
    losing = html.split('id="losing-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="/w/acme/people/{bob.id}"' in losing and "@bob" in losing
    assert 'href="/w/acme/my-day">1</a>' in losing
    shown = html.split('id="campaigns-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="/w/acme/campaigns/{running.id}"' in shown and "Зима" in shown
    assert "Old" not in shown and "1 placement" in shown
    assert 'href="/w/acme/campaigns">1</a>' in shown


def test_add_an_advocate_to_the_relationship_manager_in_one_click(client, workspace):
    login(client)
    alice = author_id("alice")
    url = f"/w/acme/advocacy/authors/{alice}/person"
    answer = client.post(url, data={"next": "/w/acme/dashboard"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    person = db.session.scalar(select(m.Person))
    assert person.stage == "identified"
    assert [a.author_id for a in person.accounts] == [alice]
    fragment = answer.get_data(as_text=True)
    assert "In the relationship manager" in fragment
    assert f'href="/w/acme/people/{person.id}"' in fragment and "<html" not in fragment
    # once more, without htmx: nobody new, back to the page with a notice
    again = client.post(url, data={"next": f"/w/acme/dashboard?{WEEK}"})
    assert again.status_code == 302 and again.headers["Location"] == f"/w/acme/dashboard?{WEEK}"
    assert db.session.scalar(select(db.func.count()).select_from(m.Person)) == 1
    assert "Already in the relationship manager." in page(client, f"/w/acme/dashboard?{WEEK}")
    # now a person: no longer an advocate to recruit
    recruit = page(client, f"/w/acme/dashboard?{WEEK}").split('id="recruit-title"', 1)[1]
    assert "@alice" not in recruit.split("</section>", 1)[0]


def test_detractors_to_win_back_show_who_is_already_in_the_relationship_manager(client, workspace):
    login(client)
    html = page(client, f"/w/acme/advocacy?{WEEK}")
    win_back = html.split('id="winback-title"', 1)[1].split("</section>", 1)[0]
    bob = author_id("bob")
    assert f"/w/acme/advocacy/authors/{bob}/person" in win_back
    client.post(f"/w/acme/advocacy/authors/{bob}/person", data={"next": f"/w/acme/advocacy?{WEEK}"})
    person = db.session.scalar(select(m.Person))
    html = page(client, f"/w/acme/advocacy?{WEEK}")
    assert "Added to the relationship manager." in html
    win_back = html.split('id="winback-title"', 1)[1].split("</section>", 1)[0]
    assert "In the relationship manager" in win_back
    assert f'href="/w/acme/people/{person.id}"' in win_back
    assert f"/w/acme/advocacy/authors/{bob}/person" not in win_back
    recruit = html.split('id="recruit-title"', 1)[1].split("</section>", 1)[0]
    assert f"/w/acme/advocacy/authors/{author_id('alice')}/person" in recruit


def test_viewers_see_no_button_and_cannot_add(client, workspace):
    member(workspace, "v@example.com", "viewer")
    login(client, "v@example.com")
    for url in (f"/w/acme/dashboard?{WEEK}", f"/w/acme/advocacy?{WEEK}"):
        html = page(client, url)
        assert "@alice" in html and "Add to the relationship manager" not in html
    response = client.post(f"/w/acme/advocacy/authors/{author_id('alice')}/person")
    assert response.status_code == 403
    assert db.session.scalar(select(db.func.count()).select_from(m.Person)) == 0


def test_agents_add_but_only_authors_of_their_workspace(client, workspace, tmp_path):
    member(workspace, "g@example.com", "agent")
    other_owner = make_user("o@example.com", "O")
    other = make_workspace("other", owner=other_owner)
    ingest.import_files(other, [write_csv(tmp_path / "o.csv", [mention("1", "zed", "Acme")])])
    zed = author_id("zed")
    login(client, "g@example.com")
    assert "Add to the relationship manager" in page(client, f"/w/acme/dashboard?{WEEK}")
    assert client.post(f"/w/acme/advocacy/authors/{zed}/person").status_code == 404
    assert client.post("/w/other/advocacy/authors/1/person").status_code == 404  # not a member
    assert client.get("/w/other/dashboard").status_code == 404
    assert client.post(f"/w/acme/advocacy/authors/{author_id('alice')}/person").status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(m.Person)) == 1
