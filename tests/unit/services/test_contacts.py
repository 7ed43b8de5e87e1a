"""Contact history: logging touches with authors, validation, roles, order and deletion."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.crm.models import Touch as Contact
from app.crm.services import touches as contacts
from app.extensions import db
from app.services import ingest, workspaces
from app.services.errors import FieldError, Forbidden, NotFound
from app.services.mentions import find_author
from factories import make_user, make_workspace, mention, write_csv


@pytest.fixture
def team(app, tmp_path):
    """A workspace with two authors and one member of every role, as their Access."""
    owner = make_user("owner@example.com", "Olga")
    workspace = make_workspace("acme", owner=owner, timezone="Europe/Moscow")
    rows = [mention("1", "маша_кот", "Acme, привет"), mention("2", "bob", "hi Acme")]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    people = {"owner": owner}
    for role in ("manager", "agent", "viewer"):
        people[role] = make_user(f"{role}@example.com", role.title())
        workspaces.add_member(workspace, people[role], role)
    people["agent2"] = make_user("agent2@example.com", "Second agent")
    workspaces.add_member(workspace, people["agent2"], "agent")
    return {
        "workspace": workspace,
        "masha": find_author(workspace, "twitter", "маша_кот").id,
        "bob": find_author(workspace, "twitter", "bob").id,
        "users": people,
        "access": {name: workspaces.access_for(user, "acme") for name, user in people.items()},
    }


def test_log_contact_keeps_a_cyrillic_note_and_defaults_to_now(team):
    before = datetime.now(UTC)
    contact = contacts.log_contact(
        team["access"]["agent"], team["users"]["agent"], team["masha"],
        channel="direct message", note="  Написали в личку: ждёт образец  ",
    )  # fmt: skip
    db.session.expire_all()
    stored = db.session.get(Contact, contact.id)
    assert stored.note == "Написали в личку: ждёт образец"
    assert stored.channel == "direct_message" and stored.channel_label == "direct message"
    assert stored.by.email == "agent@example.com"
    assert before - timedelta(seconds=1) <= stored.at <= datetime.now(UTC)
    assert stored.at.tzinfo is not None


def test_a_naive_time_is_in_the_workspace_time_zone(team):
    contact = contacts.log_contact(
        team["access"]["agent"], team["users"]["agent"], team["bob"],
        channel="phone", contacted_at=datetime(2026, 11, 20, 15, 30),
    )  # fmt: skip
    db.session.expire_all()
    # Moscow is UTC+3 all year.
    assert db.session.get(Contact, contact.id).at == datetime(
        2026, 11, 20, 12, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"channel": "fax"}, "channel", "the channel 'fax' is not one of: email, direct message"),
        ({"channel": ""}, "channel", "is not one of"),
        ({"note": "я" * 5001}, "note", "the note is 5,001 characters long; keep it to 5,000"),
        (
            {"contacted_at": datetime.now(UTC) + timedelta(days=2)},  # computed at collection
            "contacted_at",
            "is in the future",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_field(team, changes, field, words):
    values = {"channel": "email", "note": ""} | changes
    with pytest.raises(FieldError, match=words) as caught:
        contacts.log_contact(team["access"]["agent"], team["users"]["agent"], team["bob"], **values)
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_a_note_of_exactly_5000_characters_and_a_time_seconds_ahead_are_fine(team):
    contact = contacts.log_contact(
        team["access"]["agent"], team["users"]["agent"], team["bob"], channel="email",
        note="x" * 5000, contacted_at=datetime.now(UTC) + timedelta(seconds=20),
    )  # fmt: skip
    assert len(contact.note) == 5000


def test_viewers_cannot_log_and_other_workspaces_authors_are_not_found(team, tmp_path):
    with pytest.raises(Forbidden, match="viewer"):
        contacts.log_contact(
            team["access"]["viewer"], team["users"]["viewer"], team["bob"], channel="email"
        )
    other = make_workspace("other")
    ingest.import_files(other, [write_csv(tmp_path / "o.csv", [mention("9", "stranger", "hi")])])
    stranger = find_author(other, "twitter", "stranger").id
    with pytest.raises(NotFound):
        contacts.log_contact(
            team["access"]["owner"], team["users"]["owner"], stranger, channel="email"
        )
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_history_is_newest_first_and_per_author(team):
    agent, access = team["users"]["agent"], team["access"]["agent"]
    for day, channel in ((3, "email"), (10, "meeting"), (7, "reply")):
        contacts.log_contact(
            access, agent, team["masha"], channel=channel,
            contacted_at=datetime(2026, 11, day, 9, 0, tzinfo=UTC),
        )  # fmt: skip
    contacts.log_contact(access, agent, team["bob"], channel="other")
    history = contacts.author_contacts(team["workspace"], team["masha"])
    assert [c.channel for c in history] == ["meeting", "reply", "email"]
    latest = contacts.last_contacted(team["workspace"], [team["masha"], team["bob"]])
    assert latest[team["masha"]] == datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    assert set(latest) == {team["masha"], team["bob"]}
    assert contacts.last_contacted(team["workspace"], []) == {}


def test_agents_delete_their_own_entries_managers_and_owners_any(team):
    access, users = team["access"], team["users"]
    mine = contacts.log_contact(access["agent"], users["agent"], team["bob"], channel="email")
    theirs = contacts.log_contact(access["agent2"], users["agent2"], team["bob"], channel="phone")
    assert contacts.can_delete(access["agent"], users["agent"], mine)
    assert not contacts.can_delete(access["agent"], users["agent"], theirs)
    assert not contacts.can_delete(access["viewer"], users["viewer"], mine)
    with pytest.raises(Forbidden, match="manager or an owner"):
        contacts.delete_contact(access["agent"], users["agent"], theirs.id)
    with pytest.raises(Forbidden):
        contacts.delete_contact(access["viewer"], users["viewer"], mine.id)
    assert contacts.delete_contact(access["agent"], users["agent"], mine.id) == team["bob"]
    assert contacts.delete_contact(access["manager"], users["manager"], theirs.id) == team["bob"]
    again = contacts.log_contact(access["agent2"], users["agent2"], team["bob"], channel="reply")
    contacts.delete_contact(access["owner"], users["owner"], again.id)
    assert contacts.author_contacts(team["workspace"], team["bob"]) == []
    with pytest.raises(NotFound):
        contacts.delete_contact(access["owner"], users["owner"], again.id)


def test_a_departed_members_entries_stay_without_a_name(team):
    access, users = team["access"], team["users"]
    contact = contacts.log_contact(access["agent2"], users["agent2"], team["bob"], channel="email")
    db.session.delete(users["agent2"])
    db.session.commit()
    db.session.expire_all()
    kept = contacts.author_contacts(team["workspace"], team["bob"])
    assert [c.id for c in kept] == [contact.id] and kept[0].by is None
    assert not contacts.can_delete(access["agent"], users["agent"], kept[0])
