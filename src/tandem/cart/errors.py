from tandem.core.errors import DomainError


class CartError(DomainError):
    """A cart change was refused (unknown item, quantity, stock, size)."""

    code = "cart_error"


class QuickOrderFileError(DomainError):
    """An uploaded quick-order file cannot be read as a whole."""

    code = "quick_order_file"

    def __init__(self, message):
        super().__init__(message, field="file")
