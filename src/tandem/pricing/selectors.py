"""Load pricing inputs in bulk: a constant number of queries for any number of variants."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches

from tandem.catalog.services import catalog_version
from tandem.core.context import CustomerContext
from tandem.pricing import engine
from tandem.pricing.models import BasePrice, TaxRate


def tax_rates_for_country(country: str) -> dict[int, Decimal]:
    """tax_class_id → rate % in ``country`` (cached per process until staff change the catalog)."""
    key = f"pricing:tax-rates:{country}:{catalog_version()}"
    rates = caches["local"].get(key)
    if rates is None:
        rates = {
            tax_class_id: rate
            for tax_class_id, rate in TaxRate.objects.filter(country=country).values_list(
                "tax_class_id", "rate"
            )
        }
        caches["local"].set(key, rates, 60)
    return rates


def variant_pricing(
    context: CustomerContext, variants: Iterable[tuple[int, int]]
) -> dict[int, engine.VariantPricing]:
    """Pricing inputs for (variant_id, tax_class_id) pairs in the context's currency."""
    variants = list(variants)
    list_rates = tax_rates_for_country(settings.SHOP_COUNTRY)
    # A country without configured rates is priced at the shop country's rates.
    rates = {**list_rates, **tax_rates_for_country(context.country)}
    prices: dict[int, dict[tuple[str, str], Decimal]] = {}
    for variant_id, channel, currency, amount in BasePrice.objects.filter(
        variant_id__in=[variant_id for variant_id, _tax in variants], currency=context.currency
    ).values_list("variant_id", "channel", "currency", "amount"):
        prices.setdefault(variant_id, {})[(channel, currency)] = amount
    return {
        variant_id: engine.VariantPricing(
            variant_id=variant_id,
            tax_rate=rates.get(tax_class_id, Decimal("0")),
            list_tax_rate=list_rates.get(tax_class_id, Decimal("0")),
            base_prices=prices.get(variant_id, {}),
        )
        for variant_id, tax_class_id in variants
    }


def prices_for_variants(
    context: CustomerContext, variants: Iterable[tuple[int, int]], quantity: int = 1
) -> dict[int, engine.PriceResult]:
    """Resolve unit prices for (variant_id, tax_class_id) pairs at ``quantity`` each."""
    inputs = variant_pricing(context, variants)
    return engine.resolve(context, [(pricing, quantity) for pricing in inputs.values()])
