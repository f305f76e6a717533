from tandem.core.errors import DomainError


class CheckoutError(DomainError):
    """The order cannot be placed as submitted; nothing was changed."""

    code = "checkout_error"


class OutOfStock(CheckoutError):
    """Another buyer took the last units while this order was being placed."""

    code = "out_of_stock"
    status = 409
