"""Price a cart: lines, promotions, delivery and totals, from data loaded up front.

Pure over its inputs (``CartInputs``), so the cart page, the API and the checkout service
compute the same figures the same way. Amounts "as seen" are gross for retail and net for
wholesale; taxes are always computed per rate on the sum of line nets.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.core.context import CustomerContext
from tandem.core.money import gross_from_net, net_from_gross, round_money
from tandem.pricing import promotions
from tandem.pricing.engine import PriceResult, VariantPricing, resolve_one
from tandem.pricing.errors import CouponError, QuantityRuleError
from tandem.pricing.quantity import quantity_check
from tandem.pricing.totals import DocumentTotals, document_totals


@dataclass(slots=True)
class LineInput:
    """One cart line with what pricing and validation need, loaded in bulk."""

    line_id: int | None
    variant: object  # catalog.Variant with its product
    quantity: int
    visible: bool
    available: int
    pricing: VariantPricing | None
    seen_unit_price: Decimal | None = None
    seen_currency: str = ""


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
    variant: object
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

    @property
    def product(self):
        return self.variant.product

    @property
    def unit_price(self) -> Decimal | None:
        return self.price.unit_display if self.price is not None else None

    @property
    def total(self) -> Decimal:
        return self.value - self.discount

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
    def free_shipping(self) -> bool:
        return any(applied.free_shipping for applied in self.discounts)

    @property
    def delivery_display(self) -> Decimal:
        if self.delivery is None:
            return Decimal(0)
        if self.includes_tax:
            return gross_from_net(self.delivery_net, self.delivery.tax_rate, self.currency)
        return self.delivery_net

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
        return "no_price", _("This item has no price in %(currency)s; ask us for an offer.") % {
            "currency": currency}, None
    try:
        quantity_check(variant.quantity_rule(), line.quantity)
    except QuantityRuleError as error:
        return error.code, str(error.message), error.suggestion
    if line.quantity > line.available and not variant.product.allow_backorder:
        if line.available <= 0:
            return "out_of_stock", _("Out of stock."), None
        message = _("Only %(count)s available.") % {"count": line.available}
        return "insufficient_stock", message, line.available
    return "", "", None


def price_cart(inputs: CartInputs) -> PricedCart:
    """Price every line at its quantity, apply the best automatic promotion and the coupon,
    add delivery, and total per VAT rate. Lines with problems stay in the cart, flagged,
    and count for nothing."""
    context = inputs.context
    currency = context.currency
    priced: list[PricedLine] = []
    for line in inputs.lines:
        price = resolve_one(context, line.pricing, line.quantity) if line.pricing and line.visible else None
        code, message, suggestion = line_problem(line, price, currency)
        item = PricedLine(
            line_id=line.line_id, variant=line.variant, quantity=line.quantity, price=price,
            available=line.available, problem=message, problem_code=code,
            suggested_quantity=suggestion,
        )
        if price is not None:
            item.value = round_money(price.unit_display * line.quantity, currency)
            if (line.seen_unit_price is not None and line.seen_currency == currency
                    and line.seen_unit_price != price.unit_display):
                item.previous_unit_price = line.seen_unit_price
        priced.append(item)

    orderable = [line for line in priced if not line.problem]
    goods_value = sum((line.value for line in orderable), Decimal(0))
    discounts: list[promotions.AppliedPromotion] = []
    automatic = promotions.best_automatic(
        inputs.automatic_promotions, context=context, now=inputs.now, goods_value=goods_value
    )
    remaining = goods_value
    if automatic is not None:
        discounts.append(automatic)
        remaining -= automatic.amount
    coupon_error = None
    if inputs.coupon_code:
        try:
            if inputs.coupon is None:
                raise CouponError(_("There is no coupon %(code)s.") % {"code": inputs.coupon_code},
                                  code="coupon_unknown")
            promotions.coupon_check(inputs.coupon, context=context, now=inputs.now,
                                    goods_value=goods_value, customer_uses=inputs.coupon_customer_uses)
            applied = promotions.discount_of(inputs.coupon, remaining)
            discounts.append(applied)
            remaining -= applied.amount
        except CouponError as error:
            coupon_error = error

    shares = promotions.allocate(goods_value - remaining, [line.value for line in orderable], currency)
    taxable: list[tuple[Decimal, Decimal]] = []
    for line, share in zip(orderable, shares, strict=True):
        line.discount = share
        rate = line.price.tax_rate
        if context.prices_include_tax:
            line.net = net_from_gross(line.value - share, rate, currency)
        else:
            line.net = round_money(line.price.unit_net * line.quantity, currency) - share
        taxable.append((line.net, rate))

    delivery, delivery_net = inputs.delivery, Decimal(0)
    if delivery is not None:
        delivery_net = delivery.price_net
        if any(applied.free_shipping for applied in discounts) or (
            delivery.free_from is not None and remaining >= delivery.free_from
        ):
            delivery_net = Decimal(0)
        if delivery_net:
            taxable.append((delivery_net, delivery.tax_rate))
    return PricedCart(
        context=context, lines=priced, goods_value=goods_value, discounts=discounts,
        coupon_error=coupon_error, delivery=delivery, delivery_net=delivery_net,
        totals=document_totals(taxable, currency),
    )
