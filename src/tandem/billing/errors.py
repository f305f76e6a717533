from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class CreditLimitExceeded(DomainError):
    """An order on account would take the company past its credit limit."""

    code = "credit_limit_exceeded"
    status = 409


class OverdueBlocked(DomainError):
    """The company's overdue receivables exceed its tolerance."""

    code = "overdue_blocked"
    status = 409


class OnlinePaymentUnavailable(DomainError):
    """No online payment provider is enabled."""

    code = "online_payment_unavailable"
    default_message = _("Online payment is not available at the moment.")


class PaymentNotificationRejected(DomainError):
    """A payment provider's notification failed verification and changed nothing."""

    code = "payment_notification_rejected"


class InvoiceError(DomainError):
    """A document cannot be issued as asked; nothing was issued."""

    code = "invoice_error"
