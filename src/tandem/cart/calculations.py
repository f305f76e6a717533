"""Price a cart: lines, promotions, delivery and totals, from data loaded up front.

Pure over its inputs (``CartInputs``), so the cart page, the API and the checkout service
compute the same figures the same way. Amounts "as seen" are gross for retail and net for
wholesale; taxes are always computed per rate on the sum of line nets.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tandem.core.context import CustomerContext
from tandem.core.money import gross_from_net, round_money
from tandem.pricing import promotions
from tandem.pricing.engine import PriceResult, PriceSource, VariantPricing, agreed_price, resolve_one
from tandem.pricing.errors import CouponError, QuantityRuleError
from tandem.pricing.promotions import allocate
from tandem.pricing.quantity import quantity_check
from tandem.pricing.totals import DocumentTotals, document_totals, net_for_gross

if TYPE_CHECKING:
    from tandem.catalog.models import Product, Variant


@dataclass(slots=True)
class LineInput:
    """One cart line with what pricing and validation need, loaded in bulk."""

    line_id: int | None
    variant: "Variant"  # with its product
    quantity: int
    visible: bool
    available: int
    pricing: VariantPricing | None
    seen_unit_price: Decimal | None = None
    seen_currency: str = ""
    product_name: str = ""  # in the customer's language
    agreed_unit_net: Decimal | None = None  # agreed in an accepted offer
    agreed_in: str = ""


@dataclass(frozen=True, slots=True)
class DeliveryOption:
    code: str
    name: str
    kind: str
    price_net: Decimal
    tax_rate: Decimal
    free_from: Decimal | None = None


@dataclass(slots=True)
class CartInputs:
    context: CustomerContext
    lines: list[LineInput]
    now: datetime
    automatic_promotions: list[promotions.PromotionRule] = field(default_factory=list)
    coupon: promotions.PromotionRule | None = None
    coupon_code: str = ""
    coupon_customer_uses: int = 0
    delivery: DeliveryOption | None = None


@dataclass(slots=True)
class PricedLine:
    line_id: int | None
    variant: "Variant"
    quantity: int
    price: PriceResult | None
    available: int
    value: Decimal = Decimal(0)  # unit price as seen × quantity
    discount: Decimal = Decimal(0)  # share of order discounts, as seen
    net: Decimal = Decimal(0)  # after discounts
    problem: str = ""
    problem_code: str = ""
    suggested_quantity: int | None = None
    previous_unit_price: Decimal | None = None  # when the price changed since last shown
    shown_before: bool = False  # this very price, in this currency, was the last one shown
    product_name: str = ""

    @property
    def product(self) -> "Product":
        return self.variant.product

    @property
    def sure_price(self) -> PriceResult:
        """The price of a line that can be ordered (such a line always has one)."""
        if self.price is None:
            raise ValueError(f"line {self.line_id} has no price and cannot be ordered")
        return self.price

    @property
    def unit_price(self) -> Decimal | None:
        return self.price.unit_display if self.price is not None else None

    @property
    def backorder(self) -> int:
        return max(self.quantity - self.available, 0)


@dataclass(slots=True)
class PricedCart:
    context: CustomerContext
    lines: list[PricedLine]
    goods_value: Decimal  # before discounts, as seen
    discounts: list[promotions.AppliedPromotion]
    coupon_error: CouponError | None
    delivery: DeliveryOption | None
    delivery_net: Decimal
    totals: DocumentTotals
    delivery_value: Decimal = Decimal(0)  # as seen: gross for retail, net for wholesale

    @property
    def currency(self) -> str:
        return self.context.currency

    @property
    def includes_tax(self) -> bool:
        return self.context.prices_include_tax

    @property
    def discount_total(self) -> Decimal:
        return sum((applied.amount for applied in self.discounts), Decimal(0))

    @property
    def problems(self) -> list[PricedLine]:
        return [line for line in self.lines if line.problem]

    @property
    def price_changes(self) -> list[PricedLine]:
        return [line for line in self.lines if line.previous_unit_price is not None]

    @property
    def is_empty(self) -> bool:
        return not self.lines


def line_problem(line: LineInput, price: PriceResult | None, currency: str) -> tuple[str, str, int | None]:
    """(code, message, suggested quantity) of what stops this line being ordered, or ("", "", None)."""
    variant = line.variant
    if not line.visible or not variant.is_active:
        return "not_available", _("This item is no longer available to you."), None
    if price is None:
        return (
            "no_price",
            _("This item has no price in %(currency)s; ask us for an offer.") % {"currency": currency},
            None,
        )
    return orderability(variant, line.quantity, line.available)


MAX_LINE_QUANTITY = 1_000_000


def orderability(variant: "Variant", quantity: int, available: int) -> tuple[str, str, int | None]:
    """(code, message, suggested quantity) when ``quantity`` of a visible, priced variant
    cannot be ordered now (quantity rules, size, stock unless back-orders), else ("", "", None).
    The one rule for the cart page, adding to the cart, quick order and checkout."""
    if quantity > MAX_LINE_QUANTITY:
        return (
            "quantity_too_large",
            _("The quantity cannot exceed %(max)s.") % {"max": MAX_LINE_QUANTITY},
            None,
        )
    try:
        quantity_check(variant.quantity_rule(), quantity)
    except QuantityRuleError as error:
        return error.code, str(error.message), error.suggestion
    if quantity > available and not variant.product.allow_backorder:
        if available <= 0:
            return "out_of_stock", _("%(sku)s is out of stock.") % {"sku": variant.sku}, None
        message = _("Only %(count)s of %(sku)s available.") % {"count": available, "sku": variant.sku}
        return "insufficient_stock", message, available
    return "", "", None


def _set_nets(
    context: CustomerContext,
    lines: list[PricedLine],
    delivery: DeliveryOption | None,
    delivery_value: Decimal,
) -> Decimal:
    """Give every line its net after discounts; return the delivery's net.

    Wholesale: line net = unit net × quantity − discount share. Retail prices include VAT,
    so the nets are derived per VAT rate from the gross the customer sees: the rate's net
    is chosen so that net + VAT on it (per rate, on the sum of nets) equals the gross
    total, and it is spread over the lines by their gross (to the cent)."""
    currency = context.currency
    if not context.prices_include_tax:
        for line in lines:
            line.net = round_money(line.sure_price.unit_net * line.quantity, currency) - line.discount
        return delivery_value
    groups: dict[Decimal, list[tuple[PricedLine | None, Decimal]]] = {}
    for line in lines:
        groups.setdefault(line.sure_price.tax_rate, []).append((line, line.value - line.discount))
    if delivery is not None and delivery_value:
        groups.setdefault(delivery.tax_rate, []).append((None, delivery_value))
    delivery_net = Decimal(0)
    for rate, members in groups.items():
        grosses = [gross for _member, gross in members]
        nets = allocate(net_for_gross(sum(grosses, Decimal(0)), rate, currency), grosses, currency)
        for (member, _gross), net in zip(members, nets, strict=True):
            if member is None:
                delivery_net = net
            else:
                member.net = net
    return delivery_net


def _line_price(context: CustomerContext, line: LineInput) -> PriceResult | None:
    if not line.pricing or not line.visible:
        return None
    if line.agreed_unit_net is not None:
        return agreed_price(context, line.pricing, line.agreed_unit_net, line.agreed_in)
    return resolve_one(context, line.pricing, line.quantity)


def price_cart(inputs: CartInputs) -> PricedCart:
    """Price every line at its quantity, apply the best automatic promotion and the coupon,
    add delivery, and total per VAT rate. Lines with problems stay in the cart, flagged,
    and count for nothing."""
    context = inputs.context
    currency = context.currency
    priced: list[PricedLine] = []
    for line in inputs.lines:
        price = _line_price(context, line)
        code, message, suggestion = line_problem(line, price, currency)
        item = PricedLine(
            line_id=line.line_id,
            variant=line.variant,
            quantity=line.quantity,
            price=price,
            available=line.available,
            problem=message,
            problem_code=code,
            suggested_quantity=suggestion,
            product_name=line.product_name,
        )
        if price is not None:
            item.value = round_money(price.unit_display * line.quantity, currency)
            item.shown_before = (line.seen_unit_price, line.seen_currency) == (price.unit_display, currency)
            if line.seen_unit_price is not None and line.seen_currency == currency and not item.shown_before:
                item.previous_unit_price = line.seen_unit_price
        priced.append(item)

    orderable = [line for line in priced if not line.problem]
    goods_value = sum((line.value for line in orderable), Decimal(0))
    # Prices agreed in an offer are final: promotions and coupons apply to the other lines only.
    promotable = [line for line in orderable if line.sure_price.source != PriceSource.AGREED]
    promotable_value = sum((line.value for line in promotable), Decimal(0))
    discounts: list[promotions.AppliedPromotion] = []
    automatic = (
        promotions.best_automatic(
            inputs.automatic_promotions, context=context, now=inputs.now, goods_value=promotable_value
        )
        if promotable
        else None
    )
    remaining = promotable_value
    if automatic is not None:
        discounts.append(automatic)
        remaining -= automatic.amount
    coupon_error = None
    if inputs.coupon_code:
        try:
            if inputs.coupon is None:
                raise CouponError(
                    _("There is no coupon %(code)s.") % {"code": inputs.coupon_code}, code="coupon_unknown"
                )
            promotions.coupon_check(
                inputs.coupon,
                context=context,
                now=inputs.now,
                goods_value=promotable_value,
                customer_uses=inputs.coupon_customer_uses,
            )
            applied = promotions.discount_of(inputs.coupon, remaining)
            discounts.append(applied)
            remaining -= applied.amount
        except CouponError as error:
            coupon_error = error

    shares = promotions.allocate(promotable_value - remaining, [line.value for line in promotable], currency)
    for promoted, share in zip(promotable, shares, strict=True):
        promoted.discount = share
    remaining += goods_value - promotable_value  # the agreed lines count towards free delivery

    delivery, delivery_value = inputs.delivery, Decimal(0)
    if delivery is not None and not (
        any(applied.free_shipping for applied in discounts)
        or (delivery.free_from is not None and remaining >= delivery.free_from)
    ):
        delivery_value = (
            gross_from_net(delivery.price_net, delivery.tax_rate, currency)
            if context.prices_include_tax
            else delivery.price_net
        )
    delivery_net = _set_nets(context, orderable, delivery, delivery_value)
    taxable = [(line.net, line.sure_price.tax_rate) for line in orderable]
    if delivery is not None and delivery_net:
        taxable.append((delivery_net, delivery.tax_rate))
    return PricedCart(
        context=context,
        lines=priced,
        goods_value=goods_value,
        discounts=discounts,
        coupon_error=coupon_error,
        delivery=delivery,
        delivery_net=delivery_net,
        delivery_value=delivery_value,
        totals=document_totals(taxable, currency),
    )
