"""The relationship manager's pages: people, a person (with their timeline), the stage board,
campaigns and their board, my day, templates, and people made from authors.

Views are thin: they read the form, call one service and redirect or render; the services
check every value and role (a refused value comes back as a message next to its field).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from app.crm import models as m
from app.crm.errors import Conflict
from app.crm.i18n import gettext as _
from app.crm.i18n import template_helpers
from app.crm.services import audit, campaigns, people, tasks, templates, timeline, touches
from app.extensions import db
from app.labels import label
from app.models import utcnow
from app.params import MAX_PAGE, Params
from app.services.errors import Forbidden, NotFound, ServiceError
from app.web import notice_ignored, page_number, workspace_view

PER_PAGE = 50


bp = Blueprint("crm", __name__, template_folder="templates")


@bp.record_once
def _translations(state) -> None:
    """Templates (and the macros they import) get ``_`` unless Flask-Babel gave them one."""
    template_helpers(state.app)


class CsrfForm(FlaskForm):
    """A form with only the CSRF token: the fields are read from ``request.form``."""


def _safe(call, *args, **kwargs):
    """Run a service call; turn its refusal into a flash message (and the field at fault)."""
    try:
        return call(*args, **kwargs), None
    except NotFound:
        abort(404)
    except Forbidden as error:
        abort(403, str(error))
    except (Conflict, StaleDataError) as error:
        db.session.rollback()
        message = (
            str(error)
            if isinstance(error, Conflict)
            else _(
                "someone else changed this at the same moment: reload, then make your change again"
            )
        )
        flash(message, "error")
        return None, "conflict"
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None, getattr(error, "field", "") or "error"


def _valid_form() -> None:
    if not CsrfForm().validate_on_submit():
        abort(400, _("the form has expired: reload the page and try again"))


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


# ---------------------------------------------------------------- people


@bp.get("/w/<slug>/people")
@workspace_view()
def people_list(access):
    filters, errors = people.PeopleFilters.from_args(request.args)
    notice_ignored(errors)
    people.link_arrived_authors(access.workspace)
    now = utcnow()
    counts = people.due_counts(access.workspace, now)
    page = people.list_people(access.workspace, filters, per_page=PER_PAGE, now=now,
                              counts=counts)  # fmt: skip
    slug = access.workspace.slug
    return render_template(
        "crm/people.html", access=access, page=page, filters=filters, stages=m.STAGES,
        members=people.members(access.workspace), due=lambda person: people.due_of(person, now),
        counts=counts, form=CsrfForm(),
        url_for_view=lambda **changes: url_for("crm.people_list", slug=slug,
                                               **filters.query_args(**changes)),
        url_for_page=lambda n: url_for("crm.people_list", slug=slug, **filters.query_args(page=n)),
    )  # fmt: skip


@bp.post("/w/<slug>/people")
@workspace_view("agent")
def people_create(access):
    _valid_form()
    data = {"name": request.form.get("name", "")}
    if request.form.get("platform") or request.form.get("handle"):
        data["accounts"] = [{"platform": request.form.get("platform", ""),
                             "handle": request.form.get("handle", "")}]  # fmt: skip
    person, problem = _safe(people.create_person, access, current_user, data)
    if problem:
        return redirect(url_for("crm.people_list", slug=access.workspace.slug))
    flash(_("Person added."), "success")
    return redirect(url_for("crm.person", slug=access.workspace.slug, person_id=person.id))


@bp.post("/w/<slug>/authors/<int:author_id>/person")
@workspace_view("agent")
def person_from_author(access, author_id: int):
    _valid_form()
    found, problem = _safe(people.person_for_author, access, current_user, author_id)
    if problem:
        return redirect(url_for("mentions.author", slug=access.workspace.slug, author_id=author_id))
    person, added = found
    flash(_("Added to people.") if added else _("Already among people."), "success")
    return redirect(url_for("crm.person", slug=access.workspace.slug, person_id=person.id))


@bp.post("/w/<slug>/people/from-authors")
@workspace_view("agent")
def people_from_authors(access):
    """The influencer list's bulk "add to…": people, optionally a campaign (new or existing)."""
    _valid_form()
    ids = [int(x) for x in request.form.getlist("author_id") if x.isdigit() and len(x) < 11]
    back = _back(url_for("influencers.index", slug=access.workspace.slug))
    if not ids:
        flash(_("Tick at least one author first."), "warning")
        return redirect(back)
    made, problem = _safe(people.people_for_authors, access, current_user, ids)
    if problem:
        return redirect(back)
    target = request.form.get("campaign", "")
    person_ids = [person.id for person, _added in made]
    added = sum(1 for _person, was_added in made if was_added)
    if target:
        campaign_id = int(target) if target.isdigit() and len(target) < 11 else None
        if target == "new":
            campaign, problem = _safe(campaigns.create_campaign, access, current_user,
                                      {"name": request.form.get("campaign_name", "")})  # fmt: skip
            if problem:
                return redirect(back)
            campaign_id = campaign.id
        placed, problem = _safe(campaigns.add_people, access, current_user, campaign_id or 0,
                                person_ids)  # fmt: skip
        if problem:
            return redirect(back)
        flash(_("%(people)d people (%(added)d new) added to the campaign.", people=len(made),
                added=added), "success")  # fmt: skip
        return redirect(
            url_for("crm.campaign", slug=access.workspace.slug, campaign_id=campaign_id)
        )
    flash(_("%(people)d people (%(added)d new).", people=len(made), added=added), "success")
    return redirect(url_for("crm.people_list", slug=access.workspace.slug))


def _person_or_404(access, person_id: int) -> m.Person:
    try:
        return people.get_person(access.workspace, person_id)
    except NotFound:
        abort(404)


@bp.get("/w/<slug>/people/<int:person_id>")
@workspace_view()
def person(access, person_id: int):
    people.link_arrived_authors(access.workspace)
    record = _person_or_404(access, person_id)
    params = Params(request.args)
    kinds = [k for k in request.args.getlist("kind") if k in timeline.KINDS]
    page = params.integer("page", 1, 1, MAX_PAGE)
    template_id = params.identifier("template")
    notice_ignored(params.errors)
    line = timeline.timeline(access.workspace, record, kinds, page, PER_PAGE)
    chosen = prefill = None
    if template_id:
        try:
            chosen = templates.get_template(access.workspace, template_id)
        except NotFound:
            chosen = None
        if chosen is not None:
            campaign = None
            running = campaigns.running_campaigns_of(access.workspace, [record.id])
            if running.get(record.id):
                campaign = db.session.get(m.Campaign, min(running[record.id]))
            prefill = templates.render(
                chosen, templates.placeholders_of(access.workspace, record, campaign)
            )

    cadence = people.effective_cadence(record, people.tag_cadences(access.workspace))
    placements = campaigns.person_placements(access.workspace, record.id)
    slug = access.workspace.slug
    html = render_template(
        "crm/person.html", access=access, person=record, line=line, kinds=kinds,
        all_kinds=timeline.KINDS, stages=m.STAGES, channels=m.CHANNELS,
        statuses=m.PLACEMENT_STATUSES, deliverables=m.DELIVERABLES,
        directions=m.DIRECTIONS, registry=m.REGISTRY_STATUSES,
        due=people.due_of(record, cadence=cadence), cadence=cadence,
        members=people.members(access.workspace),
        templates=templates.list_templates(access.workspace, count=False).items,
        chosen=chosen, prefill=prefill, tasks=tasks.person_tasks(access.workspace, record.id),
        placements=placements,
        campaigns=campaigns.campaign_menu(access.workspace) if access.allows("manager") else [],
        audit_log=audit.entries(access.workspace, record.id, 1, 20, count=False).items
        if access.allows("manager") else [],
        warnings=campaigns.placement_warnings(access.workspace, placements),
        # on request: matching names scans the workspace's authors
        suggestions=people.suggested_accounts(access.workspace, record)
        if request.args.get("suggest") == "1" else None, form=CsrfForm(),
        can_delete=lambda touch: touches.can_delete(access, current_user, touch),
        url_for_page=lambda n: url_for("crm.person", slug=slug, person_id=record.id,
                                       kind=kinds, page=n, _anchor="timeline"),
    )  # fmt: skip
    # The view is recorded once the page is made: a commit expires every row the session
    # holds, and each row the page shows would be read again, one query each.
    audit.record(access.workspace, current_user, "view", record.id)
    db.session.commit()
    return html


def _to_person(access, person_id: int, anchor: str = ""):
    return redirect(url_for("crm.person", slug=access.workspace.slug, person_id=person_id,
                            _anchor=anchor or None))  # fmt: skip


@bp.post("/w/<slug>/people/<int:person_id>/edit")
@workspace_view("agent")
def person_edit(access, person_id: int):
    _valid_form()
    fields = ("name", "organisation", "email", "phone", "city", "language", "notes",
              "why_they_matter", "legal_name", "inn", "registry_status", "registry_checked_on",
              "owner_id", "tags")  # fmt: skip
    data = {key: request.form[key] for key in fields if key in request.form}
    record = _person_or_404(access, person_id)
    if "cadence_days" in request.form and access.allows("manager"):
        data["cadence_days"] = request.form["cadence_days"]
    elif request.form.get("cadence_days", "") != str(record.cadence_days or ""):
        data["cadence_days"] = request.form.get("cadence_days")  # the service refuses it
    if not request.form.get("cadence_days") and record.cadence_days is None:
        data.pop("cadence_days", None)
    _result, problem = _safe(people.update_person, access, current_user, person_id, data,
                       request.form.get("version"))  # fmt: skip
    if not problem:
        flash(_("Saved."), "success")
    return _to_person(access, person_id, "details")


@bp.post("/w/<slug>/people/<int:person_id>/stage")
@workspace_view("agent")
def person_stage(access, person_id: int):
    _valid_form()
    _result, problem = _safe(people.change_stage, access, current_user, person_id,
                       request.form.get("stage"), request.form.get("version"))  # fmt: skip
    if not problem:
        flash(_("Stage changed."), "success")
    return redirect(_back(url_for("crm.person", slug=access.workspace.slug, person_id=person_id)))


@bp.post("/w/<slug>/people/<int:person_id>/touches")
@workspace_view("agent")
def person_touch(access, person_id: int):
    _valid_form()
    at = request.form.get("at") or None
    _result, problem = _safe(
        touches.log_touch, access, current_user, person_id, channel=request.form.get("channel", ""),
        direction=request.form.get("direction", "sent"), at=at, note=request.form.get("note"),
        template_id=request.form.get("template_id") or None,
    )  # fmt: skip
    if not problem:
        flash(_("Touch logged."), "success")
    return _to_person(access, person_id, "timeline")


@bp.post("/w/<slug>/people/<int:person_id>/accounts")
@workspace_view("agent")
def person_account(access, person_id: int):
    _valid_form()
    author_id = request.form.get("author_id", "")
    platform, handle = request.form.get("platform"), request.form.get("handle")
    if author_id.isdigit() and len(author_id) < 11:
        from app.services.mentions import get_author

        try:
            author = get_author(access.workspace, int(author_id))
        except NotFound:
            abort(404)
        platform, handle = author.platform, author.display_handle
    _result, problem = _safe(people.add_account, access, current_user, person_id, platform, handle)
    if not problem:
        flash(_("Account linked."), "success")
    return _to_person(access, person_id, "accounts")


@bp.post("/w/<slug>/people/<int:person_id>/accounts/<int:account_id>/unlink")
@workspace_view("agent")
def person_unlink(access, person_id: int, account_id: int):
    _valid_form()
    _result, problem = _safe(people.remove_account, access, current_user, person_id, account_id)
    if not problem:
        flash(_("Account unlinked."), "success")
    return _to_person(access, person_id, "accounts")


@bp.post("/w/<slug>/people/<int:person_id>/tasks")
@workspace_view("agent")
def person_task(access, person_id: int):
    _valid_form()
    data = {key: request.form.get(key) for key in ("title", "due_on", "assignee_id")}
    _result, problem = _safe(tasks.create_task, access, current_user, person_id, data)
    if not problem:
        flash(_("Task added."), "success")
    return _to_person(access, person_id, "tasks")


@bp.post("/w/<slug>/tasks/<int:task_id>/done")
@workspace_view("agent")
def task_done(access, task_id: int):
    _valid_form()
    task, problem = _safe(tasks.set_done, access, current_user, task_id,
                          request.form.get("done", "1") == "1")  # fmt: skip
    return redirect(_back(url_for("crm.my_day", slug=access.workspace.slug)))


@bp.post("/w/<slug>/people/<int:person_id>/merge")
@workspace_view("manager")
def person_merge(access, person_id: int):
    _valid_form()
    other = request.form.get("other_id", "")
    other_id = int(other) if other.isdigit() and len(other) < 11 else 0
    _result, problem = _safe(people.merge, access, current_user, person_id, other_id)
    if not problem:
        flash(_("Merged: the other person's history is now here."), "success")
    return _to_person(access, person_id)


@bp.post("/w/<slug>/people/<int:person_id>/erase")
@workspace_view("manager")
def person_erase(access, person_id: int):
    _valid_form()
    _result, problem = _safe(people.erase, access, current_user, person_id)
    if problem:
        return _to_person(access, person_id)
    flash(_("Erased: the person's data and timeline are gone; campaign totals keep their "
            "placements."), "success")  # fmt: skip
    return redirect(url_for("crm.people_list", slug=access.workspace.slug))


@bp.get("/w/<slug>/people/board")
@workspace_view()
def stage_board(access):
    return render_template(
        "crm/stage_board.html", access=access, columns=people.board(access.workspace),
        counts=people.stage_counts(access.workspace), stages=m.STAGES, form=CsrfForm(),
    )  # fmt: skip


# ---------------------------------------------------------------- campaigns


@bp.get("/w/<slug>/campaigns")
@workspace_view()
def campaign_list(access):
    page = campaigns.list_campaigns(access.workspace, page_number(), PER_PAGE)
    return render_template(
        "crm/campaigns.html", access=access, page=page, form=CsrfForm(),
        totals=campaigns.totals(access.workspace, [c.id for c in page.items]),
        running=campaigns.is_running,
        url_for_page=lambda n: url_for("crm.campaign_list", slug=access.workspace.slug, page=n),
    )  # fmt: skip


@bp.post("/w/<slug>/campaigns")
@workspace_view("manager")
def campaign_create(access):
    _valid_form()
    data = {key: request.form.get(key, "") for key in
            ("name", "goal", "start", "end", "budget", "tags", "links", "promo_codes")}  # fmt: skip
    campaign, problem = _safe(campaigns.create_campaign, access, current_user, data)
    if problem:
        return redirect(url_for("crm.campaign_list", slug=access.workspace.slug))
    flash(_("Campaign started."), "success")
    return redirect(url_for("crm.campaign", slug=access.workspace.slug, campaign_id=campaign.id))


@bp.get("/w/<slug>/campaigns/<int:campaign_id>")
@workspace_view()
def campaign(access, campaign_id: int):
    try:
        record = campaigns.get_campaign(access.workspace, campaign_id)
    except NotFound:
        abort(404)
    columns = campaigns.board(access.workspace, record.id)
    cards = [p for column in columns.values() for p in column.items]
    return render_template(
        "crm/campaign.html", access=access, campaign=record, columns=columns,
        statuses=m.PLACEMENT_STATUSES, deliverables=m.DELIVERABLES,
        warnings=campaigns.placement_warnings(access.workspace, cards),
        totals=campaigns.totals(access.workspace, [record.id])[record.id],
        running=campaigns.is_running(record), form=CsrfForm(),
    )  # fmt: skip


@bp.post("/w/<slug>/campaigns/<int:campaign_id>/placements")
@workspace_view("manager")
def placement_create(access, campaign_id: int):
    _valid_form()
    data = {
        key: request.form.get(key, "")
        for key in (
            "person_id",
            "platform",
            "deliverable",
            "planned_at",
            "fee",
            "gift_value",
            "erid",
        )
    }
    data = {key: value for key, value in data.items() if value != "" or key == "person_id"}
    _result, problem = _safe(campaigns.create_placement, access, current_user, campaign_id, data)
    if not problem:
        flash(_("Placement added."), "success")
    return redirect(url_for("crm.campaign", slug=access.workspace.slug, campaign_id=campaign_id))


@bp.post("/w/<slug>/placements/<int:placement_id>/move")
@workspace_view("agent")
def placement_move(access, placement_id: int):
    """Move a card to another status: the board's select and button (and its drag, by JS)."""
    _valid_form()
    placement, problem = _safe(campaigns.update_placement, access, current_user, placement_id,
                               {"status": request.form.get("status", "")},
                               request.form.get("version"))  # fmt: skip
    if request.headers.get("X-Requested-With") == "fetch":
        return ("", 204) if not problem else ("", 409 if problem == "conflict" else 422)
    if not problem:
        status = label("placement_status", placement.status)
        flash(_("Placement moved to %(status)s.", status=status), "success")
    record = db.session.get(m.Placement, placement_id)
    return redirect(url_for("crm.campaign", slug=access.workspace.slug,
                            campaign_id=record.campaign_id if record else 0))  # fmt: skip


@bp.get("/w/<slug>/placements/<int:placement_id>")
@workspace_view()
def placement_page(access, placement_id: int):
    try:
        placement = campaigns.get_placement(access.workspace, placement_id)
    except NotFound:
        abort(404)
    return render_template(
        "crm/placement.html", access=access, placement=placement, campaign=placement.campaign,
        deliverables=m.DELIVERABLES, form=CsrfForm(),
        warnings=campaigns.placement_warnings(access.workspace, [placement])[placement.id],
    )  # fmt: skip


@bp.post("/w/<slug>/placements/<int:placement_id>/edit")
@workspace_view("manager")
def placement_edit(access, placement_id: int):
    _valid_form()
    keys = ("platform", "deliverable", "planned_at", "fee", "gift_value", "erid", "post_url",
            "contract_number", "contract_date", "act")  # fmt: skip
    data = {key: request.form.get(key, "") for key in keys if key in request.form}
    data["label_checked"] = request.form.get("label_checked") == "y"
    placement, problem = _safe(campaigns.update_placement, access, current_user, placement_id,
                               data, request.form.get("version"))  # fmt: skip
    if not problem:
        flash(_("Placement saved."), "success")
    record = db.session.get(m.Placement, placement_id)
    if record is None or record.workspace_id != access.workspace.id:
        abort(404)
    return redirect(
        url_for(
            "crm.campaign",
            slug=access.workspace.slug,
            campaign_id=record.campaign_id,
            _anchor=f"placement-{placement_id}",
        )
    )


# ---------------------------------------------------------------- my day, templates


@bp.get("/w/<slug>/my-day")
@workspace_view()
def my_day(access):
    from app.crm.services import myday

    return render_template(
        "crm/my_day.html",
        access=access,
        day=myday.my_day(access.workspace, current_user),
        form=CsrfForm(),
    )


@bp.get("/w/<slug>/templates")
@workspace_view()
def template_list(access):
    return render_template(
        "crm/templates.html", access=access, form=CsrfForm(), channels=m.CHANNELS,
        items=templates.list_templates(access.workspace).items,
        placeholders=templates.PLACEHOLDERS,
    )  # fmt: skip


@bp.post("/w/<slug>/templates")
@workspace_view("manager")
def template_save(access):
    _valid_form()
    data = {key: request.form.get(key, "") for key in ("name", "channel", "body")}
    template_id = request.form.get("template_id", "")
    if template_id.isdigit() and len(template_id) < 11:
        _result, problem = _safe(
            templates.update_template, access, current_user, int(template_id), data
        )
    else:
        _result, problem = _safe(templates.create_template, access, current_user, data)
    if not problem:
        flash(_("Template saved."), "success")
    return redirect(url_for("crm.template_list", slug=access.workspace.slug))


@bp.post("/w/<slug>/templates/<int:template_id>/delete")
@workspace_view("manager")
def template_delete(access, template_id: int):
    _valid_form()
    _result, problem = _safe(templates.delete_template, access, current_user, template_id)
    if not problem:
        flash(_("Template deleted."), "success")
    return redirect(url_for("crm.template_list", slug=access.workspace.slug))


# ---------------------------------------------------------------- export and import


def _download(rows, columns, name: str, extension: str, title: str) -> Response:
    from app.crm.services import exchange

    if extension == "xlsx":
        body = exchange.to_xlsx(rows, columns, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = exchange.to_csv(rows, columns), "text/csv; charset=utf-8"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'},
    )


@bp.get("/w/<slug>/people.csv", defaults={"extension": "csv"})
@bp.get("/w/<slug>/people.xlsx", defaults={"extension": "xlsx"})
@workspace_view()
def people_export(access, extension: str):
    from app.crm.services import exchange

    filters, errors = people.PeopleFilters.from_args(request.args)
    rows = exchange.people_rows(access, current_user, filters)
    return _download(rows, exchange.PEOPLE_COLUMNS, f"{access.workspace.slug}-people", extension,
                     _("People"))  # fmt: skip


@bp.get("/w/<slug>/people/<int:person_id>/timeline.csv", defaults={"extension": "csv"})
@bp.get("/w/<slug>/people/<int:person_id>/timeline.xlsx", defaults={"extension": "xlsx"})
@workspace_view()
def timeline_export(access, person_id: int, extension: str):
    from app.crm.services import exchange

    record = _person_or_404(access, person_id)
    rows = exchange.timeline_rows(access, current_user, record)
    columns = ["kind", "at"] + sorted({key for row in rows for key in row} - {"kind", "at"})
    return _download(rows, columns, f"{access.workspace.slug}-person-{record.id}-timeline",
                     extension, _("Timeline"))  # fmt: skip


@bp.get("/w/<slug>/campaigns/<int:campaign_id>/placements.csv", defaults={"extension": "csv"})
@bp.get("/w/<slug>/campaigns/<int:campaign_id>/placements.xlsx", defaults={"extension": "xlsx"})
@workspace_view()
def placements_export(access, campaign_id: int, extension: str):
    from app.crm.services import exchange

    try:
        rows = exchange.placement_rows(access.workspace, campaign_id)
    except NotFound:
        abort(404)
    return _download(rows, exchange.PLACEMENT_COLUMNS,
                     f"{access.workspace.slug}-campaign-{campaign_id}-placements", extension,
                     _("Placements"))  # fmt: skip


def _upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV or Excel file to import."), "error")
        return None, None
    return upload.filename, upload.read()


def _import_report(result) -> None:
    flash(_("Imported: %(added)d added, %(updated)d updated, %(rejected)d refused.",
            added=result.added, updated=result.updated, rejected=len(result.errors)),
          "success" if not result.errors else "warning")  # fmt: skip
    for error in result.errors[:20]:
        where = _("%(file)s, line %(line)s", file=error["file"], line=error["line"])
        if error.get("field"):
            where += f", {error['field']}"
        # the reason is the service's English, translated when shown (app.stored_texts)
        flash(f"{where}: {error['reason']}", "error")


@bp.post("/w/<slug>/people/import")
@workspace_view("agent")
def people_import(access):
    from app.crm.services import exchange

    _valid_form()
    filename, data = _upload()
    if filename:
        result, problem = _safe(exchange.import_people, access, current_user, filename, data)
        if result is not None:
            _import_report(result)
    return redirect(url_for("crm.people_list", slug=access.workspace.slug))


@bp.post("/w/<slug>/campaigns/<int:campaign_id>/placements/import")
@workspace_view("manager")
def placements_import(access, campaign_id: int):
    from app.crm.services import exchange

    _valid_form()
    filename, data = _upload()
    if filename:
        result, problem = _safe(exchange.import_placements, access, current_user, campaign_id,
                                filename, data)  # fmt: skip
        if result is not None:
            _import_report(result)
    return redirect(url_for("crm.campaign", slug=access.workspace.slug, campaign_id=campaign_id))


@bp.post("/w/<slug>/cadences")
@workspace_view("manager")
def tag_cadence(access):
    _valid_form()
    changed, problem = _safe(people.set_tag_cadence, access, request.form.get("tag", ""),
                             request.form.get("cadence_days") or None)  # fmt: skip
    if not problem:
        flash(_("Cadence saved: %(count)d people's clocks changed.", count=changed), "success")
    return redirect(url_for("crm.people_list", slug=access.workspace.slug))


@bp.post("/w/<slug>/people/<int:person_id>/campaign")
@workspace_view("manager")
def person_to_campaign(access, person_id: int):
    _valid_form()
    value = request.form.get("campaign_id", "")
    campaign_id = int(value) if value.isdigit() and len(value) < 11 else 0
    _result, problem = _safe(campaigns.add_people, access, current_user, campaign_id, [person_id])
    if not problem:
        flash(_("Added to the campaign."), "success")
    return _to_person(access, person_id, "placements")
