"""Promotions and coupons as pure rules: who may use one, and how much it takes off.

A promotion applies to the goods value of an order as the customer sees it (gross for
retail, net for wholesale). The best automatic promotion applies first, then a coupon on
what is left. The discount is spread over the lines in proportion to their value, so VAT
per rate stays exact.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.core.context import CustomerContext
from tandem.core.money import quantum, round_money
from tandem.pricing.errors import CouponError


@dataclass(frozen=True, slots=True)
class PromotionRule:
    id: int
    name: str
    code: str
    kind: str  # PromotionKind
    value: Decimal
    currency: str
    minimum_order: Decimal
    channel: str  # PromotionChannel
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
    times_used: int = 0
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class AppliedPromotion:
    rule: PromotionRule
    amount: Decimal  # taken off the goods value (0 for free shipping)
    free_shipping: bool = False


def applies_to(rule: PromotionRule, context: CustomerContext, now: datetime) -> bool:
    """Active, in its dates, for this channel and currency (limits aside)."""
    return (
        rule.is_active
        and rule.channel in ("both", context.channel)
        and rule.currency == context.currency
        and (rule.valid_from is None or rule.valid_from <= now)
        and (rule.valid_until is None or now <= rule.valid_until)
    )


def coupon_check(
    rule: PromotionRule,
    *,
    context: CustomerContext,
    now: datetime,
    goods_value: Decimal,
    customer_uses: int,
) -> None:
    """Raise CouponError saying why this coupon cannot be used on this order now."""
    if not rule.is_active or rule.currency != context.currency:
        raise CouponError(_("This coupon is not valid."), code="coupon_invalid")
    if rule.channel not in ("both", context.channel):
        raise CouponError(
            _("This coupon is not valid for this kind of account."), code="coupon_wrong_channel"
        )
    if rule.valid_from is not None and now < rule.valid_from:
        raise CouponError(_("This coupon is not valid yet."), code="coupon_not_started")
    if rule.valid_until is not None and now > rule.valid_until:
        raise CouponError(_("This coupon has expired."), code="coupon_expired")
    if rule.usage_limit is not None and rule.times_used >= rule.usage_limit:
        raise CouponError(_("This coupon has been used up."), code="coupon_used_up")
    if rule.usage_limit_per_customer is not None and context.user_id is None:
        # A guest is whoever types an e-mail: "once per customer" holds only for accounts.
        raise CouponError(
            _("Sign in to use this coupon: each customer may use it a limited number of times."),
            code="coupon_sign_in",
        )
    if rule.usage_limit_per_customer is not None and customer_uses >= rule.usage_limit_per_customer:
        raise CouponError(_("You have already used this coupon."), code="coupon_customer_limit")
    if goods_value < rule.minimum_order:
        raise CouponError(
            _("This coupon needs an order of at least %(amount)s %(currency)s.")
            % {"amount": rule.minimum_order, "currency": rule.currency},
            code="coupon_minimum_not_reached",
        )


def discount_of(rule: PromotionRule, goods_value: Decimal) -> AppliedPromotion:
    """What ``rule`` takes off ``goods_value`` (never more than the value itself)."""
    if rule.kind == "free_shipping":
        return AppliedPromotion(rule=rule, amount=Decimal(0), free_shipping=True)
    if rule.kind == "percent":
        amount = round_money(goods_value * rule.value / Decimal(100), rule.currency)
    else:
        amount = round_money(rule.value, rule.currency)
    return AppliedPromotion(rule=rule, amount=min(amount, goods_value))


def best_automatic(
    rules: list[PromotionRule], *, context: CustomerContext, now: datetime, goods_value: Decimal
) -> AppliedPromotion | None:
    """The automatic promotion that saves the customer most, among those that qualify."""
    best = None
    for rule in rules:
        if rule.code or not applies_to(rule, context, now) or goods_value < rule.minimum_order:
            continue
        if rule.usage_limit is not None and rule.times_used >= rule.usage_limit:
            continue
        applied = discount_of(rule, goods_value)
        if best is None or (applied.amount, applied.free_shipping) > (best.amount, best.free_shipping):
            best = applied
    return best


def allocate(amount: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Split ``amount`` over lines in proportion to ``weights``, to the cent, the parts
    summing exactly to ``amount`` (largest remainders get the leftover cents)."""
    total = sum(weights, Decimal(0))
    if not weights or total <= 0 or amount <= 0:
        return [Decimal(0)] * len(weights)
    exact = [amount * weight / total for weight in weights]
    parts = [round_money(value, currency) for value in exact]
    # Rounding half-up can overshoot or undershoot by a few minor units: settle them on
    # the lines whose rounding moved them furthest from their exact share.
    unit = quantum(currency)
    difference = amount - sum(parts, Decimal(0))
    order = sorted(range(len(parts)), key=lambda i: exact[i] - parts[i], reverse=difference > 0)
    step = unit if difference > 0 else -unit
    index = 0
    while difference != 0 and index < 4 * len(order):
        i = order[index % len(order)]
        if parts[i] + step <= weights[i] and parts[i] + step >= 0:
            parts[i] += step
            difference -= step
        index += 1
    return parts
