from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "tandem.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from tandem.core.housekeeping import housekeeping_job
        from tandem.orders.housekeeping import orders_housekeeping
        from tandem.orders.notifications import subscribe_order_emails

        subscribe_order_emails()
        housekeeping_job("orders", orders_housekeeping, order=10)
