"""The pricing engine: pure functions over plain data.

``resolve(context, lines)`` prices variants for one customer context. Nothing here
touches the database; ``pricing.selectors`` loads the inputs in a constant number of
queries. Precedence (first that applies wins), as in docs/architecture.md:
quote price → company price lists → group price lists → base list price; then
promotions (B2C); then tax. This foundation implements the base list price and tax;
the later stages plug in here.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop, trans_real

from tandem.core.context import Channel, CustomerContext
from tandem.core.money import gross_from_net, net_from_gross, round_money

# Explanation texts (translated by _t in the customer's language).
TEXT_REVERSE_CHARGE = gettext_noop("reverse charge: 0% VAT, the buyer accounts for VAT")
TEXT_LIST_PRICE = gettext_noop("list price %(amount)s %(currency)s (%(kind)s)")
TEXT_GROSS = gettext_noop("gross")
TEXT_NET = gettext_noop("net")
TEXT_OTHER_CHANNEL_LIST_PRICE = gettext_noop("%(channel)s list price %(amount)s %(currency)s (%(kind)s)")
TEXT_CONVERTED = gettext_noop("converted to %(kind)s at VAT %(rate)s%%: %(amount)s")
TEXT_CONTRACT_LIST = gettext_noop("contract price list")
TEXT_GROUP_LIST = gettext_noop("group price list")
TEXT_TIER_PRICE = gettext_noop("%(label)s %(name)s, from %(quantity)s: %(amount)s")
TEXT_TIER_DISCOUNT = gettext_noop("%(label)s %(name)s, from %(quantity)s: −%(discount)s%% = %(amount)s")


@functools.cache
def _t(language: str, message: str) -> str:
    """``message`` in ``language``, memoised: explanations are written for thousands of
    lines at once, and a catalog lookup per step would cost more than the pricing."""
    return trans_real.translation(language).gettext(message) if language else message


class ListScope:
    COMPANY = "company"
    GROUP = "group"


# One step of a price's explanation: a translated template and its parameters (None: as is).
Step = tuple[str, dict[str, object] | None]


@dataclass(frozen=True, slots=True)
class ListTier:
    """One price list entry that applies to this customer (already filtered by currency,
    validity and assignment when loaded)."""

    price_list_id: int
    list_name: str
    scope: str  # ListScope
    priority: int
    min_quantity: int
    price: Decimal | None = None  # a fixed net price…
    discount_percent: Decimal | None = None  # …or a discount off the net list price


@dataclass(frozen=True, slots=True)
class VariantPricing:
    """What the engine needs to know about one variant, loaded in bulk."""

    variant_id: int
    tax_rate: Decimal  # VAT % for this customer (their country)
    # (channel, currency) → amount; B2C amounts are gross, B2B amounts are net
    base_prices: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    # VAT % contained in the stored gross list prices: the shop country's rate
    list_tax_rate: Decimal | None = None
    tiers: tuple[ListTier, ...] = ()


@dataclass(frozen=True, slots=True)
class PriceResult:
    """A resolved unit price, with where it came from and why."""

    variant_id: int
    currency: str
    unit_net: Decimal
    unit_gross: Decimal
    tax_rate: Decimal
    source: str
    # (translated template, parameters) per step; formatted only when someone reads the
    # explanation (a 100,000-row price list never does)
    steps: tuple[Step, ...]
    includes_tax: bool

    @property
    def explanation(self) -> tuple[str, ...]:
        """The readable chain, e.g. ("list price 100.00 PLN (net)", "group price list …")."""
        return tuple(template % params if params is not None else template for template, params in self.steps)

    @property
    def unit_display(self) -> Decimal:
        """The amount a customer of this channel sees: gross for B2C, net for B2B."""
        return self.unit_gross if self.includes_tax else self.unit_net


class PriceSource:
    BASE_LIST = "base_list"
    COMPANY_LIST = "company_list"
    GROUP_LIST = "group_list"
    AGREED = "agreed"  # a price negotiated in an accepted offer


TEXT_AGREED = gettext_noop("agreed in %(document)s: %(amount)s %(currency)s (net)")


def agreed_price(
    context: CustomerContext, pricing: VariantPricing, unit_net: Decimal, document: str
) -> PriceResult:
    """A unit price agreed for this customer in a document (an accepted offer): it replaces
    the price lists, and VAT follows the customer's rate as for any other price."""
    currency, language = context.currency, context.language
    rate = Decimal(0) if context.reverse_charge else pricing.tax_rate
    steps: list[Step] = [
        (_t(language, TEXT_AGREED), {"document": document, "amount": unit_net, "currency": currency})
    ]
    if context.reverse_charge:
        steps.append((_t(language, TEXT_REVERSE_CHARGE), None))
    return PriceResult(
        variant_id=pricing.variant_id,
        currency=currency,
        unit_net=unit_net,
        unit_gross=gross_from_net(unit_net, rate, currency),
        tax_rate=rate,
        source=PriceSource.AGREED,
        steps=tuple(steps),
        includes_tax=context.prices_include_tax,
    )


def resolve_one(context: CustomerContext, pricing: VariantPricing, quantity: int = 1) -> PriceResult | None:
    """Price one unit of a variant bought ``quantity`` at a time, or None when it has no
    price in the context's currency.

    Precedence: the company's price lists (higher priority first), then its customer
    group's lists, then the list price. The first list with a tier for this quantity
    wins; within it, the lowest price among the tiers reached, so buying more never
    costs more per unit. A wholesale-only item may be priced by a list alone (fixed
    prices; a discount needs a list price to take it from).
    """
    currency, language = context.currency, context.language
    rate = Decimal(0) if context.reverse_charge else pricing.tax_rate
    listed = _list_price(context, pricing, rate)
    negotiated = None
    if context.is_b2b:
        tiers = pricing.tiers if listed else tuple(t for t in pricing.tiers if t.price is not None)
        negotiated = _negotiated(tiers, quantity, listed[0] if listed else Decimal(0), currency, language)
    if listed is None and negotiated is None:
        return None
    unit_net, unit_gross, steps = listed or (Decimal(0), Decimal(0), [])
    source = PriceSource.BASE_LIST
    if negotiated is not None:
        unit_net, tier, step = negotiated
        unit_gross = gross_from_net(unit_net, rate, currency)
        source = PriceSource.COMPANY_LIST if tier.scope == ListScope.COMPANY else PriceSource.GROUP_LIST
        steps.append(step)
    if context.reverse_charge:
        steps.append((_t(language, TEXT_REVERSE_CHARGE), None))
    return PriceResult(
        variant_id=pricing.variant_id,
        currency=currency,
        unit_net=unit_net,
        unit_gross=unit_gross,
        tax_rate=rate,
        source=source,
        steps=tuple(steps),
        includes_tax=context.prices_include_tax,
    )


def _list_price(
    context: CustomerContext, pricing: VariantPricing, rate: Decimal
) -> tuple[Decimal, Decimal, list[Step]] | None:
    """(net, gross, explanation) from the list price of the customer's channel, else the
    other channel's converted; None when the variant has no list price in the currency."""
    currency, language = context.currency, context.language
    own = pricing.base_prices.get((context.channel, currency))
    other_channel = Channel.B2B if context.channel == Channel.B2C else Channel.B2C
    other = pricing.base_prices.get((other_channel, currency))
    steps: list[Step]
    if own is not None:
        stored_gross = context.channel == Channel.B2C
        amount = round_money(own, currency)
        steps = [
            (
                _t(language, TEXT_LIST_PRICE),
                {
                    "amount": amount,
                    "currency": currency,
                    "kind": _t(language, TEXT_GROSS) if stored_gross else _t(language, TEXT_NET),
                },
            )
        ]
    elif other is not None:
        stored_gross = other_channel == Channel.B2C
        amount = round_money(other, currency)
        steps = [
            (
                _t(language, TEXT_OTHER_CHANNEL_LIST_PRICE),
                {
                    "channel": Channel(other_channel).label,
                    "amount": amount,
                    "currency": currency,
                    "kind": _t(language, TEXT_GROSS) if stored_gross else _t(language, TEXT_NET),
                },
            )
        ]
    else:
        return None
    list_rate = rate if pricing.list_tax_rate is None else pricing.list_tax_rate
    if stored_gross:
        # A retail list price contains the shop country's VAT; take that out first.
        unit_net = net_from_gross(amount, list_rate, currency)
        unit_gross = amount if rate == list_rate else gross_from_net(unit_net, rate, currency)
    else:
        unit_net, unit_gross = amount, gross_from_net(amount, rate, currency)
    includes_tax = context.prices_include_tax
    if includes_tax != stored_gross or (stored_gross and rate != list_rate):
        steps.append(
            (
                _t(language, TEXT_CONVERTED),
                {
                    "kind": _t(language, TEXT_GROSS) if includes_tax else _t(language, TEXT_NET),
                    "rate": _percent(list_rate if stored_gross and not includes_tax else rate),
                    "amount": unit_gross if includes_tax else unit_net,
                },
            )
        )
    return unit_net, unit_gross, steps


def _discount(tier: ListTier) -> Decimal:
    """A tier without a price has a discount (the price list entry's check constraint)."""
    if tier.discount_percent is None:
        raise ValueError(f"price list {tier.price_list_id}: a tier with neither a price nor a discount")
    return tier.discount_percent


def _negotiated(
    tiers: tuple[ListTier, ...], quantity: int, list_net: Decimal, currency: str, language: str
) -> tuple[Decimal, ListTier, Step] | None:
    """The net unit price from the first applicable price list, with its explanation."""
    reached = [tier for tier in tiers if tier.min_quantity <= quantity]
    if not reached:
        return None
    first = min(reached, key=lambda t: (t.scope != ListScope.COMPANY, -t.priority, t.price_list_id))
    candidates = []
    for tier in reached:
        if tier.price_list_id != first.price_list_id:
            continue
        if tier.price is not None:
            net = round_money(tier.price, currency)
        else:
            net = round_money(list_net * (Decimal(100) - _discount(tier)) / Decimal(100), currency)
        candidates.append((net, tier))
    net, tier = min(candidates, key=lambda candidate: (candidate[0], -candidate[1].min_quantity))
    label = _t(language, TEXT_CONTRACT_LIST if tier.scope == ListScope.COMPANY else TEXT_GROUP_LIST)
    if tier.price is not None:
        step = (
            _t(language, TEXT_TIER_PRICE),
            {"label": label, "name": tier.list_name, "quantity": tier.min_quantity, "amount": net},
        )
    else:
        step = (
            _t(language, TEXT_TIER_DISCOUNT),
            {
                "label": label,
                "name": tier.list_name,
                "quantity": tier.min_quantity,
                "discount": _percent(_discount(tier)),
                "amount": net,
            },
        )
    return net, tier, step


def price_breaks(
    context: CustomerContext, pricing: VariantPricing, single: PriceResult | None = None
) -> list[tuple[int, PriceResult]]:
    """The volume prices a buyer can reach: (from quantity, unit price) where the price
    drops below the one for a single unit (pass ``single`` when already resolved)."""
    single = single or resolve_one(context, pricing, 1)
    if single is None or not context.is_b2b:
        return []
    breaks, last = [], single.unit_net
    for quantity in sorted({tier.min_quantity for tier in pricing.tiers if tier.min_quantity > 1}):
        result = resolve_one(context, pricing, quantity)
        if result is not None and result.unit_net < last:
            breaks.append((quantity, result))
            last = result.unit_net
    return breaks


def _percent(rate: Decimal) -> str:
    """23.00 → "23", 20.00 → "20" (not "2E+1"), 5.50 → "5.5"."""
    return f"{rate.normalize():f}"


def resolve(context: CustomerContext, lines: Iterable[tuple[VariantPricing, int]]) -> dict[int, PriceResult]:
    """Price each (variant, quantity) line; variants without a price are left out."""
    results: dict[int, PriceResult] = {}
    for pricing, quantity in lines:
        result = resolve_one(context, pricing, quantity)
        if result is not None:
            results[pricing.variant_id] = result
    return results
