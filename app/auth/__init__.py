"""Sign-in, sign-out, invitations and the user's own settings (password, API tokens)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402,F401
