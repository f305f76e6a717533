"""Quantity rules of a variant: minimum, maximum and multiples (packs) per order line.

Pure functions: a refusal says what is wrong and which valid quantity is nearest.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tandem.pricing.errors import QuantityRuleError


@dataclass(frozen=True, slots=True)
class QuantityRule:
    minimum: int = 1
    maximum: int | None = None
    step: int = 1

    def valid_quantities_near(self, quantity: int) -> int:
        """The valid quantity closest to ``quantity`` (rounding up on a tie)."""
        maximum = self.maximum if self.maximum is not None else max(quantity, self.minimum) + self.step
        # valid quantities: multiples of step, at least minimum, at most maximum
        lowest = -(-self.minimum // self.step) * self.step
        highest = (maximum // self.step) * self.step
        if highest < lowest:
            return lowest  # the rule admits nothing cleanly: offer the smallest pack
        below = max(lowest, min(highest, (quantity // self.step) * self.step))
        above = max(lowest, min(highest, -(-quantity // self.step) * self.step))
        return below if quantity - below < above - quantity else above

    @property
    def first_valid(self) -> int:
        """The smallest quantity the rule accepts (the default in quantity fields)."""
        return self.valid_quantities_near(1)

    def describe(self) -> str:
        parts = []
        if self.minimum > 1:
            parts.append(_("minimum %(count)s") % {"count": self.minimum})
        if self.step > 1:
            parts.append(_("in multiples of %(count)s") % {"count": self.step})
        if self.maximum is not None:
            parts.append(_("maximum %(count)s") % {"count": self.maximum})
        return ", ".join(parts)


def quantity_check(rule: QuantityRule, quantity: int) -> None:
    """Raise QuantityRuleError (with the nearest valid quantity) unless ``quantity`` obeys
    the rule; quantities must be whole positive numbers."""
    if quantity < 1:
        raise QuantityRuleError(
            _("The quantity must be at least 1."),
            code="quantity_not_positive",
            suggestion=rule.valid_quantities_near(1),
        )
    nearest = rule.valid_quantities_near(quantity)
    if quantity < rule.minimum:
        raise QuantityRuleError(
            _("The minimum order quantity is %(minimum)s; nearest valid quantity: %(nearest)s.")
            % {"minimum": rule.minimum, "nearest": nearest},
            code="quantity_below_minimum",
            suggestion=nearest,
        )
    if rule.maximum is not None and quantity > rule.maximum:
        raise QuantityRuleError(
            _("The maximum order quantity is %(maximum)s; nearest valid quantity: %(nearest)s.")
            % {"maximum": rule.maximum, "nearest": nearest},
            code="quantity_above_maximum",
            suggestion=nearest,
        )
    if quantity % rule.step:
        raise QuantityRuleError(
            _("This item is sold in multiples of %(step)s; nearest valid quantity: %(nearest)s.")
            % {"step": rule.step, "nearest": nearest},
            code="quantity_not_multiple",
            suggestion=nearest,
        )
