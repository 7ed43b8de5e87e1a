"""The network view over HTTP: its JSON and filters, the GEXF/GraphML downloads, empty state."""

import io

import networkx as nx
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Author
from app.services import ingest, scoring
from app.services import workspaces as workspace_service
from factories import HEADER, login, make_user, make_workspace, mention, write_csv

COLUMNS = [*HEADER, "quote_of_id", "quote_of_author", "tags"]


def rows():
    """A small graph: anna is the hub, anna and bob reply to each other, frank talks alone.

    The workspace is in Moscow (UTC+3): dora's mention at 22:30 UTC on the 3rd is on the 4th.
    """
    return [
        mention("1", "anna", "Acme delivery #delivery", created_at="2026-11-01T08:00:00Z", author_followers="5000"),
        mention("2", "bob", "@anna so true", reply_to_id="1", reply_to_author="anna", tags="delivery",
                created_at="2026-11-01T10:00:00Z", author_followers="300"),
        mention("3", "carl", "RT Acme delivery #delivery", repost_of_id="1", repost_of_author="anna",
                created_at="2026-11-02T10:00:00Z"),
        mention("4", "dora", "hey @anna, Acme?", created_at="2026-11-03T22:30:00Z"),
        mention("5", "eve", "this! Acme", quote_of_id="2", quote_of_author="bob", created_at="2026-11-05T10:00:00Z"),
        mention("6", "anna", "@bob thanks", reply_to_id="2", reply_to_author="bob", created_at="2026-11-10T10:00:00Z"),
        mention("7", "frank", "Acme alone", created_at="2026-11-11T10:00:00Z"),
    ]  # fmt: skip


@pytest.fixture
def owner(app):
    return make_user()


@pytest.fixture
def scored(app, owner, tmp_path):
    """The workspace imported and scored, nobody signed in."""
    workspace = make_workspace("acme", owner=owner, timezone="Europe/Moscow")
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows(), COLUMNS)])
    scoring.compute(workspace)
    return workspace


@pytest.fixture
def workspace(scored, client):
    login(client)
    return scored


def author_id(workspace, handle):
    return db.session.scalar(
        select(Author.id).where(Author.workspace_id == workspace.id, Author.handle == handle)
    )


def get(client, query=""):
    response = client.get(f"/w/acme/network.json{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def handles(data):
    return sorted(node["handle"] for node in data["nodes"])


def ties(data):
    by_id = {node["id"]: node["handle"] for node in data["nodes"]}
    return sorted(
        (by_id[e["source"]], by_id[e["target"]], e["kind"], e["weight"]) for e in data["edges"]
    )


def test_json_shape(workspace, client):
    data = get(client)
    assert set(data) >= {
        "snapshot",
        "nodes",
        "edges",
        "communities",
        "counts",
        "truncated",
        "dropped",
    }
    assert handles(data) == ["anna", "bob", "carl", "dora", "eve"]  # frank has no ties
    assert ties(data) == [
        ("anna", "bob", "reply", 1), ("bob", "anna", "reply", 1), ("carl", "anna", "repost", 1),
        ("dora", "anna", "mention", 1), ("eve", "bob", "quote", 1),
    ]  # fmt: skip
    anna = data["nodes"][0]  # the best connected comes first
    assert anna["handle"] == "anna" and anna["degree"] == 3
    assert set(anna) >= {
        "id", "handle", "platform", "role", "networker", "thought_leader", "trendsetter",
        "amplifier", "best", "community", "followers", "degree", "first_seen",
    }  # fmt: skip
    assert anna["platform"] == "twitter" and anna["followers"] == 5000
    assert anna["first_seen"].startswith("2026-11-01T08:00")
    assert anna["best"] == max(
        anna[s] for s in ("networker", "thought_leader", "trendsetter", "amplifier")
    )
    assert data["counts"] == {
        "nodes": 5,
        "edges": 5,
        "shown_nodes": 5,
        "shown_edges": 5,
        "interactions": 5,
    }
    assert data["truncated"] is False and data["dropped"] == 0
    assert data["snapshot"]["id"]
    dora = next(e for e in data["edges"] if e["kind"] == "mention")
    assert dora["first_day"] == "2026-11-03"  # UTC date of the first interaction


def test_big_answers_are_gzipped(workspace, client, monkeypatch):
    import gzip
    import json

    plain = client.get("/w/acme/network.json")
    assert "Content-Encoding" not in plain.headers  # small: sent as is
    monkeypatch.setattr("app.network.routes.GZIP_MIN_BYTES", 0)
    packed = client.get("/w/acme/network.json", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?kind=reply", ["anna", "bob"]),
        ("?kind=reply&kind=repost", ["anna", "bob", "carl"]),
        ("?kind=repost,quote", ["anna", "bob", "carl", "eve"]),
        ("?min_degree=2", ["anna", "bob"]),
        ("?min_degree=0", ["anna", "bob", "carl", "dora", "eve", "frank"]),
        ("?topic=delivery", ["anna", "bob", "carl"]),
        ("?topic=%23delivery", ["anna", "bob", "carl"]),
        ("?topic=nothing", []),
        # dates are the workspace's (Moscow): 22:30 UTC on the 3rd is the 4th there
        ("?since=2026-11-02&until=2026-11-03", ["anna", "carl"]),
        ("?since=2026-11-04&until=2026-11-05", ["anna", "bob", "dora", "eve"]),
        ("?since=2026-11-06", ["anna", "bob"]),
        ("?until=2026-11-01", ["anna", "bob"]),
    ],
)  # fmt: skip
def test_filters(workspace, client, query, expected):
    assert handles(get(client, query)) == expected


def test_filtered_edges_and_degrees(workspace, client):
    data = get(client, "?kind=reply")
    assert ties(data) == [("anna", "bob", "reply", 1), ("bob", "anna", "reply", 1)]
    assert {n["handle"]: n["degree"] for n in data["nodes"]} == {"anna": 1, "bob": 1}
    data = get(client, "?min_degree=2")
    assert ties(data) == [("anna", "bob", "reply", 1), ("bob", "anna", "reply", 1)]


def test_truncation_keeps_the_best_connected(workspace, client):
    data = get(client, "?max_nodes=2")
    assert handles(data) == ["anna", "bob"]
    assert data["truncated"] is True and data["dropped"] == 3
    assert data["counts"]["nodes"] == 5 and data["counts"]["shown_nodes"] == 2
    assert all(
        {e["source"], e["target"]} <= {n["id"] for n in data["nodes"]} for e in data["edges"]
    )


def test_ego_network(workspace, client):
    carl = author_id(workspace, "carl")
    data = get(client, f"?ego={carl}&hops=1")
    assert handles(data) == ["anna", "carl"]
    assert {n["handle"]: n["hop"] for n in data["nodes"]} == {"carl": 0, "anna": 1}
    data = get(client, f"?ego={carl}")
    assert {n["handle"]: n["hop"] for n in data["nodes"]} == {
        "carl": 0,
        "anna": 1,
        "bob": 2,
        "dora": 2,
    }
    assert data["nodes"][0]["handle"] == "carl"
    assert client.get("/w/acme/network.json?ego=999999").status_code == 404


@pytest.mark.parametrize(
    "query", ["?kind=like", "?since=yesterday", "?min_degree=many", "?max_nodes=0", "?hops=3"]
)
def test_bad_filters_are_explained(workspace, client, query):
    response = client.get(f"/w/acme/network.json{query}")
    assert response.status_code == 400
    assert response.get_json()["errors"]


def test_gexf_download(workspace, client):
    response = client.get("/w/acme/network.gexf?kind=reply&kind=mention&kind=repost")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="acme-network.gexf"'
    assert b'mode="dynamic"' in response.data  # Gephi's timeline
    G = nx.read_gexf(io.BytesIO(response.data))
    labels = {data["label"]: node for node, data in G.nodes(data=True)}
    assert sorted(labels) == ["anna", "bob", "carl", "dora"]
    anna = G.nodes[labels["anna"]]
    for name in (
        "role",
        "networker",
        "thought_leader",
        "trendsetter",
        "amplifier",
        "community",
        "followers",
        "first_seen",
    ):
        assert name in anna, name
    assert anna["followers"] == 5000 and anna["first_seen"].startswith("2026-11-01")
    edge = G.edges[labels["bob"], labels["anna"]]
    assert edge["weight"] == 1 and edge["reply"] == 1 and edge["mention"] == 0


def test_graphml_download_with_filters(workspace, client):
    response = client.get("/w/acme/network.graphml?topic=delivery&since=2026-11-01")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="acme-network-delivery-2026-11-01_end.graphml"'
    G = nx.read_graphml(io.BytesIO(response.data))
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == ["anna", "bob", "carl"]
    node = next(iter(G.nodes.values()))
    assert {"role", "networker", "amplifier", "community", "start"} <= set(node)
    assert client.get("/w/acme/network.graphml?kind=nope").status_code == 400


def test_page(workspace, client):
    page = client.get("/w/acme/network?kind=reply&topic=delivery").get_data(as_text=True)
    assert 'class="network-layout"' in page and "vendor/sigma/sigma.min.js" in page
    assert ">Network</a>" in page  # in the navigation
    assert "Thought leader" in page and "Amplifier" in page  # the legend names the roles
    # the export buttons post this view's filters; without JavaScript the fallback links the
    # exports page of this view
    assert 'name="view" id="export-view" value="topic=delivery&amp;kind=reply"' in page
    assert 'action="/w/acme/network/exports"' in page and 'value="graphml"' in page
    assert 'href="/w/acme/network/exports?topic=delivery&amp;kind=reply"' in page
    assert 'value="reply" checked' in page and 'value="mention">' in page


def test_page_explains_bad_filters(workspace, client):
    page = client.get("/w/acme/network?since=someday").get_data(as_text=True)
    assert "is not a date like" in page


def test_empty_state_without_scores(app, client, owner, tmp_path):
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows(), COLUMNS)])
    login(client)
    page = client.get("/w/acme/network").get_data(as_text=True)
    assert "No scores yet" in page and "Compute scores on the Influencers page" in page
    assert "flask --app" not in page  # the page says what to do on the page
    assert "sigma.min.js" not in page
    data = get(client)
    assert data["snapshot"] is None and data["nodes"] == [] and data["edges"] == []
    G = nx.read_gexf(io.BytesIO(client.get("/w/acme/network.gexf").data))
    assert G.number_of_nodes() == 0


def test_viewer_can_read(scored, client):
    viewer = make_user("vera@example.com", "Vera")
    workspace_service.add_member(scored, viewer, "viewer")
    login(client, "vera@example.com")
    assert client.get("/w/acme/network").status_code == 200
    assert len(client.get("/w/acme/network.json").get_json()["nodes"]) == 5
    assert client.get("/w/acme/network.graphml").status_code == 200


def test_signed_out_is_sent_to_login(scored, client):
    response = client.get("/w/acme/network.json")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def start(client, fmt="gexf", view="", htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        "/w/acme/network/exports", data={"format": fmt, "view": view}, headers=headers
    )


def export_id(response):
    location = response.headers["Location"]
    assert location.startswith("/w/acme/network/exports/"), location
    return int(location.rsplit("/", 1)[1])


def test_export_start_status_download(workspace, client):
    response = start(client, "gexf", "kind=reply&kind=mention&kind=repost")
    assert response.status_code == 303  # no JavaScript: to the export's own page
    number = export_id(response)
    page = client.get(f"/w/acme/network/exports/{number}").get_data(as_text=True)
    assert "The GEXF file is ready" in page and "4 people" in page  # JOBS_INLINE ran it
    assert 'http-equiv="refresh"' not in page  # done: no more reloading
    assert "mentions, replies and reposts" in page  # the view, in words
    status = client.get(f"/w/acme/network/exports/{number}/status").get_data(as_text=True)
    assert f'href="/w/acme/network/exports/{number}/download"' in status
    assert "hx-trigger" not in status  # done: htmx stops polling
    download = client.get(f"/w/acme/network/exports/{number}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/gexf+xml"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=acme-network-20") and disposition.endswith(
        ".gexf"
    )
    G = nx.read_gexf(io.BytesIO(download.data))
    download.close()
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == ["anna", "bob", "carl", "dora"]
    listing = client.get("/w/acme/network/exports").get_data(as_text=True)
    assert f"/w/acme/network/exports/{number}/download" in listing and "Anna" in listing


def test_export_with_htmx_swaps_in_the_status(workspace, client):
    response = start(client, "graphml", "topic=delivery", htmx=True)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert 'data-status="done"' in fragment and "The GraphML file is ready" in fragment
    assert "topic delivery" in fragment


def test_a_running_export_polls_and_refreshes(workspace, client, monkeypatch):
    monkeypatch.setattr("app.services.jobs.submit", lambda *args, **kwargs: None)  # the worker is busy
    number = export_id(start(client))
    status = client.get(f"/w/acme/network/exports/{number}/status").get_data(as_text=True)
    assert "waiting to start" in status and 'hx-trigger="every 1s"' in status
    page = client.get(f"/w/acme/network/exports/{number}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    download = client.get(f"/w/acme/network/exports/{number}/download")
    assert download.status_code == 302 and download.headers["Location"].endswith(
        f"/exports/{number}"
    )


def test_a_failed_export_says_why(workspace, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Traceback: secret internals")

    monkeypatch.setattr("app.services.network.write_export", broken)
    number = export_id(start(client))
    page = client.get(f"/w/acme/network/exports/{number}").get_data(as_text=True)
    assert "The GEXF export failed" in page and "internal error" in page
    assert "Traceback" not in page and "secret" not in page
    assert client.get(f"/w/acme/network/exports/{number}/download").status_code == 302


def test_an_export_that_cannot_start_is_explained(workspace, client):
    response = start(client, "pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The export did not start: choose GEXF or GraphML" in page
    fragment = start(client, "gexf", "since=someday", htmx=True).get_data(as_text=True)
    assert "The export did not start" in fragment and "is not a date like" in fragment


def test_a_deleted_file_offers_a_new_export(workspace, client):
    from app.services import graph_exports

    number = export_id(start(client, "graphml", "topic=delivery"))
    (graph_exports.export_folder(workspace.id) / f"{number}.graphml").unlink()
    response = client.get(f"/w/acme/network/exports/{number}/download")
    assert response.status_code == 302
    assert response.headers["Location"] == "/w/acme/network/exports?topic=delivery&format=graphml"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This export&#39;s file is no longer kept: start a new export." in page


def test_big_views_are_not_written_in_the_request(workspace, client, monkeypatch):
    monkeypatch.setattr("app.services.graph_exports.SYNC_MAX_NODES", 2)
    response = client.get("/w/acme/network.graphml?topic=delivery")
    assert response.status_code == 302
    assert response.headers["Location"] == "/w/acme/network/exports?format=graphml&topic=delivery"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "too big to download at once" in page and 'value="topic=delivery"' in page


def test_exports_of_another_workspace_are_404(workspace, client):
    number = export_id(start(client))
    other = make_user("olga@example.com", "Olga")
    make_workspace("other", owner=other)
    client.post("/logout")
    login(client, "olga@example.com")
    for url in (f"/w/acme/network/exports/{number}", f"/w/acme/network/exports/{number}/download",
                f"/w/other/network/exports/{number}", f"/w/other/network/exports/{number}/download"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post("/w/acme/network/exports", data={"format": "gexf"}).status_code == 404


def test_viewer_can_export(scored, client):
    viewer = make_user("vera@example.com", "Vera")
    workspace_service.add_member(scored, viewer, "viewer")
    login(client, "vera@example.com")
    number = export_id(start(client, "graphml"))
    with client.get(f"/w/acme/network/exports/{number}/download") as download:
        assert download.status_code == 200 and download.mimetype == "application/graphml+xml"
