"""The campaign report of the JSON API: what a campaign brought for its cost (see
:mod:`app.advocacy.services.effectiveness`)."""

from __future__ import annotations

from flask import jsonify

from app.advocacy.services import effectiveness
from app.api import bp, error_response
from app.api.routes import token_required
from app.services.errors import NotFound


@bp.get("/workspaces/<slug>/campaigns/<int:campaign_id>/report")
@token_required()
def campaign_report(access, campaign_id: int):
    """Posts, engagements, reach, views, new authors, cost, CPE, CPM, CPV, EMV, ROI and lift of
    a campaign, with the same per placement and per person (``null`` where a ratio has no
    denominator)."""
    try:
        return jsonify(effectiveness.campaign_report(access.workspace, campaign_id))
    except NotFound as error:
        return error_response(404, "not_found", str(error))
