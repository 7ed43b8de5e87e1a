"""Contact history over HTTP: the author page's section and form (with and without htmx, with
CSRF on), roles, deletion, and the "not yet contacted" filter on the list, export, CLI and API."""

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app import create_app
from app.crm.models import Touch as Contact
from app.crm.services import touches as contacts
from app.extensions import db
from app.services import ingest, scoring, users, workspaces
from app.services.mentions import find_author
from factories import PASSWORD, login, make_user, make_workspace, mention, write_csv


def rows() -> list[dict]:
    """Four fans thank a hub that answers each; a Cyrillic VK author joins in."""
    out = []
    for i in range(4):
        out.append(
            mention(
                f"h{i}", f"fan{i}", "@hub thanks Acme", created_at=f"2026-11-0{1 + i}T10:00:00Z"
            )
        )
        out.append(mention(f"r{i}", "hub", f"@fan{i} welcome", created_at=f"2026-11-0{1 + i}T11:00:00Z",
                           reply_to_id=f"h{i}", reply_to_author=f"fan{i}"))  # fmt: skip
    out.append(
        mention(
            "v1", "маша_кот", "@hub Acme привет", platform="vk", created_at="2026-11-03T09:00:00Z"
        )
    )
    return out


@pytest.fixture
def workspace(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])
    scoring.compute(workspace)
    login(client)
    return workspace


def author_id(workspace, handle: str, platform: str = "twitter") -> int:
    return find_author(workspace, platform, handle).id


def log(client, author: int, **data):
    values = {"contact-channel": "email", "contact-note": ""}
    values.update({f"contact-{key}": value for key, value in data.items()})
    return client.post(f"/w/acme/authors/{author}/contacts", data=values)


def handles(client, query: str = "") -> list[str]:
    page = client.get(f"/w/acme/influencers{query}").get_data(as_text=True)
    if "<tbody>" not in page:
        return []
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return sorted(re.findall(r'class="user-text" dir="auto">@([^<]+)</a>', body))


def test_author_page_logs_a_contact_and_lists_it_escaped(workspace, client):
    hub = author_id(workspace, "hub")
    page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
    assert "Contact history" in page and "No contacts logged yet" in page
    assert 'name="contact-channel"' in page and "direct message" in page
    response = log(client, hub, channel="direct_message", contacted_at="2026-11-20T14:05",
                   note="Написали <script>alert(1)</script> — ждём ответа")  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/w/acme/authors/{hub}#contacts")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Contact logged." in page and "1 contact<" in page
    assert "Написали &lt;script&gt;alert(1)&lt;/script&gt; — ждём ответа" in page
    assert "<script>alert(1)" not in page
    # When: exact time in UTC on hover (the workspace is in UTC), relative text by app.js.
    assert 'datetime="2026-11-20T14:05:00+00:00"' in page and 'title="2026-11-20 14:05 UTC"' in page
    assert "Anna" in page  # who
    stored = db.session.scalar(select(Contact))
    assert stored.channel == "direct_message" and stored.at == datetime(
        2026, 11, 20, 14, 5, tzinfo=UTC
    )


def test_errors_name_the_field_and_keep_what_was_typed(workspace, client):
    hub = author_id(workspace, "hub")
    response = log(client, hub, contacted_at="2099-01-01T10:00", note="Позвонить ещё раз")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "the time of the contact (2099-01-01 10:00) is in the future" in page
    assert 'id="contact-contacted_at-error"' in page and "Позвонить ещё раз" in page
    assert "Traceback" not in page
    page = log(client, hub, channel="fax").get_data(as_text=True)
    assert "the channel &#39;fax&#39; is not one of" in page
    page = log(client, hub, note="x" * 5001).get_data(as_text=True)
    assert "keep it to 5,000" in page
    page = log(client, hub, contacted_at="yesterday").get_data(as_text=True)
    assert 'id="contact-contacted_at-error"' in page
    assert db.session.scalar(select(Contact)) is None


def test_htmx_gets_the_section_alone(workspace, client):
    hub = author_id(workspace, "hub")
    response = client.post(
        f"/w/acme/authors/{hub}/contacts",
        data={"contact-channel": "meeting", "contact-note": "кофе"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section class="contacts" id="contacts"')
    assert "<html" not in fragment and "Contact logged." in fragment and "кофе" in fragment
    assert 'hx-post="/w/acme/authors/' in fragment
    bad = client.post(
        f"/w/acme/authors/{hub}/contacts",
        data={"contact-channel": "fax"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 200 and "is not one of" in bad.get_data(as_text=True)
    contact = db.session.scalar(select(Contact))
    gone = client.post(f"/w/acme/contacts/{contact.id}/delete", headers={"HX-Request": "true"})
    assert "Contact entry deleted." in gone.get_data(as_text=True)
    assert db.session.scalar(select(Contact)) is None


def test_the_form_works_with_csrf_on(tmp_path, postgres_url):
    from conftest import truncate_all

    if postgres_url:
        truncate_all(postgres_url)
    url = postgres_url or f"sqlite:///{tmp_path / 'csrf.db'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "JOBS_INLINE": True,
         "INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_FOLDER": str(tmp_path / "up")}
    )  # fmt: skip
    with app.app_context():
        if not postgres_url:
            db.create_all()
        owner = make_user()
        workspace = make_workspace("acme", owner=owner)
        ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])
        hub = author_id(workspace, "hub")
        client = app.test_client()

        def token(page: str, name: str = "csrf_token") -> str:
            return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)

        login_page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": "anna@example.com", "password": PASSWORD,
                                    "csrf_token": token(login_page)})  # fmt: skip
        page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
        data = {"contact-channel": "phone", "contact-note": "звонок"}
        refused = client.post(f"/w/acme/authors/{hub}/contacts", data=data)
        assert refused.status_code == 400 and db.session.scalar(select(Contact)) is None
        data["contact-csrf_token"] = token(page, "contact-csrf_token")
        assert client.post(f"/w/acme/authors/{hub}/contacts", data=data).status_code == 302
        page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
        assert "звонок" in page
        contact = db.session.scalar(select(Contact))
        delete = f"/w/acme/contacts/{contact.id}/delete"
        assert client.post(delete).status_code == 400
        assert client.post(delete, data={"csrf_token": token(page)}).status_code == 302
        assert db.session.scalar(select(Contact)) is None
        db.session.remove()
        db.engine.dispose()


def test_viewers_read_but_cannot_write(workspace, client):
    hub = author_id(workspace, "hub")
    owner_access = workspaces.access_for(users.get_by_email("anna@example.com"), "acme")
    contact = contacts.log_contact(owner_access, users.get_by_email("anna@example.com"), hub,
                                   channel="email", note="first touch")  # fmt: skip
    viewer = make_user("v@example.com", "Vic")
    workspaces.add_member(workspace, viewer, "viewer")
    client.post("/logout")
    login(client, "v@example.com")
    page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
    assert "first touch" in page and 'name="contact-channel"' not in page and ">Delete<" not in page
    assert log(client, hub).status_code == 403
    assert client.post(f"/w/acme/contacts/{contact.id}/delete").status_code == 403
    assert len(contacts.author_contacts(workspace, hub)) == 1


def test_agents_delete_only_their_own_entries(workspace, client):
    hub = author_id(workspace, "hub")
    anna = users.get_by_email("anna@example.com")
    owners = contacts.log_contact(workspaces.access_for(anna, "acme"), anna, hub, channel="email")
    agent = make_user("a@example.com", "Agent Smith")
    workspaces.add_member(workspace, agent, "agent")
    client.post("/logout")
    login(client, "a@example.com")
    log(client, hub, channel="reply", note="mine")
    page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
    assert page.count(">Delete<") == 1  # only on the agent's own entry
    assert client.post(f"/w/acme/contacts/{owners.id}/delete").status_code == 403
    mine = db.session.scalar(select(Contact).where(Contact.by_id == agent.id))
    response = client.post(f"/w/acme/contacts/{mine.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("#contacts")
    assert [c.id for c in contacts.author_contacts(workspace, hub)] == [owners.id]
    assert client.post("/w/acme/contacts/999999/delete").status_code == 404


def test_influencer_list_filters_by_contacted(workspace, client):
    everyone = handles(client)  # the VK post mentions @hub: a second hub, on VK
    assert everyone == ["fan0", "fan1", "fan2", "fan3", "hub", "hub", "маша_кот"]
    assert handles(client, "?contacted=yes") == []
    assert "Nobody in this view has been contacted yet" in client.get(
        "/w/acme/influencers?contacted=yes"
    ).get_data(as_text=True)
    log(client, author_id(workspace, "hub"), contacted_at="2026-11-20T09:00")
    log(client, author_id(workspace, "маша_кот", "vk"), channel="phone")
    log(client, author_id(workspace, "маша_кот", "vk"), channel="email")  # twice: listed once
    assert handles(client, "?contacted=yes") == ["hub", "маша_кот"]
    assert handles(client, "?contacted=no") == ["fan0", "fan1", "fan2", "fan3", "hub"]
    assert handles(client, "?contacted=no&platform=twitter") == ["fan0", "fan1", "fan2", "fan3"]
    page = client.get("/w/acme/influencers?contacted=no").get_data(as_text=True)
    assert '<option value="no" selected>not yet</option>' in page
    assert re.search(r"<h1>Influencers <small[^>]*>\s*5 matching", page)
    page = client.get("/w/acme/influencers?contacted=no&platform=twitter").get_data(as_text=True)
    assert re.search(r"<h1>Influencers <small[^>]*>\s*4 matching", page)  # all minus contacted
    page = client.get("/w/acme/influencers?contacted=yes&sort=handle&order=asc").get_data(
        as_text=True
    )
    assert 'datetime="2026-11-20T09:00:00+00:00"' in page  # the hub's last contact, in its row
    assert "Filter ignored: contacted must be one of no, yes" in client.get(
        "/w/acme/influencers?contacted=maybe"
    ).get_data(as_text=True)


def test_export_follows_the_contacted_filter(workspace, client):
    log(client, author_id(workspace, "hub"), contacted_at="2026-11-20T09:00")
    raw = client.get("/w/acme/influencers.csv?contacted=yes").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert table[0][-1] == "last_contacted_utc"
    assert [row[0] for row in table[1:]] == ["hub"] and table[1][-1] == "2026-11-20 09:00"
    raw = client.get("/w/acme/influencers.csv?contacted=no").get_data(as_text=True)
    names = [row[0] for row in csv.reader(io.StringIO(raw.lstrip("\ufeff")))][1:]
    assert names.count("hub") == 1 and "маша_кот" in names and len(names) == 6


def test_cli_and_api_take_contacted(workspace, client, runner):
    log(client, author_id(workspace, "hub"))
    listed = runner.invoke(
        args=["authors", "list", "--workspace", "acme", "--contacted", "no", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    found = [json.loads(line) for line in listed.output.splitlines()]
    assert len(found) == 6 and ("twitter", "hub") not in {
        (r["platform"], r["handle"]) for r in found
    }
    assert all(row["last_contacted_at"] is None for row in found)
    listed = runner.invoke(
        args=["authors", "list", "--workspace", "acme", "--contacted", "yes", "--json"]
    )
    assert [json.loads(line)["handle"] for line in listed.output.splitlines()] == ["hub"]
    bad = runner.invoke(args=["authors", "list", "--workspace", "acme", "--contacted", "maybe"])
    assert bad.exit_code != 0 and "--contacted" in bad.output
    _, token = users.create_token(users.get_by_email("anna@example.com"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/workspaces/acme/authors?contacted=no", headers=headers).get_json()
    assert body["total"] == 6 and "twitter" not in {
        row["platform"] for row in body["authors"] if row["handle"] == "hub"
    }
    body = client.get("/api/v1/workspaces/acme/authors?contacted=yes", headers=headers).get_json()
    assert [row["handle"] for row in body["authors"]] == ["hub"]
    assert body["authors"][0]["last_contacted_at"].endswith("+00:00")
    bad = client.get("/api/v1/workspaces/acme/authors?contacted=maybe", headers=headers)
    error = bad.get_json()["error"]
    assert bad.status_code == 400 and error["parameter"] == "contacted"
    assert "contacted must be one of" in error["message"]
