"""Influence CRM.

The application factory lives in :mod:`app.factory`; ``from app import create_app`` still
works. This package's own import is light on purpose: the import's reading and helper
processes (spawned: app.services.ingest_reader) import only the parsing code they run, not
Flask, SQLAlchemy and every blueprint (half a second of CPU each, per import).
"""

from __future__ import annotations

_FACTORY_NAMES = ("create_app", "ConfigurationError")


def __getattr__(name: str):
    """Load the factory's names on first use (PEP 562)."""
    if name in _FACTORY_NAMES:
        from app import factory

        return getattr(factory, name)
    raise AttributeError(f"module 'app' has no attribute {name!r}")
