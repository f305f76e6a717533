from tandem.core.errors import DomainError


class CheckoutError(DomainError):
    """The order cannot be placed as submitted; nothing was changed."""

    code = "checkout_error"

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        field: str | None = None,
        lines: list[dict] | None = None,
    ):
        super().__init__(message, code=code, field=field)
        self.lines = lines or []


class OutOfStock(CheckoutError):
    """Another buyer took the last units while this order was being placed."""

    code = "out_of_stock"
    status = 409
