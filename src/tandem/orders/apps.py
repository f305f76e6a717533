from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "tandem.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from tandem.core.exports import export_kind
        from tandem.core.housekeeping import housekeeping_job
        from tandem.core.metrics import metric_family
        from tandem.orders.exports import ORDERS_EXPORT
        from tandem.orders.housekeeping import orders_housekeeping
        from tandem.orders.notifications import subscribe_order_emails
        from tandem.orders.selectors import orders_placed_by_channel

        subscribe_order_emails()
        housekeeping_job("orders", orders_housekeeping, order=10)
        export_kind(ORDERS_EXPORT)
        metric_family(
            "tandem_orders_placed",
            "Orders placed, per channel",
            orders_placed_by_channel,
            kind="counter",
            labels=("channel",),
        )
