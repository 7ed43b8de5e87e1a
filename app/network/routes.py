"""Views of the author graph: the page, its data as JSON, and downloads for Gephi."""

import gzip
import json

from flask import Response, abort, current_app, render_template, request, url_for

from app.network import bp
from app.services import network as network_service
from app.services import scoring
from app.services.errors import ServiceError
from app.web import workspace_view

GZIP_MIN_BYTES = 100_000  # smaller answers are not worth compressing


@bp.get("/w/<slug>/network")
@workspace_view()
def index(access):
    filters = network_service.NetworkFilters.from_args(request.args)
    slug = access.workspace.slug
    influencers = "influencers.index" in current_app.view_functions
    return render_template(
        "network/index.html", access=access, filters=filters, kinds=network_service.INTERACTION_KINDS,
        snapshot=scoring.latest_snapshot(access.workspace),
        running=scoring.current_run(access.workspace),
        topics=network_service.topic_choices(access.workspace),
        influencers_url=url_for("influencers.index", slug=slug) if influencers else None,
        author_base=url_for("mentions.author", slug=slug, author_id=0)[:-1],
        export_url=lambda fmt: url_for(f"network.export_{fmt}", slug=slug, **filters.query_args()),
        data_url=url_for("network.data", slug=slug),
        color="community" if request.args.get("color") == "community" else "role",
    )  # fmt: skip


def _filters_or_400() -> network_service.NetworkFilters:
    filters = network_service.NetworkFilters.from_args(request.args)
    if filters.errors:
        abort(Response(json.dumps({"error": "bad filters", "errors": filters.errors}), 400,
                       mimetype="application/json"))  # fmt: skip
    return filters


@bp.get("/w/<slug>/network.json")
@workspace_view()
def data(access):
    filters = _filters_or_400()
    try:
        graph = network_service.network_data(access.workspace, **filters.as_kwargs())
    except ServiceError as error:
        return {"error": str(error)}, 404
    graph["filters"] = filters.query_args()
    body = json.dumps(graph, separators=(",", ":"), ensure_ascii=False).encode()
    response = Response(body, mimetype="application/json")
    response.vary.add("Accept-Encoding")
    if len(body) > GZIP_MIN_BYTES and "gzip" in request.headers.get("Accept-Encoding", ""):
        # 20,000 people are ~13 MB of JSON and ~2 MB gzipped, for 0.1 s of work
        response.set_data(gzip.compress(body, compresslevel=1))
        response.headers["Content-Encoding"] = "gzip"
    return response


def _download(access, fmt: str):
    filters = _filters_or_400()
    try:
        body = network_service.export_graph(access.workspace, fmt, **filters.as_kwargs())
    except ServiceError as error:
        abort(404, str(error))
    name = network_service.export_filename(access.workspace, fmt, filters)
    return Response(body, mimetype=network_service.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@bp.get("/w/<slug>/network.gexf")
@workspace_view()
def export_gexf(access):
    return _download(access, "gexf")


@bp.get("/w/<slug>/network.graphml")
@workspace_view()
def export_graphml(access):
    return _download(access, "graphml")
