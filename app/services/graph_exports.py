"""GEXF/GraphML exports of the network view, prepared by a background job.

Writing the graph of 20,000 people takes 6–10 s (``bench/RESULTS.md``), too long for a request.
:func:`start_export` records a :class:`~app.models.GraphExport` and queues :func:`run_export`,
which writes ``<exports folder>/<workspace id>/<export id>.<ext>`` under a temporary name and
renames it when complete, so a half-written file is never served. Only the newest
:data:`KEEP_EXPORTS` finished exports of a workspace are kept, rows and files alike.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import GraphExport, User, Workspace, utcnow
from app.services import job_records, network
from app.services.errors import ServiceError

log = logging.getLogger(__name__)

KEEP_EXPORTS = 5  # finished exports kept per workspace; older files and rows are deleted
MAX_BUSY = 3  # exports a workspace may have waiting or running at once
SYNC_MAX_NODES = 2_000  # a graph this small is written inside a request (well under 0.5 s)
SYNC_MAX_EDGES = 10_000
PART_SUFFIX = ".part"


def export_folder(workspace_id: int) -> Path:
    """Return the folder holding a workspace's export files (not created here)."""
    root = current_app.config.get("EXPORT_FOLDER") or os.path.join(
        current_app.instance_path, "exports"
    )
    return Path(root) / str(workspace_id)


def export_filters(export: GraphExport) -> network.NetworkFilters:
    """Return the network filters an export was started with."""
    items = [
        (key, str(item))
        for key, value in (export.filters or {}).items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return network.NetworkFilters.from_args(MultiDict(items))


def start_export(
    workspace: Workspace, user: User | None, fmt: str, filters: network.NetworkFilters
) -> GraphExport:
    """Queue an export of the network view with ``filters`` as ``fmt``; return its record.

    The same export already waiting or running is returned instead of starting another.
    """
    if fmt not in network.FORMATS:
        raise ServiceError(f"the format must be one of {', '.join(network.FORMATS)}")
    if filters.errors:
        raise ServiceError("; ".join(map(str, filters.errors)))
    from app.services import jobs

    job_records.close_stale("export", workspace.id)
    wanted = filters.query_args()
    busy = list(
        db.session.scalars(
            select(GraphExport)
            .where(
                GraphExport.workspace_id == workspace.id,
                GraphExport.status.in_(("queued", "running")),
            )
            .order_by(GraphExport.id.desc())
        )
    )
    for export in busy:
        if export.format == fmt and export.filters == wanted:
            return export
    if len(busy) >= MAX_BUSY:
        raise ServiceError(
            f"{len(busy)} exports are already being prepared for this workspace: "
            "wait for one to finish, then start this one"
        )
    export = GraphExport(
        workspace_id=workspace.id,
        user_id=user.id if user is not None else None,
        format=fmt,
        filters=wanted,
        status="queued",
    )
    db.session.add(export)
    db.session.commit()
    jobs.submit("app.services.graph_exports.run_export", export.id, record=export)
    return export


def _set(export: GraphExport, **values) -> None:
    for name, value in values.items():
        setattr(export, name, value)
    db.session.commit()


def run_export(export_id: int) -> None:
    """Background job: write the queued export's file; a failure is stored on it, not raised."""
    export = db.session.get(GraphExport, export_id)
    if export is None or export.status != "queued":
        return
    workspace = db.session.get(Workspace, export.workspace_id)
    folder = export_folder(workspace.id)
    name = f"{export.id}.{export.format}"
    part = folder / (name + PART_SUFFIX)
    try:
        _set(export, status="running", phase="loading the graph", progress=0.1)
        filters = export_filters(export)
        data = network.network_data(workspace, **filters.as_kwargs())
        _set(
            export,
            phase="writing the file",
            progress=0.4,
            node_count=len(data["nodes"]),
            edge_count=len(data["edges"]),
        )
        folder.mkdir(parents=True, exist_ok=True)
        with open(part, "wb") as out:
            network.write_export(workspace, export.format, data, out)
        del data
        os.replace(part, folder / name)  # atomic: the download sees all of the file or none
        _set(
            export,
            status="done",
            phase=None,
            progress=1.0,
            file_name=name,
            file_size=(folder / name).stat().st_size,
            finished_at=utcnow(),
        )
    except Exception as error:  # shown on the page; the trace goes to the log
        db.session.rollback()
        part.unlink(missing_ok=True)
        if isinstance(error, ServiceError):
            message = str(error)
        elif isinstance(error, OSError):
            log.exception("graph export %s could not be written", export_id)
            message = (
                f"the file could not be written ({error.strerror or 'disk error'}): try again later"
            )
        else:
            log.exception("graph export %s failed", export_id)
            message = job_records.internal_error("export", type(error).__name__)
        export = db.session.get(GraphExport, export_id)
        _set(export, status="failed", phase=None, message=message, finished_at=utcnow())
    prune(workspace.id)


def prune(workspace_id: int, keep: int = KEEP_EXPORTS) -> None:
    """Delete all but the newest ``keep`` finished exports of a workspace, rows and files."""
    finished = list(
        db.session.scalars(
            select(GraphExport)
            .where(
                GraphExport.workspace_id == workspace_id,
                GraphExport.status.in_(("done", "failed")),
            )
            .order_by(GraphExport.id.desc())
        )
    )
    for export in finished[keep:]:
        db.session.delete(export)
    db.session.commit()
    folder = export_folder(workspace_id)
    if not folder.is_dir():
        return
    kept = {
        str(i)
        for i in db.session.scalars(
            select(GraphExport.id).where(GraphExport.workspace_id == workspace_id)
        )
    }
    for path in folder.iterdir():
        # "<id>.<ext>" or "<id>.<ext>.part": a file of no remaining row is an old one
        if path.name.split(".", 1)[0] not in kept:
            path.unlink(missing_ok=True)


def get_export(workspace: Workspace, export_id: int) -> GraphExport | None:
    """Return the workspace's export with this id, or ``None``."""
    job_records.close_stale("export", workspace.id)
    return db.session.scalar(
        select(GraphExport).where(
            GraphExport.id == export_id, GraphExport.workspace_id == workspace.id
        )
    )


def recent_exports(workspace: Workspace, limit: int = KEEP_EXPORTS + MAX_BUSY) -> list[GraphExport]:
    """Return the workspace's exports, newest first (at most the ones kept)."""
    job_records.close_stale("export", workspace.id)
    return list(
        db.session.scalars(
            select(GraphExport)
            .where(GraphExport.workspace_id == workspace.id)
            .order_by(GraphExport.id.desc())
            .limit(limit)
        )
    )


def export_file(export: GraphExport) -> Path:
    """Return the finished file of an export; ``ServiceError`` if it is not there (any more)."""
    if export.status != "done" or not export.file_name:
        raise ServiceError(_("this export is not ready yet"))
    path = export_folder(export.workspace_id) / export.file_name
    if not path.is_file():
        raise ServiceError(_("this export's file is no longer kept: start a new export"))
    return path


def download_name(workspace: Workspace, export: GraphExport) -> str:
    """Return the file name a download gets: workspace, the day it was made, its filters."""
    day = export.created_at.astimezone(ZoneInfo(workspace.timezone or "UTC")).date()
    return network.export_filename(workspace, export.format, export_filters(export), day=day)


def small_export(workspace: Workspace, fmt: str, filters: network.NetworkFilters) -> bytes | None:
    """Return the file of a small view at once, or ``None`` when it needs a background export.

    Loading the view costs what ``network.json`` costs (under a second for 20,000 people);
    writing is the slow part, so it is done here only up to :data:`SYNC_MAX_NODES` people and
    :data:`SYNC_MAX_EDGES` ties.
    """
    import io

    if fmt not in network.FORMATS:
        raise ServiceError(f"the format must be one of {', '.join(network.FORMATS)}")
    data = network.network_data(workspace, **filters.as_kwargs())
    if len(data["nodes"]) > SYNC_MAX_NODES or len(data["edges"]) > SYNC_MAX_EDGES:
        return None
    buffer = io.BytesIO()
    network.write_export(workspace, fmt, data, buffer)
    return buffer.getvalue()
