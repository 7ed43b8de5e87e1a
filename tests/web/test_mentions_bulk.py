"""Setting the sentiment of many mentions at once from the mentions list."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Mention
from app.services import ingest
from app.services import workspaces as workspace_service
from factories import login, make_user, make_workspace, mention, write_csv


@pytest.fixture
def workspace(app, client, tmp_path):
    workspace = make_workspace("acme", owner=make_user())
    rows = [mention(str(i), "anna", f"Пост номер {i}", sentiment="positive") for i in range(1, 6)]
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    login(client)
    return workspace


def labels(workspace) -> dict[str, tuple[str, str]]:
    db.session.expire_all()
    return {
        m.external_id: (m.sentiment, m.sentiment_source)
        for m in db.session.scalars(select(Mention).where(Mention.workspace_id == workspace.id))
    }


def ids_of(workspace, *external: str) -> list[int]:
    return list(db.session.scalars(
        select(Mention.id).where(Mention.workspace_id == workspace.id,
                                 Mention.external_id.in_(external)).order_by(Mention.id)
    ))  # fmt: skip


def test_the_list_has_a_checkbox_per_mention_for_the_bulk_form(workspace, client):
    page = client.get("/w/acme/").get_data(as_text=True)
    assert page.count('form="bulk-sentiment" class="select-mention"') == 5
    assert 'id="bulk-sentiment"' in page and "Set on selected" in page
    assert 'src="/static/js/mentions.js"' in page and "<script>" not in page  # the CSP's rule


def test_many_mentions_get_one_sentiment_in_one_post(workspace, client):
    chosen = ids_of(workspace, "1", "2", "4")
    answer = client.post("/w/acme/mentions/sentiment",
                         data={"ids": [str(i) for i in chosen], "sentiment": "negative",
                               "next": "/w/acme/?q=%D0%BF%D0%BE%D1%81%D1%82"})  # fmt: skip
    assert (
        answer.status_code == 302
        and answer.headers["Location"] == "/w/acme/?q=%D0%BF%D0%BE%D1%81%D1%82"
    )
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sentiment set to negative on 3 mentions. Your labels are kept from now on." in page
    assert labels(workspace) == {
        "1": ("negative", "person"), "2": ("negative", "person"), "3": ("positive", "imported"),
        "4": ("negative", "person"), "5": ("positive", "imported"),
    }  # fmt: skip


def test_another_workspaces_mentions_are_left_alone_and_counted(workspace, client, tmp_path):
    other = make_workspace("other", owner=make_user("olga@example.com", "Olga"))
    ingest.import_files(other, [write_csv(tmp_path / "o.csv", [mention("x", "oleg", "чужой")])])
    theirs = ids_of(other, "x")
    answer = client.post("/w/acme/mentions/sentiment", follow_redirects=True,
                         data={"ids": [*map(str, ids_of(workspace, "3") + theirs)], "sentiment": "neutral"})  # fmt: skip
    page = answer.get_data(as_text=True)
    assert (
        "Sentiment set to neutral on 1 mention; 1 of the chosen are not in this workspace and"
        " were left alone."
    ) in page
    assert labels(other)["x"][1] == "computed"
    assert labels(workspace)["3"] == ("neutral", "person")
    answer = client.post("/w/acme/mentions/sentiment", follow_redirects=True,
                         data={"ids": [str(i) for i in theirs], "sentiment": "negative"})  # fmt: skip
    assert "Sentiment set to negative on 0 mentions; 1 of the chosen are not in" in answer.get_data(
        as_text=True
    )
    assert labels(other)["x"][1] == "computed"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"sentiment": "negative"}, "Nothing was changed: choose at least one mention."),
        ({"ids": ["1", "abc"], "sentiment": "negative"}, "Nothing was changed: &#39;abc&#39; is not a mention id."),
        ({"ids": ["1"], "sentiment": "furious"}, "Nothing was changed: Not a valid choice."),
    ],
)  # fmt: skip
def test_bad_posts_change_nothing_and_say_why(workspace, client, data, message):
    answer = client.post("/w/acme/mentions/sentiment", data=data, follow_redirects=True)
    assert message in answer.get_data(as_text=True)
    assert {source for _, source in labels(workspace).values()} == {"imported"}


def test_viewers_cannot_and_agents_can(workspace, client):
    for email, role in (("vera@example.com", "viewer"), ("artem@example.com", "agent")):
        workspace_service.add_member(workspace, make_user(email, role.title()), role)
    client.post("/logout")
    login(client, "vera@example.com")
    assert "select-mention" not in client.get("/w/acme/").get_data(as_text=True)
    data = {"ids": [str(i) for i in ids_of(workspace, "1", "2")], "sentiment": "negative"}
    assert client.post("/w/acme/mentions/sentiment", data=data).status_code == 403
    assert {source for _, source in labels(workspace).values()} == {"imported"}
    client.post("/logout")
    login(client, "artem@example.com")
    assert client.post("/w/acme/mentions/sentiment", data=data).status_code == 302
    assert labels(workspace)["2"] == ("negative", "person")
