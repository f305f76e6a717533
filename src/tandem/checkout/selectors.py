"""Checkout reads: the delivery methods a customer can choose, with their prices."""

from decimal import Decimal

from django.db.models import Prefetch

from tandem.cart.calculations import DeliveryOption
from tandem.checkout.models import DeliveryMethod, DeliveryPrice
from tandem.core.context import CustomerContext
from tandem.pricing.selectors import tax_rates_for


def delivery_options(context: CustomerContext) -> list[DeliveryOption]:
    """Active methods for the context's channel that have a price in its currency (two queries)."""
    rates = tax_rates_for(context)
    options = []
    for method in DeliveryMethod.objects.filter(
        is_active=True, channel__in=["both", context.channel]
    ).prefetch_related(Prefetch("prices", queryset=DeliveryPrice.objects.filter(currency=context.currency))):
        prices = list(method.prices.all())
        if not prices:
            continue
        options.append(
            DeliveryOption(
                code=method.code,
                name=method.tr("name"),
                kind=method.kind,
                price_net=prices[0].price_net,
                tax_rate=rates.get(method.tax_class_id, Decimal(0)),
                free_from=prices[0].free_from,
            )
        )
    return options


def delivery_option(context: CustomerContext, code: str) -> DeliveryOption | None:
    return next((option for option in delivery_options(context) if option.code == code), None)
