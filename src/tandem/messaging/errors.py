"""Why a message could not be sent, or a webhook endpoint not saved."""

from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class MessageInvalid(DomainError):
    """The subject or text of a message cannot be sent as it is (``field`` says which)."""

    code = "message_invalid"
    default_message = _("The message cannot be sent as it is.")


class NoSalesRep(DomainError):
    """The company has no sales rep to write to."""

    code = "no_sales_rep"
    default_message = _("Your company has no sales rep assigned yet; please contact the shop.")
    status = 409


class WebhookError(DomainError):
    """A webhook endpoint cannot be saved as it is (``field`` says which)."""

    code = "webhook_invalid"
    default_message = _("The webhook endpoint cannot be saved as it is.")
