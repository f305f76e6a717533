"""The pricing engine: pure functions over plain data.

``resolve(context, lines)`` prices variants for one customer context. Nothing here
touches the database; ``pricing.selectors`` loads the inputs in a constant number of
queries. Precedence (first that applies wins), as in docs/architecture.md:
quote price → company price lists → group price lists → base list price; then
promotions (B2C); then tax. This foundation implements the base list price and tax;
the later stages plug in here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tandem.core.context import Channel, CustomerContext
from tandem.core.money import gross_from_net, net_from_gross, round_money


@dataclass(frozen=True, slots=True)
class VariantPricing:
    """What the engine needs to know about one variant, loaded in bulk."""

    variant_id: int
    tax_rate: Decimal  # VAT % for this customer (their country)
    # (channel, currency) → amount; B2C amounts are gross, B2B amounts are net
    base_prices: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    # VAT % contained in the stored gross list prices: the shop country's rate
    list_tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PriceResult:
    """A resolved unit price, with where it came from and why."""

    variant_id: int
    currency: str
    unit_net: Decimal
    unit_gross: Decimal
    tax_rate: Decimal
    source: str
    explanation: tuple[str, ...]
    includes_tax: bool

    @property
    def unit_display(self) -> Decimal:
        """The amount a customer of this channel sees: gross for B2C, net for B2B."""
        return self.unit_gross if self.includes_tax else self.unit_net


class PriceSource:
    BASE_LIST = "base_list"


def resolve_one(context: CustomerContext, pricing: VariantPricing) -> PriceResult | None:
    """Price one unit of a variant, or None when it has no price in the context's currency."""
    currency, rate = context.currency, pricing.tax_rate
    own = pricing.base_prices.get((context.channel, currency))
    other_channel = Channel.B2B if context.channel == Channel.B2C else Channel.B2C
    other = pricing.base_prices.get((other_channel, currency))
    if own is not None:
        stored_gross = context.channel == Channel.B2C
        amount = round_money(own, currency)
        step = _("list price %(amount)s %(currency)s (%(kind)s)") % {
            "amount": amount, "currency": currency,
            "kind": _("gross") if stored_gross else _("net"),
        }
        steps = [step]
    elif other is not None:
        stored_gross = other_channel == Channel.B2C
        amount = round_money(other, currency)
        steps = [
            _("%(channel)s list price %(amount)s %(currency)s (%(kind)s)") % {
                "channel": Channel(other_channel).label, "amount": amount, "currency": currency,
                "kind": _("gross") if stored_gross else _("net"),
            }
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
            _("converted to %(kind)s at VAT %(rate)s%%: %(amount)s") % {
                "kind": _("gross") if includes_tax else _("net"),
                "rate": _percent(list_rate if stored_gross and not includes_tax else rate),
                "amount": unit_gross if includes_tax else unit_net,
            }
        )
    return PriceResult(
        variant_id=pricing.variant_id, currency=currency, unit_net=unit_net,
        unit_gross=unit_gross, tax_rate=rate, source=PriceSource.BASE_LIST,
        explanation=tuple(steps), includes_tax=includes_tax,
    )


def _percent(rate: Decimal) -> str:
    """23.00 → "23", 20.00 → "20" (not "2E+1"), 5.50 → "5.5"."""
    return f"{rate.normalize():f}"


def resolve(
    context: CustomerContext, lines: Iterable[tuple[VariantPricing, int]]
) -> dict[int, PriceResult]:
    """Price each (variant, quantity) line; variants without a price are left out."""
    results: dict[int, PriceResult] = {}
    for pricing, _quantity in lines:
        result = resolve_one(context, pricing)
        if result is not None:
            results[pricing.variant_id] = result
    return results
