"""Translation of the relationship manager's messages.

Flask-Babel translates them once the app has it; until then (it arrives with the pages
issue) ``gettext`` fills the ``%(name)s`` placeholders and the templates get the same ``_``.
"""

from __future__ import annotations

try:  # pragma: no cover - depends on whether Flask-Babel is installed
    from flask_babel import gettext
except ImportError:  # pragma: no cover

    def gettext(text: str, **variables) -> str:
        """Return ``text`` with its ``%(name)s`` placeholders filled (no translation yet)."""
        return text % variables if variables else text


def template_helpers(app) -> None:
    """Give the app's templates ``_`` unless its Jinja already has one (Flask-Babel's)."""
    app.jinja_env.globals.setdefault("_", gettext)
