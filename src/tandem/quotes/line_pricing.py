"""Offer lines priced for one customer: the rule merchant offers and reseller offers share.

Each requested line (SKU and quantity as typed) must be an item the customer may buy, a
whole quantity that keeps the item's quantity rules (an offer must be orderable as offered),
and is priced at the customer's own price for that quantity by the pricing engine. What
each kind of offer makes of that price is the caller's ``build``. Every bad line is named;
nothing is priced half.
"""

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tandem.cart.errors import CartError
from tandem.cart.services import parse_quantity
from tandem.catalog.models import Variant
from tandem.catalog.selectors import visible_variants_by_sku
from tandem.core.context import CustomerContext
from tandem.pricing import engine
from tandem.pricing.engine import PriceResult, VariantPricing
from tandem.pricing.errors import QuantityRuleError
from tandem.pricing.quantity import quantity_check
from tandem.pricing.selectors import variant_pricing
from tandem.quotes.errors import QuoteError, line_problem

MAX_LINES = 500  # lines of an offer (and items of a request for quotation)

Line = TypeVar("Line")


class RequestedLine(Protocol):
    sku: str
    quantity: object


def priced_lines(
    context: CustomerContext,
    lines: Sequence[RequestedLine],
    *,
    build: Callable[[RequestedLine, Variant, int, PriceResult | None, VariantPricing | None], Line],
    unknown_sku: str | Promise,
) -> list[Line]:
    """``build(line, variant, quantity, own_price, pricing_inputs)`` for every requested line
    (it may refuse one with a QuoteError); QuoteError ``lines_invalid`` naming every line that
    is unknown, not sold to the customer, not a whole number, against the quantity rules or
    refused by ``build``."""
    if len(lines) > MAX_LINES:
        raise QuoteError(
            _("An offer can hold up to %(count)d lines.") % {"count": MAX_LINES}, code="too_many_lines"
        )
    variants = visible_variants_by_sku(context, [line.sku for line in lines])
    pricing = variant_pricing(context, [(variant.pk, variant.tax_class_id) for variant in variants.values()])
    priced, problems = [], []
    for number, line in enumerate(lines, start=1):
        variant = variants.get(str(line.sku).strip().upper())
        try:
            if variant is None:
                raise QuoteError(unknown_sku, code="unknown_sku")
            quantity = parse_quantity(line.quantity)
            quantity_check(variant.quantity_rule(), quantity)
            inputs = pricing.get(variant.pk)
            own = engine.resolve_one(context, inputs, quantity) if inputs is not None else None
            priced.append(build(line, variant, quantity, own, inputs))
        except (QuoteError, CartError, QuantityRuleError) as error:
            problems.append(line_problem(number, line.sku, error))
    if problems:
        raise QuoteError(
            _("Some lines cannot be offered: see each line."), code="lines_invalid", lines=problems
        )
    return priced
