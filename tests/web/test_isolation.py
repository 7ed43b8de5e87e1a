"""Tenant isolation: a member of workspace A gets 404 on every URL of workspace B."""

from sqlalchemy import select

from app.crm.services import touches as contacts
from app.extensions import db
from app.models import Author, Membership, Mention
from app.services import graph_exports, ingest, scoring, workspaces
from app.services.network import NetworkFilters
from factories import login, make_user, make_workspace, mention, write_csv


def test_every_workspace_route_is_404_for_non_members(app, client, tmp_path):
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    make_workspace("alpha", owner=alice)
    beta = make_workspace("beta", owner=bob)
    ingest.import_files(
        beta, [write_csv(tmp_path / "m.csv", [mention("1", "x", "hi", sentiment="neutral")])]
    )
    run = ingest.start_run(beta, "cli", ["m.csv"])
    invitation, _ = workspaces.invite(beta, "carol@example.com", "agent", bob)
    beta_author = db.session.scalar(select(Author.id).where(Author.workspace_id == beta.id))
    contact = contacts.log_contact(
        workspaces.access_for(bob, "beta"), bob, beta_author, channel="email"
    )
    # Real ids of beta's objects, so that a missing scope check would answer 200 or 302.
    ids = {
        "membership_id": db.session.scalar(
            select(Membership.id).where(Membership.workspace_id == beta.id)
        ),
        "run_id": run.id,
        "author_id": beta_author,
        "contact_id": contact.id,
        "mention_id": db.session.scalar(select(Mention.id).where(Mention.workspace_id == beta.id)),
        "invitation_id": invitation.id,
        "snapshot_id": scoring.compute(beta).id,
        "export_id": graph_exports.start_export(beta, bob, "gexf", NetworkFilters()).id,
    }
    login(client, "alice@example.com")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "slug" not in rule.arguments or rule.rule.startswith("/api/"):
            continue
        url = rule.rule.replace("<slug>", "beta")
        for name, value in ids.items():
            url = url.replace(f"<int:{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
            checked += 1
    assert checked >= 12
    assert contacts.author_contacts(beta, beta_author) == [contact]  # nothing was deleted


def test_api_is_scoped_too(app, client):
    from app.services import users

    alice = make_user("alice@example.com")
    make_user("bob@example.com")
    make_workspace("beta", owner=users.get_by_email("bob@example.com"))
    _, token = users.create_token(alice, "t")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/workspaces/beta/mentions", headers=headers).status_code == 404
    assert (
        client.post("/api/v1/workspaces/beta/mentions", json=[], headers=headers).status_code == 404
    )


def test_workspace_list_shows_only_own(app, client):
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    make_workspace("alpha", owner=alice)
    make_workspace("beta", owner=bob)
    login(client, "alice@example.com")
    page = client.get("/").get_data(as_text=True)
    assert "Alpha" in page and "Beta" not in page
