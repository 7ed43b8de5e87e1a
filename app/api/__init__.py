"""The JSON API, authenticated by personal API tokens (``Authorization: Bearer <token>``).

Every error answers ``{"error": {"code": ..., "message": ...}}``; a refused query parameter
adds ``parameter`` (the first one refused) and ``parameters`` (each with its message).
"""

from flask import Blueprint, Response, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(status: int, code: str, message: str, **details) -> Response:
    """Return the API's answer for an error: ``{"error": {"code", "message", ...details}}``."""
    response = jsonify(error={"code": code, "message": message, **details})
    response.status_code = status
    return response


from app.api import openapi, routes  # noqa: E402,F401
