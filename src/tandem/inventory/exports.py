"""The stock export (core.exports): on hand per SKU and warehouse, the columns of the stock
import."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from tandem.core.exports import ExportKind, ExportSource, values_source
from tandem.inventory.models import StockItem

HEADER = ["sku", "warehouse", "on_hand"]


def stock_source(user, updated_since: datetime | None) -> ExportSource:
    stock = StockItem.objects.order_by("variant__sku", "warehouse__code").values_list(
        "variant__sku", "warehouse__code", "on_hand"
    )
    return values_source(HEADER, stock)


STOCK_EXPORT = ExportKind(
    order=30,
    code="stock",
    label=_("Stock"),
    scope="catalog:read",
    allowed=lambda user: user.is_staff and user.has_perm("inventory.view_stockitem"),
    source=stock_source,
)
