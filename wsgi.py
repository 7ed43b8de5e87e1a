"""WSGI entry point: ``flask --app wsgi ...`` and ``gunicorn wsgi:app``."""

import sys

from app import ConfigurationError, create_app

CANNOT_START = 4  # gunicorn's "App failed to load": it stops instead of restarting workers

try:
    app = create_app()
except ConfigurationError as error:
    # The configuration is wrong, not the code: one line for the operator, no stack trace.
    print(f"Influence CRM cannot start: {error}", file=sys.stderr)
    sys.exit(CANNOT_START)
