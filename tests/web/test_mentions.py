"""The mentions list, its filters, the author page and sentiment corrections."""

import pytest

from app.services import ingest, search_index
from factories import login, make_user, make_workspace, mention, write_csv


@pytest.fixture(params=["unindexed", "indexed"])
def workspace(request, app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner, brand_terms=["Acme"], timezone="Europe/Moscow")
    rows = [
        mention("1", "anna", "Acme delivery was great #fast", sentiment="positive", created_at="2026-11-01T10:00:00Z", author_followers="1200"),
        mention("2", "bob", "Ужасная ДОСТАВКА от Acme", lang="ru", sentiment="negative", created_at="2026-11-02T10:00:00Z"),
        mention("3", "carl", "<script>alert(1)</script> \u202eevil", sentiment="neutral", created_at="2026-11-03T22:30:00Z"),
        mention("4", "anna", "@bob thanks", reply_to_id="2", reply_to_author="bob", sentiment="neutral", platform="mastodon", created_at="2026-11-04T10:00:00Z"),
    ]  # fmt: skip
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    if request.param == "indexed":  # the text search goes through the index (SQLite)
        search_index.catch_up()
    login(client)
    return workspace


def ids(client, query=""):
    page = client.get(f"/w/acme/{query}").get_data(as_text=True)
    return [part.split('"')[0] for part in page.split('id="sentiment-')[1:]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["4", "3", "2", "1"]),
        ("?q=доставка", ["2"]),            # Cyrillic, case-insensitive
        ("?q=ACME", ["2", "1"]),
        ("?platform=mastodon", ["4"]),
        ("?author=@Anna", ["4", "1"]),
        ("?sentiment=negative", ["2"]),
        ("?topic=fast", ["1"]),
        ("?topic=%23fast", ["1"]),
        ("?topic=acme", ["2", "1"]),
        ("?kind=reply", ["4"]),
        ("?since=2026-11-02&until=2026-11-03", ["2"]),  # 22:30 UTC on the 3rd is the 4th in Moscow
        ("?since=2026-11-04", ["4", "3"]),
    ],
)  # fmt: skip
def test_filters(workspace, client, query, expected):
    mentions = ids(client, query)
    # the page shows database ids, which equal the import order here
    assert mentions == expected


def test_bad_filter_is_explained_not_fatal(workspace, client):
    page = client.get("/w/acme/?since=yesterday").get_data(as_text=True)
    assert "is not a date like" in page


def test_post_text_is_escaped(workspace, client):
    page = client.get("/w/acme/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pagination_keeps_filters(app, workspace, client):
    app.config["MENTIONS_PER_PAGE"] = 1
    page = client.get("/w/acme/?q=acme").get_data(as_text=True)
    assert "page=2" in page and "q=acme" in page.split("page=2")[0][-80:] + page.split("page=2")[1][:80]
    assert ids(client, "?q=acme&page=2") == ["1"]


def test_sentiment_correction_sticks(workspace, client, tmp_path):
    client.post("/w/acme/mentions/1/sentiment", data={"sentiment": "negative", "next": "/w/acme/"})
    assert ids(client, "?sentiment=negative") == ["2", "1"]
    # re-importing the same post does not undo the correction
    rows = [mention("1", "anna", "Acme delivery was great #fast", sentiment="positive")]
    ingest.import_files(workspace, [write_csv(tmp_path / "again.csv", rows)])
    assert ids(client, "?sentiment=negative") == ["2", "1"]


def test_author_page_shows_only_their_posts_on_that_platform(workspace, client):
    from app.services.mentions import find_author

    anna = find_author(workspace, "twitter", "anna")
    page = client.get(f"/w/acme/authors/{anna.id}").get_data(as_text=True)
    assert "@anna" in page and "1,200" in page and "#fast" in page
    assert "Acme delivery was great" in page and "@bob thanks" not in page  # that one is on mastodon


def test_empty_workspace_says_what_to_do(app, client):
    owner = make_user("o@example.com")
    make_workspace("empty", owner=owner)
    login(client, "o@example.com")
    assert "No mentions yet" in client.get("/w/empty/").get_data(as_text=True)


def test_search_marks_the_matches_in_any_case_and_keeps_them_escaped(workspace, client):
    page = client.get("/w/acme/?q=доставка").get_data(as_text=True)
    assert "Ужасная <mark>ДОСТАВКА</mark> от Acme" in page
    hostile = client.get("/w/acme/?q=<script>").get_data(as_text=True)
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;" in hostile
    assert "<script>alert(1)" not in hostile


def test_marked_escapes_text_and_query_alike():
    from app.web import marked

    assert marked("a < b, A < B", "a <") == "<mark>a &lt;</mark> b, <mark>A &lt;</mark> B"
    assert marked("Ёлка и ёлка", "ёлка") == "<mark>Ёлка</mark> и <mark>ёлка</mark>"
    assert marked("50% off (really)", "% off (") == "50<mark>% off (</mark>really)"
    assert marked("<b>", None) == "&lt;b&gt;"


def test_unknown_sentiment_offers_a_choice_instead_of_positive(app, client, tmp_path):
    owner = make_user()
    workspace = make_workspace("acme", owner=owner)
    rows = [mention("1", "anna", "Bonjour tout le monde", lang="fr")]  # no analyser: unknown
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows)])
    login(client)
    page = client.get("/w/acme/").get_data(as_text=True)
    select_html = page.split('id="sentiment-1"')[1].split("</select>")[0]
    assert '<option value="" selected>unknown / choose</option>' in select_html
    assert "selected>positive" not in select_html and 'value="positive" selected' not in select_html
    # Set without a choice changes nothing
    client.post("/w/acme/mentions/1/sentiment", data={"sentiment": "", "next": "/w/acme/"})
    assert ids(client, "?sentiment=unknown") == ["1"]
    assert "Choose positive" not in client.get("/w/acme/").get_data(as_text=True)
