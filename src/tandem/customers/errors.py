from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class EmailTaken(DomainError):
    """Registration with an e-mail address that already has an account."""

    code = "email_taken"
    default_message = _("An account with this e-mail address already exists.")
