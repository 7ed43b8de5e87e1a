"""Importing over HTTP (upload form, JSON API) and the CLI."""

import io
import json

import pytest

from app.services import users as user_service
from app.services import workspaces as workspace_service
from factories import HEADER, login, make_user, make_workspace, mention, write_csv

CSV = (
    "platform,id,author,created_at,text,sentiment\n"
    "twitter,1,anna,2026-11-01T10:00:00Z,Hello @bob #acme,positive\n"
    "twitter,2,,2026-11-01T10:00:00Z,no author,neutral\n"
    "twitter,3,bob,2026-11-01T11:00:00Z,Привет,neutral\n"
)


@pytest.fixture
def signed_in(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    return client


def upload(client, content: bytes, name="mentions.csv", fmt="auto"):
    return client.post(
        "/w/acme/import",
        data={"files": [(io.BytesIO(content), name)], "format": fmt},
        content_type="multipart/form-data",
    )


def test_upload_shows_the_result(signed_in):
    response = upload(signed_in, CSV.encode())
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="imported">' in page and ">2<" in page.split('data-testid="imported">')[1][:80]
    assert "author is missing" in page and "mentions.csv" in page
    again = signed_in.get(upload(signed_in, CSV.encode()).headers["Location"]).get_data(as_text=True)
    assert ">2<" in again.split('data-testid="duplicates">')[1][:80]


def test_upload_of_an_unreadable_file_fails_clearly(signed_in):
    response = upload(signed_in, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="photo.png")
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "The import failed" in page and "binary file" in page
    assert "No mentions yet" in signed_in.get("/w/acme/").get_data(as_text=True)


def test_upload_form_requires_a_file(signed_in):
    response = signed_in.post("/w/acme/import", data={"format": "auto"}, content_type="multipart/form-data")
    assert response.status_code == 200 and "choose at least one file" in response.get_data(as_text=True)


def test_api_import_with_a_token(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    _, token = user_service.create_token(owner, "script")
    headers = {"Authorization": f"Bearer {token}"}
    records = [
        {"platform": "twitter", "id": "10", "author": "anna", "created_at": "2026-11-01T10:00:00Z", "text": "Great #acme", "sentiment": "positive"},
        {"platform": "twitter", "id": "11", "author": "bob", "created_at": "not a date", "text": "x"},
    ]  # fmt: skip
    response = client.post("/api/v1/workspaces/acme/mentions", json=records, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["imported"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["reason"].startswith("item 2: created_at")
    again = client.post("/api/v1/workspaces/acme/mentions", json={"mentions": records[:1]}, headers=headers)
    assert again.status_code == 200 and again.get_json()["duplicates"] == 1
    listed = client.get("/api/v1/workspaces/acme/mentions?topic=acme", headers=headers).get_json()
    assert listed["total"] == 1 and listed["mentions"][0]["topics"] == ["#acme"]


def test_api_rejects_bad_tokens_and_bodies(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    assert client.post("/api/v1/workspaces/acme/mentions", json=[]).status_code == 401
    bad = {"Authorization": "Bearer icrm_nope"}
    assert client.post("/api/v1/workspaces/acme/mentions", json=[], headers=bad).status_code == 401
    _, token = user_service.create_token(owner, "script")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    response = client.post("/api/v1/workspaces/acme/mentions", data="{oops", headers=headers)
    assert response.status_code == 400 and "not valid JSON" in response.get_json()["error"]["message"]


def test_api_imports_a_lone_surrogate_escape_as_a_replacement_character(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    _, token = user_service.create_token(owner, "script")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = (
        '[{"platform": "twitter", "id": "1", "author": "anna",'
        ' "created_at": "2026-11-01T10:00:00Z", "text": "hi \\ud800 #acme"}]'
    )
    response = client.post("/api/v1/workspaces/acme/mentions", data=body, headers=headers)
    assert response.status_code == 201 and response.get_json()["imported"] == 1
    listed = client.get("/api/v1/workspaces/acme/mentions", headers=headers).get_json()
    assert listed["mentions"][0]["text"] == "hi \ufffd #acme"


def test_api_viewer_cannot_import(app, client):
    owner = make_user()
    viewer = make_user("v@example.com")
    workspace = make_workspace("acme", owner=owner)
    workspace_service.add_member(workspace, viewer, "viewer")
    _, token = user_service.create_token(viewer, "t")
    response = client.post("/api/v1/workspaces/acme/mentions", json=[], headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_cli_import_json_output_and_exit_codes(app, runner, tmp_path):
    make_workspace("acme")
    path = write_csv(tmp_path / "m.csv", [mention("1", "anna", "hi", sentiment="neutral"), mention("2", "", "x")])
    result = runner.invoke(args=["mentions", "import", str(path), "--workspace", "acme", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["imported"], body["duplicates"], body["rejected"]) == (1, 0, 1)
    assert body["errors"] == [{"file": str(path), "line": 3, "reason": "author is missing"}]
    assert body["format"] == {str(path): "csv"}
    again = json.loads(runner.invoke(args=["mentions", "import", str(path), "--workspace", "acme", "--json"]).output)
    assert (again["imported"], again["duplicates"]) == (0, 1)

    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    result = runner.invoke(args=["mentions", "import", str(junk), "--workspace", "acme"])
    assert result.exit_code == 1 and "could not recognise the format" in result.output
    result = runner.invoke(args=["mentions", "import", str(path), "--workspace", "nope"])
    assert result.exit_code != 0 and "no workspace 'nope'" in result.output
    result = runner.invoke(args=["mentions", "import", str(junk), "--workspace", "acme", "--format", "csv"])
    assert result.exit_code == 1 and "lacks the required column" in result.output


def test_cli_import_leaves_out_tags_that_are_not_words_and_says_which(app, runner, tmp_path):
    """Junk in the tags column (markup, symbols) is not a topic; the row itself imports."""
    make_workspace("acme")
    rows = [
        mention("1", "anna", "Acme is fine", tags="#<svg rstats →"),
        mention("2", "bob", "#acme"),
    ]
    path = write_csv(tmp_path / "tags.csv", rows, header=[*HEADER, "tags"])
    body = json.loads(
        runner.invoke(
            args=["mentions", "import", str(path), "--workspace", "acme", "--json", "--no-score"]
        ).output
    )
    assert body["imported"] == 2 and body["rejected"] == 0
    assert any("line 2" in w and "'#<svg', '→' left out" in w for w in body["warnings"]), body[
        "warnings"
    ]
    from sqlalchemy import select

    from app.extensions import db
    from app.models import MentionTopic

    topics = set(db.session.scalars(select(MentionTopic.topic)))
    assert topics == {"#rstats", "#acme"}  # the brand term "Acme" and "#acme" are one topic


def test_api_import_says_which_tags_it_left_out(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    _, token = user_service.create_token(owner, "t")
    record = mention("1", "anna", "Acme", tags=["<img src=x>", "rstats"])
    response = client.post(
        "/api/v1/workspaces/acme/mentions",
        json=[record],
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.get_json()
    assert response.status_code == 201 and body["imported"] == 1, body
    assert body["warnings"] == [
        "request: item 1: tag(s) '<img src=x>' left out: a tag must be a word"
    ]
