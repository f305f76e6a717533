from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class QuoteError(DomainError):
    """A request or offer cannot be made as submitted; nothing was changed."""

    code = "quote_error"


class OfferNotAcceptable(DomainError):
    """This revision can no longer be accepted (expired, superseded, or already decided)."""

    code = "offer_not_acceptable"
    status = 409


class BelowPriceFloor(QuoteError):
    """Offer prices under the floor need someone allowed to approve them."""

    code = "below_price_floor"
    default_message = _("Some prices are below the floor; a sales manager must approve them.")


def line_problem(number: int, sku, error: DomainError) -> dict:
    """One line of a per-line refusal: which input line, which SKU, what is wrong."""
    return {"line": number, "sku": str(sku)[:64], "code": error.code, "message": str(error.message)}
