"""Errors of the relationship manager, beside the core's (:mod:`app.services.errors`)."""

from app.services.errors import ServiceError


class Conflict(ServiceError):
    """Someone else changed the record since it was read (or it clashes with another one):
    the change was not made; ``str(error)`` says what to do."""
