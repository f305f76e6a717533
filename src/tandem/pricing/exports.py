"""The list prices export (core.exports): the columns of the prices import."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from tandem.core.exports import ExportKind, ExportSource, values_source
from tandem.pricing.models import BasePrice

HEADER = ["sku", "currency", "channel", "amount"]


def list_prices_source(user, updated_since: datetime | None) -> ExportSource:
    prices = BasePrice.objects.order_by("variant__sku", "currency", "channel").values_list(
        "variant__sku", "currency", "channel", "amount"
    )
    return values_source(HEADER, prices)


LIST_PRICES_EXPORT = ExportKind(
    order=20,
    code="prices",
    label=_("List prices"),
    scope="catalog:read",
    allowed=lambda user: user.is_staff and user.has_perm("pricing.view_baseprice"),
    source=list_prices_source,
)
