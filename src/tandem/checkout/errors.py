from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class CheckoutError(DomainError):
    """The order cannot be placed as submitted; nothing was changed."""

    code = "checkout_error"


class OutOfStock(CheckoutError):
    """Another buyer took the last units while this order was being placed."""

    code = "out_of_stock"
    status = 409


class IdempotencyKeyReused(CheckoutError):
    """The submission's key placed an order already, and the cart now holds other things: a
    key names one submission (a page's form, an API call), not a buyer's next order."""

    code = "idempotency_key_reused"
    status = 422


class CartGoesElsewhere(CheckoutError):
    """The session shops for a procurement system (punchout): its cart is transferred there,
    and ordered from there, never checked out here."""

    code = "punchout_cart"
    status = 409
    default_message = _(
        "This cart goes back to your procurement system: transfer it there instead of checking out."
    )
