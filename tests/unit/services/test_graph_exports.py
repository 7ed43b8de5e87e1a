"""Network exports prepared in the background: the file, its attributes, pruning, failures."""

from datetime import timedelta

import networkx as nx
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import GraphExport
from app.services import graph_exports, ingest, scoring
from app.services.errors import ServiceError
from app.services.job_records import STALE_GRACE
from app.services.network import NetworkFilters
from factories import make_user, make_workspace, mention, write_csv


def rows() -> list[dict]:
    """A hub who answers a dozen fans, and a reposter: roles, communities and a timeline."""
    out = []
    for i in range(12):
        day = f"2026-11-{1 + i % 5:02d}T{10 + i % 8:02d}:00:00Z"
        out.append(mention(f"h{i}", f"fan{i}", "@hub thanks! #delivery", created_at=day))
        out.append(mention(f"r{i}", "hub", f"@fan{i} you are welcome", created_at=day,
                           reply_to_id=f"h{i}", reply_to_author=f"fan{i}"))  # fmt: skip
    for i in range(6):
        out.append(mention(f"rp{i}", "echo", f"RT @fan{i}: thanks", created_at="2026-11-06T12:00:00Z",
                           repost_of_id=f"h{i}", repost_of_author=f"fan{i}"))  # fmt: skip
    return out


@pytest.fixture
def owner(app):
    return make_user()


@pytest.fixture
def workspace(app, owner, tmp_path):
    workspace = make_workspace("acme", owner=owner)
    ingest.import_files(workspace, [write_csv(tmp_path / "m.csv", rows())])
    scoring.compute(workspace)
    return workspace


def read(path, fmt):
    return nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_job_writes_the_graph_with_its_attributes(workspace, owner, fmt):
    export = graph_exports.start_export(workspace, owner, fmt, NetworkFilters())
    assert export.status == "done", export.message  # JOBS_INLINE: the job ran at once
    path = graph_exports.export_file(export)
    assert path.parent == graph_exports.export_folder(workspace.id)
    assert path.name == f"{export.id}.{fmt}" and export.file_size == path.stat().st_size
    assert not list(path.parent.glob("*.part"))  # the temporary file was renamed
    G = read(path, fmt)
    assert G.number_of_nodes() == export.node_count == 14  # hub, echo and twelve fans
    assert G.number_of_edges() == export.edge_count
    labels = {data["label"]: node for node, data in G.nodes(data=True)}
    hub = G.nodes[labels["hub"]]
    for name in ("role", "networker", "thought_leader", "trendsetter", "amplifier", "community",
                 "followers", "first_seen"):  # fmt: skip
        assert name in hub, name
    assert hub["first_seen"].startswith("2026-11-01")
    if fmt == "gexf":
        assert G.graph["mode"] == "dynamic"  # Gephi's timeline
    else:
        assert hub["start"] == "2026-11-01"
    edge = G.edges[labels["hub"], labels["fan0"]]
    assert int(edge["weight"]) == 1 and int(edge["reply"]) == 1
    assert export.finished_at is not None and export.filters == {}


def test_filters_are_kept_and_name_the_download(workspace, owner):
    filters = NetworkFilters.from_args({"kind": "repost", "since": "2026-11-02"})
    export = graph_exports.start_export(workspace, owner, "graphml", filters)
    assert export.filters == {"kind": ["repost"], "since": "2026-11-02"}
    again = graph_exports.export_filters(export)
    assert again.kinds == ("repost",) and again.since == "2026-11-02"
    labels = sorted(
        d["label"] for _, d in read(graph_exports.export_file(export), "graphml").nodes(data=True)
    )
    assert labels == ["echo", "fan0", "fan1", "fan2", "fan3", "fan4", "fan5"]
    day = export.created_at.date().isoformat()
    assert (
        graph_exports.download_name(workspace, export)
        == f"acme-network-{day}-2026-11-02_end.graphml"
    )


def test_only_the_newest_exports_are_kept(workspace, owner):
    made = [
        graph_exports.start_export(workspace, owner, "gexf", NetworkFilters(min_degree=n))
        for n in range(graph_exports.KEEP_EXPORTS + 2)
    ]
    folder = graph_exports.export_folder(workspace.id)
    kept = db.session.scalars(select(GraphExport.id).order_by(GraphExport.id)).all()
    assert kept == [e.id for e in made[-graph_exports.KEEP_EXPORTS :]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i}.gexf" for i in kept)


def test_a_failure_is_stored_with_a_plain_message(workspace, owner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("app.services.network.write_export", broken)
    export = graph_exports.start_export(workspace, owner, "gexf", NetworkFilters())
    assert export.status == "failed" and export.finished_at is not None
    assert "internal error" in export.message and "secret" not in export.message
    assert not list(graph_exports.export_folder(workspace.id).glob("*"))  # no half-written file
    with pytest.raises(ServiceError, match="not ready"):
        graph_exports.export_file(export)


def test_an_unknown_author_fails_with_the_reason(workspace, owner):
    export = graph_exports.start_export(workspace, owner, "gexf", NetworkFilters(ego=999_999))
    assert export.status == "failed"
    assert export.message == "this author is not in the latest scores"


def test_bad_requests_are_refused(workspace, owner):
    with pytest.raises(ServiceError, match="format"):
        graph_exports.start_export(workspace, owner, "pdf", NetworkFilters())
    with pytest.raises(ServiceError, match="not a date"):
        graph_exports.start_export(
            workspace, owner, "gexf", NetworkFilters.from_args({"since": "x"})
        )
    assert db.session.scalar(select(func.count()).select_from(GraphExport)) == 0


def test_a_pending_export_is_reused_and_a_dead_one_expires(workspace, owner, app, monkeypatch):
    monkeypatch.setattr("app.services.jobs.submit", lambda *args, **kwargs: None)  # nobody runs the job
    first = graph_exports.start_export(workspace, owner, "gexf", NetworkFilters())
    assert first.status == "queued"
    assert graph_exports.start_export(workspace, owner, "gexf", NetworkFilters()) is first
    for n in range(2, graph_exports.MAX_BUSY + 1):
        graph_exports.start_export(workspace, owner, "gexf", NetworkFilters(min_degree=n))
    with pytest.raises(ServiceError, match="already being prepared"):
        graph_exports.start_export(workspace, owner, "graphml", NetworkFilters())
    first.created_at -= timedelta(seconds=app.config["JOB_TIME_LIMIT"]) + STALE_GRACE
    db.session.commit()
    assert graph_exports.get_export(workspace, first.id).status == "failed"
    assert "did not finish" in first.message and "Start the export again" in first.message


def test_small_views_are_written_at_once_and_big_ones_are_not(workspace, monkeypatch):
    body = graph_exports.small_export(workspace, "gexf", NetworkFilters())
    assert body.startswith(b"<?xml") and b"hub" in body
    monkeypatch.setattr(graph_exports, "SYNC_MAX_NODES", 5)
    assert graph_exports.small_export(workspace, "gexf", NetworkFilters()) is None
