"""Influencer discovery: the list, exports, scoring runs, topics, communities, suspicious accounts."""

from flask import Blueprint

bp = Blueprint("influencers", __name__)

from app.influencers import routes  # noqa: E402,F401
