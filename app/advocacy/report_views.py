"""Views of a campaign's report: the page, its printable version and its Excel download
(the figures come from :mod:`app.advocacy.services.report_page`)."""

from flask import Response, abort, render_template

from app.advocacy import bp
from app.advocacy.services import report_page
from app.services.errors import NotFound
from app.web import workspace_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _view(access, campaign_id: int) -> report_page.ReportView:
    try:
        return report_page.report_view(access.workspace, campaign_id)
    except NotFound:
        abort(404)


@bp.get("/w/<slug>/campaigns/<int:campaign_id>/report")
@workspace_view()
def campaign_report(access, campaign_id: int):
    return _page(access, campaign_id, printable=False)


@bp.get("/w/<slug>/campaigns/<int:campaign_id>/report/print")
@workspace_view()
def campaign_report_print(access, campaign_id: int):
    return _page(access, campaign_id, printable=True)


def _page(access, campaign_id: int, printable: bool):
    view = _view(access, campaign_id)
    return render_template(
        "advocacy/campaign_report.html", access=access, view=view, printable=printable,
        report=view.report, chart=report_page.chart_data(view), figures=report_page.FIGURES,
        sentiment_labels=report_page.SENTIMENT_LABELS,
    )  # fmt: skip


@bp.get("/w/<slug>/campaigns/<int:campaign_id>/report.xlsx")
@workspace_view()
def campaign_report_xlsx(access, campaign_id: int):
    view = _view(access, campaign_id)
    name = report_page.xlsx_name(access.workspace, view)
    return Response(report_page.report_xlsx(view), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
