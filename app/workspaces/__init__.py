"""Workspaces: the list, creation, settings, members and imports."""

from flask import Blueprint

bp = Blueprint("workspaces", __name__)

from app.workspaces import routes  # noqa: E402,F401
