"""/api/v1/openapi.json documents every relationship-manager route, and real responses
(successes and errors) validate against its schemas."""

import re

import jsonschema
import pytest
from crm_api_support import call, crm_team, make_person
from openapi_support import validate


@pytest.fixture
def team(app, client, tmp_path):
    return crm_team(tmp_path)


def test_every_route_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("crm_api."):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in document["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], (method, path)


def test_real_responses_match_the_document(client, team):
    document = client.get("/api/v1/openapi.json").get_json()
    W = "/api/v1/workspaces/{slug}"
    checked = set()

    def check(method, template, path, role="owner", **kwargs):
        response = call(client, team, method, path, role=role, **kwargs)
        validate(document, W + template, method, response)
        checked.add((method, template, response.status_code))
        return response.get_json() if response.get_data() else None

    person = check(
        "POST",
        "/people",
        "/people",
        json={
            "name": "Маша",
            "accounts": [{"platform": "twitter", "handle": "маша_кот"}],
            "tags": ["vip"],
            "cadence_days": 30,
            "email": "m@example.ru",
            "notes": "—",
        },
    )
    pid = person["id"]
    other = make_person(client, team, name="Другой", accounts=[])
    check("POST", "/people", "/people", json={"name": ""})  # 422
    check("GET", "/people", "/people?due=never&tag=vip")
    check("GET", "/people", "/people?due=later")  # 400
    check("GET", "/people/{person_id}", f"/people/{pid}")
    check("GET", "/people/{person_id}", "/people/999999")  # 404
    check("PATCH", "/people/{person_id}", f"/people/{pid}", json={"city": "Казань"})
    check("PATCH", "/people/{person_id}", f"/people/{pid}", json={"city": "x", "version": 1})  # 409
    check(
        "POST",
        "/people/{person_id}/touches",
        f"/people/{pid}/touches",
        role="agent",
        json={"channel": "email", "direction": "sent", "note": "Привет"},
    )
    check(
        "POST",
        "/people/{person_id}/touches",
        f"/people/{pid}/touches",
        role="viewer",
        json={"channel": "email"},
    )  # 403
    check("GET", "/people/{person_id}/touches", f"/people/{pid}/touches")
    check("POST", "/people/{person_id}/stage", f"/people/{pid}/stage", json={"stage": "engaged"})
    check(
        "POST",
        "/people/{person_id}/tasks",
        f"/people/{pid}/tasks",
        json={"title": "Позвонить", "due_on": "2026-12-01"},
    )
    check(
        "POST",
        "/people/{person_id}/accounts",
        f"/people/{pid}/accounts",
        json={"platform": "vk", "handle": "маша_кот"},
    )
    check("GET", "/people/{person_id}/timeline", f"/people/{pid}/timeline")
    check("GET", "/people/{person_id}/suggestions", f"/people/{pid}/suggestions")
    check(
        "POST", "/people/{person_id}/merge", f"/people/{pid}/merge", json={"other_id": other["id"]}
    )
    check("GET", "/people/{person_id}/audit", f"/people/{pid}/audit")
    check("POST", "/cadences", "/cadences", json={"tag": "vip", "cadence_days": 14})
    campaign = check(
        "POST",
        "/campaigns",
        "/campaigns",
        json={"name": "Весна", "start": "2026-01-01", "end": "2099-01-01", "budget": 5000.5},
    )
    cid = campaign["id"]
    check("GET", "/campaigns", "/campaigns")
    check("GET", "/campaigns/{campaign_id}", f"/campaigns/{cid}")
    check("PATCH", "/campaigns/{campaign_id}", f"/campaigns/{cid}", json={"goal": "охват"})
    placement = check(
        "POST",
        "/campaigns/{campaign_id}/placements",
        f"/campaigns/{cid}/placements",
        json={"person_id": pid, "fee": 100, "status": "published"},
    )
    check("GET", "/campaigns/{campaign_id}/placements", f"/campaigns/{cid}/placements")
    check("GET", "/placements/{placement_id}", f"/placements/{placement['id']}")
    check(
        "PATCH",
        "/placements/{placement_id}",
        f"/placements/{placement['id']}",
        role="agent",
        json={"status": "paid"},
    )
    template = check("POST", "/templates", "/templates", json={"name": "Hi", "body": "Hi {name}"})
    check("GET", "/templates", "/templates")
    check(
        "PATCH",
        "/templates/{template_id}",
        f"/templates/{template['id']}",
        json={"body": "Yo {name}"},
    )
    check(
        "GET",
        "/templates/{template_id}/render",
        f"/templates/{template['id']}/render?person_id={pid}",
    )
    account = person["accounts"][0]["id"]
    check(
        "DELETE", "/people/{person_id}/accounts/{account_id}", f"/people/{pid}/accounts/{account}"
    )
    check("DELETE", "/people/{person_id}", f"/people/{pid}")
    statuses = {status for _, _, status in checked}
    assert {200, 201, 204, 400, 403, 404, 409, 422} <= statuses
