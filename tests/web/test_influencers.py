"""Influencer discovery pages over HTTP: the list, filters, sorts, exports, recompute, topics,
communities, suspicious accounts and the author page."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import BotVerdict, ScoreSnapshot
from app.services import ingest, scoring, workspaces
from app.services.mentions import find_author
from factories import HEADER, login, make_user, make_workspace, mention, write_csv


def rows() -> list[dict]:
    """A hub everyone thanks, two topic voices, a heavy reposter, a spam ring, a Cyrillic VK
    author and a Mastodon one."""
    out = []
    for i in range(12):  # hub: 12 fans thank it, it answers each (a networker)
        day = f"2026-11-{1 + i % 5:02d}T{10 + i % 8:02d}:00:00Z"
        out.append(
            mention(
                f"h{i}",
                f"fan{i}",
                "@hub thanks! #delivery",
                created_at=day,
                sentiment="positive",
                author_followers=str(100 + i),
            )
        )
        out.append(mention(f"r{i}", "hub", f"@fan{i} you are welcome", created_at=day, reply_to_id=f"h{i}", reply_to_author=f"fan{i}",
                           sentiment="neutral", author_followers="5000", author_name="The Hub"))  # fmt: skip
    for k in range(6):  # guru: six posts on #delivery, each with four replies (a thought leader)
        out.append(mention(f"g{k}", "guru", f"#delivery lesson {'abcdef'[k]}: pack it well", created_at=f"2026-11-0{1 + k % 5}T08:00:00Z",
                           sentiment="neutral", author_followers="900"))  # fmt: skip
        for i in range(k, k + 4):
            out.append(mention(f"gr{k}{i}", f"fan{i}", "@guru great point", created_at=f"2026-11-0{1 + k % 5}T09:{i:02d}:00Z",
                               reply_to_id=f"g{k}", reply_to_author="guru", sentiment="positive"))  # fmt: skip
    for k in range(5):  # sage: five posts on #delivery, one reply each
        out.append(mention(f"s{k}", "sage", f"#delivery note {'vwxyz'[k]}: always track parcels", created_at=f"2026-11-0{1 + k}T07:00:00Z",
                           sentiment="neutral", author_followers="300"))  # fmt: skip
        out.append(mention(f"sr{k}", f"fan{k + 6}", "@sage thanks", created_at=f"2026-11-0{1 + k}T07:30:00Z",
                           reply_to_id=f"s{k}", reply_to_author="sage", sentiment="positive"))  # fmt: skip
    for i in range(8):  # echo: reposts eight fans (an amplifier)
        out.append(mention(f"rp{i}", "echo", f"RT @fan{i}: thanks", created_at=f"2026-11-06T1{i}:00:00Z",
                           repost_of_id=f"h{i}", repost_of_author=f"fan{i}", sentiment="neutral", author_followers="50"))  # fmt: skip
    out.append(mention("v1", "маша_кот", "@hub Ужасная доставка от Acme #delivery", platform="vk", created_at="2026-11-03T09:00:00Z",
                       sentiment="negative", author_name="Маша Котова", author_followers="777"))  # fmt: skip
    for b in range(3):  # a ring posting the same spam
        for k in range(4):
            out.append(mention(f"b{b}{k}", f"bot{b}", "Buy cheap followers now, best offer on the whole internet",
                               created_at=f"2026-11-0{2 + k}T0{b}:00:00Z", sentiment="neutral"))  # fmt: skip
    out.append(mention("m1", "toot", "@hub hello from the fediverse #delivery", platform="mastodon",
                       created_at="2026-11-04T08:00:00Z", sentiment="positive"))  # fmt: skip
    return out


@pytest.fixture
def workspace(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner, brand_terms=["Acme"])
    ingest.import_files(
        workspace, [write_csv(tmp_path / "m.csv", rows(), HEADER + ["author_name"])]
    )
    login(client)
    return workspace


@pytest.fixture
def scored(workspace):
    scoring.compute(workspace)
    return workspace


def handles(client, query: str = "") -> list[str]:
    """Return the handles of the influencer table's rows, in order."""
    response = client.get(f"/w/acme/influencers{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "<tbody>" not in page:
        return []
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'class="user-text" dir="auto">@([^<]+)</a>', body)


def author_id(workspace, handle: str, platform: str = "twitter") -> int:
    return find_author(workspace, platform, handle).id


def test_list_shows_roles_scores_and_reasons(scored, client):
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    # people with a role first; in a workspace of 22 authors each of them reaches well over
    # 5% of it, so all four score 100 (ties in the order they were first seen)
    assert handles(client)[:4] == ["hub", "guru", "sage", "echo"]
    for label in ("Networker", "Thought leader", "Trendsetter", "Amplifier"):
        assert label in page
    assert 'class="scorebar"' in page and "why" in page
    assert "distinct people" in page  # the hub's reasons, in plain words
    assert "5,000" in page  # followers with thousands separators
    assert "Scores computed" in page and "23 authors" in page
    assert "маша_кот" in page and "Маша Котова" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?role=networker", ["hub"]),
        ("?role=amplifier", ["echo"]),
        # sage: five replies from five different people, a fifth of this small workspace
        ("?role=thought_leader", ["guru", "sage"]),
        ("?min_score=85", ["hub", "guru", "sage", "echo"]),
        ("?role=networker&min_score=95", ["hub"]),
        ("?platform=vk", ["hub", "маша_кот"]),
        ("?platform=mastodon&sort=handle&order=asc", ["hub", "toot"]),
        ("?q=МАША", ["маша_кот"]),  # Cyrillic, case-insensitive, in the name too
        ("?q=the+hub", ["hub"]),
        ("?sentiment=negative", ["маша_кот"]),
        ("?suspicious=only", ["bot0", "bot1", "bot2"]),
        ("?topic=delivery&sort=topic_thought_leader", ["guru", "sage"]),
        ("?topic=%23delivery&sort=topic_thought_leader&order=asc", ["sage", "guru"]),
        ("?sort=followers&role=networker", ["hub"]),
    ],
)  # fmt: skip
def test_filters(scored, client, query, expected):
    assert handles(client, query) == expected


def test_sorts_and_hiding_suspicious(scored, client):
    by_followers = handles(client, "?sort=followers")
    assert by_followers[:3] == ["hub", "guru", "маша_кот"]
    assert handles(client, "?sort=followers&order=asc")[0] == "echo"  # 50; unknowns last either way
    assert handles(client, "?sort=followers&order=asc")[-1] in ("bot2", "toot", "hub")
    everyone = handles(client, "?sort=handle&order=asc")
    assert len(everyone) == 23
    hidden = handles(client, "?suspicious=hide")
    assert len(hidden) == 20 and not {"bot0", "bot1", "bot2"} & set(hidden)


def test_topic_mode_shows_topic_columns_and_header_links_keep_filters(scored, client):
    page = client.get("/w/acme/influencers?topic=delivery&role=thought_leader").get_data(
        as_text=True
    )
    assert "Topic leader" in page and "Topic trend" in page
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    link = re.search(r'href="([^"]*sort=topic_thought_leader[^"]*)"', header).group(1)
    assert "topic=delivery" in link and "role=thought_leader" in link
    # clicking the active column again reverses it
    page = client.get("/w/acme/influencers?sort=followers").get_data(as_text=True)
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.search(
        r'aria-sort="descending"[^>]*>\s*<a href="[^"]*sort=followers[^"]*order=asc', header
    )


def test_bad_filters_are_explained(scored, client):
    page = client.get("/w/acme/influencers?role=king&min_score=lots").get_data(as_text=True)
    assert "role must be one of" in page and "min_score must be a number from 0 to 100" in page
    assert len(handles(client, "?role=king")) == 23


def test_pagination_keeps_filters(scored, client, monkeypatch):
    from app.influencers import routes

    monkeypatch.setattr(routes, "PER_PAGE", 5)
    page = client.get("/w/acme/influencers?platform=twitter").get_data(as_text=True)
    assert re.search(
        r'href="[^"]*platform=twitter[^"]*page=2|href="[^"]*page=2[^"]*platform=twitter', page
    )
    first, second = (
        handles(client, "?platform=twitter"),
        handles(client, "?platform=twitter&page=2"),
    )
    assert len(first) == 5 and len(second) == 5 and not set(first) & set(second)


def test_csv_export_is_the_whole_view_in_order(scored, client, monkeypatch):
    from app.influencers import routes

    monkeypatch.setattr(routes, "PER_PAGE", 5)  # the export is not limited to a page
    response = client.get("/w/acme/influencers.csv?sort=handle&order=desc")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.search(
        r'filename="influencers-acme-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:4] == ["handle", "name", "platform", "role"]
    exported = [row[0] for row in table[1:]]
    monkeypatch.setattr(routes, "PER_PAGE", 50)
    assert exported == handles(client, "?sort=handle&order=desc")
    assert "маша_кот" in exported
    masha = next(row for row in table[1:] if row[0] == "маша_кот")
    assert masha[1] == "Маша Котова" and masha[2] == "vk"


def test_csv_export_follows_filters_and_topic(scored, client):
    table = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/w/acme/influencers.csv?topic=delivery&sort=topic_thought_leader&order=asc"
                )
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [row[0] for row in table[1:]] == ["sage", "guru"]
    assert table[0][-4:] == ["topic", "topic_thought_leader", "topic_trendsetter", "topic_posts"]
    assert table[1][-4] == "#delivery"


def test_xlsx_export_matches_the_view(scored, client):
    response = client.get("/w/acme/influencers.xlsx?platform=vk")
    assert response.status_code == 200
    assert "spreadsheetml" in response.mimetype
    assert ".xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    sheet = book.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    assert values[0][0] == "handle"
    assert [row[0] for row in values[1:]] == handles(client, "?platform=vk") == ["hub", "маша_кот"]
    assert values[2][1] == "Маша Котова" and values[2][8] == 777


def test_exports_never_write_formulas(workspace, client, tmp_path):
    evil = [mention("e1", "evil", "hi", author_name='=HYPERLINK("http://x")', sentiment="neutral")]
    ingest.import_files(workspace, [write_csv(tmp_path / "e.csv", evil, HEADER + ["author_name"])])
    scoring.compute(workspace)
    text = client.get("/w/acme/influencers.csv?q=evil").get_data(as_text=True)
    assert "'=HYPERLINK" in text
    book = load_workbook(io.BytesIO(client.get("/w/acme/influencers.xlsx?q=evil").get_data()))
    cell = book.active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_no_snapshot_shows_the_empty_state_everywhere(workspace, client):
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert "No scores yet" in page and "Recompute" in page
    for url in ("/w/acme/topics", "/w/acme/communities", "/w/acme/suspicious", "/w/acme/scores"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "No scores yet" in response.get_data(
            as_text=True
        ) or "No scoring runs" in response.get_data(as_text=True)
    hub = author_id(workspace, "hub")
    page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
    assert "has not been scored yet" in page and "you are welcome" in page
    csv_text = client.get("/w/acme/influencers.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").splitlines()[0].startswith("handle,")
    assert len(csv_text.strip().splitlines()) == 1


def test_recompute_runs_and_status_reports_done(workspace, client):
    response = client.post("/w/acme/scores", data={"next": "/w/acme/suspicious"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/w/acme/suspicious"
    )
    snapshot = db.session.scalar(select(ScoreSnapshot).order_by(ScoreSnapshot.id.desc()))
    assert snapshot.trigger == "manual" and snapshot.status == "done"
    status = client.get(f"/w/acme/scores/{snapshot.id}/status").get_data(as_text=True)
    assert 'data-status="done"' in status and "Scoring done" in status and "hx-get" not in status
    assert "hub" in handles(client)
    runs = client.get("/w/acme/scores").get_data(as_text=True)
    assert "by hand" in runs and "done" in runs and "23" in runs


def test_running_snapshot_is_polled_and_failed_one_explained(workspace, client):
    running = ScoreSnapshot(
        workspace_id=workspace.id, status="running", phase="scoring", progress=0.4
    )
    db.session.add(running)
    db.session.commit()
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert f"/w/acme/scores/{running.id}/status" in page and 'hx-trigger="every 1s"' in page
    status = client.get(f"/w/acme/scores/{running.id}/status").get_data(as_text=True)
    assert 'value="40"' in status and "scoring" in status
    running.status, running.message = "failed", "scoring stopped: the disk is full"
    db.session.commit()
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert "Scoring failed" in page and "the disk is full" in page


def test_recompute_of_an_empty_workspace_says_why_it_failed(app, client):
    owner = make_user("o@example.com")
    make_workspace("empty", owner=owner)
    login(client, "o@example.com")
    client.post("/w/empty/scores")
    page = client.get("/w/empty/influencers").get_data(as_text=True)
    assert "Scoring failed" in page and "no mentions to score" in page


def test_viewer_cannot_recompute_or_judge(scored, client):
    viewer = make_user("v@example.com", "Vic")
    workspaces.add_member(scored, viewer, "viewer")
    client.post("/logout")
    login(client, "v@example.com")
    assert client.get("/w/acme/influencers").status_code == 200
    page = client.get("/w/acme/suspicious").get_data(as_text=True)
    assert "Confirm bot" not in page and "↻ Recompute" not in page
    assert client.post("/w/acme/scores").status_code == 403
    bot = author_id(scored, "bot0")
    assert (
        client.post(f"/w/acme/authors/{bot}/bot-verdict", data={"verdict": "not_bot"}).status_code
        == 403
    )
    assert db.session.scalar(select(BotVerdict)) is None


def test_bot_verdict_is_stored_and_honoured_next_time(scored, client):
    page = client.get("/w/acme/suspicious").get_data(as_text=True)
    assert "@bot0" in page and "near-duplicate" in page.lower() or "duplicate" in page.lower()
    assert "applies from the next recompute" in page
    bot = author_id(scored, "bot0")
    response = client.post(
        f"/w/acme/authors/{bot}/bot-verdict",
        data={"verdict": "not_bot", "next": "/w/acme/suspicious"},
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(select(BotVerdict.verdict).where(BotVerdict.author_id == bot))
        == "not_bot"
    )
    assert "not a bot" in client.get("/w/acme/suspicious").get_data(as_text=True)
    assert "bot0" in handles(client, "?suspicious=only")  # not before the next recompute
    client.post("/w/acme/scores")
    assert "bot0" not in handles(client, "?suspicious=only")
    assert "bot0" in client.get("/w/acme/suspicious").get_data(as_text=True)  # judged: still listed
    echo = author_id(scored, "echo")
    client.post(f"/w/acme/authors/{echo}/bot-verdict", data={"verdict": "bot"})
    client.post(f"/w/acme/authors/{bot}/bot-verdict", data={"verdict": "clear"})
    assert db.session.scalar(select(BotVerdict.verdict).where(BotVerdict.author_id == bot)) is None
    client.post("/w/acme/scores")
    assert "echo" in handles(client, "?suspicious=only")
    assert "bot0" in handles(client, "?suspicious=only")


def test_bot_verdict_rejects_nonsense_and_other_workspaces_authors(scored, client, tmp_path):
    bot = author_id(scored, "bot0")
    client.post(f"/w/acme/authors/{bot}/bot-verdict", data={"verdict": "maybe"})
    assert db.session.scalar(select(BotVerdict)) is None
    other = make_workspace("other", owner=make_user("x@example.com"))
    ingest.import_files(
        other,
        [write_csv(tmp_path / "o.csv", [mention("1", "stranger", "hi", sentiment="neutral")])],
    )
    stranger = author_id(other, "stranger")
    assert (
        client.post(f"/w/acme/authors/{stranger}/bot-verdict", data={"verdict": "bot"}).status_code
        == 404
    )


def test_author_page_explains_history_topics_and_ties(scored, client):
    scoring.compute(scored)  # a second snapshot for the history
    hub = author_id(scored, "hub")
    page = client.get(f"/w/acme/authors/{hub}").get_data(as_text=True)
    assert "Why this role" in page and "distinct people" in page
    assert "percentile" in page
    history = re.search(
        r'<script type="application/json" id="score-history-data">(.*?)</script>', page, re.S
    ).group(1)
    import json

    data = json.loads(history)
    assert len(data["labels"]) == 2 and len(data["series"]["networker"]) == 2
    assert "js/history.js" in page and "chart.umd.min.js" in page
    assert "As a table" in page  # the fallback without JS
    for fan in ("@fan0", "@fan11"):
        assert fan in page  # neighbourhood
    assert "reply →" in page and "← mention" in page or "← reply" in page
    assert "Bot check" in page and "Not a bot" in page
    assert "you are welcome" in page  # the posts list stays
    guru = author_id(scored, "guru")
    page = client.get(f"/w/acme/authors/{guru}").get_data(as_text=True)
    assert "Per topic" in page and "#delivery" in page.split("Per topic", 1)[1]


def test_author_page_of_a_plain_user_shows_the_features_table(scored, client):
    toot = author_id(scored, "toot", "mastodon")
    page = client.get(f"/w/acme/authors/{toot}").get_data(as_text=True)
    assert "What it is made of" in page or "The numbers behind it" in page
    assert "talks with" in page  # graph.FEATURES in plain words


def test_hostile_names_are_escaped(workspace, client, tmp_path):
    evil = [
        mention(
            "x1", "xss", "<b>hi</b>", author_name="<script>alert(1)</script>", sentiment="neutral"
        )
    ]
    ingest.import_files(workspace, [write_csv(tmp_path / "x.csv", evil, HEADER + ["author_name"])])
    scoring.compute(workspace)
    page = client.get("/w/acme/influencers?q=xss").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    xss = author_id(workspace, "xss")
    page = client.get(f"/w/acme/authors/{xss}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_topics_page_ranks_leaders(scored, client):
    page = client.get("/w/acme/topics").get_data(as_text=True)
    assert "#delivery" in page
    page = client.get("/w/acme/topics?topic=delivery").get_data(as_text=True)
    assert "Who leads the conversation about" in page
    leaders = page.split("Thought leaders", 1)[1].split("Trendsetters", 1)[0]
    assert leaders.index("@guru") < leaders.index("@sage")
    assert "/w/acme/influencers?topic=%23delivery&amp;sort=topic_thought_leader" in page
    page = client.get("/w/acme/topics?topic=nothing").get_data(as_text=True)
    assert "Nobody is ranked on" in page


def test_communities_page_links_to_the_filtered_list(scored, client):
    page = client.get("/w/acme/communities").get_data(as_text=True)
    links = re.findall(r'href="/w/acme/influencers\?community=(\d+)"', page)
    assert links
    number = links[0]
    members = handles(client, f"?community={number}")
    row = page.split(f'href="/w/acme/influencers?community={number}"', 1)[1].split("</tr>", 1)[0]
    assert members and any(f"@{m}<" in row for m in members)


def test_navigation_has_the_new_pages(scored, client):
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    nav = page.split('class="nav-main"', 1)[1].split("</ul>", 1)[0]
    assert (
        nav.index("Mentions")
        < nav.index("Influencers")
        < nav.index("Topics")
        < nav.index("Communities")
    )


def test_polling_a_run_to_its_end_reloads_the_page_with_the_new_scores(workspace, client):
    """The page that polled the run reloads itself (htmx's HX-Refresh) and says it is done,
    instead of asking the reader to reload it."""
    client.post("/w/acme/scores", data={"next": "/w/acme/influencers"})
    snapshot = db.session.scalar(select(ScoreSnapshot).order_by(ScoreSnapshot.id.desc()))
    polled = client.get(f"/w/acme/scores/{snapshot.id}/status", headers={"HX-Request": "true"})
    assert polled.headers.get("HX-Refresh") == "true"
    assert "Reload the page" not in polled.get_data(as_text=True)
    page = client.get("/w/acme/influencers").get_data(as_text=True)
    assert "Scoring done" in page and "The page shows the new scores" in page
    assert "@hub" in page
