"""The relationship manager's API tests' helpers: a scored team with a token per role."""

from app.services import ingest, scoring, users, workspaces
from factories import HEADER, make_user, make_workspace, mention, write_csv

API = "/api/v1/workspaces/acme"


def crm_team(tmp_path):
    """A scored workspace and a token for a member of every role (and one outsider)."""
    owner = make_user("owner@example.com", "Olga")
    workspace = make_workspace("acme", owner=owner)
    rows = [
        mention("1", "маша_кот", "Acme — лучшая доставка #доставка", sentiment="positive",
                created_at="2026-11-01T10:00:00Z", url="https://twitter.com/masha/status/1"),
        mention("2", "bob", "@маша_кот Acme is slow", sentiment="negative",
                reply_to_id="1", reply_to_author="маша_кот", created_at="2026-11-02T10:00:00Z"),
        mention("3", "маша_кот", "Acme again", platform="vk", created_at="2026-11-03T10:00:00Z"),
    ]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows, [*HEADER, "url"])])
    scoring.compute(workspace)
    tokens = {"owner": users.create_token(owner, "t")[1]}
    for role in ("manager", "agent", "viewer"):
        user = make_user(f"{role}@example.com", role.title())
        workspaces.add_member(workspace, user, role)
        tokens[role] = users.create_token(user, "t")[1]
    outsider = make_user("x@example.com", "X")
    make_workspace("other", owner=outsider)
    tokens["outsider"] = users.create_token(outsider, "t")[1]
    ids = {role: users.get_by_email(f"{role}@example.com").id for role in ("manager", "agent")}
    return {"workspace": workspace, "tokens": tokens, "owner": owner, "ids": ids}


def call(client, team, method, path, role="owner", **kwargs):
    headers = {"Authorization": f"Bearer {team['tokens'][role]}"}
    return client.open(f"{API}{path}", method=method, headers=headers, **kwargs)


def make_person(client, team, **fields):
    data = {"name": "Маша Котова", "accounts": [{"platform": "twitter", "handle": "@Маша_Кот"}]}
    data.update(fields)
    response = call(client, team, "POST", "/people", json=data)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
