"""Creating workspaces, settings, members, roles and invitations over HTTP."""

from app.models import Workspace
from app.services import workspaces as workspace_service
from factories import login, make_user, make_workspace


def test_create_workspace_from_the_list_page(app, client):
    make_user()
    login(client)
    response = client.post(
        "/",
        data={"name": "Доставка Плюс", "slug": "dostavka", "brand_terms": "Доставка Плюс\nДП, dp",
              "timezone": "Europe/Moscow", "work_start": "09:00", "work_end": "18:00"},
    )  # fmt: skip
    assert response.status_code == 302
    workspace = workspace_service.get_by_slug("dostavka")
    assert workspace.brand_terms == ["Доставка Плюс", "ДП", "dp"]
    assert workspace.timezone == "Europe/Moscow"
    assert "Доставка Плюс" in client.get("/").get_data(as_text=True)


def test_bad_settings_are_explained(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    response = client.post(
        "/w/acme/settings",
        data={"name": "Acme", "brand_terms": "", "timezone": "Mars/Olympus",
              "work_start": "18:00", "work_end": "09:00"},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "must end after they start" in page or "not a known time zone" in page
    assert workspace_service.get_by_slug("acme").timezone == "UTC"


def test_settings_saved(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    client.post(
        "/w/acme/settings",
        data={"name": "Acme Corp", "brand_terms": "Acme, ACME Pro", "timezone": "Asia/Tokyo",
              "work_start": "08:30", "work_end": "17:00", "work_days": ["1", "2", "3"],
              "score_window_days": "30"},
    )  # fmt: skip
    workspace = workspace_service.get_by_slug("acme")
    assert workspace.score_window_days == 30
    assert (workspace.name, workspace.timezone, workspace.work_start, workspace.work_days) == (
        "Acme Corp", "Asia/Tokyo", "08:30", [1, 2, 3],
    )  # fmt: skip
    assert workspace.brand_terms == ["Acme", "ACME Pro"]


def test_viewer_cannot_change_settings_or_import(app, client):
    owner = make_user()
    viewer = make_user("vera@example.com", "Vera")
    workspace = make_workspace("acme", owner=owner)
    workspace_service.add_member(workspace, viewer, "viewer")
    login(client, "vera@example.com")
    assert client.get("/w/acme/settings").status_code == 200
    response = client.post(
        "/w/acme/settings",
        data={"name": "Hacked", "timezone": "UTC", "work_start": "09:00", "work_end": "18:00"},
    )
    assert response.status_code == 403
    assert client.post("/w/acme/members/1/remove").status_code == 403
    assert workspace_service.get_by_slug("acme").name == "Acme"


def test_invitation_creates_an_account_with_the_role(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    page = client.post("/w/acme/members", data={"email": "new@example.com", "role": "manager"}).get_data(as_text=True)
    link = page.split('data-testid="invite-link">')[1].split("<")[0]
    client.post("/logout")
    path = link.replace("http://localhost", "")
    response = client.post(path, data={"name": "Nina", "password": "long enough pw", "confirm": "long enough pw"})
    assert response.status_code == 302
    workspace = db_workspace("acme")
    roles = {m.user.email: m.role for m in workspace_service.members_of(workspace)}
    assert roles == {"anna@example.com": "owner", "new@example.com": "manager"}
    # used once
    client.post("/logout")
    assert client.get(path).status_code == 404


def test_last_owner_cannot_step_down(app, client):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    login(client)
    [membership] = workspace_service.members_of(workspace)
    client.post(f"/w/acme/members/{membership.id}/role", data={"role": "viewer"})
    assert workspace_service.members_of(workspace)[0].role == "owner"


def db_workspace(slug: str) -> Workspace:
    return workspace_service.get_by_slug(slug)


def test_cli_creates_workspaces_and_users(app, runner):
    result = runner.invoke(args=["workspaces", "create", "acme", "--name", "Acme", "--brand", "Acme", "--brand", "Акме", "--timezone", "Europe/Moscow"])
    assert result.exit_code == 0, result.output
    assert workspace_service.get_by_slug("acme").brand_terms == ["Acme", "Акме"]
    result = runner.invoke(args=["users", "create", "ops@example.com", "--password-stdin", "--workspace", "acme", "--role", "manager"], input="secret password\n")
    assert result.exit_code == 0, result.output
    assert "password:" not in result.output
    result = runner.invoke(args=["users", "create", "gen@example.com"])
    assert "password: " in result.output
    result = runner.invoke(args=["workspaces", "create", "Bad Slug!", "--name", "x"])
    assert result.exit_code != 0 and "not a valid workspace id" in result.output


def test_the_invite_form_is_empty_after_sending(app, client):
    owner = make_user()
    make_workspace("acme", owner=owner)
    login(client)
    page = client.post(
        "/w/acme/members", data={"email": "new@example.com", "role": "manager"}
    ).get_data(as_text=True)
    assert 'data-testid="invite-link"' in page
    field = (
        page.split('id="email"')[0].rsplit("<input", 1)[1]
        + page.split('id="email"')[1].split(">")[0]
    )
    assert "new@example.com" not in field  # the address is in the notice, not in the field


def test_favicon_is_served_to_anyone_and_linked_from_every_page(app, client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\0\0\1\0"  # an ICO file
    page = client.get("/login").get_data(as_text=True)
    svg_href = page.split('rel="icon" href="')[1].split('"')[0]
    with client.get(svg_href) as svg:
        assert svg.status_code == 200 and b"<svg" in svg.data
