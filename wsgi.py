"""WSGI entry point: ``flask --app wsgi ...`` and ``gunicorn wsgi:app``."""

import sys

from app import ConfigurationError, create_app

try:
    app = create_app()
except ConfigurationError as error:
    # The configuration is wrong, not the code: one line for the operator, no stack trace.
    sys.exit(f"Influence CRM cannot start: {error}")
