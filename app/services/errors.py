"""Errors services raise for the caller to show: the message is meant for the user."""


class ServiceError(Exception):
    """A request that cannot be carried out; ``str(error)`` says why in the user's terms."""


class NotFound(ServiceError):
    """The thing does not exist, or not in this workspace."""


class Forbidden(ServiceError):
    """The user's role in the workspace does not allow this."""


class FieldError(ServiceError):
    """A value the user entered is not acceptable; ``field`` names the form field it came from."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
