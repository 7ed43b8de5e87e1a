"""Views of the advocacy page, its author lists, alert acknowledgement and settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.advocacy import bp
from app.advocacy.forms import AdvocacySettingsForm
from app.advocacy.services import alerts as alert_service
from app.advocacy.services import figures
from app.advocacy.services import settings as settings_service
from app.advocacy.services.effectiveness import RATE_KINDS
from app.advocacy.services.periods import period_from_args
from app.auth.forms import EmptyForm
from app.crm.services import people as people_service
from app.params import Params
from app.services.errors import NotFound, ServiceError
from app.web import notice_ignored, page_number, workspace_view


def scope_from_args(workspace, args) -> tuple[figures.Scope, list]:
    """Read the period (``from``, ``to``, ``tz``), ``platform`` and ``topic``."""
    period, errors = period_from_args(workspace, args)
    params = Params(args)
    scope = figures.Scope(period, platform=params.text("platform", 32),
                          topic=params.text("topic"))  # fmt: skip
    return scope, errors + params.errors


@bp.get("/w/<slug>/advocacy")
@workspace_view()
def index(access):
    scope, errors = scope_from_args(access.workspace, request.args)
    notice_ignored(errors)
    view = figures.overview(access.workspace, scope, topics=request.args.get("topics") == "1")
    return render_template(
        "advocacy/index.html", access=access, scope=scope, view=view,
        chart=figures.chart_data(view), ack_form=EmptyForm(),
        alerts=alert_service.list_alerts(access.workspace, "open", limit=50),
        alert_args=alert_service.mentions_query,
        local_time=lambda moment: f"{moment.astimezone(scope.period.zone):%Y-%m-%d %H:%M}",
        platforms=figures.platforms(access.workspace, scope),
        people=people_service.people_of_authors(
            access.workspace, [p["author_id"] for p in view["advocates"][1] + view["win_back"][1]]
        ),
        authors_url=lambda cls: _url("advocacy.authors", access, scope, **{"class": cls}),
        index_url=lambda **extra: _url("advocacy.index", access, scope, **extra),
    )  # fmt: skip


def _url(endpoint: str, access, scope: figures.Scope, **extra) -> str:
    """Return the URL of an advocacy page for the same scope, with ``extra`` arguments."""
    return url_for(endpoint, slug=access.workspace.slug, **(_query(scope) | extra))


def _query(scope: figures.Scope) -> dict:
    """The scope as query-string arguments (to keep it in links)."""
    args = {"from": scope.period.first.isoformat(), "to": scope.period.last.isoformat()}
    for key in ("platform", "topic"):
        if getattr(scope, key):
            args[key] = getattr(scope, key)
    return args


@bp.get("/w/<slug>/advocacy/authors")
@workspace_view()
def authors(access):
    scope, errors = scope_from_args(access.workspace, request.args)
    params = Params(request.args)
    cls = params.choice("class", figures.CLASSES, "promoter")
    notice_ignored(errors + params.errors)
    page = page_number()
    total, people = figures.authors(access.workspace, scope, cls, page=page, per_page=50)
    return render_template(
        "advocacy/authors.html", access=access, scope=scope, cls=cls, people=people,
        total=total, page=page, pages=max(1, -(-total // 50)),
        url_for_page=lambda n: _url("advocacy.authors", access, scope, page=n, **{"class": cls}),
        index_url=lambda **extra: _url("advocacy.index", access, scope, **extra),
    )  # fmt: skip


@bp.post("/w/<slug>/advocacy/alerts/<int:alert_id>/ack")
@workspace_view("agent")
def acknowledge(access, alert_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400, "the form expired: reload the page and try again")
    try:
        alert_service.acknowledge(access.workspace, alert_id, current_user)
    except NotFound:
        abort(404)
    flash(_("Alert acknowledged."), "success")
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):  # only back to a page of this site
        back = url_for("advocacy.index", slug=access.workspace.slug)
    return redirect(back)


@bp.post("/w/<slug>/advocacy/authors/<int:author_id>/person")
@workspace_view("agent")
def add_person(access, author_id: int):
    """Add an advocate (or a detractor) to the relationship manager at stage "identified":
    htmx gets the row's new cell, a plain form goes back to its page with a notice."""
    if not EmptyForm().validate_on_submit():
        abort(400, _("the form expired: reload the page and try again"))
    try:
        person, added = people_service.person_for_author(access, current_user, author_id)
    except NotFound:
        abort(404)
    if request.headers.get("HX-Request") == "true":
        return render_template("advocacy/_person.html", person=person, slug=access.workspace.slug)
    message = _("Added to the relationship manager.") if added else _(
        "Already in the relationship manager."
    )
    flash(message, "success")
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("crm.person", slug=access.workspace.slug, person_id=person.id)
    return redirect(back)


@bp.route("/w/<slug>/advocacy/settings", methods=["GET", "POST"])
@workspace_view("manager")
def settings(access):
    current = settings_service.settings_of(access.workspace)
    form = AdvocacySettingsForm(
        competitors=settings_service.competitors_text(current), webhook_url=current.webhook_url
    )
    if form.validate_on_submit():
        try:
            settings_service.update_settings(
                access.workspace, competitors=form.competitors.data or "",
                webhook_url=form.webhook_url.data or "", new_secret=form.new_secret.data,
            )  # fmt: skip
        except ServiceError as error:
            getattr(form, getattr(error, "field", "competitors"), form.competitors).errors.append(
                str(error)
            )
        else:
            flash(_("Advocacy settings saved."), "success")
            return redirect(url_for("advocacy.settings", slug=access.workspace.slug))
    return _settings_page(access, form)


@bp.post("/w/<slug>/advocacy/settings/emv-rates")
@workspace_view("manager")
def emv_rates(access):
    if not EmptyForm().validate_on_submit():
        abort(400, "the form expired: reload the page and try again")
    errors = settings_service.save_rates(access.workspace, request.form)
    if not errors:
        flash(_("EMV rates saved."), "success")
        return redirect(url_for("advocacy.settings", slug=access.workspace.slug) + "#emv-rates")
    current = settings_service.settings_of(access.workspace)
    form = AdvocacySettingsForm(
        competitors=settings_service.competitors_text(current), webhook_url=current.webhook_url
    )
    return _settings_page(access, form, rate_errors=errors, submitted=request.form), 422


def _settings_page(access, form, rate_errors=None, submitted=None):
    """Render the settings page; after refused rates, with what was typed and the errors."""
    return render_template(
        "advocacy/settings.html", access=access, form=form,
        settings=settings_service.settings_of(access.workspace),
        rate_rows=settings_service.rate_rows(access.workspace), rate_field=settings_service.rate_field,
        rate_kinds=RATE_KINDS, rate_errors=rate_errors or {}, submitted=submitted,
        rates_form=EmptyForm(), rate_text=settings_service.rate_text, new_row=settings_service.NEW,
    )  # fmt: skip

