"""GEXF/GraphML exports re-read with networkx; the real Twitter sample scores without error."""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest

from graph import ROLES, AuthorInfo, Interaction, Post, score_authors
from graph.export import author_graph, write_gexf, write_graphml
from graph.synthetic import generate_workspace

SHARED = Path(__file__).resolve().parents[4] / "shared"
RTWEET = SHARED / "data" / "twitter-v1-rtweet-fixtures" / "tweets_v1.jsonl"


@pytest.fixture(scope="module")
def scored_graph():
    posts, edges, authors = generate_workspace(300, seed=4)
    result = score_authors(posts, edges, authors=authors)
    return result, author_graph(result, posts, edges, labels={k: "@" + k for k in authors})


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_round_trips_with_attributes(tmp_path, scored_graph, fmt):
    result, G = scored_graph
    path = tmp_path / f"g.{fmt}"
    (write_gexf if fmt == "gexf" else write_graphml)(G, path)
    H = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert H.number_of_nodes() == G.number_of_nodes() == len(result)
    assert H.number_of_edges() == G.number_of_edges()
    key = result.top("networker", 1)[0]
    node = H.nodes[str(key)]
    assert node["role"] == result[key].role
    assert node["community"] == result[key].community
    assert node["first_seen"].endswith("Z")
    for role in ROLES:
        assert float(node[role]) == pytest.approx(result[key].scores[role], abs=0.06)
    if fmt == "gexf":
        assert H.graph["mode"] == "dynamic"
        assert 'timeformat="date"' in path.read_text()
        assert node["label"] == f"@{key}"
    u, v, d = next(iter(H.edges(data=True)))
    assert int(d["weight"]) >= 1


def test_export_filters(scored_graph):
    result, G = scored_graph
    posts, edges, _ = generate_workspace(300, seed=4)
    replies = author_graph(result, posts, edges, kinds=["reply"], min_degree=2)
    assert replies.number_of_nodes() < G.number_of_nodes()
    assert all(d["mention"] == 0 and d["repost"] == 0 for _, _, d in replies.edges(data=True))
    with pytest.raises(ValueError):
        author_graph(result, posts, edges, kinds=["like"])


def rtweet_input(path):
    """A tiny local adapter: Twitter v1.1 statuses -> Post / Interaction / AuthorInfo."""
    posts, edges, authors = [], [], {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        tw = json.loads(line)
        a = tw["user"]["screen_name"].lower()
        at = datetime.strptime(tw["created_at"], "%a %b %d %H:%M:%S %z %Y").timestamp()
        ent = tw.get("entities", {})
        topics = tuple(sorted({"#" + h["text"].lower() for h in ent.get("hashtags", [])}))
        domains = tuple(
            sorted(
                {urlparse(u.get("expanded_url") or "").netloc for u in ent.get("urls", [])} - {""}
            )
        )
        kind, parent, target = "post", None, None
        if tw.get("retweeted_status"):
            rs = tw["retweeted_status"]
            kind, parent, target = "repost", rs["id_str"], rs["user"]["screen_name"].lower()
        elif tw.get("quoted_status_id_str") and tw.get("quoted_status"):
            qs = tw["quoted_status"]
            kind, parent, target = "quote", qs["id_str"], qs["user"]["screen_name"].lower()
        elif tw.get("in_reply_to_status_id_str"):
            kind, parent = "reply", tw["in_reply_to_status_id_str"]
            target = (tw.get("in_reply_to_screen_name") or "").lower() or None
        text = tw.get("full_text") or tw.get("text") or ""
        posts.append(Post(a, tw["id_str"], at, kind, topics, text, domains, parent))
        seen = {a}
        if target and target not in seen:
            edges.append(Interaction(a, target, kind, at, tw["id_str"]))
            seen.add(target)
        for m in ent.get("user_mentions", []):
            h = m["screen_name"].lower()
            if h not in seen:
                edges.append(Interaction(a, h, "mention", at, tw["id_str"]))
                seen.add(h)
        authors[a] = AuthorInfo(a, tw["user"].get("followers_count"), "twitter")
    return posts, edges, authors


@pytest.mark.skipif(not RTWEET.exists(), reason="shared sample data not present")
def test_real_twitter_sample_scores_without_error(tmp_path):
    posts, edges, authors = rtweet_input(RTWEET)
    assert len(posts) > 1000
    result = score_authors(posts, edges, authors=authors, params=None)
    assert len(result) >= len({p.author for p in posts})
    for role in ROLES:
        for key in result.top(role, 5):
            a = result[key]
            assert a.reasons and all(isinstance(r, str) for r in a.reasons)
            assert 0 <= a.scores[role] <= 100
    G = author_graph(result, posts, edges)
    write_gexf(G, tmp_path / "sample.gexf")
    assert nx.read_gexf(tmp_path / "sample.gexf").number_of_nodes() == len(result)
