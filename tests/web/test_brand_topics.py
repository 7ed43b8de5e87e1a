"""A brand term and its hashtag: one topic, unless the workspace keeps them apart (issue 12,
item 5); changing the setting regroups the mentions already imported and rescores."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Mention, MentionTopic, ScoreSnapshot
from app.services import ingest, topics
from app.services import workspaces as workspace_service
from factories import HEADER, login, make_user, make_workspace, mention, write_csv

SETTINGS = {"name": "Acme", "brand_terms": "Python\nYandex Market", "timezone": "UTC",
            "work_start": "09:00", "work_end": "18:00", "work_days": ["1", "2", "3", "4", "5"],
            "score_window_days": "90"}  # fmt: skip


def topics_by_post(workspace) -> dict[str, set[str]]:
    rows = db.session.execute(
        select(Mention.external_id, MentionTopic.topic)
        .join(MentionTopic, MentionTopic.mention_id == Mention.id)
        .where(Mention.workspace_id == workspace.id)
    ).all()
    found: dict[str, set[str]] = {}
    for post, topic in rows:
        found.setdefault(post, set()).add(topic)
    return found


def import_rows(workspace, tmp_path, rows, name="m.csv"):
    ingest.import_files(workspace, [write_csv(tmp_path / name, rows, [*HEADER, "tags"])])


POSTS = [
    mention("named", "ann", "I write Python every day"),
    mention("hashtag", "bob", "shipping today #Python"),
    mention("tagged", "cid", "a post about snakes", tags="python"),
    mention("both", "dan", "Python, and #python too, @ann"),
    mention("other", "eve", "nothing of the brand #rstats @bob"),
    mention("phrase", "fay", "bought it on Yandex Market @ann"),
]


@pytest.fixture
def workspace(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner, brand_terms=["Python", "Yandex Market"])
    import_rows(workspace, tmp_path, POSTS)
    login(client)
    return workspace


def checkbox(page: str) -> str:
    found = re.search(r'<input[^>]*name="brand_hashtags_apart"[^>]*>', page)
    assert found, "the settings page has no brand-hashtag box"
    return "ticked" if " checked" in found.group(0) else "unticked"


def save(client, apart: bool, **headers):
    data = dict(SETTINGS, **({"brand_hashtags_apart": "y"} if apart else {}))
    return client.post("/w/acme/settings", data=data, headers=headers, follow_redirects=True)


def test_by_default_a_brand_term_and_its_hashtag_are_one_topic(workspace, client):
    assert topics_by_post(workspace) == {
        "named": {"#python"}, "hashtag": {"#python"}, "tagged": {"#python"},
        "both": {"#python"}, "other": {"#rstats"}, "phrase": {"yandex market"},
    }  # fmt: skip
    assert checkbox(client.get("/w/acme/settings").get_data(as_text=True)) == "unticked"


def test_keeping_them_apart_regroups_the_imported_mentions_and_rescores(
    workspace, client, tmp_path
):
    response = save(client, apart=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "regrouped in the background" in page
    assert checkbox(page) == "ticked"
    db.session.expire_all()
    assert workspace_service.get_by_slug("acme").brand_hashtags_apart is True
    assert topics_by_post(workspace) == {
        "named": {"python"},  # the text names the term and carries no hashtag
        "hashtag": {"#python", "python"},  # "#Python" names the term too
        "tagged": {"#python"},  # the hashtag came from the tags column alone
        "both": {"#python", "python"},
        "other": {"#rstats"}, "phrase": {"yandex market"},
    }  # fmt: skip
    assert db.session.scalar(
        select(ScoreSnapshot).where(ScoreSnapshot.workspace_id == workspace.id,
                                    ScoreSnapshot.trigger == "settings")  # fmt: skip
    ) is not None
    # imports from now on follow the setting
    import_rows(workspace, tmp_path, [mention("later", "gus", "Python again #python")], "n.csv")
    assert topics_by_post(workspace)["later"] == {"python", "#python"}
    import_rows(workspace, tmp_path, [mention("later2", "hal", "Python only")], "o.csv")
    assert topics_by_post(workspace)["later2"] == {"python"}


def test_going_back_to_one_topic_merges_them_again(workspace, client, tmp_path):
    save(client, apart=True)
    import_rows(workspace, tmp_path, [mention("later", "gus", "Python only")], "n.csv")
    page = save(client, apart=False).get_data(as_text=True)
    assert "now one topic" in page
    assert topics_by_post(workspace) == {
        "named": {"#python"}, "hashtag": {"#python"}, "tagged": {"#python"},
        "both": {"#python"}, "other": {"#rstats"}, "phrase": {"yandex market"},
        "later": {"#python"},
    }  # fmt: skip


def test_saving_without_a_change_regroups_nothing(workspace, client):
    page = save(client, apart=False).get_data(as_text=True)
    assert "regrouped" not in page
    assert db.session.scalar(
        select(ScoreSnapshot).where(ScoreSnapshot.trigger == "settings")
    ) is None


def test_the_regrouping_is_said_in_russian(workspace, client):
    page = save(client, apart=True, **{"Accept-Language": "ru"}).get_data(as_text=True)
    assert "перегруппир" in page
    assert "Отдельно от хештегов" in page or "отдельно от их хештегов" in page


def test_a_viewer_cannot_change_it(app, workspace, client):
    from app.services import users as user_service

    viewer = make_user("vic@example.com", "Vic")
    workspace_service.add_member(workspace, viewer, "viewer")
    client.post("/logout")
    login(client, "vic@example.com")
    assert save(client, apart=True).status_code == 403
    assert workspace_service.get_by_slug("acme").brand_hashtags_apart is False
    assert user_service  # imported for the fixture's users


def test_regrouping_is_idempotent_and_leaves_phrases_alone(workspace):
    workspace.brand_hashtags_apart = True
    db.session.commit()
    first = topics.regroup_brand_topics(workspace)
    assert first.changed and first.added == 3 and first.removed == 1
    assert not topics.regroup_brand_topics(workspace).changed
    workspace.brand_hashtags_apart = False
    db.session.commit()
    merged = topics.regroup_brand_topics(workspace)
    assert merged.renamed == 1 and merged.removed == 2
    assert not topics.regroup_brand_topics(workspace).changed
    assert topics.split_pairs(["Python", "Yandex Market", "#rstats", "r/python"]) == [
        ("Python", "python", "#python"),
    ]
