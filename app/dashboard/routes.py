"""The dashboard's view: the workspace's home page."""

from flask import render_template, request, url_for
from flask_login import current_user

from app.advocacy.services import alerts as alert_service
from app.auth.forms import EmptyForm
from app.dashboard import bp
from app.dashboard import services as dashboard_service
from app.web import notice_ignored, workspace_view


@bp.get("/w/<slug>/dashboard")
@workspace_view()
def index(access):
    period, errors = dashboard_service.period_of(access.workspace, request.args)
    notice_ignored(errors)
    board = dashboard_service.dashboard(access.workspace, current_user, period)
    slug = access.workspace.slug
    span = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return render_template(
        "dashboard/index.html", access=access, board=board, form=EmptyForm(),
        chart=dashboard_service.chart_data(board),
        alert_args=alert_service.mentions_query,
        local_time=lambda moment: f"{moment.astimezone(period.zone):%Y-%m-%d %H:%M}",
        mentions_url=lambda first, last=None, **extra: url_for(
            "mentions.index", slug=slug, since=first, until=last or first, **extra),
        advocacy_url=lambda first=None, last=None, **extra: url_for(
            "advocacy.index", slug=slug,
            **({"from": first, "to": last or first} if first else span), **extra),
    )  # fmt: skip
