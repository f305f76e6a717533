"""Load pricing inputs in bulk: a constant number of queries for any number of variants."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.batches import in_batches
from tandem.core.catalog_cache import catalog_version
from tandem.core.context import Channel, CustomerContext
from tandem.pricing import engine, promotions
from tandem.pricing.models import (
    BasePrice,
    PriceList,
    PriceListEntry,
    Promotion,
    PromotionRedemption,
    TaxRate,
)


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


def tax_rates_for(context: CustomerContext) -> dict[int, Decimal]:
    """tax_class_id → VAT % for this customer: their country's rates, the shop country's
    where their country has none configured; 0 under reverse charge."""
    rates = {**tax_rates_for_country(settings.SHOP_COUNTRY), **tax_rates_for_country(context.country)}
    if context.reverse_charge:
        return dict.fromkeys(rates, Decimal(0))
    return rates


def applicable_price_lists(context: CustomerContext) -> dict[int, tuple[str, int, str]]:
    """price_list_id → (scope, priority, name) of the active, valid lists in the context's
    currency assigned to its company or customer group (cached per process until staff
    change the catalog; the date is part of the key, so validity turns over at midnight)."""
    if not context.is_b2b or not (context.company_id or context.customer_group_id):
        return {}
    today = timezone.localdate()
    key = (
        f"pricing:lists:{context.company_id}:{context.customer_group_id}:{context.currency}:"
        f"{today.isoformat()}:{catalog_version()}"
    )
    lists = caches["local"].get(key)
    if lists is None:
        valid = PriceList.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            is_active=True,
            currency=context.currency,
        )
        company_lists = (
            set(valid.filter(companies=context.company_id).values_list("pk", flat=True))
            if context.company_id
            else set()
        )
        group_lists = (
            set(valid.filter(customer_groups=context.customer_group_id).values_list("pk", flat=True))
            if context.customer_group_id
            else set()
        )
        lists = {
            pk: (engine.ListScope.COMPANY if pk in company_lists else engine.ListScope.GROUP, priority, name)
            for pk, name, priority in PriceList.objects.filter(
                pk__in=company_lists | group_lists
            ).values_list("pk", "name", "priority")
        }
        caches["local"].set(key, lists, 300)
    return lists


def _id_filters(ids: list[int]) -> list[Q]:
    """Filters on variant_id for these ids: a range when they are dense (a page of a
    price list: no thousands of bound parameters), else IN lists in batches (SQLite takes
    at most 32,766 parameters a query). Rows outside ``ids`` must be skipped by the caller."""
    if not ids:
        return []
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return [Q(variant_id__gte=low, variant_id__lte=high)]
    return [Q(variant_id__in=batch) for batch in in_batches(sorted(ids))]


def variant_pricing(
    context: CustomerContext, variants: Iterable[tuple[int, int]]
) -> dict[int, engine.VariantPricing]:
    """Pricing inputs for (variant_id, tax_class_id) pairs in the context's currency."""
    variants = list(variants)
    list_rates = tax_rates_for_country(settings.SHOP_COUNTRY)
    rates = tax_rates_for(context)
    ids = [variant_id for variant_id, _tax in variants]
    wanted = set(ids)
    # The customer's own channel's list prices; the other channel's only for variants
    # without one (the engine converts it), so most variants cost one row, not two.
    prices: dict[int, dict[tuple[str, str], Decimal]] = {}
    other = Channel.B2C if context.channel == Channel.B2B else Channel.B2B
    for channel, targets in ((context.channel, ids), (other, None)):
        if targets is None:
            targets = [variant_id for variant_id in ids if variant_id not in prices]
        for variant_filter in _id_filters(targets):
            for variant_id, amount in BasePrice.objects.filter(
                variant_filter, currency=context.currency, channel=channel
            ).values_list("variant_id", "amount"):
                if variant_id in wanted:
                    prices.setdefault(variant_id, {})[(channel, context.currency)] = amount
    tiers: dict[int, list[engine.ListTier]] = {}
    lists = applicable_price_lists(context)
    for variant_filter in _id_filters(ids) if lists else []:
        for list_id, variant_id, min_quantity, price, discount in PriceListEntry.objects.filter(
            variant_filter, price_list_id__in=lists.keys()
        ).values_list("price_list_id", "variant_id", "min_quantity", "price", "discount_percent"):
            if variant_id not in wanted:
                continue
            scope, priority, name = lists[list_id]
            tiers.setdefault(variant_id, []).append(
                engine.ListTier(
                    price_list_id=list_id,
                    list_name=name,
                    scope=scope,
                    priority=priority,
                    min_quantity=min_quantity,
                    price=price,
                    discount_percent=discount,
                )
            )
    return {
        variant_id: engine.VariantPricing(
            variant_id=variant_id,
            tax_rate=rates.get(tax_class_id, Decimal("0")),
            list_tax_rate=list_rates.get(tax_class_id, Decimal("0")),
            base_prices=prices.get(variant_id, {}),
            tiers=tuple(tiers.get(variant_id, ())),
        )
        for variant_id, tax_class_id in variants
    }


def prices_for_variants(
    context: CustomerContext, variants: Iterable[tuple[int, int]], quantity: int = 1
) -> dict[int, engine.PriceResult]:
    """Resolve unit prices for (variant_id, tax_class_id) pairs at ``quantity`` each."""
    inputs = variant_pricing(context, variants)
    return engine.resolve(context, [(pricing, quantity) for pricing in inputs.values()])


def prices_and_breaks_for_variants(
    context: CustomerContext, variants: Iterable[tuple[int, int]]
) -> tuple[dict[int, engine.PriceResult], dict[int, list[tuple[int, engine.PriceResult]]]]:
    """Unit prices and (for B2B) volume prices from one bulk load of the inputs."""
    inputs = variant_pricing(context, variants)
    prices = engine.resolve(context, [(pricing, 1) for pricing in inputs.values()])
    breaks = (
        {
            variant_id: engine.price_breaks(context, pricing, prices.get(variant_id))
            for variant_id, pricing in inputs.items()
        }
        if context.is_b2b
        else {}
    )
    return prices, breaks


def _rule_of(promotion) -> promotions.PromotionRule:
    return promotions.PromotionRule(
        id=promotion.pk,
        name=promotion.tr("name"),
        code=promotion.code,
        kind=promotion.kind,
        value=promotion.value,
        currency=promotion.currency,
        minimum_order=promotion.minimum_order,
        channel=promotion.channel,
        valid_from=promotion.valid_from,
        valid_until=promotion.valid_until,
        usage_limit=promotion.usage_limit,
        usage_limit_per_customer=promotion.usage_limit_per_customer,
        times_used=promotion.times_used,
        is_active=promotion.is_active,
    )


def automatic_promotions(context: CustomerContext) -> list[promotions.PromotionRule]:
    """Active automatic promotions for the context's channel and currency (one query)."""
    return [
        _rule_of(promotion)
        for promotion in Promotion.objects.filter(
            code="",
            is_active=True,
            currency=context.currency,
            channel__in=["both", context.channel],
        )
    ]


def coupon_rule(code: str, *, for_update: bool = False) -> promotions.PromotionRule | None:
    """The coupon with this code (case-insensitive), or None; ``for_update`` locks its row."""
    code = code.strip().upper()
    if not code:
        return None
    queryset = Promotion.objects.filter(code=code)
    if for_update:
        queryset = queryset.select_for_update()
    promotion = queryset.first()
    return _rule_of(promotion) if promotion is not None else None


def coupon_uses_by(promotion_id: int, email: str, user_id: int | None = None) -> int:
    """How many placed orders of this customer used the promotion: the account's orders,
    whatever e-mail they gave, and orders placed with this e-mail."""
    if not email and user_id is None:
        return 0
    mine = Q(customer_email=email.lower()) if email else Q()
    if user_id is not None:
        mine |= Q(order__user_id=user_id)
    return PromotionRedemption.objects.filter(mine, promotion_id=promotion_id).count()


def price_label(price: engine.PriceResult | None) -> str:
    """ "gross" / "net" next to every price so nobody mistakes one for the other."""
    if price is None:
        return ""
    return _("incl. VAT") if price.includes_tax else _("net, excl. VAT")
