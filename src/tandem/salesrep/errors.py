from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class RequestInProgress(DomainError):
    """The same request (one idempotency key) is being handled right now."""

    code = "request_in_progress"
    default_message = _("The same order is being placed right now; try again in a moment.")
    status = 409
