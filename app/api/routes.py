"""JSON API views: thin wrappers over the services, every route scoped to a workspace."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, jsonify, request

from app.api import bp, error_response
from app.ingest.base import ParseWarning, reason_of
from app.ingest.generic import JSONL, record_from_fields
from app.ingest.jsonparse import loads
from app.ingest.record import RowError
from app.params import ParamError, Params
from app.services import ingest as ingest_service
from app.services import mentions as mention_service
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import ServiceError

MAX_RECORDS = 10_000
MAX_PER_PAGE = 1000


def token_required(minimum_role: str = "viewer"):
    """Decorate an API view taking ``slug``: a valid token, membership (else 404) and the role."""

    def decorator(view):
        @wraps(view)
        def wrapper(slug: str, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            user = (
                user_service.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
            )
            if user is None:
                return error_response(401, "unauthorized", "send 'Authorization: Bearer <token>' "
                                      "with a token from your account page")  # fmt: skip
            access = workspace_service.access_for(user, slug)
            if access is None:
                abort(404)
            if not access.allows(minimum_role):
                abort(403, f"your role ({access.role}) does not allow this")
            g.api_user, g.access = user, access
            return view(access=access, **kwargs)

        return wrapper

    return decorator


def _items_from_body() -> list:
    """Return the posted MentionRecord objects: a JSON array, {"mentions": [...]}, or JSON Lines."""
    body = request.get_data(as_text=True)
    if not body.strip():
        abort(400, "the body is empty: send a JSON array of MentionRecord objects")
    content_type = request.mimetype or ""
    if content_type in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        items = []
        for number, line in enumerate(body.splitlines(), start=1):
            if line.strip():
                try:
                    items.append(loads(line))
                except ValueError as error:
                    items.append(RowError(number, f"not valid JSON: {error}"))
        return items
    try:
        data = loads(body)
    except ValueError as error:
        abort(400, f"the body is not valid JSON: {error}")
    if isinstance(data, dict) and isinstance(data.get("mentions"), list):
        data = data["mentions"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        abort(400, 'expected a JSON array of MentionRecord objects or {"mentions": [...]}')
    return data


def _records(items: list):
    left_out: list[str] = []
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        if isinstance(item, RowError):
            yield item, "request"
        elif not isinstance(item, dict):
            yield RowError(number, f"{where}: expected a JSON object"), "request"
        else:
            try:
                yield record_from_fields(item.get, left_out), "request"
            except Exception as error:  # a bad value costs its row
                left_out.clear()
                yield RowError(number, f"{where}: {reason_of(error)}"), "request"
            if left_out:
                shown = ", ".join(repr(tag[:40]) for tag in left_out[:5])
                yield (
                    ParseWarning(f"{where}: tag(s) {shown} left out: a tag must be a word"),
                    "request",
                )
                left_out.clear()


@bp.post("/workspaces/<slug>/mentions")
@token_required("agent")
def import_mentions(access):
    """Import MentionRecords posted as JSON; answer with the import result."""
    items = _items_from_body()
    if len(items) > MAX_RECORDS:
        abort(413, f"at most {MAX_RECORDS} mentions per request; this one has {len(items)}")
    run = ingest_service.start_run(access.workspace, "api", ["request"], g.api_user)
    try:
        result = ingest_service.import_records(access.workspace, _records(items), run=run)
    except Exception as error:  # the run must not stay "running"; the 500 handler answers
        ingest_service.fail_run(run, error)
        raise
    ingest_service.finish_run(run, result)
    if result.imported:
        from app.sentiment import services as sentiment
        from app.services import jobs, scoring, search_index

        search_index.queue_catch_up()
        if sentiment.active_model(access.workspace) is not None:
            # jobs run in order: the learned model labels the new posts before they are scored
            jobs.submit("app.sentiment.services.label_new_job", access.workspace.id)
        scoring.queue_scoring(access.workspace, trigger="import")
    result.formats = {"request": JSONL.name}
    status = 201 if result.imported else 200
    return jsonify(result.as_json() | {"import_id": run.id}), status


@bp.get("/workspaces/<slug>/mentions")
@token_required()
def list_mentions(access):
    """List mentions with the same filters as the mentions page (``page`` for paging)."""
    filters = mention_service.MentionFilters.from_args(request.args)
    per_page = _per_page(filters.errors)
    page = mention_service.list_mentions(access.workspace, filters, per_page=per_page)
    return jsonify(
        total=page.total, page=page.page, pages=page.pages,
        mentions=[mention_json(m) for m in page.items],
    )  # fmt: skip


def mention_json(mention) -> dict:
    """Return a mention as the API shows it."""
    return {
        "id": mention.id,
        "platform": mention.platform,
        "external_id": mention.external_id,
        "author": mention.author.display_handle,
        "created_at": mention.created_at.isoformat(),
        "kind": mention.kind,
        "text": mention.text,
        "url": mention.url,
        "lang": mention.lang,
        "sentiment": mention.sentiment,
        "sentiment_score": mention.sentiment_score,
        "sentiment_source": mention.sentiment_source,
        "topics": [topic.topic for topic in mention.topics],
        "likes": mention.likes,
        "reposts": mention.reposts,
        "replies": mention.replies,
        "views": mention.views,
    }


def _per_page(errors: list[ParamError]) -> int:
    """Return ``per_page`` (1-1,000, default 100); answer 400 if it or another parameter
    was refused."""
    params = Params(request.args)
    per_page = params.integer("per_page", 100, 1, MAX_PER_PAGE)
    errors = errors + params.errors
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
    return per_page


@bp.get("/workspaces/<slug>/authors")
@token_required()
def list_authors(access):
    """List scored authors with the influencer list's filters and sort (``page``, ``per_page``)."""
    from app.services import influencers

    filters, errors = influencers.InfluencerFilters.from_args(request.args)
    per_page = _per_page(errors)
    page = influencers.list_influencers(access.workspace, filters, per_page=per_page)
    snapshot = influencers.latest_snapshot(access.workspace)
    return jsonify(
        snapshot=snapshot.id if snapshot else None,
        total=page.total, page=page.page, pages=page.pages,
        authors=[influencers.row_json(row) for row in page.items],
    )  # fmt: skip


@bp.post("/workspaces/<slug>/scores")
@token_required("agent")
def recompute_scores(access):
    """Start scoring the workspace in the background; answer with the run to poll."""
    from app.services import scoring

    snapshot = scoring.queue_scoring(access.workspace, trigger="api")
    return jsonify(snapshot=snapshot.id, status=snapshot.status), 202


@bp.post("/workspaces/<slug>/mentions/labels")
@token_required("agent")
def label_mentions(access):
    """Record sentiments posted as CSV or JSON (``platform,id,sentiment``) as corrections."""
    from app.sentiment import services as sentiment

    body = request.get_data(as_text=True)
    if not body.strip():
        return error_response(400, "empty", "send labels as CSV (platform,id,sentiment) or JSON")
    try:
        result = sentiment.apply_labels(access.workspace, sentiment.read_labels(body, "request"))
    except ServiceError as error:
        return error_response(400, "bad_labels", str(error), field=getattr(error, "field", None))
    return jsonify(result.as_json()), 200
