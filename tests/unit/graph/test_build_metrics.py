"""Graph building and the two metric backends (networkx and igraph) agree."""

import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graph.build import build_frame, build_graph, edge_list
from graph.communities import detect_communities
from graph.metrics import core_number, pagerank, partner_counts, reciprocity
from graph.types import Interaction, Post

ROOT = Path(__file__).resolve().parents[3]


def small_graphs():
    yield nx.gnp_random_graph(40, 0.08, directed=True, seed=1)
    yield nx.scale_free_graph(60, seed=2)
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 0), (4, 4)])
    G.add_node(5)  # isolated and dangling
    yield G


@pytest.mark.parametrize("G", list(small_graphs()))
@pytest.mark.parametrize("personalized", [False, True])
def test_pagerank_backends_agree(G, personalized):
    G = nx.DiGraph(G)  # collapse multi-edges
    pers = {n: 1 + i % 3 for i, n in enumerate(G) if i % 4 == 0} if personalized else None
    a = pagerank(G, personalization=pers, backend="networkx")
    b = pagerank(G, personalization=pers, backend="igraph")
    assert a.keys() == b.keys()
    assert max(abs(a[k] - b[k]) for k in a) < 1e-6


def test_pagerank_matches_networkx_itself_with_weights():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 3.0), (1, 2, 1.0), (2, 0, 2.0), (2, 1, 5.0)])
    ours = pagerank(G, backend="igraph")
    ref = nx.pagerank(G, tol=1e-12)
    assert max(abs(ours[k] - ref[k]) for k in G) < 1e-6


@pytest.mark.parametrize("G", list(small_graphs()))
def test_coreness_backends_identical(G):
    assert core_number(G, backend="igraph") == core_number(G, backend="networkx")
    H = nx.Graph(G)
    H.remove_edges_from(nx.selfloop_edges(H))
    assert core_number(G, backend="networkx") == nx.core_number(H)


def test_edge_list_backends_agree_on_arrays():
    rng = np.random.default_rng(3)
    el = edge_list(rng.integers(0, 50, 300), rng.integers(0, 50, 300), 50)
    a = pagerank(el, backend="igraph")
    b = pagerank(el, backend="networkx")
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_array_equal(
        core_number(el, backend="igraph"), core_number(el, backend="networkx")
    )


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_communities_split_two_cliques(backend):
    G = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    G.add_edge(0, 6)
    c = detect_communities(G, backend=backend)
    assert len({c[i] for i in range(6)}) == 1
    assert c[0] != c[7]


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="backend"):
        pagerank(nx.DiGraph([(0, 1)]), backend="spark")
    with pytest.raises(ValueError, match="alpha"):
        pagerank(nx.DiGraph([(0, 1)]), alpha=1.5)
    with pytest.raises(ValueError, match="kind"):
        build_graph([Interaction("a", "b", "like", 0.0)])
    with pytest.raises(ValueError, match="kind"):
        build_frame([Post("a", 1, 0.0, "tweet")], [])
    with pytest.raises(ValueError, match="method"):
        detect_communities(nx.Graph([(0, 1)]), method="spectral")


def test_partner_counts_and_reciprocity():
    c = partner_counts(np.array([0, 0, 1, 3]), np.array([1, 2, 0, 3]), 4)
    assert c["any"].tolist() == [2, 1, 1, 0]
    assert c["both"].tolist() == [1, 1, 0, 0]
    assert reciprocity(nx.DiGraph([(0, 1), (1, 0), (0, 2)])) == {0: 0.5, 1: 1.0, 2: 0.0}


def test_build_graph_keeps_every_interaction():
    G = build_graph(
        [
            Interaction(1, 2, "mention", 1.0, "a"),
            Interaction(1, 2, "reply", 2.0, "b"),
            Interaction(2, 1, "repost", 3.0, "c"),
        ]
    )
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_edges() == 3
    assert {d["kind"] for _, _, d in G.edges(data=True)} == {"mention", "reply", "repost"}


def test_frame_window_drops_old_rows():
    f = build_frame(
        [Post("a", 1, 5.0), Post("b", 2, 50.0)],
        [Interaction("a", "b", "mention", 5.0, 1), Interaction("b", "a", "mention", 50.0, 2)],
        start=10.0,
        end=100.0,
    )
    assert f.keys == ["b", "a"]
    assert f.n_posts == 1 and f.n_edges == 1


def test_scoring_does_not_load_networkx():
    """networkx costs ~0.3 s to import; only networkx graphs and its backend need it."""
    code = (
        "import sys; from graph import Interaction, Post, score_authors;"
        "score_authors([Post('a', 1, 0.0)], [Interaction('b', 'a', 'reply', 1.0, 1)]);"
        "sys.exit(1 if 'networkx' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_import_graph_loads_no_web_stack():
    code = (
        "import sys, pkgutil, importlib, graph;"
        "[importlib.import_module('graph.' + m.name) for m in pkgutil.iter_modules(graph.__path__)];"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'app')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
