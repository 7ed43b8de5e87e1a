"""Invitations are bound to the invited e-mail: a link is not a key for whoever holds it."""

import pytest

from app.services import workspaces as workspace_service
from app.services.errors import Forbidden
from factories import login, make_user, make_workspace


@pytest.fixture
def invitation(app):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    invite, token = workspace_service.invite(workspace, "Olga@Example.com", "owner", owner)
    return workspace, invite, f"/invitations/{token}"


def roles(workspace):
    return {m.user.email: m.role for m in workspace_service.members_of(workspace)}


def test_someone_else_cannot_accept_it(app, client, invitation):
    workspace, _, path = invitation
    viewer = make_user("vera@example.com", "Vera")
    workspace_service.add_member(workspace, viewer, "viewer")
    login(client, "vera@example.com")
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "This invitation is for someone else" in page
        assert 'was sent to <strong dir="auto">olga@example.com</strong>' in page
        assert 'you are signed in as <strong dir="auto">vera@example.com</strong>' in page
    assert roles(workspace)["vera@example.com"] == "viewer"  # not owner
    assert workspace_service.pending_invitations(workspace)  # still open for Olga


def test_the_invited_person_accepts_it(app, client, invitation):
    workspace, _, path = invitation
    make_user("olga@example.com", "Ольга")
    login(client, "OLGA@example.com")
    assert "Join <bdi>Acme</bdi>" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 302
    assert roles(workspace)["olga@example.com"] == "owner"


def test_the_service_refuses_too(app, invitation):
    _, invite, _ = invitation
    stranger = make_user("mallory@example.com")
    with pytest.raises(Forbidden, match="this invitation is for olga@example.com"):
        workspace_service.accept_invitation(invite, stranger)
