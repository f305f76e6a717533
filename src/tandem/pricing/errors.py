from tandem.core.errors import DomainError


class QuantityRuleError(DomainError):
    """A quantity breaks the variant's minimum, maximum or multiple rule."""

    code = "quantity_rule"

    def __init__(self, message, *, code: str, suggestion: int):
        super().__init__(message, code=code, field="quantity")
        self.suggestion = suggestion


class CouponError(DomainError):
    """A coupon code cannot be used on this order."""

    code = "coupon_invalid"

    def __init__(self, message, *, code: str):
        super().__init__(message, code=code, field="coupon")
