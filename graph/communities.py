"""Communities of the author graph (Leiden or Louvain) and their names.

Detection runs on the undirected, weighted author graph (weight = number of interactions
either way). With python-igraph (``backend="auto"`` or ``"igraph"``) Leiden is Traag, Waltman
& van Eck (2019), "From Louvain to Leiden: guaranteeing well-connected communities", and
Louvain is Blondel, Guillaume, Lambiotte & Lefebvre (2008), "Fast unfolding of communities in
large networks", both optimising modularity; ``backend="networkx"`` uses networkx's Louvain
for either method. Community ids are renumbered by size, largest first; authors alone in their
community get ``-1``.

A community is named by its most over-represented topics (count in the community times the
lift over the workspace) and listed with its most central members.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from graph.build import EdgeList, edge_list, is_edge_list, to_igraph
from graph.metrics import _from_networkx, resolve_backend

if TYPE_CHECKING:  # imported where a networkx graph is made: scoring never loads it (~0.3 s)
    pass

__all__ = ["METHODS", "detect_communities", "Community", "summarize_communities"]

METHODS = ("leiden", "louvain")


def detect_communities(
    G,
    *,
    method: str = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
    backend: str = "auto",
):
    """Return each node's community id (``-1`` for a node alone in its community).

    On a networkx graph the result is a dict; on an ``EdgeList`` an integer array.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    >>> G.add_node(9)
    >>> c = detect_communities(G)
    >>> c[0] == c[1] == c[2] != c[3] == c[4] == c[5], c[9]
    (True, -1)
    >>> detect_communities(G, backend="networkx")[9]
    -1
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    if resolution <= 0:
        raise ValueError(f"resolution must be positive, got {resolution}")
    if is_edge_list(G):
        return _detect(G, method, resolution, seed, resolve_backend(backend))
    nodes, el = _from_networkx(G, "weight")
    labels = _detect(el, method, resolution, seed, resolve_backend(backend))
    return dict(zip(nodes, labels.tolist(), strict=True))


def _undirected_weighted(edges: EdgeList) -> EdgeList:
    lo = np.minimum(edges.src, edges.dst)
    hi = np.maximum(edges.src, edges.dst)
    keep = lo != hi
    return edge_list(lo[keep], hi[keep], edges.n, weight=edges.weight[keep])


def _detect(edges: EdgeList, method: str, resolution: float, seed: int, backend: str, graph=None):
    """Community labels; ``graph`` is the undirected weighted igraph graph when already built."""
    und = _undirected_weighted(edges)
    if backend == "igraph":
        import igraph as ig

        g = to_igraph(und, directed=False) if graph is None else graph
        ig.set_random_number_generator(random.Random(seed))
        try:
            weights = "weight" if g.ecount() else None
            if method == "leiden":
                parts = g.community_leiden(
                    objective_function="modularity",
                    weights=weights,
                    resolution=resolution,
                    n_iterations=2,
                )
            else:
                parts = g.community_multilevel(weights=weights, resolution=resolution)
        finally:
            ig.set_random_number_generator(random)
        raw = np.asarray(parts.membership, dtype=np.int64)
    else:
        import networkx as nx

        H = nx.Graph()
        H.add_nodes_from(range(und.n))
        H.add_weighted_edges_from(
            zip(und.src.tolist(), und.dst.tolist(), und.weight.tolist(), strict=True)
        )
        raw = np.zeros(und.n, dtype=np.int64)
        for cid, members in enumerate(
            nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
        ):
            raw[list(members)] = cid
    return _renumber(raw)


def _renumber(raw: np.ndarray) -> np.ndarray:
    if not len(raw):
        return raw
    sizes = np.bincount(raw)
    # largest first; ties by smallest old id so the numbering is deterministic
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    new = np.empty(len(sizes), dtype=np.int64)
    new[order] = np.arange(len(sizes))
    out = new[raw]
    out[sizes[raw] < 2] = -1
    return out


@dataclass
class Community:
    """One community: id, size, its top topics ``(topic, posts)``, top members, a label."""

    id: int
    size: int
    top_topics: list[tuple[str, int]] = field(default_factory=list)
    top_members: list[Hashable] = field(default_factory=list)
    label: str = ""


def summarize_communities(
    membership: np.ndarray,
    keys: Sequence[Hashable],
    *,
    post_author: np.ndarray,
    post_topic: np.ndarray,
    topics: Sequence[str],
    rank: np.ndarray,
    n_topics: int = 3,
    n_members: int = 5,
    min_size: int = 3,
) -> list[Community]:
    """Return a :class:`Community` per community of at least ``min_size`` members.

    ``post_author``/``post_topic`` are the author index and topic index of every post-topic
    pair; ``rank`` orders members (higher first, e.g. PageRank).

    Examples
    --------
    >>> cs = summarize_communities(np.array([0, 0, 0, 1, 1, 1]), list("abcdef"),
    ...     post_author=np.array([0, 1, 3, 4, 5]), post_topic=np.array([0, 0, 1, 1, 0]),
    ...     topics=["#pizza", "#bikes"], rank=np.array([1, 3, 2, 0, 5, 1]), n_members=2)
    >>> [(c.id, c.size, c.label, c.top_members) for c in cs]
    [(0, 3, '#pizza', ['b', 'c']), (1, 3, '#bikes · #pizza', ['e', 'f'])]
    """
    membership = np.asarray(membership)
    n_comm = int(membership.max()) + 1 if len(membership) else 0
    sizes = np.bincount(membership[membership >= 0], minlength=n_comm)
    pc = membership[np.asarray(post_author, dtype=np.int64)] if len(post_author) else np.zeros(0)
    ok = pc >= 0
    pc, pt = pc[ok].astype(np.int64), np.asarray(post_topic, dtype=np.int64)[ok]
    n_t = len(topics)
    counts = np.bincount(pc * n_t + pt, minlength=n_comm * n_t).reshape(n_comm, n_t)
    overall = counts.sum(axis=0) + 1.0
    comm_total = counts.sum(axis=1, keepdims=True) + 1.0
    lift = (counts / comm_total) / (overall / overall.sum())
    interest = counts * np.log1p(lift)
    order = np.lexsort((-np.asarray(rank, dtype=np.float64), membership))
    starts = np.searchsorted(membership[order], np.arange(n_comm))
    out = []
    for cid in range(n_comm):
        if sizes[cid] < min_size:
            continue
        best = [t for t in np.argsort(-interest[cid], kind="stable")[:n_topics] if counts[cid, t]]
        top = [(topics[t], int(counts[cid, t])) for t in best]
        members = [keys[i] for i in order[starts[cid] : starts[cid] + min(n_members, sizes[cid])]]
        label = " · ".join(t for t, _ in top) or f"community {cid}"
        out.append(Community(cid, int(sizes[cid]), top, members, label))
    return out
