"""The author graph for the network page and for Gephi: nodes from the latest scoring snapshot,
edges aggregated from the interactions, filtered by time, edge kind, topic and degree.

Pure data movement: rows come through the driver (like :mod:`app.services.scoring`), are
aggregated in SQL per ``(source, target, kind)`` and trimmed with numpy, so a graph of 20,000
people loads in a fraction of a second. :func:`network_data` returns plain dicts (the JSON of
``/w/<slug>/network.json``); :func:`export_graph` writes the same graph as GEXF or GraphML with
the attributes of :func:`graph.export.author_graph` (role, scores, community, first-seen time
and a ``start`` date on nodes and edges for Gephi's timeline).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.extensions import db
from app.ingest.record import normalize_topic
from app.models import INTERACTION_KINDS, CommunitySummary, ScoreSnapshot, Workspace
from app.params import ParamError, Params
from app.services.errors import ServiceError
from app.services.scoring import _epoch, _sql, latest_snapshot

SCORES = ("networker", "thought_leader", "trendsetter", "amplifier")
MAX_NODES = 20_000  # the default cap: what the page draws smoothly
HARD_MAX_NODES = 100_000  # what a request may ask for (a Gephi export of a big workspace)
EGO_MAX_NODES = 300  # the default cap of an ego network (a mini graph on the author page)
LEGEND_COMMUNITIES = 12  # communities named in the legend; the others share one colour
FORMATS = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml"}
_CHUNK = 500  # ids per IN (...) list


@dataclass
class NetworkFilters:
    """The network view's filters as they appear in the query string.

    ``kind`` may repeat (``?kind=reply&kind=repost``, as checkboxes submit it) or be
    comma-separated; none means every kind. ``since``/``until`` are dates in the workspace's
    time zone, both inclusive.
    """

    topic: str = ""
    since: str = ""
    until: str = ""
    kinds: tuple[str, ...] = INTERACTION_KINDS
    min_degree: int = 1
    max_nodes: int = MAX_NODES
    ego: int | None = None
    hops: int = 2
    errors: list[ParamError] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> NetworkFilters:
        """Read filters from a query-string mapping; bad values are dropped with an error."""
        params = Params(args)
        f = cls(topic=params.text("topic"), since=params.day("since"), until=params.day("until"))
        getlist = getattr(args, "getlist", None)
        raw = getlist("kind") if getlist else [args.get("kind") or ""]
        kinds = [k.strip().lower() for item in raw for k in item.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in INTERACTION_KINDS]
        if unknown:
            params.refuse(
                "kind", f"kind {', '.join(unknown)[:100]} is unknown: use {', '.join(INTERACTION_KINDS)}"
            )
        kinds = [k for k in INTERACTION_KINDS if k in kinds]
        f.kinds = tuple(kinds) or INTERACTION_KINDS
        f.ego = params.identifier("ego")
        f.hops = params.integer("hops", f.hops, 1, 2)
        f.min_degree = params.integer("min_degree", f.min_degree, 0, 10_000)
        f.max_nodes = params.integer(
            "max_nodes", EGO_MAX_NODES if f.ego else MAX_NODES, 1, HARD_MAX_NODES
        )
        f.errors = params.errors
        return f

    def query_args(self, **overrides) -> dict:
        """Return the non-default filters as query-string arguments, with ``overrides``."""
        values = {
            "topic": self.topic,
            "since": self.since,
            "until": self.until,
            "kind": list(self.kinds) if set(self.kinds) != set(INTERACTION_KINDS) else None,
            "min_degree": self.min_degree if self.min_degree != 1 else None,
            "max_nodes": self.max_nodes
            if self.max_nodes != (EGO_MAX_NODES if self.ego else MAX_NODES)
            else None,
            "ego": self.ego,
            "hops": self.hops if self.ego and self.hops != 2 else None,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in ("", None, [])}

    def describe(self) -> str:
        """Return the filters in words, for the list of exports ("the whole graph" if none), in
        the page's language."""
        from flask_babel import gettext as _

        from app.i18n import ngettext
        from app.labels import label

        parts = []
        if self.ego:
            parts.append(
                ngettext(
                    "%(num)s hop around author %(author)s",
                    "%(num)s hops around author %(author)s",
                    self.hops,
                    author=self.ego,
                )
            )
        if self.topic:
            parts.append(_("topic %(topic)s", topic=self.topic))
        if self.since or self.until:
            parts.append(
                _(
                    "%(start)s to %(end)s",
                    start=self.since or _("the start"),
                    end=self.until or _("today"),
                )
            )
        if set(self.kinds) != set(INTERACTION_KINDS):
            names = [label("ties", kind) for kind in self.kinds]
            parts.append(
                _("%(some)s and %(last)s", some=", ".join(names[:-1]), last=names[-1])
                if len(names) > 1
                else names[0]
            )
        if self.min_degree != 1:
            parts.append(
                ngettext("at least %(num)s partner", "at least %(num)s partners", self.min_degree)
            )
        if self.max_nodes != (EGO_MAX_NODES if self.ego else MAX_NODES):
            parts.append(ngettext("up to %(num)s person", "up to %(num)s people", self.max_nodes))
        return ", ".join(parts) or _("the whole graph")

    def as_kwargs(self) -> dict:
        """Return the filters as keyword arguments of :func:`network_data`."""
        return {
            "topic": self.topic or None,
            "since": self.since or None,
            "until": self.until or None,
            "kinds": self.kinds,
            "min_degree": self.min_degree,
            "max_nodes": self.max_nodes,
            "ego": self.ego,
            "hops": self.hops,
        }


def _bound(workspace: Workspace, day: str | date, end: bool, sqlite: bool):
    """Return the UTC moment a local day starts (or, with ``end``, the next day starts)."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    moment = datetime.combine(day, time.min, tzinfo=ZoneInfo(workspace.timezone or "UTC"))
    if end:
        moment += timedelta(days=1)
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return naive.isoformat(" ", timespec="microseconds") if sqlite else naive


def _day_formatter():
    """Return a function of Unix seconds -> UTC date ``YYYY-MM-DD``, cached per day."""
    cache: dict[int, str] = {}

    def day(seconds: float | None) -> str | None:
        if seconds is None:
            return None
        number = int(seconds // 86400)
        text = cache.get(number)
        if text is None:
            text = cache[number] = (date(1970, 1, 1) + timedelta(days=number)).isoformat()
        return text

    return day


def _iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return (
        datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def _topics(text: str) -> list[str]:
    """The stored topics a person means by ``text``: the brand term and the hashtag."""
    return sorted({text.strip().lower(), normalize_topic(text)} - {""})


def _fetch(conn: Connection, statement: str, params) -> list[tuple]:
    """Run ``statement`` (``?`` placeholders) on the session's DBAPI connection: plain tuples,
    a third faster than result rows for the 100,000 edges of a big view."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_sql(conn, statement), tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def _load_edges(
    conn: Connection,
    workspace: Workspace,
    *,
    topic: str | None,
    since,
    until,
    kinds: Iterable[str],
    touching: list[int] | None = None,
) -> list[tuple]:
    """Return ``(source, target, kind, count, first_at)`` rows: interactions aggregated per
    edge and kind, filtered; ``touching`` keeps the edges of these authors only."""
    sqlite = conn.dialect.name == "sqlite"
    where, params = ["i.workspace_id = ?"], [workspace.id]
    if since:
        where.append("i.at >= ?")
        params.append(_bound(workspace, since, False, sqlite))
    if until:
        where.append("i.at < ?")
        params.append(_bound(workspace, until, True, sqlite))
    kinds = [k for k in INTERACTION_KINDS if k in set(kinds)]
    if len(kinds) < len(INTERACTION_KINDS):
        where.append(f"i.kind IN ({', '.join('?' * len(kinds))})" if kinds else "1 = 0")
        params.extend(kinds)
    if topic:
        topics = _topics(topic)
        where.append(
            "i.mention_id IN (SELECT t.mention_id FROM mention_topics t WHERE t.workspace_id = ?"
            f" AND t.topic IN ({', '.join('?' * len(topics))}))"
        )
        params.extend([workspace.id, *topics])
    head = (
        f"SELECT i.source_author_id, i.target_author_id, i.kind, COUNT(*),"
        f" {_epoch(conn, 'MIN(i.at)')} FROM interactions i WHERE "
    )
    tail = " GROUP BY i.source_author_id, i.target_author_id, i.kind"
    if touching is None:
        return _fetch(conn, head + " AND ".join(where) + tail, params)
    rows: dict[tuple, tuple] = {}
    for start in range(0, len(touching), _CHUNK):
        chunk = touching[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        statement = head + " AND ".join(
            [*where, f"(i.source_author_id IN ({marks}) OR i.target_author_id IN ({marks}))"]
        )
        for row in _fetch(conn, statement + tail, (*params, *chunk, *chunk)):
            rows[row[:3]] = row
    return list(rows.values())


_NODE_COLUMNS = (
    "SELECT s.author_id, a.display_handle, a.platform, s.role, s.networker, s.thought_leader,"
    " s.trendsetter, s.amplifier, s.best_score, s.bot_score, s.community,"
    " COALESCE(s.followers, a.followers), {first}, a.name"
    " FROM author_scores s JOIN authors a ON a.id = s.author_id"
    " WHERE s.snapshot_id = ? AND s.workspace_id = ?"
)


def _load_nodes(
    conn: Connection, workspace: Workspace, snapshot: ScoreSnapshot, ids: list[int] | None = None
) -> dict[int, tuple]:
    """Return the snapshot's rows (joined with the authors) by author id; ``ids`` limits them."""
    statement = _NODE_COLUMNS.format(
        first=_epoch(conn, "COALESCE(s.first_seen_at, a.first_seen_at)")
    )
    params = (snapshot.id, workspace.id)
    if ids is None:
        return {row[0]: row for row in _fetch(conn, statement, params)}
    nodes = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        extra = f" AND s.author_id IN ({', '.join('?' * len(chunk))})"
        for row in _fetch(conn, statement + extra, (*params, *chunk)):
            nodes[row[0]] = row
    return nodes


def _node_dict(row: tuple, degree: int, first_tie: float | None = None) -> dict:
    (author_id, handle, platform, role, net, lead, trend, amp, best, bot, community,
     followers, first_seen, name) = row  # fmt: skip
    if first_tie is not None and (first_seen is None or first_tie < first_seen):
        first_seen = first_tie  # a node exists from its first tie on (Gephi's timeline)
    return {
        "id": author_id,
        "handle": handle,
        "name": name,
        "platform": platform,
        "role": role,
        "networker": round(net, 1),
        "thought_leader": round(lead, 1),
        "trendsetter": round(trend, 1),
        "amplifier": round(amp, 1),
        "best": round(best, 1),
        "bot_score": round(bot or 0.0, 3),
        "community": community,
        "followers": followers,
        "degree": degree,
        "first_seen": _iso(first_seen),
    }


def _degrees(edges: list[tuple]) -> dict[int, int]:
    """Return each author's number of distinct partners (either direction) over ``edges``."""
    import numpy as np

    if not edges:
        return {}
    source = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
    target = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
    low, high = np.minimum(source, target), np.maximum(source, target)
    pairs = np.unique(low * (int(high.max()) + 1) + high)  # (a, b) and (b, a): one partnership
    ends = np.concatenate([pairs // (int(high.max()) + 1), pairs % (int(high.max()) + 1)])
    ids, counts = np.unique(ends, return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def _ego_edges(conn, workspace, ego: int, hops: int, filters: dict) -> list[tuple]:
    """Return the filtered edges of ``ego`` and, with two hops, of its partners."""
    edges = _load_edges(conn, workspace, touching=[ego], **filters)
    if hops < 2:
        return edges
    partners = sorted({e[0] for e in edges} | {e[1] for e in edges} - {ego})
    return _load_edges(conn, workspace, touching=[ego, *partners], **filters) if partners else edges


def empty_network(snapshot: ScoreSnapshot | None = None) -> dict:
    """Return the shape of :func:`network_data` with no nodes."""
    return {
        "snapshot": _snapshot_dict(snapshot),
        "nodes": [],
        "edges": [],
        "communities": [],
        "counts": {"nodes": 0, "edges": 0, "shown_nodes": 0, "shown_edges": 0, "interactions": 0},
        "truncated": False,
        "dropped": 0,
    }


def _snapshot_dict(snapshot: ScoreSnapshot | None) -> dict | None:
    if snapshot is None:
        return None

    def stamp(moment):
        return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z" if moment else None

    return {
        "id": snapshot.id,
        "created_at": stamp(snapshot.created_at),
        "window_start": stamp(snapshot.window_start),
        "window_end": stamp(snapshot.window_end),
    }


def network_data(
    workspace: Workspace,
    *,
    topic: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    kinds: Iterable[str] = INTERACTION_KINDS,
    min_degree: int = 1,
    max_nodes: int = MAX_NODES,
    ego: int | None = None,
    hops: int = 2,
    snapshot: ScoreSnapshot | None = None,
) -> dict:
    """Return the author graph of the latest snapshot as plain dicts, filtered and capped.

    Nodes are the scored authors with at least ``min_degree`` distinct partners over the edges
    that pass the filters (the interactions between ``since`` and ``until``, local dates of the
    workspace, inclusive; of ``kinds``; in posts carrying ``topic``). When more than
    ``max_nodes`` remain, the best connected are kept: ``truncated`` is true and ``dropped``
    says how many were left out. Edges are one per ``(source, target, kind)`` with ``weight``
    (how many interactions) and ``first_day`` (the UTC date of the first). With ``ego`` (an author id) only that author's
    neighbourhood of ``hops`` (1 or 2) is returned, nearest first, with each node's ``hop``;
    degrees are then counted inside that neighbourhood.
    """
    kinds = tuple(kinds)
    unknown = set(kinds) - set(INTERACTION_KINDS)
    if unknown:
        raise ServiceError(f"unknown edge kinds: {', '.join(sorted(unknown))}")
    if hops not in (1, 2):
        raise ServiceError("hops must be 1 or 2")
    snapshot = snapshot or latest_snapshot(workspace)
    if snapshot is None:
        return empty_network()
    conn = db.session.connection()
    filters = {"topic": topic, "since": since, "until": until, "kinds": kinds}
    if ego is None:
        nodes = _load_nodes(conn, workspace, snapshot)
        edges = _load_edges(conn, workspace, **filters)
    else:
        edges = _ego_edges(conn, workspace, ego, hops, filters)
        ids = sorted({e[0] for e in edges} | {e[1] for e in edges} | {ego})
        nodes = _load_nodes(conn, workspace, snapshot, ids)
        if ego not in nodes:
            raise ServiceError("this author is not in the latest scores")
    edges = [e for e in edges if e[0] in nodes and e[1] in nodes and e[0] != e[1]]
    degree = _degrees(edges)
    first_tie: dict[int, float] = {}  # who was seen in an edge before any post of theirs
    for s, t, _, _, at in edges:
        for n in (s, t):
            if at is not None and (n not in first_tie or at < first_tie[n]):
                first_tie[n] = at

    keep = [n for n in nodes if degree.get(n, 0) >= min_degree or n == ego]
    if ego is not None:
        hop = {ego: 0}
        for s, t, *_ in edges:
            if ego in (s, t):
                hop.setdefault(t if s == ego else s, 1)
        order = sorted(keep, key=lambda n: (hop.get(n, 2), -degree.get(n, 0), -nodes[n][8], n))
    else:
        order = sorted(keep, key=lambda n: (-degree.get(n, 0), -nodes[n][8], n))
    total_nodes = len(order)
    shown = order[:max_nodes]
    shown_set = set(shown)
    kept_edges = [e for e in edges if e[0] in shown_set and e[1] in shown_set]
    out_nodes = []
    for n in shown:
        item = _node_dict(nodes[n], degree.get(n, 0), first_tie.get(n))
        if ego is not None:
            item["hop"] = hop.get(n, 2)
        out_nodes.append(item)
    day = _day_formatter()
    out_edges = [
        {"source": s, "target": t, "kind": kind, "weight": int(count), "first_day": day(first)}
        for s, t, kind, count, first in kept_edges
    ]
    total_edges = sum(1 for e in edges if degree.get(e[0], 0) >= min_degree
                      and degree.get(e[1], 0) >= min_degree)  # fmt: skip
    return {
        "snapshot": _snapshot_dict(snapshot),
        "nodes": out_nodes,
        "edges": out_edges,
        "communities": _communities(snapshot, out_nodes),
        "counts": {
            "nodes": total_nodes,
            "edges": total_edges,
            "shown_nodes": len(out_nodes),
            "shown_edges": len(out_edges),
            "interactions": sum(e["weight"] for e in out_edges),
        },
        "truncated": len(shown) < total_nodes,
        "dropped": total_nodes - len(shown),
    }


def _communities(snapshot: ScoreSnapshot, nodes: list[dict]) -> list[dict]:
    """Return the communities of ``nodes``, most present first, with their names (the legend
    colours the first :data:`LEGEND_COMMUNITIES`; the panel names any)."""
    present: dict[int, int] = {}
    for node in nodes:
        if node["community"] is not None and node["community"] >= 0:
            present[node["community"]] = present.get(node["community"], 0) + 1
    if not present:
        return []
    names = dict(
        db.session.execute(
            select(CommunitySummary.number, CommunitySummary.name).where(
                CommunitySummary.snapshot_id == snapshot.id
            )
        ).all()
    )
    order = sorted(present, key=lambda c: (-present[c], c))
    return [{"id": c, "name": names.get(c) or f"Community {c}", "shown": present[c]} for c in order]


def build_graph(data: dict):
    """Return a ``networkx.DiGraph`` of :func:`network_data`'s output with the attributes of
    :func:`graph.export.author_graph`: ``label``, ``role``, the four scores, ``bot_score``,
    ``community``, ``followers``, ``first_seen`` and ``start`` on nodes; ``weight``, a count
    per kind and ``start`` on edges (one edge per ordered pair)."""
    import networkx as nx

    G = nx.DiGraph()
    for node in data["nodes"]:
        attrs = {
            "label": node["handle"],
            "platform": node["platform"],
            "role": node["role"],
            "best": float(node["best"]),
            "bot_score": float(node["bot_score"]),
            "community": int(node["community"]),
            "followers": int(node["followers"] or 0),
            "degree": int(node["degree"]),
        }
        for name in SCORES:
            attrs[name] = float(node[name])
        if node["first_seen"]:
            attrs["first_seen"] = node["first_seen"]
            attrs["start"] = node["first_seen"][:10]
        G.add_node(str(node["id"]), **attrs)
    for edge in data["edges"]:
        u, v = str(edge["source"]), str(edge["target"])
        if not G.has_edge(u, v):
            G.add_edge(u, v, weight=0, **{k: 0 for k in INTERACTION_KINDS}, start=None)
        d = G[u][v]
        d["weight"] += edge["weight"]
        d[edge["kind"]] += edge["weight"]
        start = edge["first_day"]
        if start and (d["start"] is None or start < d["start"]):
            d["start"] = start
    for _, _, d in G.edges(data=True):
        if d["start"] is None:
            del d["start"]
    return G


def write_export(workspace: Workspace, fmt: str, data: dict, out: BinaryIO) -> None:
    """Write :func:`network_data`'s output to the binary file ``out`` as GEXF or GraphML.

    Seconds of work for a graph of 20,000 people: called by the background export job, and
    in a request only for small graphs (see :mod:`app.services.graph_exports`).
    """
    from graph.export import write_gexf, write_graphml

    if fmt not in FORMATS:
        raise ServiceError(f"the format must be one of {', '.join(FORMATS)}")
    G = build_graph(data)
    G.graph["name"] = f"{workspace.name} author graph"
    (write_gexf if fmt == "gexf" else write_graphml)(G, out)


def export_graph(workspace: Workspace, fmt: str = "gexf", **filters) -> bytes:
    """Return the filtered author graph as GEXF (dynamic, for Gephi's timeline) or GraphML."""
    if fmt not in FORMATS:
        raise ServiceError(f"the format must be one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    write_export(workspace, fmt, network_data(workspace, **filters), buffer)
    return buffer.getvalue()


def export_filename(
    workspace: Workspace, fmt: str, filters: NetworkFilters, day: date | None = None
) -> str:
    """Return a download name that says what the file holds: workspace, day made, topic, dates."""
    parts = [workspace.slug, "network", day.isoformat() if day else ""]
    if filters.topic:
        parts.append("".join(c for c in filters.topic if c.isalnum() or c in "-_")[:40])
    if filters.since or filters.until:
        parts.append(f"{filters.since or 'start'}_{filters.until or 'end'}")
    if filters.ego:
        parts.append(f"ego{filters.ego}")
    return "-".join(p for p in parts if p) + f".{fmt}"


def topic_choices(workspace: Workspace, limit: int = 300) -> list[str]:
    """Return the latest snapshot's ranked topics, most authors first (the topic filter's list)."""
    from sqlalchemy import func

    from app.models import AuthorTopicScore

    snapshot = latest_snapshot(workspace)
    if snapshot is None:
        return []
    return list(
        db.session.scalars(
            select(AuthorTopicScore.topic)
            .where(
                AuthorTopicScore.snapshot_id == snapshot.id,
                AuthorTopicScore.workspace_id == workspace.id,
            )
            .group_by(AuthorTopicScore.topic)
            .order_by(func.count().desc(), AuthorTopicScore.topic)
            .limit(limit)
        )
    )
