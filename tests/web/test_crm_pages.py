"""The relationship manager's pages as a member uses them: a person from an author in one
click, bulk "add to…" from the influencer list into a new campaign, the campaign board's
move (and a stale move refused), a touch logged from a template and seen on the timeline,
a person turning overdue, my day, templates, the stage board, and each role's limits."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.crm import models as m
from app.crm.services import people, touches
from app.extensions import db
from app.models import User
from app.services import ingest, scoring, workspaces
from app.services.mentions import find_author
from factories import login, make_user, make_workspace, mention, write_csv


@pytest.fixture
def site(app, client, tmp_path):
    owner = make_user("owner@example.com", "Olga")
    workspace = make_workspace("acme", owner=owner)
    rows = [mention(str(i), handle, f"Acme #доставка {i}", created_at=f"2026-11-0{i + 1}T10:00:00Z")
            for i, handle in enumerate(["маша_кот", "bob", "carl", "dora"])]  # fmt: skip
    rows.append(mention("9", "bob", "@маша_кот yes", reply_to_id="0", reply_to_author="маша_кот"))
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    scoring.compute(workspace)
    for role in ("agent", "viewer"):
        workspaces.add_member(workspace, make_user(f"{role}@example.com", role.title()), role)
    login(client, "owner@example.com")
    return {"workspace": workspace, "owner": owner}


def author(site, handle):
    return find_author(site["workspace"], "twitter", handle).id


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_one_click_on_the_author_page_makes_a_person(client, site):
    masha = author(site, "маша_кот")
    text = page(client, f"/w/acme/authors/{masha}")
    assert "Add to people" in text
    response = client.post(f"/w/acme/authors/{masha}/person")
    assert response.status_code == 302
    person_url = response.headers["Location"]
    text = page(client, person_url)
    assert "@маша_кот" in text and "Why they matter" in text and "#доставка" in text
    assert "Person:" in page(client, f"/w/acme/authors/{masha}")  # linked, no second button
    assert "Find accounts that may be the same person" in page(client, person_url)
    assert "No other account with the same handle or name." in page(
        client, person_url + "?suggest=1"
    )
    audit_section = page(client, person_url).split('id="audit"', 1)[1]
    assert "Olga" in audit_section and "viewed" in audit_section and "added" in audit_section
    again = client.post(f"/w/acme/authors/{masha}/person")
    assert again.headers["Location"] == person_url  # never a duplicate
    assert db.session.scalar(select(db.func.count()).select_from(m.Person)) == 1


def test_bulk_add_three_authors_to_a_new_campaign_and_move_a_card(client, site):
    text = page(client, "/w/acme/influencers")
    assert 'form="bulk-add"' in text and "a new campaign" in text
    ids = [author(site, h) for h in ("bob", "carl", "dora")]
    response = client.post("/w/acme/people/from-authors", data={
        "author_id": ids, "campaign": "new", "campaign_name": "Весна",
        "next": "/w/acme/influencers"})  # fmt: skip
    assert response.status_code == 302
    board_url = response.headers["Location"]
    text = page(client, board_url)
    assert "Весна" in text and text.count('class="card"') == 3
    assert "3 people (3 new) added to the campaign." in text
    placement = db.session.scalar(select(m.Placement).order_by(m.Placement.id))
    version = placement.version
    moved = client.post(
        f"/w/acme/placements/{placement.id}/move", data={"status": "agreed", "version": version}
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(m.Placement, placement.id).status == "agreed"
    stale = client.post(
        f"/w/acme/placements/{placement.id}/move",
        data={"status": "paid", "version": version},
        follow_redirects=True,
    )
    assert "someone else changed this since you opened it" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(m.Placement, placement.id).status == "agreed"
    assert 'src="/static/js/board.js"' in text and "<script>" not in text


def test_log_a_touch_from_a_template_and_see_it_on_the_timeline(client, site):
    client.post(f"/w/acme/authors/{author(site, 'маша_кот')}/person")
    person = db.session.scalar(select(m.Person))
    client.post(
        "/w/acme/templates",
        data={
            "name": "Первое письмо",
            "channel": "email",
            "body": "Привет, {name}! Про {top_topic}?",
        },
    )
    template = db.session.scalar(select(m.Template))
    text = page(client, f"/w/acme/people/{person.id}?template={template.id}")
    assert "Привет, @маша_кот! Про #доставка?" in text
    assert f'name="template_id" value="{template.id}"' in text
    response = client.post(f"/w/acme/people/{person.id}/touches", data={
        "channel": "email", "direction": "sent", "note": "Привет, @маша_кот! Про #доставка?",
        "template_id": template.id})  # fmt: skip
    assert response.status_code == 302
    text = page(client, f"/w/acme/people/{person.id}?kind=touch")
    assert "Touch logged." in text and "“Первое письмо”" in text
    timeline = text.split('id="timeline"', 1)[1]
    assert "Mention" not in timeline.split("</section>", 1)[0]  # filtered to touches


def test_a_person_turns_overdue(client, site):
    client.post(f"/w/acme/authors/{author(site, 'bob')}/person")
    person = db.session.scalar(select(m.Person))
    client.post(f"/w/acme/people/{person.id}/edit", data={
        "name": person.name, "cadence_days": "7", "version": person.version})  # fmt: skip
    assert "<tbody>" not in page(client, "/w/acme/people?due=overdue")  # nobody overdue yet
    access = workspaces.access_for(site["owner"], "acme")
    touches.log_touch(
        access, site["owner"], person.id, channel="email", at=datetime.now(UTC) - timedelta(days=9)
    )
    text = page(client, "/w/acme/people?due=overdue")
    assert "bob" in text and "overdue" in text.split("<tbody>")[1]
    touches.log_touch(
        access, site["owner"], person.id, channel="phone", at=datetime.now(UTC) - timedelta(days=20)
    )  # older: the clock stays
    assert "overdue" in page(client, "/w/acme/people?due=overdue").split("<tbody>")[1]
    db.session.expire_all()
    person = db.session.get(m.Person, person.id)
    assert people.due_of(person).level == "yellow"
    text = page(client, "/w/acme/my-day")
    assert "My people losing touch" in text and "@bob" in text


def test_my_day_tasks_templates_and_stage_board(client, site):
    client.post(f"/w/acme/authors/{author(site, 'carl')}/person")
    person = db.session.scalar(select(m.Person))
    today = datetime.now(UTC).date().isoformat()
    client.post(
        f"/w/acme/people/{person.id}/tasks", data={"title": "Позвонить Карлу", "due_on": today}
    )
    assert "Позвонить Карлу" in page(client, "/w/acme/my-day")
    board = page(client, "/w/acme/people/board")
    assert "@carl" in board
    client.post(
        f"/w/acme/people/{person.id}/stage",
        data={"stage": "engaged", "version": person.version, "next": "/w/acme/people/board"},
    )
    db.session.expire_all()
    assert db.session.get(m.Person, person.id).stage == "engaged"
    text = page(client, f"/w/acme/people/{person.id}?kind=stage")
    assert re.search(r"identified\s*→\s*engaged", text)


def test_viewers_read_agents_work_managers_manage(client, site):
    client.post(f"/w/acme/authors/{author(site, 'dora')}/person")
    person = db.session.scalar(select(m.Person))
    client.post("/logout")
    login(client, "viewer@example.com")
    text = page(client, f"/w/acme/people/{person.id}")
    assert "Log touch" not in text and "Erase on request" not in text
    for url, data in ((f"/w/acme/people/{person.id}/touches", {"channel": "email"}),
                      (f"/w/acme/authors/{author(site, 'bob')}/person", {}),
                      ("/w/acme/campaigns", {"name": "x"})):  # fmt: skip
        assert client.post(url, data=data).status_code == 403, url
    client.post("/logout")
    login(client, "agent@example.com")
    assert (
        client.post(f"/w/acme/people/{person.id}/touches", data={"channel": "email"}).status_code
        == 302
    )
    assert client.post("/w/acme/campaigns", data={"name": "x"}).status_code == 403
    assert client.post(f"/w/acme/people/{person.id}/erase").status_code == 403
    refused = client.post(
        f"/w/acme/people/{person.id}/edit",
        follow_redirects=True,
        data={"name": person.name, "cadence_days": "5", "version": person.version + 1},
    )
    assert refused.status_code == 200
    db.session.expire_all()
    assert db.session.get(m.Person, person.id).cadence_days is None


def test_tag_cadence_and_add_to_a_campaign_from_the_person_page(client, site):
    client.post(f"/w/acme/authors/{author(site, 'bob')}/person")
    person = db.session.scalar(select(m.Person))
    client.post(
        f"/w/acme/people/{person.id}/edit",
        data={"name": person.name, "tags": "vip", "version": person.version},
    )
    access = workspaces.access_for(site["owner"], "acme")
    touches.log_touch(
        access, site["owner"], person.id, channel="email", at=datetime.now(UTC) - timedelta(days=10)
    )
    text = client.post(
        "/w/acme/cadences", data={"tag": "VIP", "cadence_days": "7"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Cadence saved: 1 people" in text
    assert "@bob" in page(client, "/w/acme/people?due=overdue")
    client.post("/w/acme/campaigns", data={"name": "Осень"})
    campaign = db.session.scalar(select(m.Campaign))
    text = page(client, f"/w/acme/people/{person.id}")
    assert "Propose a placement" in text
    client.post(f"/w/acme/people/{person.id}/campaign", data={"campaign_id": campaign.id})
    assert "Осень" in page(client, f"/w/acme/people/{person.id}?kind=placement")


def test_a_placements_contract_and_marking_page(client, site):
    client.post(f"/w/acme/authors/{author(site, 'bob')}/person")
    person = db.session.scalar(select(m.Person))
    client.post("/w/acme/campaigns", data={"name": "Зима"})
    campaign = db.session.scalar(select(m.Campaign))
    client.post(f"/w/acme/campaigns/{campaign.id}/placements", data={"person_id": person.id})
    placement = db.session.scalar(select(m.Placement))
    client.post(
        f"/w/acme/placements/{placement.id}/move",
        data={"status": "published", "version": placement.version},
    )
    text = page(client, f"/w/acme/placements/{placement.id}")
    assert "published without an erid token" in text and 'name="erid"' in text
    db.session.expire_all()
    version = db.session.get(m.Placement, placement.id).version
    client.post(f"/w/acme/placements/{placement.id}/edit", data={
        "platform": "twitter", "deliverable": "video", "erid": "2VtzqxZZ", "label_checked": "y",
        "contract_number": "Д-7", "version": version})  # fmt: skip
    text = page(client, f"/w/acme/placements/{placement.id}")
    assert "published without an erid token" not in text and "Д-7" in text
    board = page(client, f"/w/acme/campaigns/{campaign.id}")
    assert f'href="/w/acme/placements/{placement.id}"' in board
    assert f'action="/w/acme/placements/{placement.id}/move"' in board


def test_a_persons_tasks_open_by_due_day_then_undated_then_done(client, site):
    from app.crm.services import tasks

    client.post(f"/w/acme/authors/{author(site, 'dora')}/person")
    person = db.session.scalar(select(m.Person))
    today = datetime.now(UTC).date()
    for title, due in (("Б позже", today + timedelta(days=5)), ("Г без срока", None),
                       ("А скоро", today + timedelta(days=1)), ("Д сделано", today)):  # fmt: skip
        client.post(f"/w/acme/people/{person.id}/tasks",
                    data={"title": title, "due_on": due.isoformat() if due else ""})  # fmt: skip
    done = db.session.scalar(select(m.Task).where(m.Task.title == "Д сделано"))
    client.post(f"/w/acme/tasks/{done.id}/done", data={"done": "1"})
    section = page(client, f"/w/acme/people/{person.id}").split('id="tasks"', 1)[1]
    section = section.split("</section>", 1)[0]
    order = [section.index(t) for t in ("А скоро", "Б позже", "Г без срока", "Д сделано")]
    assert order == sorted(order)  # open by due day, open without one, then done
    workspace = site["workspace"]
    assert [t.title for t in tasks.person_tasks(workspace, person.id, limit=3)] == [
        "А скоро", "Б позже", "Г без срока"]  # fmt: skip
    assert [t.title for t in tasks.person_tasks(workspace, person.id, limit=1)] == ["А скоро"]


def test_my_day_shows_the_placements_of_my_people_this_week(client, site):
    from app.crm.services import campaigns

    owner = site["owner"]
    agent = db.session.scalar(select(User).where(User.email == "agent@example.com"))
    access = workspaces.access_for(owner, "acme")
    for handle, member in (("carl", owner), ("dora", agent)):
        client.post(f"/w/acme/authors/{author(site, handle)}/person")
        person = people.person_of_author(site["workspace"], author(site, handle))
        people.update_person(access, owner, person.id, {"owner_id": member.id}, person.version)
    campaign = campaigns.create_campaign(access, owner, {"name": "Неделя"})
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for person in db.session.scalars(select(m.Person)):
        campaigns.create_placement(access, owner, campaign.id,
                                   {"person_id": person.id, "planned_at": tomorrow})  # fmt: skip
    section = page(client, "/w/acme/my-day").split('id="placements-title"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "@carl" in section and "@dora" not in section  # dora is the agent's


def test_the_board_shows_each_columns_first_cards_by_planned_day(client, site):
    from app.crm.services import campaigns

    owner = site["owner"]
    access = workspaces.access_for(owner, "acme")
    client.post(f"/w/acme/authors/{author(site, 'carl')}/person")
    person = db.session.scalar(select(m.Person))
    campaign = campaigns.create_campaign(access, owner, {"name": "Доска"})
    planned = ["2026-12-09", None, "2026-12-07", "2026-12-08", None, "2026-12-07"]
    made = [campaigns.create_placement(access, owner, campaign.id,
                                       {"person_id": person.id, "planned_at": day})
            for day in planned]  # fmt: skip
    campaigns.update_placement(access, owner, made[0].id, {"status": "paid"}, made[0].version)
    columns = campaigns.board(site["workspace"], campaign.id, per_status=3)
    proposed = columns["proposed"]
    assert proposed.total == 5 and len(proposed.items) == 3
    # by planned day, the same day by number, undated last
    assert [p.id for p in proposed.items] == [made[2].id, made[5].id, made[3].id]
    assert [p.id for p in columns["paid"].items] == [made[0].id]
    assert columns["agreed"].total == 0 and columns["agreed"].items == []
    assert [p.id for p in campaigns.board(site["workspace"], campaign.id)["proposed"].items] == [
        made[2].id, made[5].id, made[3].id, made[1].id, made[4].id]  # fmt: skip


def test_later_timeline_pages_read_only_their_entries_in_the_first_pages_order(client, site):
    from app.crm.services import timeline

    client.post(f"/w/acme/authors/{author(site, 'маша_кот')}/person")
    person = db.session.scalar(select(m.Person))
    access = workspaces.access_for(site["owner"], "acme")
    same = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # ties: the kind, then the number decide
    for day in (same, same, same - timedelta(days=3), same + timedelta(days=1)):
        touches.log_touch(access, site["owner"], person.id, channel="email", at=day, note="n")
    client.post(f"/w/acme/people/{person.id}/tasks", data={"title": "Позвонить"})
    workspace = site["workspace"]
    whole = timeline.timeline(workspace, person, (), 1, 50)
    assert whole.total == len(whole.items) >= 7  # touches, a stage, a task, a mention, a role
    pages = [timeline.timeline(workspace, person, (), n, 2) for n in range(1, whole.total)]
    assert [e.as_json() for p in pages for e in p.items] == [e.as_json() for e in whole.items]
    assert {p.total for p in pages} == {whole.total}
    touches_only = [timeline.timeline(workspace, person, ("touch",), n, 3) for n in (1, 2)]
    assert [e.data["id"] for p in touches_only for e in p.items] == [
        e.data["id"] for e in whole.items if e.kind == "touch"]  # fmt: skip
