"""Domain errors: values with a stable code and a translated message.

Each surface (API, storefront, admin) maps them to its own response in one place.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the request."""

    code = "domain_error"
    default_message = _("The request could not be completed.")
    status = 400

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        field: str | None = None,
        lines: list[dict] | None = None,
    ):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.field = field
        self.lines = lines or []  # a problem per line of a multi-line request, each with its "line"
        super().__init__(str(self.message))


class NotFound(DomainError):
    """The object does not exist or is not visible to this customer."""

    code = "not_found"
    default_message = _("Not found.")
    status = 404


class PermissionDenied(DomainError):
    """The acting user may not do this."""

    code = "permission_denied"
    default_message = _("You do not have permission to do this.")
    status = 403
