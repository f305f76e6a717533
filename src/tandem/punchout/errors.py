from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class PunchoutError(DomainError):
    """A punchout request cannot be served as sent."""

    code = "punchout_error"


class MessageInvalid(PunchoutError):
    """A cXML message is not well-formed or lacks an element it needs (cXML status 400)."""

    code = "message_invalid"


class MessageTooLarge(MessageInvalid):
    """A cXML message larger than the shop reads (cXML status 413)."""

    code = "message_too_large"
    status = 413


class CredentialRefused(PunchoutError):
    """No active credential has this identity and secret (cXML status 401)."""

    code = "credential_refused"
    status = 401
    default_message = _("Unknown identity or wrong shared secret.")


class StartLinkInvalid(PunchoutError):
    """The one-time start link was used already, has expired or never existed."""

    code = "start_link_invalid"
    status = 404
    default_message = _(
        "This punchout link has expired or was used already. Start again from your procurement system."
    )
