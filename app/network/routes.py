"""Views of the author graph: the page, its data as JSON, and downloads for Gephi.

Downloads are prepared by a background job (:mod:`app.services.graph_exports`): the page's
buttons POST to start one, an htmx-polled fragment shows its progress and then the link.
"""

import gzip
import json
from urllib.parse import parse_qsl, urlencode

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.network import bp
from app.network.forms import ExportForm
from app.params import Params
from app.services import graph_exports, scoring
from app.services import network as network_service
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
        export_form=ExportForm(view=_view_string(filters)),
        exports_url=url_for("network.exports", slug=slug, **filters.query_args()),
        data_url=url_for("network.data", slug=slug),
        color="community" if request.args.get("color") == "community" else "role",
    )  # fmt: skip


def _filters_or_400() -> network_service.NetworkFilters:
    filters = network_service.NetworkFilters.from_args(request.args)
    if filters.errors:
        abort(Response(json.dumps({"error": "bad filters", "errors": [str(e) for e in filters.errors]}), 400,
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


def _view_string(filters: network_service.NetworkFilters) -> str:
    """Return the filters as the query string an export form carries in ``view``."""
    return urlencode(filters.query_args(), doseq=True)


def _download(access, fmt: str):
    filters = _filters_or_400()
    try:
        body = graph_exports.small_export(access.workspace, fmt, filters)
    except ServiceError as error:
        abort(404, str(error))
    if body is None:  # too big to write in a request: offer the background export
        flash(
            _(
                "This view is too big to download at once: prepare the file below, "
                "the page tells you when it is ready."
            ),
            "info",
        )
        slug = access.workspace.slug
        return redirect(url_for("network.exports", slug=slug, format=fmt, **filters.query_args()))
    name = network_service.export_filename(access.workspace, fmt, filters)
    return Response(body, mimetype=network_service.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@bp.get("/w/<slug>/network.gexf")
@workspace_view()
def export_gexf(access):
    """The view as GEXF at once when small (scripts, bookmarks); else a redirect to the
    exports page, which prepares it in the background. Loading the view costs what
    ``network.json`` costs; writing, the slow part, happens here only for small graphs
    (:data:`~app.services.graph_exports.SYNC_MAX_NODES`)."""
    return _download(access, "gexf")


@bp.get("/w/<slug>/network.graphml")
@workspace_view()
def export_graphml(access):
    """The view as GraphML: at once when small, else via the exports page (as GEXF above)."""
    return _download(access, "graphml")


@bp.get("/w/<slug>/network/exports")
@workspace_view()
def exports(access):
    """The recent exports and a form to prepare the view in the query string."""
    filters = network_service.NetworkFilters.from_args(request.args)
    return render_template(
        "network/exports.html", access=access, filters=filters,
        exports=graph_exports.recent_exports(access.workspace),
        form=ExportForm(view=_view_string(filters)),
        chosen=Params(request.args).choice("format", network_service.FORMATS, "gexf"),
        describe=lambda export: graph_exports.export_filters(export).describe(),
        keep=graph_exports.KEEP_EXPORTS,
        network_url=url_for("network.index", slug=access.workspace.slug, **filters.query_args()),
    )  # fmt: skip


@bp.post("/w/<slug>/network/exports")
@workspace_view()
def start_export(access):
    """Queue an export (viewers may: it only reads). htmx gets the status fragment to swap
    in; a plain form post is sent to the export's own page, which refreshes itself."""
    form = ExportForm()
    args = MultiDict(parse_qsl(form.view.data or "", keep_blank_values=False))
    filters = network_service.NetworkFilters.from_args(args)
    slug = access.workspace.slug
    try:
        if not form.validate_on_submit():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            raise ServiceError("; ".join(errors) or _("the form expired: reload the page"))
        export = graph_exports.start_export(
            access.workspace, current_user, form.format.data, filters
        )
    except ServiceError as error:
        if request.headers.get("HX-Request"):
            return render_template("network/_export_error.html", message=str(error))
        flash(_("The export did not start: %(reason)s.", reason=error), "error")
        return redirect(url_for("network.exports", slug=slug, **filters.query_args()))
    if request.headers.get("HX-Request"):
        return _status_fragment(access, export)
    return redirect(url_for("network.export_page", slug=slug, export_id=export.id), code=303)


def _export_or_404(access, export_id: int):
    export = graph_exports.get_export(access.workspace, export_id)
    if export is None:
        abort(404)
    return export


def _status_fragment(access, export):
    return render_template(
        "network/_export_status.html", access=access, export=export,
        filters=graph_exports.export_filters(export),
    )  # fmt: skip


@bp.get("/w/<slug>/network/exports/<int:export_id>")
@workspace_view()
def export_page(access, export_id: int):
    """One export's page: it refreshes itself while the file is prepared (without JavaScript
    too), then links the download."""
    export = _export_or_404(access, export_id)
    filters = graph_exports.export_filters(export)
    return render_template(
        "network/export.html", access=access, export=export, filters=filters,
        network_url=url_for("network.index", slug=access.workspace.slug, **filters.query_args()),
    )  # fmt: skip


@bp.get("/w/<slug>/network/exports/<int:export_id>/status")
@workspace_view()
def export_status(access, export_id: int):
    """The progress fragment htmx polls while an export is prepared."""
    return _status_fragment(access, _export_or_404(access, export_id))


@bp.get("/w/<slug>/network/exports/<int:export_id>/download")
@workspace_view()
def download_export(access, export_id: int):
    """Stream a finished export's file; an unfinished or failed one sends you to its page,
    one whose file was deleted (only the newest are kept) to the exports page."""
    export = _export_or_404(access, export_id)
    if export.status != "done":
        return redirect(
            url_for("network.export_page", slug=access.workspace.slug, export_id=export.id)
        )
    try:
        path = graph_exports.export_file(export)
    except ServiceError as error:  # the file was pruned: offer the same view again
        flash(f"{str(error)[:1].upper()}{str(error)[1:]}.", "error")
        args = graph_exports.export_filters(export).query_args(format=export.format)
        return redirect(url_for("network.exports", slug=access.workspace.slug, **args))
    return send_file(
        path, mimetype=network_service.FORMATS[export.format], as_attachment=True,
        download_name=graph_exports.download_name(access.workspace, export), max_age=0,
    )  # fmt: skip
