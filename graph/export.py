"""Export the scored author graph for Gephi and friends: GEXF (with a timeline) and GraphML.

:func:`author_graph` builds a weighted ``networkx.DiGraph`` of the authors of a
:class:`~graph.roles.ScoringResult` whose nodes carry ``label``, ``role``, the four role scores,
``bot_score``, ``community``, ``followers`` and ``first_seen`` (ISO 8601), and whose edges carry
``weight`` plus a count per interaction kind. Nodes and edges also get ``start`` (the date first
seen), which makes :func:`write_gexf` write a *dynamic* GEXF: Gephi's timeline then replays the
network's growth. :func:`write_graphml` writes the same attributes without the timeline field.
Both use networkx's writers.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from graph.build import EDGE_CODE
from graph.roles import ScoringResult
from graph.types import INTERACTION_KINDS, ROLES, Interaction, Post

if TYPE_CHECKING:  # imported where a networkx graph is made: scoring never loads it (~0.3 s)
    import networkx as nx

__all__ = ["author_graph", "write_gexf", "write_graphml"]


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).isoformat().replace("+00:00", "Z")


def author_graph(
    result: ScoringResult,
    posts: Iterable[Post],
    interactions: Iterable[Interaction],
    *,
    labels: Mapping[Hashable, str] | None = None,
    kinds: Iterable[str] = INTERACTION_KINDS,
    min_degree: int = 0,
) -> nx.DiGraph:
    """Return the weighted author graph with role, scores, community and first-seen time.

    Only authors scored in ``result`` and interactions inside its window are kept; node ids are
    ``str(key)``. ``labels`` maps keys to display handles (default ``str(key)``); ``kinds``
    selects interaction kinds; ``min_degree`` drops authors with fewer distinct partners.

    Examples
    --------
    >>> from graph.roles import score_authors
    >>> posts = [Post("a", 1, 86400.0)]
    >>> edges = [Interaction("b", "a", "reply", 2 * 86400.0, 2), Interaction("b", "a", "mention", 3 * 86400.0, 3)]
    >>> G = author_graph(score_authors(posts, edges), posts, edges)
    >>> G.nodes["a"]["first_seen"], G.nodes["a"]["start"], G.nodes["a"]["role"]
    ('1970-01-02T00:00:00Z', '1970-01-02', 'user')
    >>> G["b"]["a"]["weight"], G["b"]["a"]["reply"], G["b"]["a"]["start"]
    (2, 1, '1970-01-03')
    """
    import networkx as nx

    kinds = set(kinds)
    unknown = kinds - set(EDGE_CODE)
    if unknown:
        raise ValueError(f"unknown interaction kinds: {sorted(unknown)}")
    lo, hi = result.window
    first: dict[Hashable, float] = {}

    def seen(key, at):
        if key in result.index and (key not in first or at < first[key]):
            first[key] = at

    for p in posts:
        if lo <= p.at <= hi:
            seen(p.author, p.at)
    G = nx.DiGraph()
    for it in interactions:
        if not lo <= it.at <= hi or it.source == it.target:
            continue
        seen(it.source, it.at)
        seen(it.target, it.at)
        if it.kind not in kinds or it.source not in result.index or it.target not in result.index:
            continue
        u, v = str(it.source), str(it.target)
        if G.has_edge(u, v):
            d = G[u][v]
            d["weight"] += 1
            d[it.kind] += 1
            d["first_at"] = min(d["first_at"], it.at)
        else:
            G.add_edge(u, v, weight=1, **{k: 0 for k in INTERACTION_KINDS}, first_at=it.at)
            G[u][v][it.kind] = 1
    for _, _, d in G.edges(data=True):
        t = d.pop("first_at")
        d["start"] = _iso(t)[:10]
    labels = labels or {}
    for key in result:
        node = str(key)
        if node not in G:
            G.add_node(node)
        i = result.index[key]
        attrs = {
            "label": str(labels.get(key, key)),
            "role": result.roles[i],
            "bot_score": round(float(result.bots.score[i]), 3),
            "community": int(result.community[i]),
            "followers": int(result.followers[i]),
        }
        for role in ROLES:
            attrs[role] = round(float(result.scores[role][i]), 2)
        if key in first:
            attrs["first_seen"] = _iso(first[key])
            attrs["start"] = attrs["first_seen"][:10]
        G.nodes[node].update(attrs)
    if min_degree > 0:
        G.remove_nodes_from(
            [v for v in list(G) if len(set(G.successors(v)) | set(G.predecessors(v))) < min_degree]
        )
    return G


def write_gexf(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as GEXF 1.2; nodes and edges with ``start`` make it a dynamic graph.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b")]); G.nodes["a"]["start"] = "2025-01-02"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_gexf(G, pathlib.Path(d) / "g.gexf")
    ...     'mode="dynamic"' in (pathlib.Path(d) / "g.gexf").read_text()
    True
    """
    import networkx as nx

    nx.write_gexf(G, path, version="1.2draft")


def write_graphml(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as GraphML (the timeline field ``start`` is kept as a plain attribute).

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> import networkx as nx
    >>> write_graphml(nx.DiGraph([("a", "b", {"weight": 2})]), buf)
    >>> b'attr.name="weight"' in buf.getvalue()
    True
    """
    import networkx as nx

    nx.write_graphml(G, path)
