"""The advocacy endpoints of the JSON API (token auth, errors and bounded parameters as the
rest of ``/api/v1``): figures, authors by class, advocates to recruit, detractors to win
back, share of voice, and crisis alerts with their acknowledgement."""

from __future__ import annotations

from flask import abort, g, jsonify, request

from app.advocacy.routes import scope_from_args
from app.advocacy.services import alerts as alert_service
from app.advocacy.services import figures
from app.api import bp, error_response
from app.api.routes import token_required
from app.params import MAX_PAGE, Params
from app.services.errors import NotFound

GROUPS = ("week", "month", "platform", "topic")


def _refuse_bad(errors) -> None:
    """Answer 400 ``bad_parameter`` naming the refused parameters, if any."""
    if errors:
        abort(
            error_response(
                400,
                "bad_parameter",
                "; ".join(map(str, errors)),
                parameter=errors[0].parameter,
                parameters=[e.as_json() for e in errors],
            )  # fmt: skip
        )


def _scope():
    scope, errors = scope_from_args(g.access.workspace, request.args)
    params = Params(request.args)
    return scope, errors, params


@bp.get("/workspaces/<slug>/advocacy")
@token_required()
def advocacy(access):
    """The period's promoters, passives, detractors, score (plain and reach-weighted) and net
    sentiment; ``by=week|month|platform|topic`` adds ``groups``, the same per group."""
    scope, errors, params = _scope()
    by = params.choice("by", GROUPS)
    _refuse_bad(errors + params.errors)
    workspace = access.workspace
    body = figures.summary(workspace, scope) | {"period": scope.as_json()}
    if by in ("week", "month"):
        body["groups"] = figures.series(workspace, scope, by)
    elif by == "platform":
        body["groups"] = figures.by_platform(workspace, scope)
    elif by == "topic":
        body["groups"] = figures.by_topic(workspace, scope)
    return jsonify(body)


@bp.get("/workspaces/<slug>/advocacy/authors")
@token_required()
def advocacy_authors(access):
    """The period's authors of one class (``class=promoter|passive|detractor``), most mentions
    counted first, with ``net`` and their counts; ``page`` and ``per_page`` (1-1,000)."""
    scope, errors, params = _scope()
    cls = params.choice("class", figures.CLASSES, "promoter")
    page = params.integer("page", 1, 1, MAX_PAGE)
    per_page = params.integer("per_page", 100, 1, 1000)
    _refuse_bad(errors + params.errors)
    total, people = figures.authors(access.workspace, scope, cls, page=page, per_page=per_page)
    return jsonify({"period": scope.as_json(), "class": cls, "total": total, "page": page,
                    "authors": people})  # fmt: skip


@bp.get("/workspaces/<slug>/advocates")
@token_required()
def advocates(access):
    """Advocates to recruit over the period, best role score first, with their posts."""
    scope, errors, params = _scope()
    limit = params.integer("limit", 50, 1, 500)
    _refuse_bad(errors + params.errors)
    total, people = figures.advocates(access.workspace, scope, limit=limit)
    return jsonify(period=scope.as_json(), total=total, advocates=people)


@bp.get("/workspaces/<slug>/advocacy/detractors")
@token_required()
def detractors(access):
    """Detractors to win back over the period, best role score first, with their posts."""
    scope, errors, params = _scope()
    limit = params.integer("limit", 50, 1, 500)
    _refuse_bad(errors + params.errors)
    total, people = figures.detractors_to_win_back(access.workspace, scope, limit=limit)
    return jsonify(period=scope.as_json(), total=total, detractors=people)


@bp.get("/workspaces/<slug>/advocacy/share-of-voice")
@token_required()
def share_of_voice(access):
    """Share of voice by week (``weeks`` is null when the workspace tracks no competitor)."""
    scope, errors, _ = _scope()
    _refuse_bad(errors)
    voice = figures.share_of_voice(access.workspace, scope.period)
    return jsonify(period=scope.period.as_json(), competitors=voice and voice["competitors"],
                   weeks=voice and voice["weeks"])  # fmt: skip


@bp.get("/workspaces/<slug>/alerts")
@token_required()
def alerts(access):
    """Crisis alerts, newest first: ``status=open`` (default: not acknowledged) or ``all``."""
    params = Params(request.args)
    status = params.choice("status", ("open", "all"), "open")
    limit = params.integer("limit", 100, 1, 1000)
    _refuse_bad(params.errors)
    found = alert_service.list_alerts(access.workspace, status, limit)
    return jsonify(alerts=[alert_service.alert_json(access.workspace, a) for a in found])


@bp.post("/workspaces/<slug>/alerts/<int:alert_id>/ack")
@token_required("agent")
def acknowledge(access, alert_id: int):
    """Acknowledge an alert (it leaves the open alerts); answer with the alert."""
    try:
        alert = alert_service.acknowledge(access.workspace, alert_id, g.api_user)
    except NotFound as error:
        return error_response(404, "not_found", str(error))
    return jsonify(alert_service.alert_json(access.workspace, alert))
