"""Advocacy over HTTP: the figures, authors, advocates and share of voice through the API and
the page, on hand-made mentions whose right numbers are worked out in the comments."""

from __future__ import annotations

import pytest

from app.advocacy.services import daily
from app.advocacy.services import settings as advocacy_settings
from app.extensions import db
from app.models import Author, AuthorScore, ScoreSnapshot
from app.services import ingest, scoring
from app.services import users as user_service
from factories import login, make_user, make_workspace, mention, write_csv

# One week, Monday 2 to Sunday 8 November 2026, in UTC. Per author (followers):
#   alice (100)  + + 0      net 2/3  promoter   (advocate: 2 positive, none negative)
#   bob (1000)   + -        net 0    passive
#   carol (?)    - - +      net -1/3 passive    (followers unknown: weight 1)
#   dave (10)    -          net -1   detractor
#   erin (10)    + - - -    net -1/2 detractor  (on the boundary)
#   frank (5)    + ?        net 1    promoter   (the unknown one is not counted; 1 positive:
#                                               not an advocate)
#   gina (20)    + + 0 0    net 1/2  promoter   (on the boundary; an advocate)
#   robot (50)   + + +      a confirmed bot: left out
#   hank (7)     ?          nothing known: not counted
# promoters 3, passives 2, detractors 2: score 100 x (3 - 2) / 7 = 14.2857 -> 14.3
# reach: promoters 100 + 5 + 20 = 125, passives 1000 + 1 = 1001, detractors 20:
#        100 x (125 - 20) / 1146 = 9.1623 -> 9.2
# mentions: positive 8, neutral 3, negative 7: net sentiment (8 - 7) / 18 = 0.0556
PEOPLE = {
    "alice": (100, "+ + 0"), "bob": (1000, "+ -"), "carol": (None, "- - +"), "dave": (10, "-"),
    "erin": (10, "+ - - -"), "frank": (5, "+ ?"), "gina": (20, "+ + 0 0"),
    "robot": (50, "+ + +"), "hank": (7, "?"),
}  # fmt: skip
LABELS = {"+": "positive", "-": "negative", "0": "neutral", "?": ""}
EXPECTED = {"promoters": 3, "passives": 2, "detractors": 2, "score": 14.3,
            "score_reach_weighted": 9.2, "net_sentiment": 0.0556}  # fmt: skip


def rows_for(people: dict, day: int = 3, prefix: str = "") -> list[dict]:
    """MentionRecords for ``people``: each sign one post, an hour apart, on November ``day``."""
    rows, n = [], 0
    for handle, (followers, signs) in people.items():
        for sign in signs.split():
            n += 1
            rows.append(mention(
                f"{prefix}{n}", handle, f"Acme post {n}", created_at=f"2026-11-{day:02d}T{n % 24:02d}:00:00Z",
                author_followers="" if followers is None else str(followers),
                sentiment=LABELS[sign], lang="en" if sign != "?" else "xx",
            ))  # fmt: skip
    return rows


@pytest.fixture
def owner(app):
    return make_user()


@pytest.fixture
def workspace(app, owner, tmp_path):
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "week.csv", rows_for(PEOPLE))])
    robot = db.session.query(Author).filter_by(workspace_id=workspace.id, handle="robot").one()
    scoring.set_bot_verdict(workspace, robot.id, "bot")
    return workspace


@pytest.fixture
def token(owner):
    return user_service.create_token(owner, "advocacy")[1]


def api(client, token, path, **params):
    return client.get(f"/api/v1/workspaces/acme/{path}", query_string=params,
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip


WEEK = {"from": "2026-11-02", "to": "2026-11-08"}


@pytest.mark.parametrize("aggregate", [False, True], ids=["from mentions", "from the aggregate"])
def test_the_api_answers_each_formula(client, workspace, token, aggregate):
    # the bot verdict of the fixture rebuilt the aggregate (a job, inline in tests)
    daily.refresh(workspace) if aggregate else daily.mark_stale(workspace)
    assert daily.fresh(workspace) is aggregate
    body = api(client, token, "advocacy", **WEEK).get_json()
    assert {key: body[key] for key in EXPECTED} == EXPECTED
    assert (body["positive"], body["neutral"], body["negative"]) == (8, 3, 7)
    assert body["period"] == {"from": "2026-11-02", "to": "2026-11-08", "timezone": "UTC",
                              "platform": None, "topic": None}  # fmt: skip

    listed = api(client, token, "advocacy/authors", **WEEK, **{"class": "detractor"}).get_json()
    assert listed["total"] == 2 and listed["class"] == "detractor"
    # most mentions counted first: erin (4) then dave (1)
    assert [(a["handle"], a["net"], a["positive"], a["negative"], a["counted"])
            for a in listed["authors"]] == [("erin", -0.5, 1, 3, 4), ("dave", -1.0, 0, 1, 1)]  # fmt: skip
    promoters = api(client, token, "advocacy/authors", **WEEK, **{"class": "promoter"}).get_json()
    assert {a["handle"] for a in promoters["authors"]} == {"alice", "frank", "gina"}

    advocates = api(client, token, "advocates", **WEEK).get_json()
    # nobody scored yet: the most mentions counted first
    assert [a["handle"] for a in advocates["advocates"]] == ["gina", "alice"]
    assert [p["text"] for p in advocates["advocates"][1]["posts"]] == ["Acme post 2", "Acme post 1"]
    detractors = api(client, token, "advocacy/detractors", **WEEK).get_json()
    # erin first (4 mentions counted against dave's 1), with her three negative posts
    assert [p["text"] for p in detractors["detractors"][0]["posts"]] == [
        "Acme post 13", "Acme post 12", "Acme post 11"]  # fmt: skip


def test_a_correction_by_a_person_wins(client, workspace, token):
    daily.refresh(workspace)
    from app.models import Mention
    from app.sentiment import services as sentiment

    bob_negative = db.session.scalar(
        db.select(Mention.id).join(Author, Author.id == Mention.author_id)
        .where(Author.handle == "bob", Mention.sentiment == "negative")
    )  # fmt: skip
    sentiment.correct(workspace, [bob_negative], "positive")
    assert daily.fresh(workspace)  # rebuilt by the job the correction queued (inline in tests)
    body = api(client, token, "advocacy", **WEEK).get_json()
    # bob becomes a promoter: 4 promoters, 1 passive, 2 detractors -> 100 x 2 / 7 = 28.6
    assert (body["promoters"], body["passives"], body["detractors"], body["score"]) == (
        4,
        1,
        2,
        28.6,
    )
    assert body["net_sentiment"] == round((9 - 6) / 18, 4)


def test_an_empty_period_has_no_score_rather_than_a_division_by_zero(client, workspace, token):
    body = api(client, token, "advocacy", **{"from": "2026-10-01", "to": "2026-10-31"}).get_json()
    assert body["promoters"] == body["passives"] == body["detractors"] == 0
    assert body["score"] is None and body["score_reach_weighted"] is None
    assert body["net_sentiment"] is None
    weeks = api(client, token, "advocacy", **WEEK, by="week").get_json()["groups"]
    assert [(w["start"], w["days"], w["score"]) for w in weeks] == [("2026-11-02", 7, 14.3)]


def test_groups_by_week_month_platform_and_topic(client, workspace, token, tmp_path):
    ingest.import_files(workspace, [write_csv(tmp_path / "next.csv", [
        mention("n1", "dave", "Acme again #fix", created_at="2026-11-10T09:00:00Z",
                sentiment="positive", platform="mastodon"),
        mention("n2", "zoe", "Acme #fix", created_at="2026-12-01T09:00:00Z", sentiment="negative"),
    ])])  # fmt: skip
    period = {"from": "2026-11-02", "to": "2026-12-01"}
    weeks = api(client, token, "advocacy", **period, by="week").get_json()["groups"]
    assert [w["start"] for w in weeks] == ["2026-11-02", "2026-11-09", "2026-11-16",
                                          "2026-11-23", "2026-11-30"]  # fmt: skip
    assert weeks[1]["promoters"] == 1 and weeks[1]["score"] == 100.0  # dave@mastodon alone
    assert weeks[2]["score"] is None and weeks[4]["days"] == 2  # the period ends on 1 December
    months = api(client, token, "advocacy", **period, by="month").get_json()["groups"]
    assert [(m["start"], m["days"]) for m in months] == [("2026-11-01", 29), ("2026-12-01", 1)]
    assert months[1]["detractors"] == 1 and months[1]["score"] == -100.0
    platforms = api(client, token, "advocacy", **period, by="platform").get_json()["groups"]
    assert [(p["platform"], p["promoters"]) for p in platforms] == [("twitter", 3), ("mastodon", 1)]
    topic = api(client, token, "advocacy", **period, topic="fix").get_json()
    assert (topic["promoters"], topic["detractors"], topic["score"]) == (1, 1, 0.0)
    topics = api(client, token, "advocacy", **period, by="topic").get_json()["groups"]
    assert {t["topic"]: t["score"] for t in topics}["#fix"] == 0.0


def test_ranked_by_best_role_score_without_suspicious_accounts(client, workspace, token):
    snapshot = ScoreSnapshot(
        workspace_id=workspace.id, status="done", params={"bot_threshold": 0.5}
    )
    db.session.add(snapshot)
    db.session.flush()
    ids = dict(db.session.execute(db.select(Author.handle, Author.id)
                                  .where(Author.workspace_id == workspace.id)).all())  # fmt: skip
    for handle, best, bot in (("alice", 40.0, 0.1), ("gina", 70.0, 0.9)):
        db.session.add(AuthorScore(
            snapshot_id=snapshot.id, workspace_id=workspace.id, author_id=ids[handle],
            role="networker", networker=best, thought_leader=0, trendsetter=0, amplifier=0,
            best_score=best, bot_score=bot,
        ))  # fmt: skip
    db.session.commit()
    advocates = api(client, token, "advocates", **WEEK).get_json()["advocates"]
    assert [a["handle"] for a in advocates] == ["alice"]  # gina looks like a bot
    scoring.set_bot_verdict(workspace, ids["gina"], "not_bot")
    advocates = api(client, token, "advocates", **WEEK).get_json()["advocates"]
    assert [(a["handle"], a["best_score"]) for a in advocates] == [("gina", 70.0), ("alice", 40.0)]


def test_share_of_voice_counts_each_brand_a_post_names(client, workspace, token, tmp_path):
    assert api(client, token, "advocacy/share-of-voice", **WEEK).get_json()["weeks"] is None
    advocacy_settings.update_settings(workspace, competitors="Globex, globex.com\nИнитек")
    ingest.import_files(workspace, [write_csv(tmp_path / "voice.csv", [
        mention("v1", "x1", "Globex is late again", created_at="2026-11-04T10:00:00Z"),
        mention("v2", "x2", "Acme vs GLOBEX.com", created_at="2026-11-04T11:00:00Z"),
        mention("v3", "x3", "Купил у Инитека", created_at="2026-11-10T11:00:00Z", lang="ru"),
        mention("v4", "x4", "nothing to see", created_at="2026-11-10T12:00:00Z"),
    ])])  # fmt: skip
    for refreshed in (False, True):
        if refreshed:
            daily.refresh(workspace)
        body = api(client, token, "advocacy/share-of-voice",
                   **{"from": "2026-11-02", "to": "2026-11-15"}).get_json()  # fmt: skip
        first, second = body["weeks"]
        # week 1: the 23 "Acme post" mentions and v2 name Acme; v1 and v2 name Globex:
        # 24 / 26 = 0.9231 (every mention counts, whatever its sentiment or author)
        assert (first["brand"], first["total"], first["share"]) == (24, 26, 0.9231)
        assert first["brands"] == {"ours": 24, "Globex": 2, "Инитек": 0}
        assert (second["brand"], second["total"], second["share"]) == (0, 1, 0.0)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"from": "2026-11-09", "to": "2026-11-02"}, "from"), ({"tz": "Mars/Olympus"}, "tz"),
     ({"by": "year"}, "by"), ({"to": "2026-13-01"}, "to")],
)  # fmt: skip
def test_bad_parameters_answer_400_naming_them(client, workspace, token, params, parameter):
    response = api(client, token, "advocacy", **params)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
    assert response.get_json()["error"]["parameter"] == parameter


def test_the_api_needs_a_token_and_membership(client, workspace, token, app):
    assert client.get("/api/v1/workspaces/acme/advocacy").status_code == 401
    stranger = make_user("s@example.com", "S")
    other = user_service.create_token(stranger, "x")[1]
    assert api(client, other, "advocacy").status_code == 404
    response = api(client, token, "advocacy/authors", **{"class": "fan"})
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "class"


def test_the_page_shows_the_figures_lists_and_trajectory(client, workspace):
    login(client)
    page = client.get("/w/acme/advocacy?from=2026-11-02&to=2026-11-08")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="14.3"' in html and 'value="9.2"' in html and 'value="0.0556"' in html
    assert "Advocates to recruit" in html and "@gina" in html and "Acme post 2" in html
    assert 'id="advocacy-data"' in html and "chart.umd.min.js" in html
    assert "Show the ten biggest topics" in html
    html = client.get("/w/acme/advocacy?from=2026-11-02&to=2026-11-08&topics=1").get_data(
        as_text=True
    )
    assert "acme" in html
    listed = client.get("/w/acme/advocacy/authors?from=2026-11-02&to=2026-11-08&class=detractor")
    assert listed.status_code == 200 and "@erin" in listed.get_data(as_text=True)
    alice = db.session.scalar(db.select(Author.id).where(Author.handle == "alice"))
    author_page = client.get(f"/w/acme/authors/{alice}").get_data(as_text=True)
    assert "Advocacy by month" in author_page and "▲ promoter" in author_page
    empty = client.get("/w/acme/advocacy?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert "No mention with a known sentiment in this period" in empty


def test_while_a_rebuild_runs_the_page_shows_the_previous_figures_saying_so(client, workspace):
    login(client)
    daily.refresh(workspace)
    daily.mark_stale(workspace)  # say an import landed; its rebuild is queued
    html = client.get("/w/acme/advocacy?from=2026-11-02&to=2026-11-08").get_data(as_text=True)
    assert 'value="14.3"' in html and "are being counted now" in html
    daily.refresh(workspace)
    html = client.get("/w/acme/advocacy?from=2026-11-02&to=2026-11-08").get_data(as_text=True)
    assert 'value="14.3"' in html and "are being counted now" not in html


def test_a_bad_period_on_the_page_is_ignored_with_a_notice(client, workspace):
    login(client)
    html = client.get("/w/acme/advocacy?from=2026-11-09&to=2026-11-02").get_data(as_text=True)
    assert "Filter ignored: from must be on or before to" in html


def test_settings_need_a_manager_and_check_the_webhook(client, workspace, app):
    login(client)
    page = client.post("/w/acme/advocacy/settings",
                       data={"competitors": "Globex", "webhook_url": "ftp://x"})  # fmt: skip
    assert "the webhook must be an http:// or https:// address" in page.get_data(as_text=True)
    client.post("/w/acme/advocacy/settings",
                data={"competitors": "Globex, globex.com", "webhook_url": "https://hooks.example.com/x"})  # fmt: skip
    saved = advocacy_settings.settings_of(workspace)
    assert saved.competitors == {"Globex": ["globex", "globex.com"]}
    assert saved.webhook_url == "https://hooks.example.com/x" and len(saved.webhook_secret) > 30
    make_user("v@example.com", "V")
    from app.services import workspaces as workspace_service

    workspace_service.add_member(workspace, user_service.get_by_email("v@example.com"), "viewer")
    client.post("/logout")
    login(client, "v@example.com")
    assert client.get("/w/acme/advocacy/settings").status_code == 403
    assert client.get("/w/acme/advocacy").status_code == 200


def test_the_command_line_rebuilds_and_prints_the_figures(runner, workspace):
    out = runner.invoke(args=["advocacy", "refresh", "--workspace", "acme"])
    assert out.exit_code == 0 and "advocacy aggregate of acme rebuilt" in out.output
    out = runner.invoke(args=["advocacy", "summary", "--workspace", "acme", "--from",
                              "2026-11-02", "--to", "2026-11-08"])  # fmt: skip
    assert out.exit_code == 0, out.output
    import json

    assert {key: json.loads(out.output)[key] for key in EXPECTED} == EXPECTED
    out = runner.invoke(args=["advocacy", "summary", "--workspace", "acme", "--from", "tomorrow"])
    assert out.exit_code != 0 and "from 'tomorrow' is not a date" in out.output


@pytest.mark.parametrize("aggregate", [False, True], ids=["from mentions", "from the aggregate"])
def test_people_already_in_the_relationship_manager_are_not_advocates_to_recruit(
    client, workspace, token, owner, aggregate
):
    from app.crm.services import people
    from app.services import workspaces as workspace_service

    gina = db.session.scalar(db.select(Author.id).where(Author.handle == "gina"))
    people.person_for_author(workspace_service.access_for(owner, "acme"), owner, gina)
    daily.refresh(workspace) if aggregate else daily.mark_stale(workspace)
    advocates = api(client, token, "advocates", **WEEK).get_json()
    assert [a["handle"] for a in advocates["advocates"]] == ["alice"]
    assert advocates["total"] == 1


# ---------------------------------------------------------------- EMV rates on the settings page


def test_a_manager_sets_emv_rates_per_platform_on_the_settings_page(client, workspace):
    from app.advocacy.services import effectiveness

    login(client)
    page = client.get("/w/acme/advocacy/settings").get_data(as_text=True)
    assert 'id="emv-rates"' in page and "EMV = likes × r" in page
    assert 'name="rate-twitter-like"' in page  # a row per platform the workspace has posts from
    assert "$10.80" in page and "info.duel.tech" in page and "113.45" in page
    saved = client.post("/w/acme/advocacy/settings/emv-rates", data={
        "rate-twitter-like": "0,02", "rate-twitter-repost": "0.1", "rate-twitter-reply": "",
        "rate-twitter-view": "10.80", "new_platform": "Instagram", "rate-__new__-view": "1 000",
    })  # fmt: skip
    assert saved.status_code == 302 and saved.location.endswith("/w/acme/advocacy/settings#emv-rates")
    assert effectiveness.emv_rates(workspace) == {
        "twitter": {"like": 0.02, "repost": 0.1, "view": 10.8}, "instagram": {"view": 1000.0}}  # fmt: skip
    page = client.get("/w/acme/advocacy/settings").get_data(as_text=True)
    assert "EMV rates saved." in page
    assert 'name="rate-instagram-view" id="rate-instagram-view" value="1000"' in page
    assert 'name="rate-twitter-like" id="rate-twitter-like" value="0.02"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rate-twitter-like", "-1", "twitter, a like: a rate cannot be negative (“-1”)."),
        ("rate-twitter-reply", "abc", "twitter, a reply: “abc” is not a number; write it like 0.02 or 0,02."),
        ("rate-twitter-view", "NaN", "twitter, a thousand views: “NaN” is not a number"),
        ("rate-twitter-repost", "5000000", "twitter, a repost: “5000000” is too large"),
        ("new_platform", "Твиттер!", "Name the new platform in lowercase letters"),
    ],
)  # fmt: skip
def test_a_bad_rate_is_refused_naming_its_field_and_nothing_is_saved(client, workspace, field,
                                                                     value, message):  # fmt: skip
    from app.advocacy.services import effectiveness

    login(client)
    data = {"rate-twitter-like": "0.5", field: value}
    if field == "new_platform":
        data["rate-__new__-like"] = "1"
    page = client.post("/w/acme/advocacy/settings/emv-rates", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Nothing was saved" in html
    assert message in html and f'aria-describedby="{field}-error"' in html
    assert f'value="{value}"' in html  # what was typed stays, to correct it
    assert effectiveness.emv_rates(workspace) == {}


def test_only_managers_set_emv_rates(client, workspace):
    from app.advocacy.services import effectiveness
    from app.services import workspaces as workspace_service

    make_user("agent@example.com", "Agent")
    workspace_service.add_member(workspace, user_service.get_by_email("agent@example.com"), "agent")
    login(client, "agent@example.com")
    response = client.post("/w/acme/advocacy/settings/emv-rates", data={"rate-twitter-like": "1"})
    assert response.status_code == 403 and effectiveness.emv_rates(workspace) == {}


# ---------------------------------------------------------------- the OpenAPI document


def test_every_advocacy_route_is_in_the_openapi_document(app, client):
    import re

    document = client.get("/api/v1/openapi.json").get_json()
    found = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not rule.endpoint.startswith("api.") or not view.__module__.startswith("app.advocacy"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in document["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], (method, path)
        found += 1
    assert found == 8  # advocacy, authors, advocates, detractors, share of voice, alerts, ack, report


def test_real_advocacy_responses_match_the_openapi_document(client, workspace, token, app):
    from datetime import UTC, datetime

    from openapi_support import validate

    from app.advocacy.models import AdvocacyAlert
    from app.models import Mention

    document = client.get("/api/v1/openapi.json").get_json()
    advocacy_settings.update_settings(workspace, competitors="Globex, globex.com")
    erin = db.session.scalar(db.select(Author).where(Author.handle == "erin"))
    post = db.session.scalar(db.select(Mention).where(Mention.author_id == erin.id).limit(1))
    at = datetime(2026, 11, 3, 10, tzinfo=UTC)
    alert = AdvocacyAlert(workspace_id=workspace.id, key=f"mention:{post.id}", kind="influencer",
                          starts_at=at, ends_at=at, count=1, mention_id=post.id,
                          author_id=erin.id, best_score=85.0)  # fmt: skip
    db.session.add(alert)
    db.session.commit()
    W = "/api/v1/workspaces/{slug}"
    checks = [
        ("GET", "/advocacy", "advocacy", WEEK),
        ("GET", "/advocacy", "advocacy", WEEK | {"by": "week"}),
        ("GET", "/advocacy", "advocacy", WEEK | {"by": "platform"}),
        ("GET", "/advocacy", "advocacy", WEEK | {"by": "topic"}),
        ("GET", "/advocacy", "advocacy", {"from": "yesterday"}),  # 400
        ("GET", "/advocacy/authors", "advocacy/authors", WEEK | {"class": "detractor"}),
        ("GET", "/advocacy/authors", "advocacy/authors", {"class": "fan"}),  # 400
        ("GET", "/advocates", "advocates", WEEK),
        ("GET", "/advocacy/detractors", "advocacy/detractors", WEEK),
        ("GET", "/advocacy/share-of-voice", "advocacy/share-of-voice", WEEK),
        ("GET", "/alerts", "alerts", {"status": "all"}),
    ]
    statuses = set()
    for method, template, path, params in checks:
        response = api(client, token, path, **params)
        validate(document, W + template, method, response)
        statuses.add(response.status_code)
    assert statuses == {200, 400}
    assert api(client, token, "advocates", **WEEK).get_json()["advocates"][0]["posts"]
    headers = {"Authorization": f"Bearer {token}"}
    for alert_id, status in ((alert.id, 200), (999_999, 404)):
        response = client.post(f"/api/v1/workspaces/acme/alerts/{alert_id}/ack", headers=headers)
        assert response.status_code == status
        validate(document, W + "/alerts/{alert_id}/ack", "POST", response)
    validate(document, W + "/alerts", "GET", client.get("/api/v1/workspaces/acme/alerts"))  # 401
