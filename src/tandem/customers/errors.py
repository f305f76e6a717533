from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError

ACCOUNTANTS_CANNOT_ORDER = _("Accountants can see documents and balances but cannot place orders.")


class EmailTaken(DomainError):
    """Registration with an e-mail address that already has an account."""

    code = "email_taken"
    default_message = _("An account with this e-mail address already exists.")
