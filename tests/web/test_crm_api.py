"""The relationship manager's JSON API as a script uses it: people, touches, stages, the
timeline, keep-in-touch lists, campaigns and placements, templates, erasure, merge, the roles
of each route, and the shape of lists and errors."""

from datetime import UTC, datetime, timedelta

import pytest
from crm_api_support import API, call, crm_team, make_person

from app.crm.services import touches
from app.services import ingest
from app.services.mentions import find_author


@pytest.fixture
def team(app, client, tmp_path):
    return crm_team(tmp_path)


def test_add_a_person_and_read_them_back(client, team):
    made = make_person(client, team, tags=["Food", "москва"], cadence_days=30, email="m@example.ru",
                       notes="Пишет про доставку", owner_id=team["ids"]["agent"])  # fmt: skip
    assert isinstance(made["id"], int)
    person = call(client, team, "GET", f"/people/{made['id']}", role="viewer").get_json()
    assert person["name"] == "Маша Котова" and person["stage"] == "identified"
    assert person["tags"] == ["food", "москва"] and person["cadence_days"] == 30
    assert person["owner_id"] == team["ids"]["agent"] and person["email"] == "m@example.ru"
    [account] = person["accounts"]
    assert account["platform"] == "twitter" and account["handle"] == "Маша_Кот"
    assert account["author_id"] is not None  # linked to the author of the mentions
    assert person["last_touch_at"] is None and person["next_touch_due"] is None
    assert person["due"] == "never" and person["version"] >= 1


def test_a_touch_restarts_the_clock_and_overdue_turns_yellow_then_red(client, team):
    person = make_person(client, team, cadence_days=10)
    pid = person["id"]
    at = (datetime.now(UTC) - timedelta(days=12)).replace(microsecond=0)
    response = call(client, team, "POST", f"/people/{pid}/touches", role="agent",
                    json={"channel": "email", "direction": "sent", "at": at.isoformat(),
                          "note": "Предложили коллаборацию"})  # fmt: skip
    assert response.status_code == 201 and response.get_json()["direction"] == "sent"
    got = call(client, team, "GET", f"/people/{pid}").get_json()
    assert datetime.fromisoformat(got["last_touch_at"]) == at
    assert datetime.fromisoformat(got["next_touch_due"]) == at + timedelta(days=10)
    assert got["due"] == "overdue" and got["due_level"] == "yellow"
    assert got["stage"] == "contacted"  # the first touch moves them on from "identified"
    overdue = call(client, team, "GET", "/people?due=overdue").get_json()
    assert [p["id"] for p in overdue["items"]] == [pid]
    # a touch logged long ago on another person: red (past twice the cadence)
    other = make_person(client, team, name="Old friend", accounts=[], cadence_days=5)
    call(
        client,
        team,
        "POST",
        f"/people/{other['id']}/touches",
        json={"channel": "phone", "at": (datetime.now(UTC) - timedelta(days=11)).isoformat()},
    )
    assert call(client, team, "GET", f"/people/{other['id']}").get_json()["due_level"] == "red"
    # a new touch restarts the clock: no longer overdue, due in 10 days (not "soon")
    call(
        client,
        team,
        "POST",
        f"/people/{pid}/touches",
        json={"channel": "direct_message", "direction": "received"},
    )
    got = call(client, team, "GET", f"/people/{pid}").get_json()
    assert got["due"] == "ok" and got["last_touch_direction"] == "received"
    assert [p["id"] for p in call(client, team, "GET", "/people?due=overdue").get_json()["items"]] == [other["id"]]  # fmt: skip
    soon = make_person(client, team, name="Soon", accounts=[], cadence_days=8)
    call(
        client,
        team,
        "POST",
        f"/people/{soon['id']}/touches",
        json={"channel": "email", "at": (datetime.now(UTC) - timedelta(days=3)).isoformat()},
    )
    assert [p["id"] for p in call(client, team, "GET", "/people?due=soon").get_json()["items"]] == [soon["id"]]  # fmt: skip
    never = make_person(client, team, name="Never", accounts=[])
    assert [p["id"] for p in call(client, team, "GET", "/people?due=never").get_json()["items"]] == [never["id"]]  # fmt: skip


def test_list_filters_and_shape(client, team):
    a = make_person(client, team, tags=["vip"], owner_id=team["ids"]["manager"])
    b = make_person(client, team, name="Иван Петров", accounts=[], organisation="Акме Медиа")
    call(client, team, "POST", f"/people/{b['id']}/stage", json={"stage": "engaged"})
    body = call(client, team, "GET", "/people?per_page=1", role="viewer").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert body["total"] == 2 and body["per_page"] == 1 and len(body["items"]) == 1
    ids = lambda q: [p["id"] for p in call(client, team, "GET", f"/people?{q}").get_json()["items"]]  # noqa: E731
    assert ids("stage=engaged") == [b["id"]]
    assert ids("tag=VIP") == [a["id"]]
    assert ids(f"owner={team['ids']['manager']}") == [a["id"]]
    assert ids("q=акме") == [b["id"]]  # organisation, any case, Cyrillic
    assert ids("q=маша_кот") == [a["id"]]  # a handle
    assert ids("page=2&per_page=1") == [a["id"]]  # by name: Иван < Маша


@pytest.mark.parametrize("query, field", [("due=later", "due"), ("page=0", "page"),
                                          ("per_page=101", "per_page"), ("stage=x", "stage")])  # fmt: skip
def test_bad_parameters_answer_400_naming_them(client, team, query, field):
    response = call(client, team, "GET", f"/people?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
    assert response.get_json()["error"]["field"] == field


def test_errors_have_one_shape_with_the_field(client, team):
    bad = call(client, team, "POST", "/people", json={"name": ""})
    assert bad.status_code == 422
    assert bad.get_json() == {"error": {"code": "invalid", "message": "name is required",
                                        "field": "name"}}  # fmt: skip
    assert (
        call(
            client, team, "POST", "/people", data="{nope", content_type="application/json"
        ).status_code
        == 400
    )
    typo = call(client, team, "POST", "/people", json={"name": "A", "emial": "x"})
    assert typo.status_code == 422 and typo.get_json()["error"]["field"] == "emial"
    missing = call(client, team, "GET", "/people/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    unauthorized = client.get(f"{API}/people")
    assert unauthorized.status_code == 401
    assert set(unauthorized.get_json()["error"]) == {"code", "message", "field"}
    assert call(client, team, "GET", "/people", role="outsider").status_code == 404
    person = make_person(client, team)
    stage = call(client, team, "POST", f"/people/{person['id']}/stage", json={"stage": "friend"})
    assert stage.status_code == 422 and stage.get_json()["error"]["field"] == "stage"


def test_roles_of_each_route(client, team):
    person = make_person(client, team)
    pid = person["id"]
    campaign = call(client, team, "POST", "/campaigns", json={"name": "Весна"}).get_json()
    expectations = [  # (method, path, json, lowest role allowed)
        ("GET", "/people", None, "viewer"),
        ("GET", f"/people/{pid}/timeline", None, "viewer"),
        ("POST", "/people", {"name": "Новый"}, "agent"),
        ("PATCH", f"/people/{pid}", {"notes": "x"}, "agent"),
        ("POST", f"/people/{pid}/touches", {"channel": "email"}, "agent"),
        ("POST", f"/people/{pid}/stage", {"stage": "engaged"}, "agent"),
        ("PATCH", f"/people/{pid}", {"cadence_days": 14}, "manager"),
        ("POST", "/cadences", {"tag": "vip", "cadence_days": 7}, "manager"),
        ("POST", "/campaigns", {"name": "Лето"}, "manager"),
        ("PATCH", f"/campaigns/{campaign['id']}", {"goal": "охват"}, "manager"),
        ("POST", f"/campaigns/{campaign['id']}/placements", {"person_id": pid}, "manager"),
        ("POST", "/templates", {"name": "Привет", "body": "Привет, {name}!"}, "manager"),
        ("GET", f"/people/{pid}/audit", None, "manager"),
    ]
    ranks = ["viewer", "agent", "manager"]
    for method, path, data, lowest in expectations:
        for role in ranks:
            response = call(client, team, method, path, role=role, json=data)
            allowed = ranks.index(role) >= ranks.index(lowest)
            assert (response.status_code < 400) == allowed, (
                method,
                path,
                role,
                response.get_json(),
            )
            if not allowed:
                assert response.status_code == 403
                assert response.get_json()["error"]["code"] == "forbidden"
    assert call(client, team, "DELETE", f"/people/{pid}", role="agent").status_code == 403
    assert call(client, team, "DELETE", f"/people/{pid}", role="manager").status_code == 204


def test_a_stale_version_is_refused_with_409_and_a_clear_message(client, team):
    person = make_person(client, team)
    pid, version = person["id"], person["version"]
    first = call(
        client,
        team,
        "PATCH",
        f"/people/{pid}",
        role="agent",
        json={"notes": "Первая правка", "version": version},
    )
    assert first.status_code == 200 and first.get_json()["version"] == version + 1
    second = call(
        client,
        team,
        "PATCH",
        f"/people/{pid}",
        role="manager",
        json={"city": "Казань", "version": version},
    )
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "conflict" and "someone else changed this" in error["message"]
    assert "reload" in error["message"]
    now = call(client, team, "GET", f"/people/{pid}").get_json()
    assert now["notes"] == "Первая правка" and now["city"] == ""  # neither lost nor overwritten
    moved = call(
        client, team, "POST", f"/people/{pid}/stage", json={"stage": "engaged", "version": version}
    )
    assert moved.status_code == 409


def test_timeline_newest_first_with_kinds_and_pages(client, team):
    person = make_person(client, team)
    pid = person["id"]
    call(
        client,
        team,
        "POST",
        f"/people/{pid}/accounts",
        json={"platform": "vk", "handle": "маша_кот"},
    )
    call(
        client,
        team,
        "POST",
        f"/people/{pid}/touches",
        json={"channel": "email", "at": "2026-11-20T10:00:00Z", "note": "Написали"},
    )
    call(
        client,
        team,
        "POST",
        f"/people/{pid}/tasks",
        json={"title": "Отправить образец", "due_on": "2026-12-01"},
    )
    body = call(client, team, "GET", f"/people/{pid}/timeline", role="viewer").get_json()
    kinds = [item["kind"] for item in body["items"]]
    assert {"touch", "stage", "task", "mention", "role"} <= set(kinds)
    times = [item["at"] for item in body["items"]]
    assert times == sorted(times, reverse=True)
    mentions = [item for item in body["items"] if item["kind"] == "mention"]
    assert {m["sentiment"] for m in mentions} >= {"positive"} and len(
        mentions
    ) == 2  # both platforms
    roles = [item for item in body["items"] if item["kind"] == "role"]
    assert roles and roles[0]["from"] is None and roles[0]["to"]
    only = call(client, team, "GET", f"/people/{pid}/timeline?kind=touch,stage").get_json()
    assert {item["kind"] for item in only["items"]} == {"touch", "stage"}
    assert only["total"] == len(only["items"]) < body["total"]  # the chosen kinds counted
    first = call(client, team, "GET", f"/people/{pid}/timeline?per_page=2").get_json()
    second = call(client, team, "GET", f"/people/{pid}/timeline?per_page=2&page=2").get_json()
    assert first["total"] == body["total"] == len(body["items"])
    assert first["items"] + second["items"] == body["items"][:4]
    assert call(client, team, "GET", f"/people/{pid}/timeline?kind=gossip").status_code == 400


def test_campaigns_placements_warnings_and_erasure(client, team):
    person = make_person(client, team)
    pid = person["id"]
    made = call(client, team, "POST", "/campaigns", json={
        "name": "Весна 2026", "goal": "охват", "start": "2026-01-01", "end": "2099-12-31",
        "budget": 100000, "tags": ["#весна"], "links": ["https://acme.example/spring"],
        "promo_codes": ["SPRING10"]})  # fmt: skip
    assert made.status_code == 201
    campaign = made.get_json()
    assert campaign["start"] == "2026-01-01" and campaign["budget"] == 100000
    assert campaign["running"] is True and campaign["promo_codes"] == ["SPRING10"]
    bad = call(
        client,
        team,
        "POST",
        "/campaigns",
        json={"name": "x", "start": "2026-02-01", "end": "2026-01-01"},
    )
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "end"
    assert (
        call(
            client, team, "POST", "/campaigns", json={"name": "x", "start": "01.02.2026"}
        ).get_json()["error"]["field"]
        == "start"
    )
    cid = campaign["id"]
    response = call(
        client,
        team,
        "POST",
        f"/campaigns/{cid}/placements",
        json={
            "person_id": pid,
            "platform": "twitter",
            "deliverable": "post",
            "planned_at": "2026-12-10",
            "fee": "15000.50",
            "gift_value": 2000,
            "status": "agreed",
        },
    )
    assert response.status_code == 201, response.get_json()
    placement = response.get_json()
    assert placement["fee"] == 15000.5 and placement["status"] == "agreed"
    plid = placement["id"]
    # an agent moves the card; a manager's field is refused to an agent
    moved = call(
        client,
        team,
        "PATCH",
        f"/placements/{plid}",
        role="agent",
        json={"status": "published", "post_id": "1", "version": placement["version"]},
    )
    assert moved.status_code == 403  # post_id is a manager's field
    moved = call(
        client,
        team,
        "PATCH",
        f"/placements/{plid}",
        role="agent",
        json={"status": "published", "version": placement["version"]},
    )
    assert moved.status_code == 200
    codes = {w["code"] for w in moved.get_json()["warnings"]}
    assert {"no_erid", "no_label", "registry_unknown"} <= codes
    again = call(
        client,
        team,
        "PATCH",
        f"/placements/{plid}",
        role="agent",
        json={"status": "paid", "version": placement["version"]},
    )
    assert again.status_code == 409
    linked = call(
        client,
        team,
        "PATCH",
        f"/placements/{plid}",
        role="manager",
        json={
            "post_url": "https://twitter.com/masha/status/1",
            "erid": "2VtzqxABC",
            "label_checked": True,
            "contract_number": "Д-15",
            "contract_date": "2026-11-01",
        },
    )
    body = linked.get_json()
    assert body["mention_id"] is not None  # the post is among the mentions: linked by URL
    assert {w["code"] for w in body["warnings"]} == {"registry_unknown"}
    call(client, team, "PATCH", f"/people/{pid}", json={"registry_status": "no"})
    codes = {
        w["code"] for w in call(client, team, "GET", f"/placements/{plid}").get_json()["warnings"]
    }
    assert codes == {"not_in_registry"}
    # a second running campaign: warned on both placements
    other = call(client, team, "POST", "/campaigns", json={"name": "Лето"}).get_json()
    call(client, team, "POST", f"/campaigns/{other['id']}/placements", json={"person_id": pid})
    listed = call(client, team, "GET", f"/campaigns/{other['id']}/placements").get_json()
    assert set(listed) == {"items", "page", "per_page", "total"} and listed["total"] == 1
    assert "two_campaigns" in {w["code"] for w in listed["items"][0]["warnings"]}
    totals = call(client, team, "GET", f"/campaigns/{cid}").get_json()["totals"]
    assert totals["fees"] == 15000.5 and totals["gifts"] == 2000 and totals["placements"] == 1
    # erasure: the person and their timeline go, the campaign's totals stay
    assert call(client, team, "GET", f"/people/{pid}", role="viewer").status_code == 200
    assert call(client, team, "DELETE", f"/people/{pid}").status_code == 204
    assert call(client, team, "GET", f"/people/{pid}").status_code == 404
    assert call(client, team, "GET", f"/people/{pid}/timeline").status_code == 404
    assert call(client, team, "GET", f"/campaigns/{cid}").get_json()["totals"] == totals
    kept = call(client, team, "GET", f"/campaigns/{cid}/placements").get_json()["items"]
    assert kept[0]["person_id"] is None and kept[0]["person"] is None
    log = call(client, team, "GET", f"/people/{pid}/audit").get_json()["items"]
    assert [e["action"] for e in log][:1] == ["erase"]
    assert {"create", "view", "change"} <= {e["action"] for e in log}


def test_merge_keeps_history_without_duplicates_and_suggestions(client, team):
    a = make_person(client, team)
    b = make_person(client, team, name="Masha K.", accounts=[{"platform": "telegram", "handle": "mashak"}],
                    tags=["food"], email="masha@example.ru")  # fmt: skip
    call(client, team, "POST", f"/people/{a['id']}/touches", json={"channel": "email"})
    call(client, team, "POST", f"/people/{b['id']}/touches", json={"channel": "phone"})
    suggested = call(client, team, "GET", f"/people/{a['id']}/suggestions").get_json()["items"]
    assert [(s["platform"], s["handle"]) for s in suggested] == [("vk", "маша_кот")]
    assert (
        call(
            client,
            team,
            "POST",
            f"/people/{a['id']}/merge",
            role="agent",
            json={"other_id": b["id"]},
        ).status_code
        == 403
    )
    merged = call(client, team, "POST", f"/people/{a['id']}/merge", json={"other_id": b["id"]})
    assert merged.status_code == 200
    person = merged.get_json()
    assert sorted(acc["platform"] for acc in person["accounts"]) == ["telegram", "twitter"]
    assert person["tags"] == ["food"] and person["email"] == "masha@example.ru"
    assert call(client, team, "GET", f"/people/{b['id']}").status_code == 404
    touches = call(client, team, "GET", f"/people/{a['id']}/touches").get_json()
    assert sorted(t["channel"] for t in touches["items"]) == ["email", "phone"]
    stages = call(client, team, "GET", f"/people/{a['id']}/timeline?kind=stage").get_json()
    assert stages["total"] == 4  # both people's histories, once each


def test_templates_fill_placeholders_and_touches_record_them(client, team):
    person = make_person(client, team)
    made = call(
        client,
        team,
        "POST",
        "/templates",
        json={
            "name": "Первое письмо",
            "channel": "email",
            "body": "Привет, {name}! Видели ваш пост про {top_topic}: {latest_post}",
        },
    )
    assert made.status_code == 201
    template = made.get_json()
    assert (
        call(
            client, team, "POST", "/templates", json={"name": "x", "body": "{__class__}"}
        ).get_json()["error"]["field"]
        == "body"
    )
    filled = call(
        client, team, "GET", f"/templates/{template['id']}/render?person_id={person['id']}"
    ).get_json()
    assert filled["text"].startswith("Привет, Маша Котова! Видели ваш пост про #доставка")
    touch = call(
        client,
        team,
        "POST",
        f"/people/{person['id']}/touches",
        json={"channel": "email", "note": filled["text"], "template_id": template["id"]},
    )
    assert touch.get_json()["template_id"] == template["id"]
    line = call(client, team, "GET", f"/people/{person['id']}/timeline?kind=touch").get_json()
    assert line["items"][0]["template"] == "Первое письмо"


def test_tag_cadence_applies_unless_the_person_has_their_own(client, team):
    tagged = make_person(client, team, tags=["vip"])
    own = make_person(client, team, name="Own", accounts=[], tags=["vip"], cadence_days=60)
    for person in (tagged, own):
        call(
            client,
            team,
            "POST",
            f"/people/{person['id']}/touches",
            json={"channel": "email", "at": "2026-11-01T00:00:00Z"},
        )
    response = call(client, team, "POST", "/cadences", json={"tag": "VIP", "cadence_days": 7})
    assert response.status_code == 200 and response.get_json()["people_changed"] == 1
    got = call(client, team, "GET", f"/people/{tagged['id']}").get_json()
    assert got["effective_cadence_days"] == 7
    assert got["next_touch_due"].startswith("2026-11-08")
    assert (
        call(client, team, "GET", f"/people/{own['id']}")
        .get_json()["next_touch_due"]
        .startswith("2026-12-31")
    )


def test_an_account_added_before_its_mentions_counts_as_contacted_when_they_arrive(
    client, team, tmp_path
):
    from factories import mention, write_csv

    person = make_person(
        client, team, name="Новенькая", accounts=[{"platform": "vk", "handle": "newcomer"}]
    )
    assert person["accounts"][0]["author_id"] is None  # nobody has seen this account yet
    call(client, team, "POST", f"/people/{person['id']}/touches", json={"channel": "email"})
    ingest.import_files(team["workspace"], [write_csv(tmp_path / "new.csv", [
        mention("n1", "newcomer", "Acme!", platform="vk")])])  # fmt: skip
    contacted = touches.last_contacted(team["workspace"])
    assert find_author(team["workspace"], "vk", "newcomer").id in contacted
    got = call(client, team, "GET", f"/people/{person['id']}").get_json()
    assert got["accounts"][0]["author_id"] == find_author(team["workspace"], "vk", "newcomer").id
