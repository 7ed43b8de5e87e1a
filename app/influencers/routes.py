"""Views of influencer discovery; the logic lives in app.services.influencers and scoring."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.crm.routes import CsrfForm
from app.crm.services import campaigns as crm_campaigns
from app.i18n import ngettext
from app.influencers import bp
from app.influencers.forms import BotVerdictForm, RecomputeForm
from app.params import Params
from app.services import influencers as service
from app.services import mentions as mention_service
from app.services import scoring
from app.services.errors import ServiceError
from app.web import notice_ignored, page_number, workspace_view

PER_PAGE = 50


def _filters():
    filters, errors = service.InfluencerFilters.from_args(request.args)
    notice_ignored(errors)
    return filters


def _back(default: str) -> str:
    """Return the local URL in the form's ``next``, else ``default`` (never another site)."""
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.get("/w/<slug>/influencers")
@workspace_view()
def index(access):
    filters = _filters()
    view = service.discovery(access.workspace, filters, per_page=PER_PAGE)
    slug = access.workspace.slug
    return render_template(
        "influencers/index.html", access=access, view=view, filters=filters,
        roles=service.ROLES, sentiments=tuple(service.SENTIMENT_BANDS), form=RecomputeForm(),
        crm_campaigns=crm_campaigns.campaign_menu(access.workspace),
        bulk_form=CsrfForm(),
        url_for_view=lambda **changes: url_for(
            "influencers.index", slug=slug, **filters.query_args(**changes)
        ),
        url_for_page=lambda n: url_for("influencers.index", slug=slug, **filters.query_args(page=n)),
    )  # fmt: skip


@bp.get("/w/<slug>/influencers.csv")
@workspace_view()
def export_csv(access):
    filters = _filters()
    name = service.export_filename(access.workspace, "csv")
    return Response(
        stream_with_context(service.export_csv(access.workspace, filters)),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/w/<slug>/influencers.xlsx")
@workspace_view()
def export_xlsx(access):
    filters = _filters()
    name = service.export_filename(access.workspace, "xlsx")
    return Response(
        service.export_xlsx(access.workspace, filters),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/w/<slug>/scores")
@workspace_view("agent")
def recompute(access):
    form = RecomputeForm()
    if form.validate_on_submit():
        snapshot = scoring.queue_scoring(access.workspace, "manual")
        if snapshot.status in ("queued", "running"):
            flash(
                _("Scoring started. The page stays usable; it tells you when it is done."), "info"
            )
    return redirect(_back(url_for("influencers.index", slug=access.workspace.slug)))


@bp.get("/w/<slug>/scores")
@workspace_view()
def runs(access):
    return render_template(
        "influencers/runs.html", access=access, runs=scoring.snapshots(access.workspace),
        state=service.run_state(access.workspace), form=RecomputeForm(),
    )  # fmt: skip


@bp.get("/w/<slug>/scores/<int:snapshot_id>/status")
@workspace_view()
def run_status(access, snapshot_id: int):
    """The progress fragment pages poll (htmx) while a scoring run is under way."""
    run = service.get_snapshot(access.workspace, snapshot_id)
    if run is None:
        abort(404)
    response = current_app.make_response(
        render_template("influencers/_run_status.html", run=run, access=access)
    )
    if run.status == "done" and request.headers.get("HX-Request") == "true":
        # The page polled this run to its end: htmx reloads it, so the new scores replace the
        # old ones, and the notice below says what happened.
        authors = (run.counts or {}).get("authors", 0)
        message = ngettext(
            "Scoring done: %(num)s author scored. The page shows the new scores.",
            "Scoring done: %(num)s authors scored. The page shows the new scores.",
            authors,
        )
        flash(message, "success")
        response.headers["HX-Refresh"] = "true"
    return response


@bp.get("/w/<slug>/topics")
@workspace_view()
def topics(access):
    chosen = Params(request.args).text("topic")
    return render_template(
        "influencers/topics.html", access=access, chosen=chosen,
        state=service.run_state(access.workspace),
        topics=service.ranked_topics(access.workspace),
        leaders=service.topic_leaders(access.workspace, chosen) if chosen else None,
    )  # fmt: skip


@bp.get("/w/<slug>/communities")
@workspace_view()
def communities(access):
    return render_template(
        "influencers/communities.html", access=access,
        state=service.run_state(access.workspace),
        page=service.community_page(access.workspace, page_number()),
        url_for_page=lambda n: url_for("influencers.communities", slug=access.workspace.slug, page=n),
    )  # fmt: skip


@bp.get("/w/<slug>/suspicious")
@workspace_view()
def suspicious(access):
    return render_template(
        "influencers/suspicious.html", access=access,
        state=service.run_state(access.workspace),
        page=service.suspicious_accounts(access.workspace, page_number()),
        form=RecomputeForm(), verdict_form=BotVerdictForm(),
        url_for_page=lambda n: url_for("influencers.suspicious", slug=access.workspace.slug, page=n),
    )  # fmt: skip


@bp.post("/w/<slug>/authors/<int:author_id>/bot-verdict")
@workspace_view("agent")
def bot_verdict(access, author_id: int):
    form = BotVerdictForm()
    try:
        mention_service.get_author(access.workspace, author_id)
    except ServiceError:
        abort(404)
    if form.validate_on_submit():
        verdict = None if form.verdict.data == "clear" else form.verdict.data
        scoring.set_bot_verdict(access.workspace, author_id, verdict, user=current_user)
        flash(_("Verdict saved. It applies from the next recompute."), "success")
    else:
        flash(_("Choose: not a bot, confirmed bot, or clear."), "error")
    return redirect(_back(url_for("influencers.suspicious", slug=access.workspace.slug)))
