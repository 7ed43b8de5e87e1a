"""Browsing mentions and authors."""

from flask import Blueprint

bp = Blueprint("mentions", __name__)

from app.mentions import routes  # noqa: E402,F401
