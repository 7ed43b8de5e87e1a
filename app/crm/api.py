"""The relationship manager's JSON API under ``/api/v1/workspaces/<slug>/`` (token auth).

Lists answer ``{"items", "page", "per_page", "total"}``; errors answer
``{"error": {"code", "message", "field"}}`` with 400 (a bad parameter or body), 403 (the role
does not allow it), 404, 409 (changed by someone else meanwhile: reload and retry) or 422 (a
value that cannot be stored). The document of it all is ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.crm import models as m
from app.crm.errors import Conflict
from app.crm.services import audit, campaigns, people, tasks, templates, timeline, touches
from app.crm.services import values as v
from app.extensions import db
from app.params import MAX_PAGE, Params
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import FieldError, Forbidden, NotFound, ServiceError

bp = Blueprint("crm_api", __name__, url_prefix="/api/v1/workspaces/<slug>")
MAX_PER_PAGE = 100


class ApiError(Exception):
    """An answer other than success: HTTP status, code, message and the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_json(status: int, code: str, message: str, field: str | None = None):
    """Return the API's answer for an error."""
    response = jsonify(error={"code": code, "message": message, "field": field})
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    db.session.rollback()
    return error_json(error.status, error.code, error.message, error.field)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    db.session.rollback()
    if isinstance(error, NotFound):
        return error_json(404, "not_found", str(error))
    if isinstance(error, Forbidden):
        return error_json(403, "forbidden", str(error))
    if isinstance(error, Conflict):
        return error_json(409, "conflict", str(error), getattr(error, "field", None))
    return error_json(422, "invalid", str(error), getattr(error, "field", None))


@bp.errorhandler(StaleDataError)
def _stale(error):
    db.session.rollback()
    return error_json(409, "conflict", "someone else changed this at the same moment: reload "
                      "to see their change, then make yours again")  # fmt: skip


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    names = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
             413: "too_large", 415: "unsupported_media_type"}  # fmt: skip
    return error_json(error.code or 500, names.get(error.code, "error"),
                      error.description or error.name)  # fmt: skip


def api_view(minimum_role: str = "viewer"):
    """Decorate a view taking ``slug``: a valid token (401), membership (404) and the role (403);
    the view gets the workspace's ``access``."""

    def decorator(view):
        @wraps(view)
        def wrapper(slug: str, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            user = (
                user_service.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
            )
            if user is None:
                raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>' with "
                               "a token from your account page")  # fmt: skip
            access = workspace_service.access_for(user, slug)
            if access is None:
                raise ApiError(404, "not_found", f"no workspace {slug!r} of yours")
            if not access.allows(minimum_role):
                raise ApiError(403, "forbidden", f"your role ({access.role}) does not allow this")
            g.api_user, g.access = user, access
            return view(access=access, **kwargs)

        return wrapper

    return decorator


def body() -> dict:
    """Return the JSON object posted, or answer 400."""
    if not request.get_data(cache=True).strip():
        return {}
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "the body must be a JSON object")
    return data


def paging(params: Params | None = None, default: int = 50) -> tuple[Params, int, int]:
    """Read ``page`` and ``per_page`` (and whatever the caller read into ``params`` before);
    answer 400 naming the first refused parameter."""
    params = params or Params(request.args)
    page = params.integer("page", 1, 1, MAX_PAGE)
    per_page = params.integer("per_page", default, 1, MAX_PER_PAGE)
    check(params.errors)
    return params, page, per_page


def check(errors) -> None:
    """Answer 400 for the first refused query parameter."""
    if errors:
        raise ApiError(400, "bad_parameter", "; ".join(map(str, errors)), errors[0].parameter)


def listing(page, item) -> dict:
    """Return a page as the API lists it."""
    return {"items": [item(x) for x in page.items], "page": page.page,
            "per_page": page.per_page, "total": page.total}  # fmt: skip


def _iso(value):
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- shapes


def person_json(person: m.Person, cadences: dict[str, int] | None = None) -> dict:
    """Return a person as the API shows them."""
    cadence = people.effective_cadence(person, cadences if cadences is not None
                                       else people.tag_cadences(g.access.workspace))  # fmt: skip
    due = people.due_of(person, cadence=cadence)
    return {
        "id": person.id, "name": person.name, "organisation": person.organisation,
        "email": person.email, "phone": person.phone, "city": person.city,
        "language": person.language, "tags": person.tags, "owner_id": person.owner_id,
        "notes": person.notes, "why_they_matter": person.why_they_matter,
        "legal_name": person.legal_name, "inn": person.inn,
        "registry_status": person.registry_status,
        "registry_checked_on": _iso(person.registry_checked_on),
        "stage": person.stage, "stage_changed_at": _iso(person.stage_changed_at),
        "cadence_days": person.cadence_days, "effective_cadence_days": cadence,
        "last_touch_at": _iso(person.last_touch_at),
        "last_touch_direction": person.last_touch_direction,
        "next_touch_due": _iso(person.next_touch_due), "due": due.state,
        "due_level": due.level or None,
        "accounts": [{"id": a.id, "platform": a.platform, "handle": a.display_handle,
                      "author_id": a.author_id} for a in person.accounts],
        "created_at": _iso(person.created_at), "updated_at": _iso(person.updated_at),
        "version": person.version,
    }  # fmt: skip


def campaign_json(campaign: m.Campaign, total: campaigns.Totals | None = None) -> dict:
    """Return a campaign as the API shows it."""
    total = total or campaigns.totals(g.access.workspace, [campaign.id])[campaign.id]
    return {
        "id": campaign.id, "name": campaign.name, "goal": campaign.goal,
        "start": _iso(campaign.start_on), "end": _iso(campaign.end_on),
        "budget": v.amount_out(campaign.budget_cents), "tags": campaign.tags,
        "links": campaign.links, "promo_codes": campaign.promo_codes,
        "running": campaigns.is_running(campaign),
        "totals": total.as_json(campaign.budget_cents),
        "created_at": _iso(campaign.created_at), "updated_at": _iso(campaign.updated_at),
        "version": campaign.version,
    }  # fmt: skip


def placement_json(p: m.Placement, warnings: list | None = None) -> dict:
    """Return a placement as the API shows it."""
    if warnings is None:
        warnings = campaigns.placement_warnings(g.access.workspace, [p])[p.id]
    return {
        "id": p.id, "campaign_id": p.campaign_id, "person_id": p.person_id,
        "person": p.person.name if p.person else None, "platform": p.platform,
        "deliverable": p.deliverable, "planned_at": _iso(p.planned_at),
        "fee": v.amount_out(p.fee_cents), "gift_value": v.amount_out(p.gift_value_cents),
        "status": p.status, "post_url": p.post_url, "post_id": p.post_external_id,
        "mention_id": p.mention_id, "contract_number": p.contract_number,
        "contract_date": _iso(p.contract_date), "erid": p.erid,
        "label_checked": p.label_checked, "act": p.act, "warnings": warnings,
        "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
        "version": p.version,
    }  # fmt: skip


def touch_json(t: m.Touch) -> dict:
    """Return a touch as the API shows it."""
    return {"id": t.id, "person_id": t.person_id, "channel": t.channel,
            "direction": t.direction, "at": t.at.isoformat(), "note": t.note,
            "template_id": t.template_id, "by_id": t.by_id}  # fmt: skip


def task_json(t: m.Task) -> dict:
    """Return a task as the API shows it."""
    return {"id": t.id, "person_id": t.person_id, "title": t.title, "due_on": _iso(t.due_on),
            "assignee_id": t.assignee_id, "done_at": _iso(t.done_at),
            "created_at": _iso(t.created_at)}  # fmt: skip


def template_json(t: m.Template) -> dict:
    """Return a template as the API shows it."""
    return {"id": t.id, "name": t.name, "channel": t.channel, "body": t.body,
            "updated_at": _iso(t.updated_at)}  # fmt: skip


def _version(data: dict):
    version = data.pop("version", None)
    return request.headers.get("If-Match", "").strip('"') or version


# ---------------------------------------------------------------- people


@bp.get("/people")
@api_view()
def list_people(access):
    """List people: ``stage``, ``tag``, ``owner``, ``due`` (soon|overdue|never), ``q``,
    ``not_contacted_days``, ``page``, ``per_page``."""
    filters, errors = people.PeopleFilters.from_args(request.args)
    params = Params(request.args)
    check(errors)
    _, _, per_page = paging(params)
    page = people.list_people(access.workspace, filters, per_page=per_page)
    cadences = people.tag_cadences(access.workspace)
    return jsonify(listing(page, lambda p: person_json(p, cadences)))


@bp.post("/people")
@api_view("agent")
def create_person(access):
    """Add a person; answer 201 with them."""
    person = people.create_person(access, g.api_user, body())
    return jsonify(person_json(person)), 201


def _person(access, person_id: int) -> m.Person:
    people.link_arrived_authors(access.workspace)
    return people.get_person(access.workspace, person_id)


@bp.get("/people/<int:person_id>")
@api_view()
def get_person(access, person_id: int):
    """One person, with accounts, stage, tags and the keep-in-touch clock."""
    person = _person(access, person_id)
    answer = person_json(person)  # before the commit, which would expire what it reads
    audit.record(access.workspace, g.api_user, "view", person.id, via="api")
    db.session.commit()
    return jsonify(answer)


@bp.patch("/people/<int:person_id>")
@api_view("agent")
def update_person(access, person_id: int):
    """Change a person's fields (send ``version`` to refuse a change made meanwhile: 409)."""
    data = body()
    version = _version(data)
    person = people.update_person(access, g.api_user, person_id, data, version)
    return jsonify(person_json(person))


@bp.delete("/people/<int:person_id>")
@api_view("manager")
def erase_person(access, person_id: int):
    """Erase a person (their data and timeline; campaign totals keep their placements)."""
    people.erase(access, g.api_user, person_id)
    return "", 204


# One rule per path for GET and POST: with two rules, werkzeug answered 405 instead of 404
# for an id too big for the database (the first rule's converter refused it, the second
# rule matched the path).
@bp.route("/people/<int:person_id>/touches", methods=["GET", "POST"])
def touches_of(slug: str, person_id: int):
    """GET lists a person's touches; POST logs one."""
    view = list_touches if request.method == "GET" else log_touch
    return view(slug=slug, person_id=person_id)


@api_view("agent")
def log_touch(access, person_id: int):
    """Log a touch: ``channel``, ``direction`` (sent|received), ``at``, ``note``, ``template_id``."""
    data = body()
    unknown = sorted(set(data) - {"channel", "direction", "at", "note", "template_id"})
    if unknown:
        raise FieldError(unknown[0], f"{unknown[0]} is not a field of a touch")
    touch = touches.log_touch(
        access, g.api_user, person_id, channel=data.get("channel", ""),
        direction=data.get("direction") or "sent", at=data.get("at"), note=data.get("note"),
        template_id=data.get("template_id"),
    )  # fmt: skip
    return jsonify(touch_json(touch)), 201


@api_view()
def list_touches(access, person_id: int):
    """A person's touches, newest first."""
    _, page, per_page = paging()
    person = _person(access, person_id)
    result = timeline.timeline(access.workspace, person, ("touch",), page, per_page)
    return jsonify(listing(result, lambda entry: touch_json(entry.record)))


@bp.post("/people/<int:person_id>/stage")
@api_view("agent")
def change_stage(access, person_id: int):
    """Move a person to a stage: ``{"stage"}`` (with ``version``: 409 if moved meanwhile)."""
    data = body()
    person = people.change_stage(access, g.api_user, person_id, data.get("stage"),
                                 _version(data))  # fmt: skip
    return jsonify(person_json(person))


@bp.get("/people/<int:person_id>/timeline")
@api_view()
def person_timeline(access, person_id: int):
    """A person's timeline, newest first; ``kind`` (comma-separated) filters it."""
    params = Params(request.args)
    kinds = [k.strip() for k in params.text("kind").split(",") if k.strip()]
    wrong = [k for k in kinds if k not in timeline.KINDS]
    if wrong:
        params.refuse("kind", f"kind must be among {', '.join(timeline.KINDS)}")
    _, page, per_page = paging(params)
    person = _person(access, person_id)
    result = timeline.timeline(access.workspace, person, kinds, page, per_page)
    return jsonify(listing(result, lambda entry: entry.as_json()))


@bp.post("/people/<int:person_id>/accounts")
@api_view("agent")
def add_account(access, person_id: int):
    """Link an account: ``{"platform", "handle"}``."""
    data = body()
    people.add_account(access, g.api_user, person_id, data.get("platform"), data.get("handle"),
                       _version(data))  # fmt: skip
    return jsonify(person_json(people.get_person(access.workspace, person_id))), 201


@bp.delete("/people/<int:person_id>/accounts/<int:account_id>")
@api_view("agent")
def remove_account(access, person_id: int, account_id: int):
    """Unlink an account from a person."""
    people.remove_account(access, g.api_user, person_id, account_id)
    return "", 204


@bp.get("/people/<int:person_id>/suggestions")
@api_view()
def suggestions(access, person_id: int):
    """Authors that may be the same person (same handle elsewhere, same name)."""
    person = _person(access, person_id)
    found = people.suggested_accounts(access.workspace, person)
    return jsonify(items=[{"author_id": a.id, "platform": a.platform, "handle": a.display_handle,
                           "name": a.name, "followers": a.followers} for a in found])  # fmt: skip


@bp.post("/people/<int:person_id>/merge")
@api_view("manager")
def merge_people(access, person_id: int):
    """Merge another person into this one: ``{"other_id"}``."""
    other = v.whole("other_id", body().get("other_id"), 1, 2**31 - 1)
    if other is None:
        raise FieldError("other_id", "other_id names the person merged into this one")
    return jsonify(person_json(people.merge(access, g.api_user, person_id, other)))


@bp.post("/people/<int:person_id>/tasks")
@api_view("agent")
def create_task(access, person_id: int):
    """Add a task: ``{"title", "due_on", "assignee_id"}``."""
    return jsonify(task_json(tasks.create_task(access, g.api_user, person_id, body()))), 201


@bp.get("/people/<int:person_id>/audit")
@api_view("manager")
def person_audit(access, person_id: int):
    """Who viewed, changed, exported, merged or erased a person (also after erasure)."""
    _, page, per_page = paging()
    result = audit.entries(access.workspace, person_id, page, per_page)
    return jsonify(listing(result, lambda e: {
        "action": e.action, "at": e.at.isoformat(), "user_id": e.user_id,
        "person_id": e.person_id, "detail": e.detail}))  # fmt: skip


@bp.post("/cadences")
@api_view("manager")
def set_cadence(access):
    """Keep in touch with everyone tagged ``tag`` every ``cadence_days`` (null: none)."""
    data = body()
    changed = people.set_tag_cadence(access, data.get("tag"), data.get("cadence_days"))
    return jsonify(tag=str(data.get("tag")).casefold(), cadence_days=data.get("cadence_days"),
                   people_changed=changed)  # fmt: skip


# ---------------------------------------------------------------- campaigns


@bp.get("/campaigns")
@api_view()
def list_campaigns(access):
    """List campaigns, latest start first."""
    _, page, per_page = paging()
    result = campaigns.list_campaigns(access.workspace, page, per_page)
    found = campaigns.totals(access.workspace, [c.id for c in result.items])
    return jsonify(listing(result, lambda c: campaign_json(c, found[c.id])))


@bp.post("/campaigns")
@api_view("manager")
def create_campaign(access):
    """Start a campaign; answer 201 with it."""
    return jsonify(campaign_json(campaigns.create_campaign(access, g.api_user, body()))), 201


@bp.get("/campaigns/<int:campaign_id>")
@api_view()
def get_campaign(access, campaign_id: int):
    """One campaign with its totals."""
    return jsonify(campaign_json(campaigns.get_campaign(access.workspace, campaign_id)))


@bp.patch("/campaigns/<int:campaign_id>")
@api_view("manager")
def update_campaign(access, campaign_id: int):
    """Change a campaign (send ``version`` to refuse a change made meanwhile: 409)."""
    data = body()
    version = _version(data)
    campaign = campaigns.update_campaign(access, g.api_user, campaign_id, data, version)
    return jsonify(campaign_json(campaign))


@bp.route("/campaigns/<int:campaign_id>/placements", methods=["GET", "POST"])
def placements_of(slug: str, campaign_id: int):
    """GET lists a campaign's placements; POST adds one."""
    view = list_placements if request.method == "GET" else create_placement
    return view(slug=slug, campaign_id=campaign_id)


@api_view()
def list_placements(access, campaign_id: int):
    """A campaign's placements (``status`` filters), by planned date."""
    params = Params(request.args)
    status = params.choice("status", m.PLACEMENT_STATUSES)
    _, page, per_page = paging(params)
    campaigns.get_campaign(access.workspace, campaign_id)
    result = campaigns.list_placements(access.workspace, campaign_id, status, page, per_page)
    found = campaigns.placement_warnings(access.workspace, result.items)
    return jsonify(listing(result, lambda p: placement_json(p, found[p.id])))


@api_view("manager")
def create_placement(access, campaign_id: int):
    """Add a placement; answer 201 with it."""
    placement = campaigns.create_placement(access, g.api_user, campaign_id, body())
    return jsonify(placement_json(placement)), 201


@bp.get("/placements/<int:placement_id>")
@api_view()
def get_placement(access, placement_id: int):
    """One placement with its warnings."""
    placement = campaigns.get_placement(access.workspace, placement_id)
    campaigns._link_posts(access.workspace, [placement])
    return jsonify(placement_json(placement))


@bp.patch("/placements/<int:placement_id>")
@api_view("agent")
def update_placement(access, placement_id: int):
    """Change a placement: agents its ``status``, managers the rest (``version``: 409)."""
    data = body()
    version = _version(data)
    placement = campaigns.update_placement(access, g.api_user, placement_id, data, version)
    return jsonify(placement_json(placement))


# ---------------------------------------------------------------- templates


@bp.get("/templates")
@api_view()
def list_templates(access):
    """The workspace's outreach templates."""
    _, page, per_page = paging(default=100)
    return jsonify(listing(templates.list_templates(access.workspace, page, per_page),
                           template_json))  # fmt: skip


@bp.post("/templates")
@api_view("manager")
def create_template(access):
    """Add a template: ``{"name", "channel", "body"}``; answer 201 with it."""
    return jsonify(template_json(templates.create_template(access, g.api_user, body()))), 201


@bp.patch("/templates/<int:template_id>")
@api_view("manager")
def update_template(access, template_id: int):
    """Change a template."""
    return jsonify(template_json(templates.update_template(access, g.api_user, template_id,
                                                           body())))  # fmt: skip


@bp.get("/templates/<int:template_id>/render")
@api_view()
def render_template(access, template_id: int):
    """Fill a template for a person: ``person_id`` (and ``campaign_id``)."""
    params = Params(request.args)
    person_id, campaign_id = params.identifier("person_id"), params.identifier("campaign_id")
    if person_id is None and not params.errors:
        params.refuse("person_id", "person_id names the person the message is for")
    check(params.errors)
    template = templates.get_template(access.workspace, template_id)
    person = people.get_person(access.workspace, person_id)
    campaign = campaigns.get_campaign(access.workspace, campaign_id) if campaign_id else None
    values = templates.placeholders_of(access.workspace, person, campaign)
    return jsonify(text=templates.render(template, values), placeholders=values)
