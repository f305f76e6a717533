"""The price floor of an offer line: below it a rep needs a manager to send the offer
(``quotes.approve_below_floor``). Shown in the offer builder, enforced in ``offer_send``."""

from decimal import ROUND_CEILING, Decimal

from django.conf import settings

from tandem.quotes.models import OfferLine


def price_floor(line: OfferLine, *, cost_price: Decimal | None, currency: str) -> Decimal | None:
    """The lowest price a rep may offer alone: the purchase price plus the minimum margin
    when it is known (in the shop's currency), else the customer's own price less the
    largest discount; None when neither is known."""
    if cost_price is not None and currency == settings.SHOP_CURRENCY:
        floor = cost_price * (100 + Decimal(settings.OFFER_MIN_MARGIN_PERCENT)) / 100
    elif line.list_price is not None:
        floor = line.list_price * (100 - Decimal(settings.OFFER_MAX_DISCOUNT_PERCENT)) / 100
    else:
        return None
    return floor.quantize(Decimal("0.01"), rounding=ROUND_CEILING)
