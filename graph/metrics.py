"""Node metrics of the author graph, each behind one function with two backends.

Every metric takes either a networkx graph (returns a ``dict`` keyed by node) or an
:class:`~graph.build.EdgeList` on nodes ``0..n-1`` (returns a numpy array). The work is done
by python-igraph when it is installed (``backend="auto"`` or ``"igraph"``; PRPACK PageRank and
the Batagelj-Zaversnik k-core in C are 10-40x faster than pure Python at 200,000 authors) or by
networkx (``backend="networkx"``). Both give the same numbers; the tests hold them to it.

Distinct partners and reciprocated ties are counted with numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from graph.build import EdgeList, edge_list, is_edge_list, to_igraph, unique_sorted

if TYPE_CHECKING:  # imported where a networkx graph is made: scoring never loads it (~0.3 s)
    import networkx as nx

__all__ = [
    "BACKENDS",
    "resolve_backend",
    "pagerank",
    "core_number",
    "partner_counts",
    "reciprocity",
]

BACKENDS = ("auto", "networkx", "igraph")


def resolve_backend(backend: str = "auto") -> str:
    """Return ``"igraph"`` or ``"networkx"`` for a requested backend.

    Examples
    --------
    >>> resolve_backend("networkx")
    'networkx'
    >>> resolve_backend("gpu")
    Traceback (most recent call last):
    ...
    ValueError: backend 'gpu' is not one of auto, networkx, igraph
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if backend != "auto":
        if backend == "igraph":
            import igraph  # noqa: F401  (fail loudly when asked for and missing)
        return backend
    try:
        import igraph  # noqa: F401
    except ImportError:  # pragma: no cover - igraph is a declared dependency
        return "networkx"
    return "igraph"


def _from_networkx(G, weight: str | None) -> tuple[list, EdgeList]:
    nodes = list(G)
    pos = {v: i for i, v in enumerate(nodes)}
    src, dst, w = [], [], []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        src.append(pos[u])
        dst.append(pos[v])
        w.append(float(d.get(weight, 1.0)) if weight else 1.0)
        if not G.is_directed():
            src.append(pos[v])
            dst.append(pos[u])
            w.append(w[-1])
    el = edge_list(
        np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), len(nodes), weight=np.array(w)
    )
    return nodes, el


def _nx_digraph(edges: EdgeList) -> nx.DiGraph:
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(range(edges.n))
    G.add_weighted_edges_from(
        zip(edges.src.tolist(), edges.dst.tolist(), edges.weight.tolist(), strict=True)
    )
    return G


def pagerank(
    G,
    *,
    alpha: float = 0.85,
    personalization: Mapping | np.ndarray | None = None,
    weight: str | None = "weight",
    backend: str = "auto",
):
    """Return PageRank (personalised when ``personalization`` is given) of every node.

    Dangling nodes jump according to the personalisation vector (networkx's convention;
    PRPACK's too). On a networkx graph the result is a dict; on an ``EdgeList`` an array.

    Parameters
    ----------
    G : networkx.DiGraph or EdgeList
    alpha : float
        Damping factor.
    personalization : mapping or array, optional
        Teleport weights (need not sum to 1); nodes absent from a mapping get 0.
    weight : str or None
        Edge attribute holding weights (networkx graphs only; an EdgeList is always weighted).
    backend : {"auto", "networkx", "igraph"}

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    >>> pr = pagerank(G, backend="networkx")
    >>> max(pr, key=pr.get)
    'b'
    >>> abs(pr["b"] - pagerank(G, backend="igraph")["b"]) < 1e-6
    True
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    if is_edge_list(G):
        reset = _reset_vector(personalization, G.n, None)
        return _pagerank_edges(G, alpha, reset, resolve_backend(backend))
    nodes, el = _from_networkx(G, weight)
    pos = {v: i for i, v in enumerate(nodes)}
    reset = _reset_vector(personalization, len(nodes), pos)
    values = _pagerank_edges(el, alpha, reset, resolve_backend(backend))
    return dict(zip(nodes, values.tolist(), strict=True))


def _reset_vector(personalization, n: int, pos) -> np.ndarray | None:
    if personalization is None:
        return None
    if isinstance(personalization, Mapping):
        reset = np.zeros(n)
        for k, v in personalization.items():
            if pos is None:
                reset[int(k)] = v
            elif k in pos:
                reset[pos[k]] = v
    else:
        reset = np.asarray(personalization, dtype=np.float64)
        if reset.shape != (n,):
            raise ValueError(f"personalization must have {n} entries, got {reset.shape}")
    if (reset < 0).any() or not reset.sum() > 0:
        raise ValueError("personalization must be non-negative with a positive sum")
    return reset / reset.sum()


def _pagerank_edges(edges: EdgeList, alpha: float, reset, backend: str, graph=None) -> np.ndarray:
    """PageRank on ``edges``; ``graph`` is the same graph already converted to igraph."""
    if edges.n == 0:
        return np.zeros(0)
    if backend == "igraph":
        g = to_igraph(edges) if graph is None else graph
        weights = "weight" if len(edges.src) else None
        if reset is None:
            values = g.pagerank(damping=alpha, weights=weights)
        else:
            values = g.personalized_pagerank(damping=alpha, reset=reset.tolist(), weights=weights)
        return np.asarray(values)
    import networkx as nx

    G = _nx_digraph(edges)
    pers = None if reset is None else dict(enumerate(reset.tolist()))
    pr = nx.pagerank(
        G, alpha=alpha, personalization=pers, weight="weight", tol=1e-12, max_iter=1000
    )
    return np.array([pr[i] for i in range(edges.n)])


def _undirected_simple(edges: EdgeList) -> EdgeList:
    lo = np.minimum(edges.src, edges.dst)
    hi = np.maximum(edges.src, edges.dst)
    keep = lo != hi
    return edge_list(lo[keep], hi[keep], edges.n)


def core_number(G, *, backend: str = "auto"):
    """Return the k-core number of every node, ignoring direction, weights and self-loops.

    Batagelj & Zaversnik (2003): the largest ``k`` such that the node belongs to a subgraph
    whose nodes all have at least ``k`` neighbours.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (3, 0)])
    >>> core_number(G, backend="networkx")
    {0: 2, 1: 2, 2: 2, 3: 1}
    >>> core_number(G, backend="igraph") == core_number(G, backend="networkx")
    True
    """
    if is_edge_list(G):
        return _core_edges(G, resolve_backend(backend))
    nodes, el = _from_networkx(G, None)
    values = _core_edges(el, resolve_backend(backend))
    return dict(zip(nodes, values.tolist(), strict=True))


def _core_edges(edges: EdgeList, backend: str, graph=None) -> np.ndarray:
    """Coreness; ``graph`` is the undirected igraph version of ``edges`` when already built."""
    und = _undirected_simple(edges) if graph is None or backend != "igraph" else edges
    if backend == "igraph":
        g = to_igraph(und, directed=False) if graph is None else graph
        return np.asarray(g.coreness(mode="all"), dtype=np.int64)
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(range(und.n))
    H.add_edges_from(zip(und.src.tolist(), und.dst.tolist(), strict=True))
    core = nx.core_number(H)
    return np.array([core[i] for i in range(und.n)], dtype=np.int64)


def partner_counts(src: np.ndarray, dst: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Return per-node counts of distinct partners: ``out``, ``in``, ``both`` and ``any``.

    ``out`` counts the distinct people a node addressed, ``in`` those who addressed it,
    ``both`` the reciprocated ties and ``any`` the union. Self-loops are ignored.

    Examples
    --------
    >>> c = partner_counts(np.array([0, 0, 1, 2, 0]), np.array([1, 1, 0, 0, 2]), 3)
    >>> c["out"].tolist(), c["in"].tolist(), c["both"].tolist(), c["any"].tolist()
    ([2, 1, 1], [2, 1, 1], [2, 1, 1], [2, 1, 1])
    """
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    pair = unique_sorted(src[keep] * n + dst[keep])
    s, d = pair // n, pair % n
    out = np.bincount(s, minlength=n)
    inn = np.bincount(d, minlength=n)
    mutual = np.isin(pair, d * n + s, assume_unique=True)
    both = np.bincount(s[mutual], minlength=n)
    return {"out": out, "in": inn, "both": both, "any": out + inn - both}


def reciprocity(G) -> dict:
    """Return, for each node of a directed graph, the share of its partners who reciprocate.

    A node with no partners gets 0.0.

    Examples
    --------
    >>> import networkx as nx
    >>> reciprocity(nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")]))
    {'a': 0.5, 'b': 1.0, 'c': 0.0}
    """
    if not G.is_directed():
        raise ValueError("reciprocity needs a directed graph")
    nodes = list(G)
    pos = {v: i for i, v in enumerate(nodes)}
    pairs = [(pos[u], pos[v]) for u, v in G.edges() if u != v]
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    c = partner_counts(src, dst, len(nodes))
    share = np.divide(c["both"], c["any"], out=np.zeros(len(nodes)), where=c["any"] > 0)
    return dict(zip(nodes, share.tolist(), strict=True))
