from django.utils.translation import gettext_lazy as _

from tandem.core.errors import DomainError


class StockError(DomainError):
    """A stock change that cannot be made; nothing was changed."""

    code = "stock_error"


class StockShortage(StockError):
    """Fewer units than asked for are there to reserve or ship."""

    code = "out_of_stock"
    status = 409

    def __init__(self, message=None, *, variant_id: int, available: int):
        super().__init__(message)
        self.variant_id = variant_id
        self.available = available


class StockMismatch(StockError):
    """The stock rows do not hold what an order says it reserved: never skipped, always said."""

    code = "stock_mismatch"
    status = 409
    default_message = _(
        "The stock records do not match this order's reservations; nothing was changed. "
        "Run `tandem manage stock_verify` and correct the stock."
    )
